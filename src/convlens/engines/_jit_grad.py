"""The numba kernel behind :func:`convlens.engines.grad.weight_grad` (the direct method).

Kept apart from :mod:`convlens.engines.grad` so that importing that module (and planning a
gradient) never pays for ``import numba``.

Floating point: unlike the correlation kernels in ``_jit``, each tap here is a *dot product*
of a row of the padded input with a row of the output gradient. LLVM vectorises a float
reduction only if it may reassociate it, so this kernel allows ``reassoc`` (plus
``contract``). The sum of one row runs in the input's dtype in SIMD lanes, and rows are
accumulated in float64, which keeps float32 results within a few ulps of torch's. NaN and
infinity still propagate (no ``nnan``/``ninf``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_FM = {"contract", "reassoc"}


@njit(cache=True, nogil=True, fastmath=_FM)
def _row_dot(xr, gr, off, sw, n, zero):
    s = zero
    if sw == 1:
        xs = xr[off : off + n]
        for j in range(n):
            s += xs[j] * gr[j]
    else:
        for j in range(n):
            s += xr[off + j * sw] * gr[j]
    return s


@njit(cache=True, nogil=True, fastmath=_FM)
def weight_grad_units(Xp, G, part, sh, sw, dh, dw, groups, n_blocks, zero, u0, u1):
    """Units ``[u0, u1)`` of the weight gradient into ``part``, without the GIL.

    A unit is ``(block, o, c, a)``: kernel row ``a`` of the channel pair ``(o, c)``, over
    output rows ``block::n_blocks`` of every image of the batch. Each unit writes its own
    ``part[block, o, c, a, :]``, so units run on any thread in any order; the caller sums
    ``part`` over blocks.
    """
    N = Xp.shape[0]
    C_out, Ho, Wo = G.shape[1], G.shape[2], G.shape[3]
    cin_g, kh, kw = part.shape[2], part.shape[3], part.shape[4]
    cout_g = C_out // groups
    acc = np.zeros(kw, dtype=np.float64)
    for u in range(u0, u1):
        a = u % kh
        rest = u // kh
        c = rest % cin_g
        rest //= cin_g
        o = rest % C_out
        blk = rest // C_out
        ci = (o // cout_g) * cin_g + c
        acc[:] = 0.0
        i0, i1 = blk * Ho // n_blocks, (blk + 1) * Ho // n_blocks
        for n in range(N):
            for i in range(i0, i1):
                xr = Xp[n, ci, i * sh + a * dh]
                gr = G[n, o, i]
                for b in range(kw):
                    acc[b] += _row_dot(xr, gr, b * dw, sw, Wo, zero)
        for b in range(kw):
            part[blk, o, c, a, b] = acc[b]
