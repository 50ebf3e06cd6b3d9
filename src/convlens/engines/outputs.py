"""Large outputs in recycled memory: a fresh 64 MB result costs more than filtering it.

The kernel zeroes every page of a new mapping on first touch, and glibc maps each block
above 32 MB afresh and unmaps it on ``free``. On 4096^2 float32 a 3x3 filter into a new
array took 17-18 ms where ``np.copyto`` into an existing one takes 9-10 ms: ``X.copy()``
alone takes 15-17 ms, the page faults of its output.

:func:`empty` keeps the anonymous mappings of the last few large outputs. When every array
that used one is gone (only this pool refers to it), the next output of a size it holds
reuses it, already faulted in, as jemalloc or tcmalloc keep freed pages for the next
allocation. A loop that filters, saves and drops each result reuses two mappings in
turn (the previous result is still bound while the next call runs); a loop that keeps
every result gets new memory each time, as before, and the pool holds at most ``KEEP``
mappings of at most ``MAX_BYTES`` in all.
"""

from __future__ import annotations

import math
import mmap
import sys
import threading

import numpy as np

__all__ = ["MIN_BYTES", "empty", "release"]

MIN_BYTES = 16 << 20  # below this, glibc's heap reuses freed blocks itself
KEEP = 3
MAX_BYTES = 768 << 20

_POOL: list[mmap.mmap] = []
_LOCK = threading.Lock()


def _unused(i: int) -> bool:
    # References to _POOL[i]: the list's and getrefcount's argument. Any array on this
    # memory (or a view of one) holds one more, through its base chain.
    return sys.getrefcount(_POOL[i]) <= 2


def empty(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An uninitialised C-contiguous array, like ``np.empty``, in recycled memory when large.

    Examples
    --------
    >>> a = empty((2, 3), np.float32)
    >>> a.shape, a.dtype, a.flags.c_contiguous
    ((2, 3), dtype('float32'), True)
    """
    dtype = np.dtype(dtype)
    count = math.prod(shape)
    nbytes = count * dtype.itemsize
    if nbytes < MIN_BYTES:
        return np.empty(shape, dtype)
    with _LOCK:
        mm = _take(nbytes)
    if mm is None:
        return np.empty(shape, dtype)
    return np.frombuffer(mm, dtype, count).reshape(shape)


def _take(nbytes: int) -> mmap.mmap | None:
    for i in range(len(_POOL)):
        # Same size class: at most a quarter more than asked for.
        if nbytes <= len(_POOL[i]) <= nbytes + nbytes // 4 and _unused(i):
            _POOL.append(_POOL.pop(i))  # most recently used last
            return _POOL[-1]
    # A new mapping, if unused ones can make room for it.
    while _POOL and (len(_POOL) >= KEEP or sum(map(len, _POOL)) + nbytes > MAX_BYTES):
        free = [i for i in range(len(_POOL)) if _unused(i)]
        if not free:
            return None  # every kept mapping is still in use: plain memory
        _POOL.pop(free[0]).close()
    if nbytes > MAX_BYTES:
        return None
    mm = mmap.mmap(-1, nbytes)
    if hasattr(mmap, "MADV_HUGEPAGE"):  # 2 MB pages where the kernel allows them on request
        mm.madvise(mmap.MADV_HUGEPAGE)
    _POOL.append(mm)
    return mm


def release() -> int:
    """Give back every kept mapping that no array uses (the others stay until freed), and
    return how many bytes that was. ``memory.check`` calls it before it refuses a call."""
    freed = 0
    with _LOCK:
        for i in reversed(range(len(_POOL))):
            if _unused(i):
                mm = _POOL.pop(i)
                freed += len(mm)
                mm.close()
    return freed
