"""The direct engine: compiled loops over output rows, taps outside, pixels inside.

For each output row and each kernel tap ``(a, b)`` the kernel adds
``K[a, b] * X[r_a, j*s_w + b*d_w - left]`` to the whole row; the row stays in L1 cache, the
pixel loop is unit-stride and vectorises, and rows run in parallel (numba ``prange``). Four
taps share one pass over the row, which cuts the loads and stores of the accumulator.

Borders are not copied: padded row and column indices map to source indices through
:func:`index_map` (numpy.pad's rule on ``arange``), so a 3x3 "same" filter reads the image
once and writes the output once. Every shape of the contract is supported (batches,
channels, groups, stride, dilation); the planner sends wide channel counts to torch.

8-bit integer images are read as they are, each value widened to the compute dtype inside
the loop (no float copy of the image).

Accuracy: float32 results accumulate in float32 with fused multiply-adds, so each output is
within ``kh * kw`` roundings of the exact sum; NaN and infinity propagate as in the
reference (no ``fastmath`` beyond ``contract``).
"""

from __future__ import annotations

import functools

import numpy as np

from .._checks import Pads
from . import outputs
from ._gen_direct import BLOCK, MAX_W, rows_per_pass
from .base import NARROW_INTS, Engine, Problem, numba_threads, run_rows, threads_for


def index_map(n: int, before: int, after: int, boundary: str) -> np.ndarray:
    """Source index of every padded position along one axis; ``-1`` for constant fill.

    Examples
    --------
    >>> index_map(3, 2, 1, "reflect").tolist()
    [2, 1, 0, 1, 2, 1]
    >>> index_map(3, 1, 1, "constant").tolist()
    [-1, 0, 1, 2, -1]
    """
    if boundary == "constant":
        return np.concatenate([np.full(before, -1), np.arange(n), np.full(after, -1)]).astype(
            np.int64
        )
    return np.pad(np.arange(n, dtype=np.int64), (before, after), mode=boundary)


@functools.lru_cache(maxsize=512)
def _shared_map(n: int, before: int, after: int, boundary: str) -> np.ndarray:
    m = index_map(n, before, after, boundary)
    m.flags.writeable = False  # shared between calls
    return m


