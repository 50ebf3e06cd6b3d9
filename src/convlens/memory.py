"""Peak-memory estimates, checked before anything large is allocated.

A call that cannot fit should fail at once with a clear ``MemoryError``, not after minutes
of swapping or at the hands of the kernel's OOM killer. :func:`corr2d_peak` is the
documented upper bound of what one in-memory ``corr2d``/``conv2d`` call allocates (NumPy
arrays; the tests check it with ``tracemalloc``), and :func:`check` compares a number of
bytes with :func:`available_bytes` and, when it does not fit, raises a ``MemoryError`` that
names the size, the argument responsible and the way out: a Dask array, or ``--chunks`` on
the command line, which stream the image in bounded memory.

Everything here is arithmetic on shapes; the available memory is read from ``/proc`` at
most once a second, so a check costs about a microsecond.
"""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Sequence

import numpy as np

# Re-read the available memory at most this often (seconds).
_TTL = 1.0
_cache: list[float] = [-math.inf, 0.0]  # [monotonic time read, bytes]

WAY_OUT = (
    "pass a Dask array (dask.array.from_array(X, chunks=4096)) to stream it in bounded "
    "memory, or use `convlens filter --chunks 4096`"
)


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_available() -> int | None:
    """What a cgroup (v2) memory limit leaves, if there is one."""
    try:
        with open("/sys/fs/cgroup/memory.max", "rb") as f:
            text = f.read().strip()
        if text == b"max":
            return None
        with open("/sys/fs/cgroup/memory.current", "rb") as f:
            used = int(f.read().strip())
        return max(int(text) - used, 0)
    except (OSError, ValueError):
        return None


