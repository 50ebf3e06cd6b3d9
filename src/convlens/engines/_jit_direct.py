"""Direct-correlation kernels specialised per kernel width: GENERATED, do not edit.

Written by ``python -m convlens.engines._gen_direct`` (see that module for the why).
Stride 1 and dilation 1 only; ``direct_w{W}`` handles kernels of width ``W``, for a range
of output rows, without the GIL (the caller spreads row ranges over threads).
"""

from __future__ import annotations

from numba import njit

from ._jit import _FM, _border_row


@njit(cache=True, fastmath=_FM)
def _row_w1(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 5 kernel rows (5 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 5:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                q = rowmap[i + a + 3]
                x3 = X[n, xc, q] if q >= 0 else crow
                s3_0 = x3[j_lo - pl + 0 :]
                k3_0 = Kc[a + 3, 0]
                q = rowmap[i + a + 4]
                x4 = X[n, xc, q] if q >= 0 else crow
                s4_0 = x4[j_lo - pl + 0 :]
                k4_0 = Kc[a + 4, 0]
                for j in range(n_in):
                    ys[j] += (
                        k0_0 * s0_0[j]
                        + k1_0 * s1_0[j]
                        + k2_0 * s2_0[j]
                        + k3_0 * s3_0[j]
                        + k4_0 * s4_0[j]
                    )
                a += 5
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                for j in range(n_in):
                    ys[j] += k0_0 * s0_0[j]
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w1(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 1."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w1(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w2(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 5 kernel rows (10 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 5:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                q = rowmap[i + a + 3]
                x3 = X[n, xc, q] if q >= 0 else crow
                s3_0 = x3[j_lo - pl + 0 :]
                k3_0 = Kc[a + 3, 0]
                s3_1 = x3[j_lo - pl + 1 :]
                k3_1 = Kc[a + 3, 1]
                q = rowmap[i + a + 4]
                x4 = X[n, xc, q] if q >= 0 else crow
                s4_0 = x4[j_lo - pl + 0 :]
                k4_0 = Kc[a + 4, 0]
                s4_1 = x4[j_lo - pl + 1 :]
                k4_1 = Kc[a + 4, 1]
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
                a += 5
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                for j in range(n_in):
                    ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j]
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w2(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 2."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w2(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w3(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 3 kernel rows (9 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 3:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
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
                a += 3
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                for j in range(n_in):
                    ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j]
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w3(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 3."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w3(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w4(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 4 kernel rows (16 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 4:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
                s2_3 = x2[j_lo - pl + 3 :]
                k2_3 = Kc[a + 2, 3]
                q = rowmap[i + a + 3]
                x3 = X[n, xc, q] if q >= 0 else crow
                s3_0 = x3[j_lo - pl + 0 :]
                k3_0 = Kc[a + 3, 0]
                s3_1 = x3[j_lo - pl + 1 :]
                k3_1 = Kc[a + 3, 1]
                s3_2 = x3[j_lo - pl + 2 :]
                k3_2 = Kc[a + 3, 2]
                s3_3 = x3[j_lo - pl + 3 :]
                k3_3 = Kc[a + 3, 3]
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
                a += 4
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                for j in range(n_in):
                    ys[j] += k0_0 * s0_0[j] + k0_1 * s0_1[j] + k0_2 * s0_2[j] + k0_3 * s0_3[j]
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w4(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 4."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w4(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w5(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 5 kernel rows (25 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 5:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
                s2_3 = x2[j_lo - pl + 3 :]
                k2_3 = Kc[a + 2, 3]
                s2_4 = x2[j_lo - pl + 4 :]
                k2_4 = Kc[a + 2, 4]
                q = rowmap[i + a + 3]
                x3 = X[n, xc, q] if q >= 0 else crow
                s3_0 = x3[j_lo - pl + 0 :]
                k3_0 = Kc[a + 3, 0]
                s3_1 = x3[j_lo - pl + 1 :]
                k3_1 = Kc[a + 3, 1]
                s3_2 = x3[j_lo - pl + 2 :]
                k3_2 = Kc[a + 3, 2]
                s3_3 = x3[j_lo - pl + 3 :]
                k3_3 = Kc[a + 3, 3]
                s3_4 = x3[j_lo - pl + 4 :]
                k3_4 = Kc[a + 3, 4]
                q = rowmap[i + a + 4]
                x4 = X[n, xc, q] if q >= 0 else crow
                s4_0 = x4[j_lo - pl + 0 :]
                k4_0 = Kc[a + 4, 0]
                s4_1 = x4[j_lo - pl + 1 :]
                k4_1 = Kc[a + 4, 1]
                s4_2 = x4[j_lo - pl + 2 :]
                k4_2 = Kc[a + 4, 2]
                s4_3 = x4[j_lo - pl + 3 :]
                k4_3 = Kc[a + 4, 3]
                s4_4 = x4[j_lo - pl + 4 :]
                k4_4 = Kc[a + 4, 4]
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
                a += 5
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                for j in range(n_in):
                    ys[j] += (
                        k0_0 * s0_0[j]
                        + k0_1 * s0_1[j]
                        + k0_2 * s0_2[j]
                        + k0_3 * s0_3[j]
                        + k0_4 * s0_4[j]
                    )
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w5(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 5."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w5(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w6(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 3 kernel rows (18 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 3:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
                s2_3 = x2[j_lo - pl + 3 :]
                k2_3 = Kc[a + 2, 3]
                s2_4 = x2[j_lo - pl + 4 :]
                k2_4 = Kc[a + 2, 4]
                s2_5 = x2[j_lo - pl + 5 :]
                k2_5 = Kc[a + 2, 5]
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
                a += 3
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                for j in range(n_in):
                    ys[j] += (
                        k0_0 * s0_0[j]
                        + k0_1 * s0_1[j]
                        + k0_2 * s0_2[j]
                        + k0_3 * s0_3[j]
                        + k0_4 * s0_4[j]
                        + k0_5 * s0_5[j]
                    )
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w6(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 6."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w6(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w7(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 3 kernel rows (21 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 3:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
                s2_3 = x2[j_lo - pl + 3 :]
                k2_3 = Kc[a + 2, 3]
                s2_4 = x2[j_lo - pl + 4 :]
                k2_4 = Kc[a + 2, 4]
                s2_5 = x2[j_lo - pl + 5 :]
                k2_5 = Kc[a + 2, 5]
                s2_6 = x2[j_lo - pl + 6 :]
                k2_6 = Kc[a + 2, 6]
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
                a += 3
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w7(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 7."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w7(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w8(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 3 kernel rows (24 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 3:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                s1_7 = x1[j_lo - pl + 7 :]
                k1_7 = Kc[a + 1, 7]
                q = rowmap[i + a + 2]
                x2 = X[n, xc, q] if q >= 0 else crow
                s2_0 = x2[j_lo - pl + 0 :]
                k2_0 = Kc[a + 2, 0]
                s2_1 = x2[j_lo - pl + 1 :]
                k2_1 = Kc[a + 2, 1]
                s2_2 = x2[j_lo - pl + 2 :]
                k2_2 = Kc[a + 2, 2]
                s2_3 = x2[j_lo - pl + 3 :]
                k2_3 = Kc[a + 2, 3]
                s2_4 = x2[j_lo - pl + 4 :]
                k2_4 = Kc[a + 2, 4]
                s2_5 = x2[j_lo - pl + 5 :]
                k2_5 = Kc[a + 2, 5]
                s2_6 = x2[j_lo - pl + 6 :]
                k2_6 = Kc[a + 2, 6]
                s2_7 = x2[j_lo - pl + 7 :]
                k2_7 = Kc[a + 2, 7]
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
                a += 3
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w8(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 8."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w8(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w9(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 2 kernel rows (18 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 2:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                s1_7 = x1[j_lo - pl + 7 :]
                k1_7 = Kc[a + 1, 7]
                s1_8 = x1[j_lo - pl + 8 :]
                k1_8 = Kc[a + 1, 8]
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
                a += 2
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w9(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 9."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w9(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w10(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 2 kernel rows (20 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 2:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                s1_7 = x1[j_lo - pl + 7 :]
                k1_7 = Kc[a + 1, 7]
                s1_8 = x1[j_lo - pl + 8 :]
                k1_8 = Kc[a + 1, 8]
                s1_9 = x1[j_lo - pl + 9 :]
                k1_9 = Kc[a + 1, 9]
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
                a += 2
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w10(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 10."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w10(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w11(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 2 kernel rows (22 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 2:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
                s0_10 = x0[j_lo - pl + 10 :]
                k0_10 = Kc[a + 0, 10]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                s1_7 = x1[j_lo - pl + 7 :]
                k1_7 = Kc[a + 1, 7]
                s1_8 = x1[j_lo - pl + 8 :]
                k1_8 = Kc[a + 1, 8]
                s1_9 = x1[j_lo - pl + 9 :]
                k1_9 = Kc[a + 1, 9]
                s1_10 = x1[j_lo - pl + 10 :]
                k1_10 = Kc[a + 1, 10]
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
                a += 2
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
                s0_10 = x0[j_lo - pl + 10 :]
                k0_10 = Kc[a + 0, 10]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w11(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 11."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w11(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w12(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 2 kernel rows (24 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            if kh - a >= 2:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
                s0_10 = x0[j_lo - pl + 10 :]
                k0_10 = Kc[a + 0, 10]
                s0_11 = x0[j_lo - pl + 11 :]
                k0_11 = Kc[a + 0, 11]
                q = rowmap[i + a + 1]
                x1 = X[n, xc, q] if q >= 0 else crow
                s1_0 = x1[j_lo - pl + 0 :]
                k1_0 = Kc[a + 1, 0]
                s1_1 = x1[j_lo - pl + 1 :]
                k1_1 = Kc[a + 1, 1]
                s1_2 = x1[j_lo - pl + 2 :]
                k1_2 = Kc[a + 1, 2]
                s1_3 = x1[j_lo - pl + 3 :]
                k1_3 = Kc[a + 1, 3]
                s1_4 = x1[j_lo - pl + 4 :]
                k1_4 = Kc[a + 1, 4]
                s1_5 = x1[j_lo - pl + 5 :]
                k1_5 = Kc[a + 1, 5]
                s1_6 = x1[j_lo - pl + 6 :]
                k1_6 = Kc[a + 1, 6]
                s1_7 = x1[j_lo - pl + 7 :]
                k1_7 = Kc[a + 1, 7]
                s1_8 = x1[j_lo - pl + 8 :]
                k1_8 = Kc[a + 1, 8]
                s1_9 = x1[j_lo - pl + 9 :]
                k1_9 = Kc[a + 1, 9]
                s1_10 = x1[j_lo - pl + 10 :]
                k1_10 = Kc[a + 1, 10]
                s1_11 = x1[j_lo - pl + 11 :]
                k1_11 = Kc[a + 1, 11]
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
                a += 2
            else:
                q = rowmap[i + a + 0]
                x0 = X[n, xc, q] if q >= 0 else crow
                s0_0 = x0[j_lo - pl + 0 :]
                k0_0 = Kc[a + 0, 0]
                s0_1 = x0[j_lo - pl + 1 :]
                k0_1 = Kc[a + 0, 1]
                s0_2 = x0[j_lo - pl + 2 :]
                k0_2 = Kc[a + 0, 2]
                s0_3 = x0[j_lo - pl + 3 :]
                k0_3 = Kc[a + 0, 3]
                s0_4 = x0[j_lo - pl + 4 :]
                k0_4 = Kc[a + 0, 4]
                s0_5 = x0[j_lo - pl + 5 :]
                k0_5 = Kc[a + 0, 5]
                s0_6 = x0[j_lo - pl + 6 :]
                k0_6 = Kc[a + 0, 6]
                s0_7 = x0[j_lo - pl + 7 :]
                k0_7 = Kc[a + 0, 7]
                s0_8 = x0[j_lo - pl + 8 :]
                k0_8 = Kc[a + 0, 8]
                s0_9 = x0[j_lo - pl + 9 :]
                k0_9 = Kc[a + 0, 9]
                s0_10 = x0[j_lo - pl + 10 :]
                k0_10 = Kc[a + 0, 10]
                s0_11 = x0[j_lo - pl + 11 :]
                k0_11 = Kc[a + 0, 11]
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
                a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w12(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 12."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w12(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w13(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 1 kernel rows (13 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            q = rowmap[i + a + 0]
            x0 = X[n, xc, q] if q >= 0 else crow
            s0_0 = x0[j_lo - pl + 0 :]
            k0_0 = Kc[a + 0, 0]
            s0_1 = x0[j_lo - pl + 1 :]
            k0_1 = Kc[a + 0, 1]
            s0_2 = x0[j_lo - pl + 2 :]
            k0_2 = Kc[a + 0, 2]
            s0_3 = x0[j_lo - pl + 3 :]
            k0_3 = Kc[a + 0, 3]
            s0_4 = x0[j_lo - pl + 4 :]
            k0_4 = Kc[a + 0, 4]
            s0_5 = x0[j_lo - pl + 5 :]
            k0_5 = Kc[a + 0, 5]
            s0_6 = x0[j_lo - pl + 6 :]
            k0_6 = Kc[a + 0, 6]
            s0_7 = x0[j_lo - pl + 7 :]
            k0_7 = Kc[a + 0, 7]
            s0_8 = x0[j_lo - pl + 8 :]
            k0_8 = Kc[a + 0, 8]
            s0_9 = x0[j_lo - pl + 9 :]
            k0_9 = Kc[a + 0, 9]
            s0_10 = x0[j_lo - pl + 10 :]
            k0_10 = Kc[a + 0, 10]
            s0_11 = x0[j_lo - pl + 11 :]
            k0_11 = Kc[a + 0, 11]
            s0_12 = x0[j_lo - pl + 12 :]
            k0_12 = Kc[a + 0, 12]
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
            a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w13(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 13."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w13(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w14(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 1 kernel rows (14 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            q = rowmap[i + a + 0]
            x0 = X[n, xc, q] if q >= 0 else crow
            s0_0 = x0[j_lo - pl + 0 :]
            k0_0 = Kc[a + 0, 0]
            s0_1 = x0[j_lo - pl + 1 :]
            k0_1 = Kc[a + 0, 1]
            s0_2 = x0[j_lo - pl + 2 :]
            k0_2 = Kc[a + 0, 2]
            s0_3 = x0[j_lo - pl + 3 :]
            k0_3 = Kc[a + 0, 3]
            s0_4 = x0[j_lo - pl + 4 :]
            k0_4 = Kc[a + 0, 4]
            s0_5 = x0[j_lo - pl + 5 :]
            k0_5 = Kc[a + 0, 5]
            s0_6 = x0[j_lo - pl + 6 :]
            k0_6 = Kc[a + 0, 6]
            s0_7 = x0[j_lo - pl + 7 :]
            k0_7 = Kc[a + 0, 7]
            s0_8 = x0[j_lo - pl + 8 :]
            k0_8 = Kc[a + 0, 8]
            s0_9 = x0[j_lo - pl + 9 :]
            k0_9 = Kc[a + 0, 9]
            s0_10 = x0[j_lo - pl + 10 :]
            k0_10 = Kc[a + 0, 10]
            s0_11 = x0[j_lo - pl + 11 :]
            k0_11 = Kc[a + 0, 11]
            s0_12 = x0[j_lo - pl + 12 :]
            k0_12 = Kc[a + 0, 12]
            s0_13 = x0[j_lo - pl + 13 :]
            k0_13 = Kc[a + 0, 13]
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
            a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w14(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 14."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w14(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w15(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 1 kernel rows (15 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            q = rowmap[i + a + 0]
            x0 = X[n, xc, q] if q >= 0 else crow
            s0_0 = x0[j_lo - pl + 0 :]
            k0_0 = Kc[a + 0, 0]
            s0_1 = x0[j_lo - pl + 1 :]
            k0_1 = Kc[a + 0, 1]
            s0_2 = x0[j_lo - pl + 2 :]
            k0_2 = Kc[a + 0, 2]
            s0_3 = x0[j_lo - pl + 3 :]
            k0_3 = Kc[a + 0, 3]
            s0_4 = x0[j_lo - pl + 4 :]
            k0_4 = Kc[a + 0, 4]
            s0_5 = x0[j_lo - pl + 5 :]
            k0_5 = Kc[a + 0, 5]
            s0_6 = x0[j_lo - pl + 6 :]
            k0_6 = Kc[a + 0, 6]
            s0_7 = x0[j_lo - pl + 7 :]
            k0_7 = Kc[a + 0, 7]
            s0_8 = x0[j_lo - pl + 8 :]
            k0_8 = Kc[a + 0, 8]
            s0_9 = x0[j_lo - pl + 9 :]
            k0_9 = Kc[a + 0, 9]
            s0_10 = x0[j_lo - pl + 10 :]
            k0_10 = Kc[a + 0, 10]
            s0_11 = x0[j_lo - pl + 11 :]
            k0_11 = Kc[a + 0, 11]
            s0_12 = x0[j_lo - pl + 12 :]
            k0_12 = Kc[a + 0, 12]
            s0_13 = x0[j_lo - pl + 13 :]
            k0_13 = Kc[a + 0, 13]
            s0_14 = x0[j_lo - pl + 14 :]
            k0_14 = Kc[a + 0, 14]
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
            a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w15(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 15."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w15(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


@njit(cache=True, fastmath=_FM)
def _row_w16(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):
    """Interior of one output row: 1 kernel rows (16 taps) per pass."""
    _, Cg, kh, _ = K.shape
    n_in = j_hi - j_lo
    ys = y[j_lo:j_hi]
    ys[:] = 0
    for c in range(Cg):
        xc = g * Cg + c
        Kc = K[o, c]
        a = 0
        while a < kh:
            q = rowmap[i + a + 0]
            x0 = X[n, xc, q] if q >= 0 else crow
            s0_0 = x0[j_lo - pl + 0 :]
            k0_0 = Kc[a + 0, 0]
            s0_1 = x0[j_lo - pl + 1 :]
            k0_1 = Kc[a + 0, 1]
            s0_2 = x0[j_lo - pl + 2 :]
            k0_2 = Kc[a + 0, 2]
            s0_3 = x0[j_lo - pl + 3 :]
            k0_3 = Kc[a + 0, 3]
            s0_4 = x0[j_lo - pl + 4 :]
            k0_4 = Kc[a + 0, 4]
            s0_5 = x0[j_lo - pl + 5 :]
            k0_5 = Kc[a + 0, 5]
            s0_6 = x0[j_lo - pl + 6 :]
            k0_6 = Kc[a + 0, 6]
            s0_7 = x0[j_lo - pl + 7 :]
            k0_7 = Kc[a + 0, 7]
            s0_8 = x0[j_lo - pl + 8 :]
            k0_8 = Kc[a + 0, 8]
            s0_9 = x0[j_lo - pl + 9 :]
            k0_9 = Kc[a + 0, 9]
            s0_10 = x0[j_lo - pl + 10 :]
            k0_10 = Kc[a + 0, 10]
            s0_11 = x0[j_lo - pl + 11 :]
            k0_11 = Kc[a + 0, 11]
            s0_12 = x0[j_lo - pl + 12 :]
            k0_12 = Kc[a + 0, 12]
            s0_13 = x0[j_lo - pl + 13 :]
            k0_13 = Kc[a + 0, 13]
            s0_14 = x0[j_lo - pl + 14 :]
            k0_14 = Kc[a + 0, 14]
            s0_15 = x0[j_lo - pl + 15 :]
            k0_15 = Kc[a + 0, 15]
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
            a += 1


@njit(cache=True, nogil=True, fastmath=_FM)
def direct_w16(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):
    """Output rows ``t0 <= t < t1`` (over N, C_out, H') for kernels of width 16."""
    _, O, Ho, Wo = Y.shape
    og = O // groups
    for t in range(t0, t1):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        _row_w16(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)
        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)


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
