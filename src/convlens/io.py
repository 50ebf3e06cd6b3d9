"""Reading and writing images and arrays, safely.

Reads PNG/JPEG/TIFF (imageio) and ``.npy``. Every write goes to a temporary file in the
target's directory and is renamed into place, so a crash never leaves a half-written file
under the final name, and a write never replaces one of the inputs.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

ARRAY_SUFFIXES = (".npy",)


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image (any format imageio reads) or a ``.npy`` array.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` for one that cannot be
    decoded, that tifffile flags as corrupt, that holds several images (a multi-page TIFF:
    pages are images, and convlens filters one at a time) or complex or non-numeric values,
    each naming the path.

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
    _check_decoded_size(p)
    try:
        if p.suffix.lower() == ".npy":
            arr = np.load(p, allow_pickle=False)
        elif p.suffix.lower() in (".tif", ".tiff"):
            arr = _read_tiff(p)
        else:
            import imageio.v3 as iio

            # From bytes: imageio leaves the file open when no plugin can decode it.
            data = p.read_bytes()
            if p.suffix.lower() == ".png":
                _check_not_a_display(p, data)
            with _pil_unbounded():
                arr = np.asarray(iio.imread(data, extension=p.suffix or None))
    except ValueError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if msg.startswith(str(p)):
            raise ValueError(msg) from exc
        raise ValueError(f"cannot read {p} as an image or array: {msg}") from exc
    except MemoryError:
        raise
    except Exception as exc:  # decoders raise their own types on corrupt data
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"cannot read {p} as an image or array: {msg}") from exc
    if arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{p}: an image must hold real numbers (bool, int, uint or float); got {arr.dtype}"
        )
    return arr


def _check_decoded_size(p: Path) -> None:
    """Before decoding: refuse a header that declares more than memory holds, or (``.npy``,
    which is stored raw) more bytes than the file has."""
    from . import memory

    info = decoded_shape(p)
    if info is None:
        return
    shape, dtype = info
    size = memory.nbytes(shape, dtype)
    if p.suffix.lower() == ".npy" and size > os.path.getsize(p):
        raise ValueError(
            f"cannot read {p}: its header declares shape {shape} {dtype} ({size} bytes) but "
            f"the file has {os.path.getsize(p)} bytes: truncated or corrupt"
        )
    what = f"reading {p} ({'x'.join(map(str, shape))} {dtype})"
    memory.check(size, what, "input", "stream it: convlens filter IN.tif|.npy|.zarr --chunks N")


class _TiffLog(logging.Handler):
    """Collects what tifffile logs: it reports corrupt data as warnings and reads on."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def check(self, path: str | os.PathLike) -> None:
        """Raise now (before a long decode) if tifffile has logged a problem."""
        if self.messages:
            first = self.messages[0].splitlines()[0]
            raise ValueError(f"{path}: tifffile reports corrupt data: {first}")


@contextlib.contextmanager
def tiff_errors(path: str | os.PathLike) -> Any:
    """Run tifffile quietly; raise ``ValueError`` (one line) if it logged a problem.

    tifffile logs corrupt tags, strips and tiles and goes on with what it could read; a
    result built on such data is not one to write silently.
    """
    log = logging.getLogger("tifffile")
    handler = _TiffLog()
    propagate = log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.propagate = propagate
    handler.check(path)


def tiff_layout(series: Any, path: str | os.PathLike) -> tuple[tuple[int, ...], bool]:
    """The ``(H, W)`` or ``(H, W, C)`` shape of a tifffile series, and whether its samples
    are planar (``(C, H, W)`` on disk); ``ValueError`` for several pages (images) or other
    axes (volumes, time series)."""
    axes, shape = series.axes, tuple(int(n) for n in series.shape)
    extra = [(a, n) for a, n in zip(axes, shape) if a not in "YXS" and n > 1]
    if extra:
        what = ", ".join(f"{n} along {a!r}" for a, n in extra)
        raise ValueError(
            f"{path}: holds several images ({what}; axes {axes!r}, shape {shape}); convlens "
            "filters one image at a time: split the pages first (e.g. with tifffile)"
        )
    kept = "".join(a for a, n in zip(axes, shape) if a in "YXS")
    dims = tuple(n for a, n in zip(axes, shape) if a in "YXS")
    if kept == "SYX":
        return (dims[1], dims[2], dims[0]), True
    if kept not in ("YX", "YXS"):
        raise ValueError(f"{path}: unsupported TIFF layout: axes {axes!r}, shape {shape}")
    return dims, False


def check_tiff_data(page: Any, path: str | os.PathLike) -> None:
    """Refuse a TIFF page whose strips or tiles run past the end of the file (truncated),
    before anything is decoded: tifffile would otherwise fill what is missing, slowly."""
    size = os.path.getsize(path)
    offsets, counts = page.dataoffsets, page.databytecounts
    if not len(offsets) or max(o + c for o, c in zip(offsets, counts)) > size:
        raise ValueError(
            f"cannot read {path}: image data runs past the end of the file ({size} bytes): "
            "truncated"
        )
    if min(counts) == 0:
        raise ValueError(f"cannot read {path}: some strips or tiles are empty: truncated")


