"""The weight gradient of a correlation, planned as what it is: a reduction over the image.

With ``Y = corr(pad(X), K)`` at stride ``s`` and dilation ``d``, and ``G = dL/dY``::

    dL/dK[o, c, a, b] = sum_{n, i, j} Xp[n, g*C_in/g + c, i*s_h + a*d_h, j*s_w + b*d_w]
                                      * G[n, o, i, j]          (g = o // (C_out/groups))

For each channel pair that is ``kh * kw`` dot products of a shifted (and strided) padded
input with the output gradient. Two methods:

- ``"direct"``: those dot products, in one pass over ``Xp`` and ``G`` per kernel row
  (numba, without the GIL, spread over threads by :func:`~.base.run_rows`). Cost
  ``N * C_out * C_in/g * kh * kw * H' * W'`` multiply-adds.
- ``"fft"``: the cross-correlation of ``Xp`` with ``G`` at every lag, by real FFTs of
  length ``next_fast_len(Hc)`` per axis (``Hc`` the rows that some window touches, so no
  lag that is kept wraps around), then cropped to the ``kh x kw`` lags (every ``d``-th).
  Cost: one transform per input channel and per output-gradient channel, one inverse per
  channel pair, independent of the kernel size. Stride 1 only.
- ``"torch"``: many channel pairs (a CNN layer) make the reduction a matrix product over
  channels, which oneDNN's weight gradient (``aten.convolution_backward``) blocks for the
  cache far better than row-by-row dot products; the direct method's rows are too short to
  amortise there (3x3, 16 -> 32 channels, 16 x 64^2: about 8x slower than oneDNN).

:func:`plan_weight_grad` picks the cheaper by a cost estimate. Neither ever treats ``G`` as
an image-sized "kernel" to be factorised (the planner's SVD) or transformed per call.

:func:`weight_grad_reference` is the readable version that both are tested against.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .._checks import Pads, Pair
from .base import pad, run_rows
from .fft import FFTs, _ns_per_point, finite_spectrum, next_fast_len

__all__ = [
    "corr_fft", "finite_spectrum", "plan_weight_grad", "weight_grad", "weight_grad_reference",
]  # fmt: skip

METHODS = ("auto", "direct", "fft", "torch")

# From this many channel pairs per group on, oneDNN beats the row-by-row dot products.
_TORCH_PAIRS = 16

# Direct method: ns per multiply-add on one core (float32, AVX2), measured on the
# development machine; only its ratio to the FFT's figure matters.
_NS_PER_MAC = 0.12


def _cropped(X: np.ndarray, pads: Pads, boundary: str, value: float, span: Pair) -> np.ndarray:
    """The padded input, cut to the ``span`` rows and columns that some window touches."""
    (t, b), (l, r) = pads
    H, W = X.shape[-2:]
    Hc, Wc = span
    # Padding past the last window is never read: do not fill it.
    b, r = max(0, min(b, Hc - H - t)), max(0, min(r, Wc - W - l))
    Xp = pad(X, ((t, b), (l, r)), boundary, value)
    return Xp[..., :Hc, :Wc]


def _span(k_shape: Pair, out_shape: Pair, stride: Pair, dilation: Pair) -> Pair:
    return tuple(  # type: ignore[return-value]
        s * (n - 1) + d * (k - 1) + 1
        for k, n, s, d in zip(k_shape, out_shape, stride, dilation, strict=True)
    )


def plan_weight_grad(
    x_shape: tuple[int, ...],
    g_shape: tuple[int, ...],
    k_shape: tuple[int, ...],
    stride: Pair,
    dilation: Pair,
    groups: int,
) -> str:
    """``"direct"``, ``"fft"`` or ``"torch"``: the cheaper method here, by estimate.

    Parameters
    ----------
    x_shape, g_shape, k_shape : tuple of int
        ``X (N, C_in, H, W)``, ``G (N, C_out, H', W')``, ``K (C_out, C_in/groups, kh, kw)``.
    stride, dilation : (int, int)
    groups : int

    Examples
    --------
    >>> plan_weight_grad((1, 1, 512, 512), (1, 1, 510, 510), (1, 1, 3, 3), (1, 1), (1, 1), 1)
    'direct'
    >>> plan_weight_grad((1, 1, 1024, 1024), (1, 1, 994, 994), (1, 1, 31, 31), (1, 1),
    ...                  (1, 1), 1)
    'fft'
    """
    N, C_in = x_shape[:2]
    C_out, cin_g, kh, kw = k_shape
    Ho, Wo = g_shape[-2:]
    if cin_g * (C_out // groups) >= _TORCH_PAIRS:
        return "torch"
    if stride != (1, 1):
        return "direct"
    macs = float(N * C_out * cin_g * kh * kw * Ho * Wo)
    Hc, Wc = _span((kh, kw), (Ho, Wo), stride, dilation)
    L = next_fast_len(Hc) * next_fast_len(Wc)
    # A forward transform of every X and G channel, an inverse per channel pair: half a
    # forward+inverse pair each; the products are one complex multiply-add per point.
    transforms = (N * (C_in + C_out) + C_out * cin_g) / 2
    fft_ns = transforms * L * _ns_per_point(L) + N * C_out * cin_g * L / 2 * 1.0
    return "fft" if fft_ns < macs * _NS_PER_MAC else "direct"


def weight_grad(
    X: np.ndarray,
    G: np.ndarray,
    k_shape: tuple[int, ...],
    pads: Pads,
    boundary: str,
    value: float,
    stride: Pair,
    dilation: Pair,
    groups: int,
    method: str = "auto",
    *,
    x_spectrum: Any = None,
) -> np.ndarray:
    """``dL/dK`` of ``Y = corr(pad(X), K)`` given ``G = dL/dY``, in ``X``'s dtype.

    Parameters
    ----------
    X : ndarray, (N, C_in, H, W)
        The input, unpadded; float32 or float64.
    G : ndarray, (N, C_out, H', W')
        The output gradient, same dtype.
    k_shape : tuple of int
        ``(C_out, C_in / groups, kh, kw)``.
    pads, boundary, value, stride, dilation, groups
        The forward call's options, normalised as in :class:`~.base.Problem`.
    method : {"auto", "direct", "fft", "torch"}
        ``"auto"`` asks :func:`plan_weight_grad`.
    x_spectrum : ndarray or torch.Tensor, optional
        The padded input's transform from :func:`corr_fft`'s forward of the same step; the
        ``"fft"`` method then transforms only ``G``.

    Returns
    -------
    ndarray, (C_out, C_in / groups, kh, kw)

    Examples
    --------
    >>> X = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> G = np.ones((1, 1, 2, 2))
    >>> weight_grad(X, G, (1, 1, 2, 2), ((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1)
    array([[[[ 8., 12.],
             [20., 24.]]]])
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}; got {method!r}")
    if X.dtype not in (np.float32, np.float64) or G.dtype != X.dtype:
        raise TypeError(
            f"`X` and `G` must share a dtype, float32 or float64; got {X.dtype} and {G.dtype}"
        )
    C_out, cin_g, kh, kw = k_shape
    out_shape = G.shape[-2:]
    if 0 in X.shape[:2] or 0 in G.shape[:2] or cin_g == 0 or C_out == 0:
        return np.zeros(k_shape, dtype=X.dtype)
    if method == "auto":
        method = plan_weight_grad(X.shape, G.shape, k_shape, stride, dilation, groups)
    if method == "fft" and stride != (1, 1):
        raise ValueError(f"`method`='fft' needs stride (1, 1); got stride={stride}")
    G = np.ascontiguousarray(G)
    (t, b), (l, r) = pads
    if method == "torch" and boundary == "constant" and value == 0.0 and (t, l) == (b, r):
        # oneDNN pads with zeros itself: no padded copy of X.
        return _torch(np.ascontiguousarray(X), G, k_shape, stride, dilation, groups, (t, l))
    span = _span((kh, kw), out_shape, stride, dilation)
    if method == "fft" and x_spectrum is not None:
        return _fft(None, G, k_shape, dilation, groups, x_spectrum, (*X.shape[:2], *span))
    Xp = _cropped(X, pads, boundary, value, span)
    if method == "fft":
        return _fft(Xp, G, k_shape, dilation, groups)
    if method == "torch":
        return _torch(Xp, G, k_shape, stride, dilation, groups)
    return _direct(np.ascontiguousarray(Xp), G, k_shape, stride, dilation, groups)


def _direct(Xp, G, k_shape, stride, dilation, groups) -> np.ndarray:
    from . import _jit_grad

    C_out, cin_g, kh, kw = k_shape
    Ho, Wo = G.shape[-2:]
    # Enough units to keep every thread busy: split the rows when the channel pairs and
    # kernel rows alone are few (one channel, a 3x3 kernel: 3 units).
    units = C_out * cin_g * kh
    n_blocks = max(1, min(Ho, -(-16 // units)))
    part = np.empty((n_blocks, C_out, cin_g, kh, kw))
    macs = float(G.shape[0] * C_out * cin_g * kh * kw * Ho * Wo)
    zero = Xp.dtype.type(0)
    args = (Xp, G, part, *stride, *dilation, groups, n_blocks, zero)
    run_rows(_jit_grad.weight_grad_units, args, n_blocks * units, macs)
    return part.sum(axis=0).astype(Xp.dtype, copy=False)


def _torch(Xp, G, k_shape, stride, dilation, groups, padding=(0, 0)) -> np.ndarray:
    import torch

    Xt, Gt = torch.from_numpy(np.ascontiguousarray(Xp)), torch.from_numpy(G)
    # Only the weight's shape is read when just its gradient is asked for.
    W = Xt.new_empty(k_shape)
    with torch.no_grad():
        _, gW, _ = torch.ops.aten.convolution_backward(
            Gt, Xt, W, None, list(stride), list(padding), list(dilation), False, [0, 0],
            groups, [False, True, False],
        )  # fmt: skip
    return gW.numpy()


def _torch_loaded() -> bool:
    # torch.fft runs 2-3x faster than pocketfft here (see FFTs); it is used when someone
    # (the layer) has imported torch, never imported for this.
    return "torch" in sys.modules


def _fft(Xp, G, k_shape, dilation, groups, FX=None, xp_shape=None) -> np.ndarray:
    C_out, cin_g, kh, kw = k_shape
    N, C_in, Hc, Wc = Xp.shape if FX is None else xp_shape
    L = (next_fast_len(Hc), next_fast_len(Wc))
    # A spectrum handed over from the forward fixes the library; else torch when loaded.
    on_torch = not isinstance(FX, np.ndarray) if FX is not None else _torch_loaded()
    with FFTs("torch" if on_torch else "scipy", N * C_in * Hc * Wc + G.size, True) as f:
        return _fft_lags(f, Xp, G, k_shape, dilation, groups, L, FX)


def _fft_lags(f: FFTs, Xp, G, k_shape, dilation, groups, L, FX) -> np.ndarray:
    C_out, cin_g, kh, kw = k_shape
    N = G.shape[0]
    if FX is None:
        FX = f.rfft2(f.array(Xp), L)
    FG = f.rfft2(f.array(G), L)
    cout_g = C_out // groups
    FX = FX.reshape(N, groups, cin_g, *FX.shape[-2:])
    # Conjugated in place: a product with a lazily conjugated tensor runs twice as long.
    FG = f.conj_(FG).reshape(N, groups, cout_g, *FG.shape[-2:])
    # Cross-correlation: X's spectrum times G's conjugate, summed over the batch (a loop
    # of broadcast products: NumPy's einsum runs this ten times slower). One image with
    # one input channel per group multiplies into G's own spectrum, allocating nothing.
    if N == 1 and cin_g == 1:
        P = FG[0, :, :, None]
        P *= FX[0, :, None]
    else:
        P = FX[0, :, None] * FG[0, :, :, None]
    for n in range(1, N):
        P += FX[n, :, None] * FG[n, :, :, None]
    P = P.reshape(C_out, cin_g, *P.shape[-2:])
    dh, dw = dilation
    # Only the first d*(k-1)+1 lags are kept on each axis: invert the column transforms,
    # keep those rows, and invert the row transforms of those rows alone. (A (kh, L0)
    # DFT-matrix product would be cheaper than this column transform on NumPy, but NumPy's
    # OpenBLAS threads stall next to torch's OpenMP: 24 ms instead of 0.13 ms.)
    rows = f.columns_out(P, kh, dh)
    lags = f.numpy(f.irfft(rows, L[1], axis=-1))
    return np.ascontiguousarray(lags[..., : dw * (kw - 1) + 1 : dw])


def corr_fft(
    X: np.ndarray, K: np.ndarray, pads: Pads, boundary: str, value: float
) -> tuple[np.ndarray, np.ndarray]:
    """``corr(pad(X), K)`` of one channel at stride 1 by one whole-image FFT, and the padded
    input's spectrum, which :func:`weight_grad` (``x_spectrum=``) reuses in the same step.

    The transform length is the weight gradient's, ``next_fast_len`` of the rows and
    columns that some window touches, so no kept output wraps around and the spectrum
    serves both.

    Parameters
    ----------
    X : ndarray, (N, 1, H, W)
    K : ndarray, (1, 1, kh, kw)
        Same float dtype as ``X``.
    pads, boundary, value
        As in :class:`~.base.Problem`.

    Returns
    -------
    Y : ndarray, (N, 1, H', W')
        A view of the inverse transform (not contiguous): the caller copies it out once,
        with whatever it adds on the way.
    spectrum : ndarray or torch.Tensor
        ``rfft2`` of the padded input, cropped to the windows' span: a complex tensor when
        torch is imported (the transforms then run on torch.fft), else an ndarray.

    Examples
    --------
    >>> X = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> Y, FX = corr_fft(X, np.ones((1, 1, 2, 2)), ((0, 0), (0, 0)), "constant", 0.0)
    >>> Y[0, 0].round(9)
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    """
    kh, kw = K.shape[-2:]
    (t, b), (l, r) = pads
    out = (X.shape[-2] + t + b - kh + 1, X.shape[-1] + l + r - kw + 1)
    span = _span((kh, kw), out, (1, 1), (1, 1))
    Xp = _cropped(X, pads, boundary, value, span)
    L = (next_fast_len(span[0]), next_fast_len(span[1]))
    with FFTs("torch" if _torch_loaded() else "scipy", Xp.size, True) as f:
        FX = f.rfft2(f.array(Xp), L)
        # K has kh nonzero rows of L[0]: transform those rows only, then the columns (rfft2
        # with s=L would transform every zero row too). Its conjugate is taken on those kh
        # rows: a product with a lazily conjugated operand runs twice as long.
        FKc = f.columns_in(f.rfft(f.array(K), L[1], axis=-1).conj(), L[0])
        Y = f.numpy(f.irfft2(FX * FKc, L))[..., : out[0], : out[1]]
    return Y, FX


def weight_grad_reference(
    X: np.ndarray,
    G: np.ndarray,
    k_shape: tuple[int, ...],
    pads: Pads,
    boundary: str,
    value: float,
    stride: Pair,
    dilation: Pair,
    groups: int,
) -> np.ndarray:
    """The weight gradient as its definition reads, in float64: one sum per kernel tap.

    Examples
    --------
    >>> X = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> weight_grad_reference(X, np.ones((1, 1, 2, 2)), (1, 1, 2, 2), ((0, 0), (0, 0)),
    ...                       "constant", 0.0, (1, 1), (1, 1), 1)[0, 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    C_out, cin_g, kh, kw = k_shape
    Xp = pad(X.astype(np.float64), pads, boundary, value)
    G = G.astype(np.float64)
    (sh, sw), (dh, dw) = stride, dilation
    Ho, Wo = G.shape[-2:]
    cout_g = max(C_out // groups, 1)
    gK = np.zeros(k_shape)
    for o in range(C_out):
        for c in range(cin_g):
            ci = (o // cout_g) * cin_g + c
            for a in range(kh):
                for b in range(kw):
                    # The input pixels that tap (a, b) met, one per output pixel.
                    window = Xp[
                        :,
                        ci,
                        a * dh : a * dh + sh * (Ho - 1) + 1 : sh,
                        b * dw : b * dw + sw * (Wo - 1) + 1 : sw,
                    ]
                    gK[o, c, a, b] = np.sum(window * G[:, o])
    return gK
