"""Direct-correlation kernels specialised per kernel width: GENERATED, do not edit.

Written by ``python -m convlens.engines._gen_direct`` (see that module for the why).
Stride 1 and dilation 1 only; ``direct_w{W}`` handles kernels of width ``W``, for a range
of blocks of output rows, without the GIL (the caller spreads block ranges over threads).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._jit import _FM, _border_block, fetch_add


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w1_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        for j in range(n_in):
            ys[j] = k0_0 * s0_0[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w1_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        for j in range(n_in):
            ys[j] += k0_0 * s0_0[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w1_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k1_0 = Kc[a + 1, 0]
    k2_0 = Kc[a + 2, 0]
    k3_0 = Kc[a + 3, 0]
    k4_0 = Kc[a + 4, 0]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j] + k1_0 * s1_0[j] + k2_0 * s2_0[j] + k3_0 * s3_0[j] + k4_0 * s4_0[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w1_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k1_0 = Kc[a + 1, 0]
    k2_0 = Kc[a + 2, 0]
    k3_0 = Kc[a + 3, 0]
    k4_0 = Kc[a + 4, 0]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j] + k1_0 * s1_0[j] + k2_0 * s2_0[j] + k3_0 * s3_0[j] + k4_0 * s4_0[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w1(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 1.

    Interior columns: 5 kernel rows (5 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 5 if kh - a >= 5 else 1
                if first:
                    if r == 5:
                        _set_w1_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w1_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 5:
                        _add_w1_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w1_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w1(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w1`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w1(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w1(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w1`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w1(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w2_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        for j in range(n_in):
            ys[j] = k0_0 * s0_0[j] + k0_1 * s0_1[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w2_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        for j in range(n_in):
            ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w2_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        s4_1 = x4[off + 1 : off + 1 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k4_0 * s4_0[j]
                + k4_1 * s4_1[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w2_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        s4_1 = x4[off + 1 : off + 1 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k4_0 * s4_0[j]
                + k4_1 * s4_1[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w2(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 2.

    Interior columns: 5 kernel rows (10 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 5 if kh - a >= 5 else 1
                if first:
                    if r == 5:
                        _set_w2_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w2_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 5:
                        _add_w2_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w2_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w2(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w2`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w2(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w2(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w2`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w2(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w3_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        for j in range(n_in):
            ys[j] = k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w3_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        for j in range(n_in):
            ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w3_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w3_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w3(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 3.

    Interior columns: 3 kernel rows (9 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 3 if kh - a >= 3 else 1
                if first:
                    if r == 3:
                        _set_w3_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w3_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 3:
                        _add_w3_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w3_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w3(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w3`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w3(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w3(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w3`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w3(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w4_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        for j in range(n_in):
            ys[j] = k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j] + k0_3 * s0_3[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w4_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        for j in range(n_in):
            ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j] + k0_3 * s0_3[j]


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+3."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        s3_2 = x3[off + 2 : off + 2 + n_in]
        s3_3 = x3[off + 3 : off + 3 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k3_2 * s3_2[j]
                + k3_3 * s3_3[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+3."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        s3_2 = x3[off + 2 : off + 2 + n_in]
        s3_3 = x3[off + 3 : off + 3 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k3_2 * s3_2[j]
                + k3_3 * s3_3[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+3."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 3]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 3]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 3]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 3]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4 = x4[off : off + n_in + 3]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v4_0 = s4[j + 0]
            v4_1 = s4[j + 1]
            v4_2 = s4[j + 2]
            v4_3 = s4[j + 3]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k3_0 * v3_0
                + k3_1 * v3_1
                + k3_2 * v3_2
                + k3_3 * v3_3
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k3_0 * v4_0
                + k3_1 * v4_1
                + k3_2 * v4_2
                + k3_3 * v4_3
            )
        i += 2
    if i < i1:
        _set_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+3."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 3]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 3]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 3]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 3]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4 = x4[off : off + n_in + 3]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v4_0 = s4[j + 0]
            v4_1 = s4[j + 1]
            v4_2 = s4[j + 2]
            v4_3 = s4[j + 3]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k3_0 * v3_0
                + k3_1 * v3_1
                + k3_2 * v3_2
                + k3_3 * v3_3
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k3_0 * v4_0
                + k3_1 * v4_1
                + k3_2 * v4_2
                + k3_3 * v4_3
            )
        i += 2
    if i < i1:
        _add_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w4(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 4.

    Interior columns: 4 kernel rows (16 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 4 if kh - a >= 4 else 1
                if first:
                    if r == 4:
                        _set2_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w4_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 4:
                        _add2_w4_r4(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w4_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w4(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w4`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w4(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w4(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w4`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w4(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w5_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j] + k0_3 * s0_3[j] + k0_4 * s0_4[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w5_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j] + k0_3 * s0_3[j] + k0_4 * s0_4[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    k3_4 = Kc[a + 3, 4]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    k4_2 = Kc[a + 4, 2]
    k4_3 = Kc[a + 4, 3]
    k4_4 = Kc[a + 4, 4]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        s3_2 = x3[off + 2 : off + 2 + n_in]
        s3_3 = x3[off + 3 : off + 3 + n_in]
        s3_4 = x3[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        s4_1 = x4[off + 1 : off + 1 + n_in]
        s4_2 = x4[off + 2 : off + 2 + n_in]
        s4_3 = x4[off + 3 : off + 3 + n_in]
        s4_4 = x4[off + 4 : off + 4 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k3_2 * s3_2[j]
                + k3_3 * s3_3[j]
                + k3_4 * s3_4[j]
                + k4_0 * s4_0[j]
                + k4_1 * s4_1[j]
                + k4_2 * s4_2[j]
                + k4_3 * s4_3[j]
                + k4_4 * s4_4[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    k3_4 = Kc[a + 3, 4]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    k4_2 = Kc[a + 4, 2]
    k4_3 = Kc[a + 4, 3]
    k4_4 = Kc[a + 4, 4]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3_0 = x3[off + 0 : off + 0 + n_in]
        s3_1 = x3[off + 1 : off + 1 + n_in]
        s3_2 = x3[off + 2 : off + 2 + n_in]
        s3_3 = x3[off + 3 : off + 3 + n_in]
        s3_4 = x3[off + 4 : off + 4 + n_in]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4_0 = x4[off + 0 : off + 0 + n_in]
        s4_1 = x4[off + 1 : off + 1 + n_in]
        s4_2 = x4[off + 2 : off + 2 + n_in]
        s4_3 = x4[off + 3 : off + 3 + n_in]
        s4_4 = x4[off + 4 : off + 4 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k3_0 * s3_0[j]
                + k3_1 * s3_1[j]
                + k3_2 * s3_2[j]
                + k3_3 * s3_3[j]
                + k3_4 * s3_4[j]
                + k4_0 * s4_0[j]
                + k4_1 * s4_1[j]
                + k4_2 * s4_2[j]
                + k4_3 * s4_3[j]
                + k4_4 * s4_4[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    k3_4 = Kc[a + 3, 4]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    k4_2 = Kc[a + 4, 2]
    k4_3 = Kc[a + 4, 3]
    k4_4 = Kc[a + 4, 4]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 4]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 4]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 4]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 4]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4 = x4[off : off + n_in + 4]
        q = rowmap[i + a + 5]
        x5 = X[n, xc, q] if q >= 0 else crow
        s5 = x5[off : off + n_in + 4]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v4_0 = s4[j + 0]
            v4_1 = s4[j + 1]
            v4_2 = s4[j + 2]
            v4_3 = s4[j + 3]
            v4_4 = s4[j + 4]
            v5_0 = s5[j + 0]
            v5_1 = s5[j + 1]
            v5_2 = s5[j + 2]
            v5_3 = s5[j + 3]
            v5_4 = s5[j + 4]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k3_0 * v3_0
                + k3_1 * v3_1
                + k3_2 * v3_2
                + k3_3 * v3_3
                + k3_4 * v3_4
                + k4_0 * v4_0
                + k4_1 * v4_1
                + k4_2 * v4_2
                + k4_3 * v4_3
                + k4_4 * v4_4
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k3_0 * v4_0
                + k3_1 * v4_1
                + k3_2 * v4_2
                + k3_3 * v4_3
                + k3_4 * v4_4
                + k4_0 * v5_0
                + k4_1 * v5_1
                + k4_2 * v5_2
                + k4_3 * v5_3
                + k4_4 * v5_4
            )
        i += 2
    if i < i1:
        _set_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+4."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k3_0 = Kc[a + 3, 0]
    k3_1 = Kc[a + 3, 1]
    k3_2 = Kc[a + 3, 2]
    k3_3 = Kc[a + 3, 3]
    k3_4 = Kc[a + 3, 4]
    k4_0 = Kc[a + 4, 0]
    k4_1 = Kc[a + 4, 1]
    k4_2 = Kc[a + 4, 2]
    k4_3 = Kc[a + 4, 3]
    k4_4 = Kc[a + 4, 4]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 4]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 4]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 4]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 4]
        q = rowmap[i + a + 4]
        x4 = X[n, xc, q] if q >= 0 else crow
        s4 = x4[off : off + n_in + 4]
        q = rowmap[i + a + 5]
        x5 = X[n, xc, q] if q >= 0 else crow
        s5 = x5[off : off + n_in + 4]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v4_0 = s4[j + 0]
            v4_1 = s4[j + 1]
            v4_2 = s4[j + 2]
            v4_3 = s4[j + 3]
            v4_4 = s4[j + 4]
            v5_0 = s5[j + 0]
            v5_1 = s5[j + 1]
            v5_2 = s5[j + 2]
            v5_3 = s5[j + 3]
            v5_4 = s5[j + 4]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k3_0 * v3_0
                + k3_1 * v3_1
                + k3_2 * v3_2
                + k3_3 * v3_3
                + k3_4 * v3_4
                + k4_0 * v4_0
                + k4_1 * v4_1
                + k4_2 * v4_2
                + k4_3 * v4_3
                + k4_4 * v4_4
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k3_0 * v4_0
                + k3_1 * v4_1
                + k3_2 * v4_2
                + k3_3 * v4_3
                + k3_4 * v4_4
                + k4_0 * v5_0
                + k4_1 * v5_1
                + k4_2 * v5_2
                + k4_3 * v5_3
                + k4_4 * v5_4
            )
        i += 2
    if i < i1:
        _add_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w5(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 5.

    Interior columns: 5 kernel rows (25 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 5 if kh - a >= 5 else 1
                if first:
                    if r == 5:
                        _set2_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w5_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 5:
                        _add2_w5_r5(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w5_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w5(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w5`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w5(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w5(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w5`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w5(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w6_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w6_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 5]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 5]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 5]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 5]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
            )
        i += 2
    if i < i1:
        _set_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 5]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 5]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 5]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 5]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
            )
        i += 2
    if i < i1:
        _add_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w6(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 6.

    Interior columns: 3 kernel rows (18 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 3 if kh - a >= 3 else 1
                if first:
                    if r == 3:
                        _set2_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w6_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 3:
                        _add2_w6_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w6_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w6(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w6`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w6(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w6(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w6`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w6(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w7_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w7_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        s2_6 = x2[off + 6 : off + 6 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
                + k2_6 * s2_6[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        s2_6 = x2[off + 6 : off + 6 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
                + k2_6 * s2_6[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 6]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 6]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 6]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 6]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            v3_6 = s3[j + 6]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
                + k2_6 * v2_6
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
                + k2_6 * v3_6
            )
        i += 2
    if i < i1:
        _set_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 6]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 6]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 6]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 6]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            v3_6 = s3[j + 6]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
                + k2_6 * v2_6
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
                + k2_6 * v3_6
            )
        i += 2
    if i < i1:
        _add_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w7(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 7.

    Interior columns: 3 kernel rows (21 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 3 if kh - a >= 3 else 1
                if first:
                    if r == 3:
                        _set2_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w7_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 3:
                        _add2_w7_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w7_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w7(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w7`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w7(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w7(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w7`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w7(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w8_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w8_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    k2_7 = Kc[a + 2, 7]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        s2_6 = x2[off + 6 : off + 6 + n_in]
        s2_7 = x2[off + 7 : off + 7 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
                + k2_6 * s2_6[j]
                + k2_7 * s2_7[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    k2_7 = Kc[a + 2, 7]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2_0 = x2[off + 0 : off + 0 + n_in]
        s2_1 = x2[off + 1 : off + 1 + n_in]
        s2_2 = x2[off + 2 : off + 2 + n_in]
        s2_3 = x2[off + 3 : off + 3 + n_in]
        s2_4 = x2[off + 4 : off + 4 + n_in]
        s2_5 = x2[off + 5 : off + 5 + n_in]
        s2_6 = x2[off + 6 : off + 6 + n_in]
        s2_7 = x2[off + 7 : off + 7 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k2_0 * s2_0[j]
                + k2_1 * s2_1[j]
                + k2_2 * s2_2[j]
                + k2_3 * s2_3[j]
                + k2_4 * s2_4[j]
                + k2_5 * s2_5[j]
                + k2_6 * s2_6[j]
                + k2_7 * s2_7[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    k2_7 = Kc[a + 2, 7]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 7]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 7]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 7]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 7]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            v3_6 = s3[j + 6]
            v3_7 = s3[j + 7]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
                + k2_6 * v2_6
                + k2_7 * v2_7
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
                + k2_6 * v3_6
                + k2_7 * v3_7
            )
        i += 2
    if i < i1:
        _set_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+2."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k2_0 = Kc[a + 2, 0]
    k2_1 = Kc[a + 2, 1]
    k2_2 = Kc[a + 2, 2]
    k2_3 = Kc[a + 2, 3]
    k2_4 = Kc[a + 2, 4]
    k2_5 = Kc[a + 2, 5]
    k2_6 = Kc[a + 2, 6]
    k2_7 = Kc[a + 2, 7]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 7]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 7]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 7]
        q = rowmap[i + a + 3]
        x3 = X[n, xc, q] if q >= 0 else crow
        s3 = x3[off : off + n_in + 7]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v3_0 = s3[j + 0]
            v3_1 = s3[j + 1]
            v3_2 = s3[j + 2]
            v3_3 = s3[j + 3]
            v3_4 = s3[j + 4]
            v3_5 = s3[j + 5]
            v3_6 = s3[j + 6]
            v3_7 = s3[j + 7]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k2_0 * v2_0
                + k2_1 * v2_1
                + k2_2 * v2_2
                + k2_3 * v2_3
                + k2_4 * v2_4
                + k2_5 * v2_5
                + k2_6 * v2_6
                + k2_7 * v2_7
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k2_0 * v3_0
                + k2_1 * v3_1
                + k2_2 * v3_2
                + k2_3 * v3_3
                + k2_4 * v3_4
                + k2_5 * v3_5
                + k2_6 * v3_6
                + k2_7 * v3_7
            )
        i += 2
    if i < i1:
        _add_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w8(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 8.

    Interior columns: 3 kernel rows (24 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 3 if kh - a >= 3 else 1
                if first:
                    if r == 3:
                        _set2_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w8_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 3:
                        _add2_w8_r3(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w8_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w8(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w8`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w8(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w8(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w8`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w8(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w9_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w9_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 8]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 8]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 8]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
            )
        i += 2
    if i < i1:
        _set_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 8]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 8]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 8]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
            )
        i += 2
    if i < i1:
        _add_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w9(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 9.

    Interior columns: 2 kernel rows (18 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 2 if kh - a >= 2 else 1
                if first:
                    if r == 2:
                        _set2_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w9_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 2:
                        _add2_w9_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w9_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w9(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w9`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w9(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w9(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w9`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w9(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w10_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w10_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 9]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 9]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 9]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
            )
        i += 2
    if i < i1:
        _set_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 9]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 9]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 9]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
            )
        i += 2
    if i < i1:
        _add_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w10(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 10.

    Interior columns: 2 kernel rows (20 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 2 if kh - a >= 2 else 1
                if first:
                    if r == 2:
                        _set2_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w10_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 2:
                        _add2_w10_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w10_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w10(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w10`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w10(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w10(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w10`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w10(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w11_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w11_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        s1_10 = x1[off + 10 : off + 10 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
                + k1_10 * s1_10[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        s1_10 = x1[off + 10 : off + 10 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
                + k1_10 * s1_10[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 10]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 10]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 10]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v0_10 = s0[j + 10]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v1_10 = s1[j + 10]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            v2_10 = s2[j + 10]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k0_10 * v0_10
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
                + k1_10 * v1_10
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k0_10 * v1_10
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
                + k1_10 * v2_10
            )
        i += 2
    if i < i1:
        _set_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 10]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 10]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 10]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v0_10 = s0[j + 10]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v1_10 = s1[j + 10]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            v2_10 = s2[j + 10]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k0_10 * v0_10
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
                + k1_10 * v1_10
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k0_10 * v1_10
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
                + k1_10 * v2_10
            )
        i += 2
    if i < i1:
        _add_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w11(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 11.

    Interior columns: 2 kernel rows (22 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 2 if kh - a >= 2 else 1
                if first:
                    if r == 2:
                        _set2_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w11_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 2:
                        _add2_w11_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w11_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w11(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w11`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w11(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w11(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w11`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w11(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w12_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w12_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    k1_11 = Kc[a + 1, 11]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        s1_10 = x1[off + 10 : off + 10 + n_in]
        s1_11 = x1[off + 11 : off + 11 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
                + k1_10 * s1_10[j]
                + k1_11 * s1_11[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    k1_11 = Kc[a + 1, 11]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1_0 = x1[off + 0 : off + 0 + n_in]
        s1_1 = x1[off + 1 : off + 1 + n_in]
        s1_2 = x1[off + 2 : off + 2 + n_in]
        s1_3 = x1[off + 3 : off + 3 + n_in]
        s1_4 = x1[off + 4 : off + 4 + n_in]
        s1_5 = x1[off + 5 : off + 5 + n_in]
        s1_6 = x1[off + 6 : off + 6 + n_in]
        s1_7 = x1[off + 7 : off + 7 + n_in]
        s1_8 = x1[off + 8 : off + 8 + n_in]
        s1_9 = x1[off + 9 : off + 9 + n_in]
        s1_10 = x1[off + 10 : off + 10 + n_in]
        s1_11 = x1[off + 11 : off + 11 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k1_0 * s1_0[j]
                + k1_1 * s1_1[j]
                + k1_2 * s1_2[j]
                + k1_3 * s1_3[j]
                + k1_4 * s1_4[j]
                + k1_5 * s1_5[j]
                + k1_6 * s1_6[j]
                + k1_7 * s1_7[j]
                + k1_8 * s1_8[j]
                + k1_9 * s1_9[j]
                + k1_10 * s1_10[j]
                + k1_11 * s1_11[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _set2_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y = kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    k1_11 = Kc[a + 1, 11]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 11]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 11]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 11]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v0_10 = s0[j + 10]
            v0_11 = s0[j + 11]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v1_10 = s1[j + 10]
            v1_11 = s1[j + 11]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            v2_10 = s2[j + 10]
            v2_11 = s2[j + 11]
            ys[j] = (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k0_10 * v0_10
                + k0_11 * v0_11
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
                + k1_10 * v1_10
                + k1_11 * v1_11
            )
            zs[j] = (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k0_10 * v1_10
                + k0_11 * v1_11
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
                + k1_10 * v2_10
                + k1_11 * v2_11
            )
        i += 2
    if i < i1:
        _set_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def _add2_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Output rows ``i0 <= i < i1``, two at a time: Y += kernel rows a..a+1."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k1_0 = Kc[a + 1, 0]
    k1_1 = Kc[a + 1, 1]
    k1_2 = Kc[a + 1, 2]
    k1_3 = Kc[a + 1, 3]
    k1_4 = Kc[a + 1, 4]
    k1_5 = Kc[a + 1, 5]
    k1_6 = Kc[a + 1, 6]
    k1_7 = Kc[a + 1, 7]
    k1_8 = Kc[a + 1, 8]
    k1_9 = Kc[a + 1, 9]
    k1_10 = Kc[a + 1, 10]
    k1_11 = Kc[a + 1, 11]
    i = i0
    while i + 1 < i1:
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0 = x0[off : off + n_in + 11]
        q = rowmap[i + a + 1]
        x1 = X[n, xc, q] if q >= 0 else crow
        s1 = x1[off : off + n_in + 11]
        q = rowmap[i + a + 2]
        x2 = X[n, xc, q] if q >= 0 else crow
        s2 = x2[off : off + n_in + 11]
        for j in range(n_in):
            v0_0 = s0[j + 0]
            v0_1 = s0[j + 1]
            v0_2 = s0[j + 2]
            v0_3 = s0[j + 3]
            v0_4 = s0[j + 4]
            v0_5 = s0[j + 5]
            v0_6 = s0[j + 6]
            v0_7 = s0[j + 7]
            v0_8 = s0[j + 8]
            v0_9 = s0[j + 9]
            v0_10 = s0[j + 10]
            v0_11 = s0[j + 11]
            v1_0 = s1[j + 0]
            v1_1 = s1[j + 1]
            v1_2 = s1[j + 2]
            v1_3 = s1[j + 3]
            v1_4 = s1[j + 4]
            v1_5 = s1[j + 5]
            v1_6 = s1[j + 6]
            v1_7 = s1[j + 7]
            v1_8 = s1[j + 8]
            v1_9 = s1[j + 9]
            v1_10 = s1[j + 10]
            v1_11 = s1[j + 11]
            v2_0 = s2[j + 0]
            v2_1 = s2[j + 1]
            v2_2 = s2[j + 2]
            v2_3 = s2[j + 3]
            v2_4 = s2[j + 4]
            v2_5 = s2[j + 5]
            v2_6 = s2[j + 6]
            v2_7 = s2[j + 7]
            v2_8 = s2[j + 8]
            v2_9 = s2[j + 9]
            v2_10 = s2[j + 10]
            v2_11 = s2[j + 11]
            ys[j] += (
                k0_0 * v0_0
                + k0_1 * v0_1
                + k0_2 * v0_2
                + k0_3 * v0_3
                + k0_4 * v0_4
                + k0_5 * v0_5
                + k0_6 * v0_6
                + k0_7 * v0_7
                + k0_8 * v0_8
                + k0_9 * v0_9
                + k0_10 * v0_10
                + k0_11 * v0_11
                + k1_0 * v1_0
                + k1_1 * v1_1
                + k1_2 * v1_2
                + k1_3 * v1_3
                + k1_4 * v1_4
                + k1_5 * v1_5
                + k1_6 * v1_6
                + k1_7 * v1_7
                + k1_8 * v1_8
                + k1_9 * v1_9
                + k1_10 * v1_10
                + k1_11 * v1_11
            )
            zs[j] += (
                k0_0 * v1_0
                + k0_1 * v1_1
                + k0_2 * v1_2
                + k0_3 * v1_3
                + k0_4 * v1_4
                + k0_5 * v1_5
                + k0_6 * v1_6
                + k0_7 * v1_7
                + k0_8 * v1_8
                + k0_9 * v1_9
                + k0_10 * v1_10
                + k0_11 * v1_11
                + k1_0 * v2_0
                + k1_1 * v2_1
                + k1_2 * v2_2
                + k1_3 * v2_3
                + k1_4 * v2_4
                + k1_5 * v2_5
                + k1_6 * v2_6
                + k1_7 * v2_7
                + k1_8 * v2_8
                + k1_9 * v2_9
                + k1_10 * v2_10
                + k1_11 * v2_11
            )
        i += 2
    if i < i1:
        _add_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w12(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 12.

    Interior columns: 2 kernel rows (24 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 2 if kh - a >= 2 else 1
                if first:
                    if r == 2:
                        _set2_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _set_w12_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    if r == 2:
                        _add2_w12_r2(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                    else:
                        _add_w12_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w12(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w12`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w12(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w12(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w12`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w12(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w13_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w13_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w13(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 13.

    Interior columns: 1 kernel rows (13 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 1 if kh - a >= 1 else 1
                if first:
                    _set_w13_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    _add_w13_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w13(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w13`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w13(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w13(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w13`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w13(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w14_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w14_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w14(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 14.

    Interior columns: 1 kernel rows (14 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 1 if kh - a >= 1 else 1
                if first:
                    _set_w14_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    _add_w14_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w14(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w14`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w14(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w14(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w14`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w14(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w15_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    k0_14 = Kc[a + 0, 14]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        s0_14 = x0[off + 14 : off + 14 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
                + k0_14 * s0_14[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w15_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    k0_14 = Kc[a + 0, 14]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        s0_14 = x0[off + 14 : off + 14 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
                + k0_14 * s0_14[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w15(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 15.

    Interior columns: 1 kernel rows (15 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 1 if kh - a >= 1 else 1
                if first:
                    _set_w15_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    _add_w15_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w15(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w15`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w15(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w15(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w15`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w15(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


@njit(cache=True, nogil=True, fastmath=_FM)
def _set_w16_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y = kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    k0_14 = Kc[a + 0, 14]
    k0_15 = Kc[a + 0, 15]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        s0_14 = x0[off + 14 : off + 14 + n_in]
        s0_15 = x0[off + 15 : off + 15 + n_in]
        for j in range(n_in):
            ys[j] = (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
                + k0_14 * s0_14[j]
                + k0_15 * s0_15[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def _add_w16_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):
    """Interior of output rows ``i0 <= i < i1``: Y += kernel rows a..a+0."""
    k0_0 = Kc[a + 0, 0]
    k0_1 = Kc[a + 0, 1]
    k0_2 = Kc[a + 0, 2]
    k0_3 = Kc[a + 0, 3]
    k0_4 = Kc[a + 0, 4]
    k0_5 = Kc[a + 0, 5]
    k0_6 = Kc[a + 0, 6]
    k0_7 = Kc[a + 0, 7]
    k0_8 = Kc[a + 0, 8]
    k0_9 = Kc[a + 0, 9]
    k0_10 = Kc[a + 0, 10]
    k0_11 = Kc[a + 0, 11]
    k0_12 = Kc[a + 0, 12]
    k0_13 = Kc[a + 0, 13]
    k0_14 = Kc[a + 0, 14]
    k0_15 = Kc[a + 0, 15]
    for i in range(i0, i1):
        ys = Y[n, o, i, j_lo : j_lo + n_in]
        q = rowmap[i + a + 0]
        x0 = X[n, xc, q] if q >= 0 else crow
        s0_0 = x0[off + 0 : off + 0 + n_in]
        s0_1 = x0[off + 1 : off + 1 + n_in]
        s0_2 = x0[off + 2 : off + 2 + n_in]
        s0_3 = x0[off + 3 : off + 3 + n_in]
        s0_4 = x0[off + 4 : off + 4 + n_in]
        s0_5 = x0[off + 5 : off + 5 + n_in]
        s0_6 = x0[off + 6 : off + 6 + n_in]
        s0_7 = x0[off + 7 : off + 7 + n_in]
        s0_8 = x0[off + 8 : off + 8 + n_in]
        s0_9 = x0[off + 9 : off + 9 + n_in]
        s0_10 = x0[off + 10 : off + 10 + n_in]
        s0_11 = x0[off + 11 : off + 11 + n_in]
        s0_12 = x0[off + 12 : off + 12 + n_in]
        s0_13 = x0[off + 13 : off + 13 + n_in]
        s0_14 = x0[off + 14 : off + 14 + n_in]
        s0_15 = x0[off + 15 : off + 15 + n_in]
        for j in range(n_in):
            ys[j] += (
                k0_0 * s0_0[j]
                + k0_1 * s0_1[j]
                + k0_2 * s0_2[j]
                + k0_3 * s0_3[j]
                + k0_4 * s0_4[j]
                + k0_5 * s0_5[j]
                + k0_6 * s0_6[j]
                + k0_7 * s0_7[j]
                + k0_8 * s0_8[j]
                + k0_9 * s0_9[j]
                + k0_10 * s0_10[j]
                + k0_11 * s0_11[j]
                + k0_12 * s0_12[j]
                + k0_13 * s0_13[j]
                + k0_14 * s0_14[j]
                + k0_15 * s0_15[j]
            )


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w16(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Blocks ``t0 <= t < t1`` of 16 output rows (over N, C_out, H' / 16), width 16.

    Interior columns: 1 kernel rows (16 taps) per pass over a block of
    rows; the first pass assigns and the rest add, so rows are never zeroed.
    """
    _, O, Ho, Wo = Y.shape
    _, Cg, kh, _ = K.shape
    og = O // groups
    n_in = j_hi - j_lo
    off = j_lo - pl
    nb = (Ho + 15) // 16
    acc = np.empty(16, np.float64)  # border sums of a block's rows
    for t in range(t0, t1):
        n = t // (O * nb)
        o = (t // nb) % O
        i0 = (t % nb) * 16
        i1 = min(i0 + 16, Ho)
        g = o // og
        first = True
        for c in range(Cg):
            xc = g * Cg + c
            Kc = K[o, c]
            a = 0
            while a < kh:
                r = 1 if kh - a >= 1 else 1
                if first:
                    _set_w16_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                else:
                    _add_w16_r1(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off)
                first = False
                a += r
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)
        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)


@njit(cache=True, nogil=True)
def sdirect_w16(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk):
    """``direct_w16`` over blocks ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        direct_w16(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1)
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def pdirect_w16(
    X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk, workers
):
    """``sdirect_w16`` on ``workers`` of numba's threads (``base.run_rows``)."""
    for _ in prange(workers):
        sdirect_w16(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, c, total, chunk)


DRIVERS = (
    "direct_w1",
    "direct_w2",
    "direct_w3",
    "direct_w4",
    "direct_w5",
    "direct_w6",
    "direct_w7",
    "direct_w8",
    "direct_w9",
    "direct_w10",
    "direct_w11",
    "direct_w12",
    "direct_w13",
    "direct_w14",
    "direct_w15",
    "direct_w16",
)
PARALLEL = (
    "pdirect_w1",
    "pdirect_w2",
    "pdirect_w3",
    "pdirect_w4",
    "pdirect_w5",
    "pdirect_w6",
    "pdirect_w7",
    "pdirect_w8",
    "pdirect_w9",
    "pdirect_w10",
    "pdirect_w11",
    "pdirect_w12",
    "pdirect_w13",
    "pdirect_w14",
    "pdirect_w15",
    "pdirect_w16",
)
