"""The FFT engine: correlation as a product of real FFTs, whole-image or in overlapping tiles.

``Y = irfft2(rfft2(Xp) * conj(rfft2(K)))`` over the padded image ``Xp``. Only the "valid"
part of the correlation is kept, so the transform length per axis is
``next_fast_len(n_padded)``: circular wrap-around touches only outputs that are discarded.
When the image is much larger than the kernel, the image is cut into tiles of ``B`` output
rows and columns (overlap-save: each tile reads ``B + k - 1`` input rows and columns), the
tiles of a strip are transformed as one batch, and each transform stays in cache.

- **Stride and dilation**: a dilated kernel is transformed with its zeros in place; a stride
  is applied by computing the stride-1 output and keeping every ``s``-th sample (the FFT
  gains nothing from a stride, and the planner charges the full cost).
- **Accuracy**: the mean of each input channel is taken out before the transform and added
  back exactly (``mean * sum(K)``), so the round-off scales with the image's contrast, not
  its brightness. float32 problems transform in float32; the tests check
  ``max|Y - Y_ref| <= 1e-5 * max|Y_ref|``. float64 problems transform in float64.
- **NaN and infinity** would spread over the whole output through the transform; when ``X``
  or ``K`` holds any, this engine hands the problem to the direct engine, which keeps them
  local as the reference does.
"""

from __future__ import annotations

import os

import numpy as np

from .base import Engine, Problem


def _sfft():
    # scipy.fft takes ~0.2 s to import; only FFT plans and runs pay for it.
    import scipy.fft

    return scipy.fft


WORKERS = os.cpu_count() or 1
TILE_LENGTHS = (128, 256, 512, 1024)