def _read_tiff(p: Path) -> np.ndarray:
    import tifffile

    with tiff_errors(p) as log, tifffile.TiffFile(p) as tif:
        if not tif.series:
            raise ValueError(f"{p}: no image in the TIFF")
        series = tif.series[0]
        shape, planar = tiff_layout(series, p)
        check_tiff_data(series.pages[0], p)
        log.check(p)
        arr = series.asarray()
    arr = arr.reshape((shape[2], shape[0], shape[1]) if planar else shape)
    return np.moveaxis(arr, 0, -1) if planar else arr


@contextlib.contextmanager
def _pil_unbounded() -> Any:
    """Let Pillow open big images: the caller has checked the decoded size against memory,
    which is the bound that matters (Pillow's 'decompression bomb' guard is a pixel count)."""
    try:
        from PIL import Image
    except ImportError:
        yield
        return
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def decoded_shape(path: str | os.PathLike) -> tuple[tuple[int, ...], np.dtype] | None:
    """The shape and dtype that reading ``path`` would give, from its header alone.

    For ``.npy``, TIFF and anything Pillow opens (PNG, JPEG, ...); ``None`` when the header
    says nothing usable (the full read then reports the problem).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.npy"
    >>> np.save(p, np.zeros((3, 4), np.uint8))
    >>> decoded_shape(p)
    ((3, 4), dtype('uint8'))
    """
    p = Path(path)
    try:
        suffix = p.suffix.lower()
        if suffix == ".npy":
            with open(p, "rb") as f:
                fmt = np.lib.format
                major, _ = fmt.read_magic(f)
                read = fmt.read_array_header_1_0 if major == 1 else fmt.read_array_header_2_0
                shape, _, dtype = read(f)
            return tuple(int(n) for n in shape), np.dtype(dtype)
        if suffix in (".tif", ".tiff"):
            import tifffile

            with tiff_errors(p), tifffile.TiffFile(p) as tif:
                series = tif.series[0]
                return tiff_layout(series, p)[0], np.dtype(series.dtype)
        from PIL import Image

        with _pil_unbounded(), Image.open(p) as im:
            bands = len(im.getbands())
            dtype = np.dtype(np.uint16 if im.mode.startswith("I;16") else np.uint8)
            if im.mode in ("I", "F"):
                dtype = np.dtype(np.int32 if im.mode == "I" else np.float32)
            shape = (im.height, im.width) + ((bands,) if bands > 1 else ())
            return shape, dtype
    except Exception:  # a header that says nothing usable: the full read will say why
        return None


def _real(path: str | os.PathLike) -> str:
    """The real path (symlinks resolved, also for a path that does not exist yet)."""
    return os.path.realpath(os.path.abspath(path))


def _overlaps(a: str, b: str) -> bool:
    """Whether real paths ``a`` and ``b`` are the same, or one lies inside the other."""
    common = os.path.commonpath([a, b])
    return common in (a, b)