def maps(p: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Row and column index maps of the padded image of ``p`` (read-only, cached).

    Building them with ``np.pad`` costs about 20 us a call, as much as filtering a
    128x128 image; calls with the same shapes and padding share them.
    """
    (t, b), (l, r) = p.pads
    H, W = p.X.shape[-2:]
    return _shared_map(H, t, b, p.boundary), _shared_map(W, l, r, p.boundary)


def interior(n: int, pads: Pads, axis: int, k: int, s: int, d: int, n_out: int) -> tuple:
    """Output indices ``[lo, hi)`` whose whole window lies inside the image on ``axis``."""
    before = pads[axis][0]
    lo = -(-before // s)
    hi = (n - 1 + before - (k - 1) * d) // s + 1
    lo = min(max(lo, 0), n_out)
    return lo, max(min(hi, n_out), lo)


def macs(p: Problem) -> float:
    """Multiply-adds of the direct method on ``p``."""
    n, o = p.X.shape[0], p.K.shape[0]
    return float(n * o * p.out_shape[0] * p.out_shape[1] * p.K[0].size)


def passes(p: Problem) -> int:
    """Passes over one output row per input channel (the planner's per-row overhead).

    Examples
    --------
    >>> from convlens.contract import make_problem, normalize
    >>> spec = normalize((9, 9), (7, 7), padding="same", boundary="reflect", value=0.0,
    ...                  stride=1, dilation=1, groups=1)
    >>> passes(make_problem(np.zeros((9, 9)), np.ones((7, 7)), spec, np.float64))
    3
    """
    kh, kw = p.kernel_shape
    if p.stride == (1, 1) and p.dilation == (1, 1) and kw <= MAX_W:
        r = rows_per_pass(kw)
        return kh // r + kh % r
    return kh * -(-kw // 4)


def one_row_per_pass(p: Problem) -> bool:
    """Whether ``p`` runs one kernel row per pass over the output (wide kernels, or the
    generic loop for stride and dilation): about 3x slower per multiply-add."""
    kw = p.kernel_shape[1]
    fast = p.stride == (1, 1) and p.dilation == (1, 1) and kw <= MAX_W
    return not fast or rows_per_pass(kw) == 1


def run(p: Problem) -> np.ndarray:
    from . import _jit

    if _needs_widening(p):
        # Rows wholly in the padding are read from a row of `value` in X's own dtype.
        p = p.widened()
    Y = p.output()
    loop = _unit_stride_loop(p, p.K)
    if loop is not None:
        loop(p.X, Y)
        return Y
    rowmap, colmap = maps(p)
    (sh, sw), (dh, dw) = p.stride, p.dilation
    j_lo, j_hi = interior(p.X.shape[-1], p.pads, 1, p.K.shape[-1], sw, dw, p.out_shape[1])
    pl = p.pads[1][0]
    with numba_threads(threads_for(macs(p))):
        _jit.direct(p.X, p.K, rowmap, colmap, p.value, sh, sw, dh, dw, pl, p.groups, j_lo, j_hi, Y)
    return Y


def prepare(p: Problem):
    """:func:`run` for the stride-1 loops as a function of X alone, for repeated calls:
    the index maps, interior, loop and kernel are worked out once (on 256^2 3x3 float32
    that was 8 us of a 45 us call). None where :func:`run` would widen X first, or for
    stride, dilation or wide kernels."""
    if p.out is not None or _needs_widening(p):
        return None
    K = p.K.copy()  # the caller's kernel may change after this call; the key holds its bytes
    loop = _unit_stride_loop(p, K)
    if loop is None:
        return None
    shape = (p.X.shape[0], K.shape[0], *p.out_shape)

    def runner(X: np.ndarray) -> np.ndarray:
        Y = outputs.empty(shape, K.dtype)
        loop(X, Y)
        return Y

    return runner


def _needs_widening(p: Problem) -> bool:
    """Whether the loops cannot read ``p``'s 8-bit X as it is (another integer type, or a
    constant ``value`` its dtype cannot hold)."""
    return p.narrow_input and (
        p.X.dtype not in NARROW_INTS
        or (p.boundary == "constant" and not _holds(p.X.dtype, p.value))
    )


def _unit_stride_loop(p: Problem, K: np.ndarray):
    """``loop(X, Y)``: the generated loop for ``p`` with kernel ``K`` (stride and dilation
    1, at most ``MAX_W`` columns), its maps, interior and fill row worked out here; None
    for other problems."""
    from . import _jit_direct

    kw = K.shape[-1]
    if (p.stride, p.dilation) != ((1, 1), (1, 1)) or kw > MAX_W:
        return None
    rowmap, colmap = maps(p)
    j_lo, j_hi = interior(p.X.shape[-1], p.pads, 1, kw, 1, 1, p.out_shape[1])
    crow = _fill_row(p.X.shape[-1], p.value if p.boundary == "constant" else 0.0, p.X.dtype)
    fn = getattr(_jit_direct, f"direct_w{kw}")
    par = getattr(_jit_direct, f"pdirect_w{kw}")
    total = p.X.shape[0] * K.shape[0] * -(-p.out_shape[0] // BLOCK)
    work = macs(p)
    rest = (p.value, p.pads[1][0], p.groups, j_lo, j_hi, crow)

    def loop(X: np.ndarray, Y: np.ndarray) -> None:
        run_rows(fn, (X, K, rowmap, colmap, *rest, Y), total, work, par)

    return loop


@functools.lru_cache(maxsize=64)
def _fill_row(n: int, value: float, dtype: np.dtype) -> np.ndarray:
    """A row of ``value`` that padding rows are read from; shared, never written."""
    return np.full(n, value, dtype)


def _holds(dtype: np.dtype, value: float) -> bool:
    info = np.iinfo(dtype)
    return float(value).is_integer() and info.min <= value <= info.max


def supports(p: Problem) -> bool:
    return p.K.dtype in (np.float32, np.float64) and (
        p.X.dtype == p.K.dtype or p.X.dtype.kind in "iu"
    )


ENGINE = Engine(
    "direct",
    run,
    supports,
    description="numba loops, parallel over rows, no padded copy; any shape",
    int_input=True,
    prepare=prepare,
)