def _rlimit_available() -> int | None:
    """What ``ulimit -v`` (RLIMIT_AS) leaves of the address space."""
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return None
        with open("/proc/self/statm", "rb") as f:
            size_pages = int(f.read().split()[0])
        return max(soft - size_pages * os.sysconf("SC_PAGE_SIZE"), 0)
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _read_available() -> int:
    candidates = [_meminfo_available(), _cgroup_available(), _rlimit_available()]
    known = [c for c in candidates if c is not None]
    if not known:
        try:
            known = [os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")]
        except (OSError, ValueError, AttributeError):
            return 2**62  # unknown platform: do not refuse anything
    return min(known)


def available_bytes() -> int:
    """Memory this process can still allocate: the least of the machine's available memory
    (``MemAvailable``), a cgroup limit and ``ulimit -v``; re-read at most once a second.

    Examples
    --------
    >>> available_bytes() > 0
    True
    """
    now = time.monotonic()
    if now - _cache[0] > _TTL:
        _cache[1] = float(_read_available())
        _cache[0] = now
    return int(_cache[1])


def nbytes(shape: Sequence[int], dtype: np.dtype | type | str) -> int:
    """Bytes of an array of ``shape`` and ``dtype``, in exact integer arithmetic.

    Examples
    --------
    >>> nbytes((60000, 60000), np.uint8)
    3600000000
    """
    return math.prod(int(n) for n in shape) * np.dtype(dtype).itemsize


def human(n: float) -> str:
    """``3.4 GiB``, ``512 MiB``, ``12 KiB``.

    Examples
    --------
    >>> human(30 * 2**30), human(1536)
    ('30.0 GiB', '1.5 KiB')
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def corr2d_peak(
    x_shape: Sequence[int],
    x_dtype: np.dtype,
    k_shape: Sequence[int],
    out_shape: Sequence[int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    dtype: np.dtype,
    method: str = "auto",
) -> int:
    """Upper bound, in bytes, of what one in-memory ``corr2d`` allocates.

    All shapes are 4-D tuples of ints (``X (N, C_in, H, W)``, ``K (C_out, C_in/g, kh,
    kw)``, output ``(N, C_out, H', W')``); the dtypes are ``np.dtype`` objects, ``dtype``
    the result's. Python ints do not overflow, so a huge shape gives a huge number. The
    sum of:

    - the cast of ``X`` to ``dtype`` (uint8 becomes float32: four times the bytes), when
      the dtypes differ;
    - the padded input, ``N * C_in * (H + p_h) * (W + p_w)`` elements of ``dtype``;
    - the output;
    - for ``method="numpy"`` and ``"auto"``: two more outputs (the NumPy engine's
      accumulator and its per-tap products);
    - for ``method="fft"``, and for ``"auto"`` with a kernel of more than 49 taps (where
      the planner may choose an FFT): six more padded inputs' worth of bytes, at the
      larger channel count, for the spectra and the inverse transform.

    Small bookkeeping (index maps of ``H' + W'`` ints, plan objects) is not counted; the
    tests allow 64 KiB for it.

    Examples
    --------
    >>> p = corr2d_peak((1, 1, 100, 100), np.dtype(np.uint8), (1, 1, 3, 3),
    ...                 (1, 1, 100, 100), ((1, 1), (1, 1)), np.dtype(np.float32), "direct")
    >>> p == 4 * (100 * 100 + 102 * 102 + 100 * 100)  # cast, padded, output
    True
    """
    n, c_in, h, w = x_shape
    c_out, _, kh, kw = k_shape
    item = dtype.itemsize
    (top, bottom), (left, right) = pads
    padded = n * c_in * (h + top + bottom) * (w + left + right) * item
    out = out_shape[0] * out_shape[1] * out_shape[2] * out_shape[3] * item
    peak = padded + out
    if x_dtype != dtype:
        peak += n * c_in * h * w * item
    if method in ("numpy", "auto"):
        peak += 2 * out  # the NumPy engine's accumulator and per-tap products
    if method == "fft" or (method == "auto" and kh * kw > 49):
        peak += 6 * padded * max(c_in, c_out) // max(c_in, 1)
    return peak


def check(need: int, what: str, argument: str, way_out: str = WAY_OUT) -> None:
    """Raise ``MemoryError`` if ``need`` bytes exceed :func:`available_bytes`.

    The message names the size, what needs it, the argument responsible and the way out.

    Examples
    --------
    >>> check(1024, "a test", "X")
    >>> check(2**70, "corr2d on X of shape (2**35, 2**35)", "X")
    Traceback (most recent call last):
    ...
    MemoryError: corr2d on X of shape (2**35, 2**35) needs about 1.0 ZiB...
    """
    avail = available_bytes()
    if need <= avail:
        return
    from .engines import outputs

    if outputs.release():  # recycled outputs that no array uses go back first
        _cache[0] = -math.inf
        avail = available_bytes()
        if need <= avail:
            return
    size = human(need) if need < 2**60 else f"{need / 2**70:.1f} ZiB"
    raise MemoryError(
        f"{what} needs about {size} but only {human(avail)} is available (argument "
        f"`{argument}`); {way_out}"
    )


def check_corr2d(
    x_shape: Sequence[int],
    x_dtype: np.dtype,
    k_shape: Sequence[int],
    out_shape: Sequence[int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    dtype: np.dtype,
    method: str = "auto",
) -> None:
    """:func:`check` of :func:`corr2d_peak`, blaming ``padding`` when the padding is what
    makes the problem big (it more than doubles the image), else ``X``.

    Examples
    --------
    >>> f32 = np.dtype(np.float32)
    >>> check_corr2d((1, 1, 8, 8), f32, (1, 1, 3, 3), (1, 1, 6, 6), ((0, 0), (0, 0)), f32)
    >>> check_corr2d((1, 1, 8, 8), f32, (1, 1, 3, 3), (1, 1, 10**9, 10**9),
    ...              ((10**9, 0), (10**9, 0)), f32)
    Traceback (most recent call last):
    ...
    MemoryError: corr2d ... needs about ... (argument `padding`); ...
    """
    need = corr2d_peak(x_shape, x_dtype, k_shape, out_shape, pads, dtype, method)
    now = time.monotonic()
    if now - _cache[0] <= _TTL and need <= _cache[1]:
        return  # the common case, without a function call more
    if need <= available_bytes():
        return
    h, w = int(x_shape[2]), int(x_shape[3])
    grown = (h + pads[0][0] + pads[0][1]) * (w + pads[1][0] + pads[1][1])
    argument = "padding" if grown > 2 * h * w else "X"
    shape = tuple(int(v) for v in x_shape)
    what = f"corr2d on X of shape {shape} ({np.dtype(x_dtype)}) with padding {pads}"
    check(need, what, argument, WAY_OUT if argument == "X" else LESS_PADDING)


# Graph, scheduler state and the write task of one output block of a Dask call, measured
# at about 1.3 KiB for the graph alone (tracemalloc), times a margin for the scheduler.
BLOCK_OVERHEAD = 16 * 1024
# At most this many output blocks per axis by default: beyond, the blocks grow instead.
MAX_BLOCKS_PER_AXIS = 256
LESS_PADDING = "use less padding: the padded output alone is that big"


def bounded_blocks(out_shape: Sequence[int], size: Sequence[int]) -> tuple[int, int]:
    """Output block sides, grown where needed so that no axis has more than
    :data:`MAX_BLOCKS_PER_AXIS` blocks (huge padding around a small image, say).

    Examples
    --------
    >>> bounded_blocks((40064, 40080), (64, 80))
    (157, 157)
    >>> bounded_blocks((4096, 4096), (512, 512))
    (512, 512)
    """
    return tuple(  # type: ignore[return-value]
        max(int(s), -(-int(n) // MAX_BLOCKS_PER_AXIS)) for n, s in zip(out_shape, size)
    )


def check_dask(
    x_shape: Sequence[int],
    x_chunks: Sequence[Sequence[int]],
    k_shape: Sequence[int],
    out_shape: Sequence[int],
    out_size: Sequence[int],
    pads: tuple[tuple[int, int], tuple[int, int]],
    dtype: np.dtype,
) -> None:
    """Refuse a Dask ``corr2d`` whose graph, index maps or single block cannot fit.

    The graph costs :data:`BLOCK_OVERHEAD` per output block; the index maps 8 bytes per
    padded row and column; one block holds its padded input region and its output.

    Examples
    --------
    >>> f32 = np.dtype(np.float32)
    >>> check_dask((1, 1, 64, 80), ((1,), (1,), (64,), (80,)), (1, 1, 3, 3), (66, 82),
    ...            (64, 80), ((2, 2), (2, 2)), f32)
    >>> check_dask((1, 1, 64, 80), ((1,), (1,), (64,), (80,)), (1, 1, 3, 3),
    ...            (2 * 10**9, 2 * 10**9), (64, 80), ((10**9, 10**9), (10**9, 10**9)), f32)
    Traceback (most recent call last):
    ...
    MemoryError: corr2d on a Dask array ... (argument `padding`); use less padding...
    """
    n_chunks = len(x_chunks[0])
    blocks = n_chunks * -(-int(out_shape[0]) // out_size[0]) * -(-int(out_shape[1]) // out_size[1])
    maps = 8 * sum(int(x_shape[2 + ax]) + pads[ax][0] + pads[ax][1] for ax in range(2))
    n, c_in, c_out = max(x_chunks[0]), int(x_shape[1]), int(k_shape[0])
    reach = [int(out_size[ax]) + int(k_shape[2 + ax]) for ax in range(2)]
    block = n * (c_in * reach[0] * reach[1] + c_out * out_size[0] * out_size[1])
    need = blocks * BLOCK_OVERHEAD + maps + block * np.dtype(dtype).itemsize
    if need <= available_bytes():
        return
    h, w = int(x_shape[2]), int(x_shape[3])
    padded = (h + pads[0][0] + pads[0][1]) * (w + pads[1][0] + pads[1][1])
    argument = "padding" if padded > 2 * h * w else "out_chunks"
    way_out = LESS_PADDING if argument == "padding" else "use larger output chunks"
    what = (
        f"corr2d on a Dask array of shape {tuple(int(v) for v in x_shape)} with padding "
        f"{pads} ({blocks} output blocks of {tuple(out_size)})"
    )
    check(need, what, argument, way_out)