def dilated(K: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """``K (..., kh, kw)`` with ``d - 1`` zeros between taps."""
    dh, dw = dilation
    if (dh, dw) == (1, 1):
        return K
    kh, kw = K.shape[-2:]
    out = np.zeros((*K.shape[:-2], dh * (kh - 1) + 1, dw * (kw - 1) + 1), dtype=K.dtype)
    out[..., ::dh, ::dw] = K
    return out


def next_fast_len(n: int) -> int:
    """Smallest ``2^a 3^b 5^c >= n``: a length pocketfft transforms fast.

    Pure Python, so that the planner can cost an FFT without importing scipy.

    Examples
    --------
    >>> next_fast_len(1000), next_fast_len(1001), next_fast_len(2113)
    (1000, 1024, 2160)
    """
    best = 1 << max(n - 1, 0).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def _fft_cost(L: tuple[int, int]) -> float:
    n = L[0] * L[1]
    return n * np.log2(max(n, 2))


def plan_tiles(padded: tuple[int, int], extent: tuple[int, int]) -> tuple[int, int] | None:
    """Transform length ``(L, L)`` of overlap-save tiles, or None for one whole FFT.

    The smallest ``L`` (from 128) whose tiles keep at least 3/4 of their rows and columns as
    output, provided the image spans two tiles on both axes. Measured on 2048^2 float32:
    tiles of 128-512 run 10-15% faster than one whole transform (they stay in cache), and
    larger overlaps waste more than that.

    Examples
    --------
    >>> plan_tiles((4096, 4096), (15, 15))
    (128, 128)
    >>> plan_tiles((4096, 4096), (63, 63))
    (256, 256)
    >>> plan_tiles((300, 300), (63, 63)) is None
    True
    """
    for L in TILE_LENGTHS:
        if 4 * (max(extent) - 1) <= L and min(padded) >= 2 * L:
            return (L, L)
    return None


def work(p: Problem) -> tuple[float, float]:
    """``(transform work, spectral products)`` of running ``p``, for the planner's model.

    Transform work counts ``L log2 L`` per transform of ``L`` points, summed over the image,
    output and kernel transforms of every tile.
    """
    (t, b), (l, r) = p.pads
    (dh, dw), (kh, kw) = p.dilation, p.kernel_shape
    Hp, Wp = p.X.shape[-2] + t + b, p.X.shape[-1] + l + r
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    n, c = p.X.shape[:2]
    o, cg = p.K.shape[:2]
    tiles = plan_tiles((Hp, Wp), (eh, ew))
    if tiles is None:
        L, nt = (next_fast_len(Hp), next_fast_len(Wp)), 1
    else:
        L = tiles
        nt = -(-(Hp - eh + 1) // (L[0] - eh + 1)) * -(-(Wp - ew + 1) // (L[1] - ew + 1))
    transforms = (nt * n * (c + o) + o * cg) * _fft_cost(L)
    products = nt * n * o * cg * L[0] * (L[1] // 2 + 1)
    return float(transforms), float(products)


def _spectrum(K: np.ndarray, L: tuple[int, int]) -> np.ndarray:
    # Correlation is convolution with the conjugate spectrum (K is real).
    return np.conj(_sfft().rfft2(K, s=L, workers=WORKERS))


def _contract(Xf: np.ndarray, Kf: np.ndarray, groups: int) -> np.ndarray:
    """``Yf[n, o] = sum_c Xf[n, c] * Kf[o, c]`` within each group."""
    n, c_in = Xf.shape[:2]
    c_out, cg = Kf.shape[:2]
    if c_in == 1 and c_out == 1:
        return Xf * Kf
    og = c_out // groups
    Xg = Xf.reshape(n, groups, cg, *Xf.shape[2:])
    Kg = Kf.reshape(groups, og, cg, *Kf.shape[2:])
    Yf = np.einsum("ngc...,goc...->ngo...", Xg, Kg)
    return Yf.reshape(n, c_out, *Xf.shape[2:])


def run(p: Problem) -> np.ndarray:
    if not (np.isfinite(p.X).all() and np.isfinite(p.K).all() and np.isfinite(p.value)):
        from .direct import run as direct_run

        return direct_run(p)
    sfft = _sfft()
    Xp = p.padded()
    K = dilated(p.K, p.dilation)
    eh, ew = K.shape[-2:]
    Hv, Wv = Xp.shape[-2] - eh + 1, Xp.shape[-1] - ew + 1
    # Channel means, out before the transform and back in exactly afterwards.
    mean = Xp.mean(axis=(-2, -1), dtype=np.float64, keepdims=True)
    if Xp is p.X:  # no padding: padded() returned the caller's array, never write to it
        Xc = Xp - mean.astype(Xp.dtype)
    else:
        Xc = np.subtract(Xp, mean.astype(Xp.dtype), out=Xp)
    tiles = plan_tiles(Xp.shape[-2:], (eh, ew))
    if tiles is None:
        L = (next_fast_len(Xp.shape[-2]), next_fast_len(Xp.shape[-1]))
        Yf = _contract(sfft.rfft2(Xc, s=L, workers=WORKERS), _spectrum(K, L), p.groups)
        Y = sfft.irfft2(Yf, s=L, workers=WORKERS)[..., :Hv, :Wv]
    else:
        Y = _tiled(Xc, K, tiles, p.groups, (Hv, Wv))
    (sh, sw), (Ho, Wo) = p.stride, p.out_shape
    Y = Y[..., : (Ho - 1) * sh + 1 : sh, : (Wo - 1) * sw + 1 : sw]
    # sum_c mean[n, c] * sum(K[o, c]), within groups: a 1x1 "image" through _contract.
    offset = _contract(mean, K.sum(axis=(-2, -1), dtype=np.float64)[..., None, None], p.groups)
    return np.ascontiguousarray(Y + offset, dtype=p.X.dtype)


def _tiled(Xc: np.ndarray, K: np.ndarray, L: tuple[int, int], groups: int, valid) -> np.ndarray:
    """Overlap-save over tiles of ``B = L - k + 1`` outputs; one batched FFT per tile strip."""
    sfft = _sfft()
    eh, ew = K.shape[-2:]
    Hv, Wv = valid
    Bh, Bw = L[0] - eh + 1, L[1] - ew + 1
    nth, ntw = -(-Hv // Bh), -(-Wv // Bw)
    n, c = Xc.shape[:2]
    # Zero-extend so that every tile reads a full L x L block.
    Hx, Wx = (nth - 1) * Bh + L[0], (ntw - 1) * Bw + L[1]
    Xe = np.zeros((n, c, Hx, Wx), dtype=Xc.dtype)
    Xe[..., : Xc.shape[-2], : Xc.shape[-1]] = Xc
    Kf = _spectrum(K, L)
    Y = np.empty((n, K.shape[0], nth * Bh, ntw * Bw), dtype=Xc.dtype)
    s0, s1, s2, s3 = Xe.strides
    for ti in range(nth):
        strip = np.lib.stride_tricks.as_strided(
            Xe[..., ti * Bh :, :],
            shape=(n, c, ntw, L[0], L[1]),
            strides=(s0, s1, Bw * s3, s2, s3),
            writeable=False,
        )
        # (n, c, ntw, L, L) -> (n, ntw, c, L, L) so that channels contract per tile.
        Sf = sfft.rfft2(strip.transpose(0, 2, 1, 3, 4), workers=WORKERS)
        Sf = _contract(Sf.reshape(n * ntw, c, *Sf.shape[-2:]), Kf, groups)
        Ys = sfft.irfft2(Sf, s=L, workers=WORKERS)[..., :Bh, :Bw]
        Ys = Ys.reshape(n, ntw, K.shape[0], Bh, Bw).transpose(0, 2, 3, 1, 4)
        Y[:, :, ti * Bh : (ti + 1) * Bh, :] = Ys.reshape(n, K.shape[0], Bh, ntw * Bw)
    return Y[..., :Hv, :Wv]


def supports(p: Problem) -> bool:
    return p.X.dtype in (np.float32, np.float64)


ENGINE = Engine(
    "fft",
    run,
    supports,
    description="scipy.fft real transforms, whole image or overlap-save tiles",
)
