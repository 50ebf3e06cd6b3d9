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
TILE_LENGTHS = (64, 128, 256, 512, 1024)


def dilated(K: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """``K (..., kh, kw)`` with ``d - 1`` zeros between taps."""
    dh, dw = dilation
    if (dh, dw) == (1, 1):
        return K
    kh, kw = K.shape[-2:]
    out = np.zeros((*K.shape[:-2], dh * (kh - 1) + 1, dw * (kw - 1) + 1), dtype=K.dtype)
    out[..., ::dh, ::dw] = K
    return out


def _fft_cost(L: tuple[int, int]) -> float:
    n = L[0] * L[1]
    return n * np.log2(max(n, 2))


def plan_tiles(padded: tuple[int, int], extent: tuple[int, int]) -> tuple[int, int] | None:
    """Transform length ``(L_h, L_w)`` of overlap-save tiles, or None for one whole FFT.

    Chooses the length that minimises the transform work per output pixel; tiles win when
    the image is several times the kernel, and only when they are clearly cheaper.

    Examples
    --------
    >>> plan_tiles((4096, 4096), (15, 15))
    (128, 128)
    >>> plan_tiles((300, 300), (63, 63)) is None
    True
    """
    sfft = _sfft()
    Hv = padded[0] - extent[0] + 1
    Wv = padded[1] - extent[1] + 1
    whole = (sfft.next_fast_len(padded[0], real=True), sfft.next_fast_len(padded[1], real=True))
    best, best_cost = None, _fft_cost(whole) / (Hv * Wv)
    for L in TILE_LENGTHS:
        Bh, Bw = L - extent[0] + 1, L - extent[1] + 1
        if Bh < L // 2 or Bw < L // 2 or Bh >= Hv or Bw >= Wv:
            continue
        nt = -(-Hv // Bh) * -(-Wv // Bw)
        cost = nt * _fft_cost((L, L)) / (Hv * Wv)
        if cost < 0.8 * best_cost:
            best, best_cost = (L, L), cost
    return best


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
    Xc = (Xp - mean.astype(Xp.dtype)).astype(Xp.dtype, copy=False)
    tiles = plan_tiles(Xp.shape[-2:], (eh, ew))
    if tiles is None:
        L = (sfft.next_fast_len(Xp.shape[-2], real=True), sfft.next_fast_len(Xp.shape[-1], True))
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
