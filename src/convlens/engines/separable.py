"""The separable / low-rank engine: ``K = sum_r u_r v_r^T`` by SVD, two 1-D passes per term.

A ``kh x kw`` kernel of numerical rank ``r`` costs ``r * (kh + kw)`` multiply-adds per
output instead of ``kh * kw``: Gaussian, box, Sobel and Prewitt kernels are rank 1, a
Laplacian of Gaussian is rank 2. Each term runs a row pass (``v``) into a buffer that holds
only the rows one tile of output rows needs (a few hundred KiB, so it stays in cache) and a
column pass (``u``) from that buffer into the output.

Numerical rank: singular values ``s_i`` with ``s_i > rtol * s_0`` are kept, where
``rtol = max(kh, kw) * eps`` of the compute dtype (NumPy's ``matrix_rank`` rule). The terms
dropped change each output by at most ``sum_{dropped} s_i * ||window||_2``, which is below
one rounding of the result; the SVD runs in float64, whatever the compute dtype.

NaN and infinity in ``X`` (or a non-finite fill ``value``) go to the direct engine, which
keeps the reference's non-finite pattern: two passes would turn ``inf`` into ``inf - inf``.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .base import Engine, Problem, run_rows
from .direct import maps
from .direct import run as direct_run

# SVDs of recently seen kernels, keyed by their bytes: the planner and the engine both ask.
_CACHE: OrderedDict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
_CACHE_SIZE = 64
# Beyond this many 2-D kernels in K (C_out * C_in/groups) the SVDs cost more than they save.
MAX_KERNELS = 64


def factorize(K: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Low-rank factors of every 2-D kernel in ``K (O, Cg, kh, kw)``.

    Returns ``ranks (O, Cg)``, ``U (O, Cg, R, kh)`` and ``V (O, Cg, R, kw)`` in K's dtype,
    with ``R`` the largest rank and zero padding for kernels of smaller rank, so that
    ``K[o, c] ~= sum_r outer(U[o, c, r], V[o, c, r])``.

    Examples
    --------
    >>> g = np.array([1.0, 2.0, 1.0])
    >>> ranks, U, V = factorize(np.outer(g, g)[None, None])
    >>> int(ranks.max()), np.allclose(np.outer(U[0, 0, 0], V[0, 0, 0]), np.outer(g, g))
    (1, True)
    """
    key = (K.shape, K.dtype.str, K.tobytes())
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    O, Cg, kh, kw = K.shape
    u, s, vt = np.linalg.svd(K.astype(np.float64).reshape(O * Cg, kh, kw), full_matrices=False)
    rtol = max(kh, kw) * np.finfo(K.dtype).eps
    keep = s > rtol * s[:, :1]
    ranks = keep.sum(axis=1)
    R = max(int(ranks.max()), 1)
    root = np.sqrt(s[:, :R] * keep[:, :R])
    U = (u[:, :, :R] * root[:, None, :]).transpose(0, 2, 1)
    V = vt[:, :R, :] * root[:, :, None]
    out = (
        ranks.reshape(O, Cg),
        np.ascontiguousarray(U.reshape(O, Cg, R, kh), dtype=K.dtype),
        np.ascontiguousarray(V.reshape(O, Cg, R, kw), dtype=K.dtype),
    )
    _CACHE[key] = out
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out


def rank(K: np.ndarray) -> int:
    """The largest numerical rank among the 2-D kernels of ``K (O, Cg, kh, kw)``."""
    return int(factorize(K)[0].max())


def tile_rows(p: Problem, cache_bytes: int = 1 << 21, tasks: int = 8, reaches: int = 4) -> int:
    """Output rows per tile: the row-pass buffer fits ``cache_bytes``, and there are at
    least ``tasks`` tiles to share among threads.

    Each tile's row pass also covers the ``reach = (kh - 1) * dh`` rows below it, so a
    tile of at least ``reaches`` reaches recomputes at most 1/``reaches`` of its rows.
    Measured (stop 17): from 512 KB and 2 reaches to 2 MB (this machine's L2 per core) and
    4 reaches, 31x31 LoG on 1000x1500 went from 16.2 to 13.9 ms in float64 and from 7.7 to
    6.6 ms in float32, a 15x15 Gaussian on 2048^2 float32 from 8.2 to 6.9 ms; 512^2 images
    did not move (the ``tasks`` cap decides there).
    """
    Ho, Wo = p.out_shape
    sh, dh = p.stride[0], p.dilation[0]
    reach = (p.K.shape[2] - 1) * dh
    rows = cache_bytes // max(Wo * p.X.dtype.itemsize, 1)
    tile = max((rows - reach) // sh, reaches * reach // sh, 8)
    per_task = -(-Ho * p.X.shape[0] * p.K.shape[0] // tasks)
    return int(max(1, min(tile, per_task, Ho)))


def run(p: Problem) -> np.ndarray:
    from . import _jit

    # Two passes turn one inf into inf - inf = NaN wherever the factors' terms differ in
    # sign (or one of them is zero), where the direct sum gives +-inf. The row pass sums
    # the input rows it reads (sums[t], per tile); a NaN or inf among them, or a finite
    # sum that overflows, sends the problem to the direct engine, which is never wrong. (A
    # separate sum over X was 1-1.5 ms of a 12 ms 31x31 LoG on 1000x1500 float64.)
    if not np.isfinite(p.value):
        return direct_run(p)
    _, U, V = factorize(p.K)
    rowmap, colmap = maps(p)
    (sh, sw), (dh, dw) = p.stride, p.dilation
    Ho, Wo = p.out_shape
    Y = p.output()
    work = Y.size * p.K.shape[1] * U.shape[2] * (U.shape[3] + V.shape[3])
    tile = tile_rows(p)
    total = Y.shape[0] * Y.shape[1] * -(-Ho // tile)
    sums = np.zeros(total)
    args = (
        p.X, U, V, rowmap, colmap, p.value, sh, sw, dh, dw, p.pads[1][0], p.groups, tile, Y,
        sums,
    )  # fmt: skip
    run_rows(_jit.separable, args, total, work, _jit.psseparable)
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(sums.sum()):
            return direct_run(p)
    return Y


def supports(p: Problem) -> bool:
    return (
        p.X.dtype in (np.float32, np.float64)
        and p.K.shape[0] * p.K.shape[1] <= MAX_KERNELS
        and bool(np.isfinite(p.K).all())
    )


ENGINE = Engine(
    "separable",
    run,
    supports,
    description="SVD low-rank factors, a row pass and a column pass per term (numba)",
)

__all__ = ["ENGINE", "factorize", "rank"]
