"""The numba kernels behind the direct, separable and box engines.

Kept in one private module so that ``import convlens`` (and the planner, which only needs
shapes and kernel ranks) never pays for ``import numba``; the engines import this module on
their first run. Every kernel is ``cache=True``: a second process loads machine code from
``__pycache__`` instead of compiling.

Borders are never materialised as a padded copy of the image. ``rowmap[q]`` / ``colmap[q]``
give the source row / column of padded position ``q`` (numpy.pad's rule, precomputed on
``arange``), or ``-1`` where ``boundary="constant"`` puts ``value``. Interior columns read
the image directly; only the few border columns go through ``colmap``.

Floating point: ``fastmath`` is limited to ``contract`` (fused multiply-add). No kernel
relies on reassociation to vectorise: the loops run taps outside and pixels inside, so each
inner loop is an independent ``y[j] += k * x[j + off]`` that LLVM vectorises as written.
NaN and infinity therefore propagate exactly as in the reference (``nnan``/``ninf`` would
let LLVM assume they never occur).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

_FM = {"contract"}


@intrinsic
def fetch_add(typingctx, arr, i, val):
    """Atomically ``arr[i] += val``, returning the old value (LLVM ``atomicrmw add``).

    The stealing loops (``sdirect_w{W}``, ``sseparable``) claim chunks of rows from one
    counter with it, so a thread of the OpenMP team that starts late does less work
    instead of holding a fixed range that the others wait for (``base.run_rows``).
    """
    if not (isinstance(arr, types.Array) and arr.dtype == types.int64):
        return None
    sig = types.int64(arr, types.intp, types.int64)

    def codegen(context, builder, sig, args):
        aryty = sig.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]])
        return builder.atomic_rmw("add", ptr, args[2], "seq_cst")

    return sig, codegen


@njit(cache=True, fastmath=_FM, inline="always")
def _taps(y, x, kr, kw, sw, dw, off, j0, j1):
    """``y[j] += sum_b kr[b] * x[j*sw + b*dw + off]`` for ``j0 <= j < j1``, 8 taps a pass
    at stride 1 (then 4 or fewer).

    Every array is re-sliced so that loop indices start at zero: numba must otherwise check
    each index for a negative (wrap-around) value, and that branch stops vectorisation.
    Eight taps a pass load and store ``y`` once per eight multiply-adds instead of four: a
    31-tap row pass is then bound by the multiply-adds rather than by loads and stores.
    """
    n = j1 - j0
    if n <= 0:
        return
    ys = y[j0:j1]
    start = j0 * sw + off
    b = 0
    while sw == 1 and b + 8 <= kw:
        o0 = start + b * dw
        x0, x1, x2, x3 = x[o0:], x[o0 + dw :], x[o0 + 2 * dw :], x[o0 + 3 * dw :]
        x4, x5, x6, x7 = x[o0 + 4 * dw :], x[o0 + 5 * dw :], x[o0 + 6 * dw :], x[o0 + 7 * dw :]
        k0, k1, k2, k3 = kr[b], kr[b + 1], kr[b + 2], kr[b + 3]
        k4, k5, k6, k7 = kr[b + 4], kr[b + 5], kr[b + 6], kr[b + 7]
        for j in range(n):
            ys[j] += (k0 * x0[j] + k1 * x1[j] + k2 * x2[j] + k3 * x3[j]) + (
                k4 * x4[j] + k5 * x5[j] + k6 * x6[j] + k7 * x7[j]
            )
        b += 8
    while b < kw:
        nt = min(4, kw - b)
        o0 = start + b * dw
        x0 = x[o0:]
        k0 = kr[b]
        if nt == 4:
            x1 = x[o0 + dw :]
            x2 = x[o0 + 2 * dw :]
            x3 = x[o0 + 3 * dw :]
            k1, k2, k3 = kr[b + 1], kr[b + 2], kr[b + 3]
            if sw == 1:
                for j in range(n):
                    ys[j] += k0 * x0[j] + k1 * x1[j] + k2 * x2[j] + k3 * x3[j]
            else:
                for j in range(n):
                    m = j * sw
                    ys[j] += k0 * x0[m] + k1 * x1[m] + k2 * x2[m] + k3 * x3[m]
        elif nt == 3:
            x1 = x[o0 + dw :]
            x2 = x[o0 + 2 * dw :]
            k1, k2 = kr[b + 1], kr[b + 2]
            if sw == 1:
                for j in range(n):
                    ys[j] += k0 * x0[j] + k1 * x1[j] + k2 * x2[j]
            else:
                for j in range(n):
                    m = j * sw
                    ys[j] += k0 * x0[m] + k1 * x1[m] + k2 * x2[m]
        elif nt == 2:
            x1 = x[o0 + dw :]
            k1 = kr[b + 1]
            if sw == 1:
                for j in range(n):
                    ys[j] += k0 * x0[j] + k1 * x1[j]
            else:
                for j in range(n):
                    m = j * sw
                    ys[j] += k0 * x0[m] + k1 * x1[m]
        else:
            if sw == 1:
                for j in range(n):
                    ys[j] += k0 * x0[j]
            else:
                for j in range(n):
                    ys[j] += k0 * x0[j * sw]
        b += nt


@njit(cache=True, fastmath=_FM, inline="always")
def _border_taps(y, x, kr, kw, sw, dw, colmap, value, j0, j1):
    """Border columns: each tap looks its source column up in ``colmap``."""
    for j in range(j0, j1):
        s = 0.0
        for b in range(kw):
            q = colmap[j * sw + b * dw]
            s += kr[b] * (x[q] if q >= 0 else value)
        y[j] += s


@njit(cache=True, fastmath=_FM, inline="always")
def _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j0, j1, Y, acc):
    """``Y[n, o, i, j]`` for rows ``i0 <= i < i1`` and columns ``j0 <= j < j1`` (stride 1,
    dilation 1), every tap through the maps, summed in float64 in ``acc`` and assigned.

    The specialised kernels of ``_jit_direct`` run only over interior columns; the few
    border columns of a block are summed here, a tap at a time down the block's rows, so
    that each tap's source column and weight are looked up once per block rather than once
    per output: output by output, the border took 10 us of a 39 us 256^2 3x3 call.
    """
    _, Cg, kh, kw = K.shape
    m = i1 - i0
    for j in range(j0, j1):
        for i in range(m):
            acc[i] = 0.0
        for c in range(Cg):
            xc = g * Cg + c
            for a in range(kh):
                for b in range(kw):
                    q = colmap[j + b]
                    k = K[o, c, a, b]
                    if q < 0:  # a column of the constant fill
                        for i in range(m):
                            acc[i] += k * value
                    else:
                        for i in range(m):
                            r = rowmap[i0 + i + a]
                            acc[i] += k * (X[n, xc, r, q] if r >= 0 else value)
        for i in range(m):
            Y[n, o, i0 + i, j] = acc[i]


@njit(parallel=True, cache=True, fastmath=_FM)
def direct(X, K, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, j_lo, j_hi, Y):
    """Direct correlation, one output row per parallel task; see the module docstring."""
    N, _, _, _ = X.shape
    O, Cg, kh, kw = K.shape
    Ho, Wo = Y.shape[2], Y.shape[3]
    og = O // groups
    for t in prange(N * O * Ho):
        n = t // (O * Ho)
        o = (t // Ho) % O
        i = t % Ho
        g = o // og
        y = Y[n, o, i]
        y[:] = 0
        for c in range(Cg):
            xc = g * Cg + c
            for a in range(kh):
                kr = K[o, c, a]
                r = rowmap[i * sh + a * dh]
                if r < 0:
                    s = 0.0
                    for b in range(kw):
                        s += kr[b] * value
                    for j in range(Wo):
                        y[j] += s
                    continue
                x = X[n, xc, r]
                _taps(y, x, kr, kw, sw, dw, -pl, j_lo, j_hi)
                _border_taps(y, x, kr, kw, sw, dw, colmap, value, 0, j_lo)
                _border_taps(y, x, kr, kw, sw, dw, colmap, value, j_hi, Wo)


@njit(cache=True, nogil=True, fastmath={"contract", "reassoc"})
def _padded_row(prow, x, colmap, value, pl, W):
    """Row ``x`` with its border columns filled, into ``prow`` (length ``len(colmap)``);
    returns the sum of ``prow``, NaN or inf when any of its values is (reassociated, so
    that it vectorises with the copy; no flag here assumes finite values)."""
    s = 0.0
    for q in range(pl):
        m = colmap[q]
        v = x[m] if m >= 0 else value
        prow[q] = v
        s += v
    for q in range(W):
        v = x[q]
        prow[pl + q] = v
        s += v
    for q in range(pl + W, colmap.shape[0]):
        m = colmap[q]
        v = x[m] if m >= 0 else value
        prow[q] = v
        s += v
    return s


@njit(cache=True, nogil=True)
def sample_mean(x, step):
    """Mean of ``x[::step, ::step]`` (float64 sums of float64 rows), 0 if not finite."""
    s = 0.0
    n = 0
    for i in range(0, x.shape[0], step):
        r = 0.0
        for j in range(0, x.shape[1], step):
            r += x[i, j]
        s += r
        n += (x.shape[1] + step - 1) // step
    m = s / max(n, 1)
    return m if np.isfinite(m) else 0.0


@njit(cache=True, nogil=True)
def pad_shifted(X, rowmap, colmap, fill, level, pl, out, t0, t1):
    """Rows ``t0 <= q < t1`` of ``out (N, Hx, Wx)`` (``q`` counts over ``N * Hx``): image
    ``n`` of ``X (N, H, W)`` padded by the index maps, minus ``level[n]``; ``fill[n]``
    (``value - level[n]``) where a map says -1. One pass in X's dtype, for the FFT."""
    Hx, Wx, W = out.shape[1], out.shape[2], X.shape[2]
    for q in range(t0, t1):
        n, i = divmod(q, Hx)
        y = out[n, i]
        lv, fv = level[n], fill[n]
        r = rowmap[i]
        if r < 0:
            y[:] = fv
            continue
        x = X[n, r]
        for j in range(pl):
            m = colmap[j]
            y[j] = x[m] - lv if m >= 0 else fv
        yc = y[pl : pl + W]
        for j in range(W):
            yc[j] = x[j] - lv
        for j in range(pl + W, Wx):
            m = colmap[j]
            y[j] = x[m] - lv if m >= 0 else fv