def check_output(
    path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), force: bool = False
) -> Path:
    """Refuse an output that overlaps an input, or that exists unless ``force``.

    An output overlaps an input when their real paths are the same, or when one lies inside
    the other (a picture inside a ``.zarr`` directory, an array inside a Zarr group): then
    replacing the output would delete or overwrite the input, so it is refused even with
    ``force``. A dangling symbolic link counts as an existing output.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> check_output(d / "out.npy", inputs=[d / "in.npy"]).name
    'out.npy'
    >>> check_output(d, inputs=[d / "in.npy"], force=True)
    Traceback (most recent call last):
    ...
    ValueError: output ... holds the input ...; refusing to replace it, even with --force
    """
    out = Path(path)
    real_out = _real(out)
    for src in inputs:
        real_src = _real(src)
        if real_src == real_out or (
            Path(src).exists() and out.exists() and os.path.samefile(src, out)
        ):
            raise ValueError(f"output {out} is also an input; refusing to overwrite an input")
        if _overlaps(real_src, real_out):
            inner = "holds the input" if len(real_out) < len(real_src) else "lies inside input"
            raise ValueError(
                f"output {out} {inner} {src}; refusing to replace it, even with --force"
            )
    if os.path.lexists(out) and not force:
        what = "is a dangling symbolic link" if not out.exists() else "exists"
        raise ValueError(f"output {out} {what}; pass --force to overwrite it")
    if not out.parent.exists():
        raise FileNotFoundError(f"output directory does not exist: {out.parent}")
    return out


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _renameat2(src: str, dst: str) -> bool | None:
    """Linux's ``renameat2(RENAME_NOREPLACE)``: True if renamed, None if unsupported here.

    Raises ``FileExistsError`` when ``dst`` exists: the check and the rename are one step.
    """
    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    rc = fn(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return None  # this file system cannot do it atomically: fall back
    raise OSError(err, os.strerror(err), dst)


def rename_noreplace(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Rename ``src`` (a file or a directory) to ``dst``, never replacing what is there.

    If ``dst`` appears meanwhile (another writer), ``FileExistsError`` is raised and ``src``
    stays where it was. Uses ``renameat2(RENAME_NOREPLACE)`` on Linux; elsewhere a hard link
    then unlink for files (``link`` fails on an existing name), and for directories a rename,
    which POSIX refuses onto a non-empty directory (an empty one is checked first).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_text("a"); _ = (d / "b").write_text("b")
    >>> rename_noreplace(d / "a", d / "b")
    Traceback (most recent call last):
    ...
    FileExistsError: ...
    >>> (d / "b").read_text()
    'b'
    """
    src, dst = os.fspath(src), os.fspath(dst)
    try:
        done = _renameat2(src, dst)
    except FileExistsError:
        raise FileExistsError(
            errno.EEXIST, "appeared while this output was written; not replaced", dst
        ) from None
    if done:
        return
    if os.path.isdir(src):
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "exists; not replaced", dst)
        os.rename(src, dst)  # POSIX: fails onto a non-empty directory
        return
    try:
        os.link(src, dst)
    except FileExistsError:
        raise FileExistsError(
            errno.EEXIST, "appeared while this output was written; not replaced", dst
        ) from None
    os.unlink(src)


def atomic_write(
    path: str | os.PathLike, write: Callable[[Path], None], *, replace: bool | None = None
) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it into place.

    ``replace=None`` (the default) replaces ``path`` only if it existed before the write
    started (the caller has checked ``--force``); a ``path`` that appears meanwhile, written
    by a concurrent run, is never replaced: ``FileExistsError``. ``replace=False`` never
    replaces, ``replace=True`` always does. On any error or interruption the temporary file
    is removed.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(p, lambda tmp: tmp.write_text("hello"))
    >>> p.read_text()
    'hello'
    """
    out = Path(path)
    if replace is None:
        replace = os.path.lexists(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp creates 0600; give the output the mode a plain open() would (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if replace:
            os.replace(tmp, out)
        else:
            rename_noreplace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # NumPy reports a full disk as "40000 requested and 8176 written", without errno.
        if exc.errno == errno.ENOSPC or "requested and" in str(exc):
            raise OSError(errno.ENOSPC, f"no space left on the device; {out} not written") from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_array(path: str | os.PathLike, arr: np.ndarray, *, replace: bool | None = None) -> None:
    """Write exact values: ``.npy`` with NumPy, ``.tif``/``.tiff`` with tifffile; atomic.

    ``replace`` as in :func:`atomic_write`.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".npy":
        atomic_write(path, lambda tmp: np.save(tmp, arr, allow_pickle=False), replace=replace)
    elif suffix in (".tif", ".tiff"):
        import tifffile

        # Channels as samples of one page (not one page per row): read back as (H, W, C).
        photometric = "rgb" if arr.ndim == 3 and arr.shape[2] in (3, 4) else "minisblack"
        atomic_write(
            path,
            lambda tmp: tifffile.imwrite(tmp, arr, photometric=photometric, planarconfig="contig"),
            replace=replace,
        )
    else:
        raise ValueError(f"`path` must end in .npy, .tif or .tiff for exact values; got {path}")


# A PNG text chunk naming the display mapping of a picture that `convlens filter` drew.
DISPLAY_KEY = "convlens-display"


def write_image(
    path: str | os.PathLike,
    img: np.ndarray,
    *,
    replace: bool | None = None,
    display: str | None = None,
) -> None:
    """Write a displayable image (uint8/uint16) with imageio; atomic.

    ``replace`` as in :func:`atomic_write`. ``display`` names the mapping that made the
    picture (``"diverging"``, ...); a PNG records it, so that :func:`read_image` can refuse
    to take a colour-mapped picture of signed values for the values themselves.
    """
    import imageio.v3 as iio

    ext = Path(path).suffix
    extra: dict[str, Any] = {}
    if display is not None and ext.lower() == ".png":
        from PIL.PngImagePlugin import PngInfo

        extra["pnginfo"] = PngInfo()
        extra["pnginfo"].add_text(DISPLAY_KEY, display)
    atomic_write(path, lambda tmp: iio.imwrite(tmp, img, extension=ext, **extra), replace=replace)


def _check_not_a_display(p: Path, data: bytes) -> None:
    """A diverging colour map is a picture of signed values, not the values: refuse it."""
    head = data[: max(data.find(b"IDAT"), 0)]
    if (DISPLAY_KEY.encode() + b"\x00diverging") in head:
        raise ValueError(
            f"{p} is a picture of a signed result drawn by convlens filter (a diverging "
            "colour map), not its values; filter to .tif or .npy to keep the values"
        )


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

    from .kernels import MAX_SIDE, as_kernel

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"kernel file not found: {p}")
    if p.suffix.lower() == ".npy":
        info = decoded_shape(p)
        if info is not None and (len(info[0]) != 2 or max(info[0], default=0) > MAX_SIDE):
            raise ValueError(
                f"kernel in {p} must be 2-D with sides up to {MAX_SIDE}; got shape {info[0]}"
            )
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
