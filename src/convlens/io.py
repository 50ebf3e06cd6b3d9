"""Reading and writing images and arrays, safely.

Reads PNG/JPEG/TIFF (imageio) and ``.npy``. Every write goes to a temporary file in the
target's directory and is renamed into place, so a crash never leaves a half-written file
under the final name, and a write never replaces one of the inputs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ARRAY_SUFFIXES = (".npy",)


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image (any format imageio reads) or a ``.npy`` array.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` for one that cannot be
    decoded, each naming the path.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> d = tempfile.mkdtemp()
    >>> write_array(Path(d) / "x.npy", np.eye(2))
    >>> read_image(Path(d) / "x.npy")
    array([[1., 0.],
           [0., 1.]])
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"input file not found: {p}")
    try:
        if p.suffix.lower() == ".npy":
            return np.load(p, allow_pickle=False)
        if p.suffix.lower() in (".tif", ".tiff"):
            import tifffile

            return tifffile.imread(p)
        import imageio.v3 as iio

        return np.asarray(iio.imread(p))
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ValueError(f"cannot read {p} as an image or array: {exc}") from exc
    except Exception as exc:  # decoders raise their own types on corrupt data
        raise ValueError(f"cannot read {p} as an image or array: {exc}") from exc


def check_output(
    path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), force: bool = False
) -> Path:
    """Refuse an output that is one of the inputs, or that exists unless ``force``."""
    out = Path(path)
    for src in inputs:
        if Path(src).exists() and out.exists() and os.path.samefile(src, out):
            raise ValueError(f"output {out} is also an input; refusing to overwrite an input")
        if Path(src).resolve() == out.resolve():
            raise ValueError(f"output {out} is also an input; refusing to overwrite an input")
    if out.exists() and not force:
        raise ValueError(f"output {out} exists; pass --force to overwrite it")
    if not out.parent.exists():
        raise FileNotFoundError(f"output directory does not exist: {out.parent}")
    return out


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it into place."""
    out = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp creates 0600; give the output the mode a plain open() would (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_array(path: str | os.PathLike, arr: np.ndarray) -> None:
    """Write exact values: ``.npy`` with NumPy, ``.tif``/``.tiff`` with tifffile; atomic."""
    suffix = Path(path).suffix.lower()
    if suffix == ".npy":
        atomic_write(path, lambda tmp: np.save(tmp, arr, allow_pickle=False))
    elif suffix in (".tif", ".tiff"):
        import tifffile

        atomic_write(path, lambda tmp: tifffile.imwrite(tmp, arr))
    else:
        raise ValueError(f"`path` must end in .npy, .tif or .tiff for exact values; got {path}")


def write_image(path: str | os.PathLike, img: np.ndarray) -> None:
    """Write a displayable image (uint8/uint16) with imageio; atomic."""
    import imageio.v3 as iio

    ext = Path(path).suffix
    atomic_write(path, lambda tmp: iio.imwrite(tmp, img, extension=ext))


def read_kernel(path: str | os.PathLike) -> np.ndarray:
    """Read a 2-D kernel from JSON or ``.npy``, as float64.

    JSON holds either ``{"kernel": [[...]], ...}`` (what ``convlens learn`` writes; other keys
    are ignored) or a bare nested list ``[[...]]``. Raises ``FileNotFoundError`` for a missing
    file and ``ValueError`` for anything else that is not a finite, non-empty 2-D kernel.

    Examples
    --------
    >>> import tempfile, json
    >>> p = Path(tempfile.mkdtemp()) / "k.json"
    >>> _ = p.write_text(json.dumps({"kernel": [[1, -1]], "loss": 0.0}))
    >>> read_kernel(p)
    array([[ 1., -1.]])
    """
    import json

    from .kernels import as_kernel

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"kernel file not found: {p}")
    if p.suffix.lower() == ".npy":
        try:
            data = np.load(p, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ValueError(f"cannot read {p} as a .npy kernel: {exc}") from exc
        return as_kernel(data, name=f"kernel in {p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {p} as a JSON kernel: {exc}") from exc
    if isinstance(data, dict):
        if "kernel" not in data:
            raise ValueError(f"JSON kernel file {p} has no 'kernel' key; keys: {sorted(data)}")
        data = data["kernel"]
    return as_kernel(data, name=f"kernel in {p}")