@njit(cache=True, nogil=True)
def pack_tile_pairs(x, rowmap, colmap, fill, level, row0, col0, step, m, out):
    """The ``m`` overlap-save tiles of one strip batch, cut from image ``x (H, W)`` padded by
    the index maps, minus ``level`` (``fill`` where a map says -1), as complex pairs:
    ``out (h, L0, L1, 2)`` holds tile ``s`` as real part and tile ``m - h + s`` as imaginary
    part (``h = ceil(m / 2)``; tile ``h - 1`` twice when ``m`` is odd). Tile ``t`` starts
    at padded row ``row0`` and column ``col0 + t * step``.

    pad_shifted's values, written straight into the transform's input: no padded copy of
    the image, and no second pass to pair the tiles up.
    """
    h, L0, L1 = out.shape[0], out.shape[1], out.shape[2]
    for s in range(h):
        for part in range(2):
            c0 = col0 + (s if part == 0 else m - h + s) * step
            a = colmap[c0]
            # The maps move by at most +1 a column, so a span of L1 - 1 is all image columns.
            inner = a >= 0 and colmap[c0 + L1 - 1] - a == L1 - 1
            for i in range(L0):
                o = out[s, i]
                r = rowmap[row0 + i]
                if r < 0:
                    for j in range(L1):
                        o[j, part] = fill
                    continue
                xr = x[r]
                if inner:
                    for j in range(L1):
                        o[j, part] = xr[a + j] - level
                else:
                    for j in range(L1):
                        q = colmap[c0 + j]
                        o[j, part] = xr[q] - level if q >= 0 else fill


