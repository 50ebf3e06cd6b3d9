"""Which optional extra brings each third-party package, and the one-line error that says so.

The core install is NumPy, SciPy and numba; ``convlens[torch]``, ``[dask]``, ``[cli]`` and
``[web]`` add the rest (``[all]`` is everything). See ``pyproject.toml``.
"""

from __future__ import annotations

EXTRAS = {
    "torch": "torch",
    "dask": "dask",
    "distributed": "dask",
    "zarr": "dask",
    "tifffile": "dask",
    "matplotlib": "cli",
    "imageio": "cli",
    "rich": "cli",
    "tqdm": "cli",
    "skimage": "cli",
    "platformdirs": "cli",
    "starlette": "web",
    "uvicorn": "web",
}


def missing_extra(exc: ModuleNotFoundError, what: str) -> ImportError:
    """A one-line ``ImportError`` naming the extra that installs the missing package.

    Examples
    --------
    >>> str(missing_extra(ModuleNotFoundError(name="torch"), "convlens.Conv2D"))
    "convlens.Conv2D needs torch, which is not installed: pip install 'convlens[torch]'"
    """
    top = (exc.name or "").split(".")[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return ImportError(f"{what} needs {top or 'a package'}, which is not installed")
    return ImportError(
        f"{what} needs {top}, which is not installed: pip install 'convlens[{extra}]'"
    )


def require(package: str, what: str) -> None:
    """Raise the one-line ``ImportError`` of :func:`missing_extra` if ``package`` is absent.

    Examples
    --------
    >>> require("numpy", "anything")  # installed: nothing happens
    """
    import importlib

    try:
        importlib.import_module(package)
    except ModuleNotFoundError as exc:
        raise missing_extra(exc, what) from None