@njit(cache=True, nogil=True)
def unpack_tile_pairs(W, m, row0, rows, col0, step, c, Y):
    """``Y[row0 + i, col0 + t * step + j] = tile_t[i, j] + c`` for the ``m`` tiles of a
    batch correlated as :func:`pack_tile_pairs` packed them (``W (h, L0, L1, 2)``, real and
    imaginary parts), ``i < rows``, ``j < step``, clipped at ``Y``'s last column."""
    h = W.shape[0]
    for t in range(m):
        s, part = (t, 0) if t < h else (t - (m - h), 1)
        c0 = col0 + t * step
        cols = min(step, Y.shape[1] - c0)
        for i in range(rows):
            y = Y[row0 + i]
            w = W[s, i]
            for j in range(cols):
                y[c0 + j] = w[j, part] + c


@njit(cache=True, nogil=True, fastmath=_FM)
def separable(X, U, V, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, tile, Y, sums, t0, t1):
    """Sum over rank-1 terms ``u v^T`` of a row pass (``v``) then a column pass (``u``).

    The row pass of the rows a tile of output rows needs is kept in a small buffer, so the
    column pass reads it from cache instead of from a full-size intermediate image. Runs
    tiles ``t0 <= t < t1`` (over N, C_out, row tiles) without the GIL; the caller spreads
    tile ranges over threads. ``sums[t]`` gets the sum of the input rows tile ``t`` read:
    not finite when one of them holds a NaN or inf.
    """
    N, _, _, W = X.shape
    O, Cg, R, kh = U.shape
    kw = V.shape[3]
    Ho, Wo = Y.shape[2], Y.shape[3]
    Wp = colmap.shape[0]
    og = O // groups
    ntile = (Ho + tile - 1) // tile
    for t in range(t0, t1):
        n = t // (O * ntile)
        o = (t // ntile) % O
        it = t % ntile
        g = o // og
        i0 = it * tile
        i1 = min(Ho, i0 + tile)
        q0 = i0 * sh
        q1 = (i1 - 1) * sh + (kh - 1) * dh + 1
        buf = np.empty((q1 - q0, Wo), dtype=Y.dtype)
        prow = np.empty(Wp, dtype=Y.dtype)
        for i in range(i0, i1):
            Y[n, o, i, :] = 0
        seen = 0.0
        for c in range(Cg):
            xc = g * Cg + c
            for rr in range(R):
                v = V[o, c, rr]
                u = U[o, c, rr]
                for q in range(q0, q1):
                    h = buf[q - q0]
                    r = rowmap[q]
                    if r < 0:
                        s = 0.0
                        for b in range(kw):
                            s += v[b] * value
                        h[:] = s
                        continue
                    seen += _padded_row(prow, X[n, xc, r], colmap, value, pl, W)
                    h[:] = 0
                    _taps(h, prow, v, kw, sw, dw, 0, 0, Wo)
                for i in range(i0, i1):
                    y = Y[n, o, i]
                    base = i * sh - q0
                    a = 0
                    while a + 7 < kh:  # eight taps a pass, as in _taps
                        u0, u1, u2, u3 = u[a], u[a + 1], u[a + 2], u[a + 3]
                        u4, u5, u6, u7 = u[a + 4], u[a + 5], u[a + 6], u[a + 7]
                        h0 = buf[base + a * dh]
                        h1 = buf[base + (a + 1) * dh]
                        h2 = buf[base + (a + 2) * dh]
                        h3 = buf[base + (a + 3) * dh]
                        h4 = buf[base + (a + 4) * dh]
                        h5 = buf[base + (a + 5) * dh]
                        h6 = buf[base + (a + 6) * dh]
                        h7 = buf[base + (a + 7) * dh]
                        for j in range(Wo):
                            y[j] += (u0 * h0[j] + u1 * h1[j] + u2 * h2[j] + u3 * h3[j]) + (
                                u4 * h4[j] + u5 * h5[j] + u6 * h6[j] + u7 * h7[j]
                            )
                        a += 8
                    while a + 3 < kh:
                        u0, u1, u2, u3 = u[a], u[a + 1], u[a + 2], u[a + 3]
                        h0 = buf[base + a * dh]
                        h1 = buf[base + (a + 1) * dh]
                        h2 = buf[base + (a + 2) * dh]
                        h3 = buf[base + (a + 3) * dh]
                        for j in range(Wo):
                            y[j] += u0 * h0[j] + u1 * h1[j] + u2 * h2[j] + u3 * h3[j]
                        a += 4
                    while a < kh:
                        u0 = u[a]
                        h0 = buf[base + a * dh]
                        for j in range(Wo):
                            y[j] += u0 * h0[j]
                        a += 1
        sums[t] = seen


@njit(cache=True, nogil=True)
def sseparable(
    X, U, V, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, tile, Y, sums, c, total, chunk
):
    """``separable`` over tiles ``[0, total)``, claimed ``chunk`` at a time from ``c[0]``;
    ``c[1]`` counts the tiles done (see ``base.run_rows``)."""
    while True:
        t0 = fetch_add(c, 0, chunk)
        if t0 >= total:
            return
        t1 = min(t0 + chunk, total)
        separable(
            X, U, V, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, tile, Y, sums, t0, t1
        )
        fetch_add(c, 1, t1 - t0)


@njit(cache=True, nogil=True, parallel=True)
def psseparable(
    X, U, V, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, tile, Y, sums, c, total, chunk,
    workers,
):  # fmt: skip
    """``sseparable`` on ``workers`` of numba's threads (see ``base.run_rows``)."""
    for _ in prange(workers):
        sseparable(
            X, U, V, rowmap, colmap, value, sh, sw, dh, dw, pl, groups, tile, Y, sums, c, total,
            chunk,
        )  # fmt: skip


@njit(parallel=True, cache=True, fastmath=_FM)
def box(X, Kc, kh, kw, rowmap, colmap, value, sh, sw, pl, groups, tile, resync, Y):
    """Box sums by running sums in float64, a row pass then a column pass per tile.

    A running sum is recomputed from scratch every ``resync`` steps, which bounds the drift
    of ``s += new - old`` to ``resync`` roundings. Rows or tiles that hold NaN or infinity
    are summed window by window instead, because ``inf - inf`` would spread a non-finite
    value beyond the windows that contain it.
    """
    N, _, _, W = X.shape
    O, Cg = Kc.shape
    Ho, Wo = Y.shape[2], Y.shape[3]
    Wp = colmap.shape[0]
    M = (Wo - 1) * sw + 1
    og = O // groups
    ntile = (Ho + tile - 1) // tile
    for t in prange(N * O * ntile):
        n = t // (O * ntile)
        o = (t // ntile) % O
        it = t % ntile
        g = o // og
        i0 = it * tile
        i1 = min(Ho, i0 + tile)
        q0 = i0 * sh
        q1 = (i1 - 1) * sh + kh
        buf = np.empty((q1 - q0, Wo))
        prow = np.empty(Wp)
        acc = np.empty(Wo)
        for i in range(i0, i1):
            Y[n, o, i, :] = 0
        for c in range(Cg):
            xc = g * Cg + c
            kval = Kc[o, c]
            finite = True
            for q in range(q0, q1):
                h = buf[q - q0]
                r = rowmap[q]
                if r < 0:
                    h[:] = kw * value
                    finite = finite and np.isfinite(value)
                    continue
                row_finite = np.isfinite(_padded_row(prow, X[n, xc, r], colmap, value, pl, W))
                finite = finite and row_finite
                s = 0.0
                for m in range(M):
                    if m % resync == 0 or not row_finite:
                        s = 0.0
                        for b in range(kw):
                            s += prow[m + b]
                    else:
                        s += prow[m + kw - 1] - prow[m - 1]
                    if m % sw == 0:
                        h[m // sw] = s
            for i in range(i0, i1):
                base = i * sh - q0
                if sh != 1 or not finite or (i - i0) % resync == 0:
                    acc[:] = 0
                    for a in range(kh):
                        ha = buf[base + a]
                        for j in range(Wo):
                            acc[j] += ha[j]
                else:
                    hn = buf[base + kh - 1]
                    ho = buf[base - 1]
                    for j in range(Wo):
                        acc[j] += hn[j] - ho[j]
                y = Y[n, o, i]
                for j in range(Wo):
                    y[j] += kval * acc[j]
