"""Cross-correlation as a matrix product (D2L 7.2, exercise 4).

Two ways to turn ``corr2d`` into one matrix multiplication:

- :func:`im2col` rearranges the *input*: one row per output pixel holding the patch under the
  kernel, so ``im2col(X, K.shape) @ K.ravel() == corr2d(X, K).ravel()``. The kernel stays a
  vector; this is how GEMM-based convolution layers run, and how ``learn`` can recover a
  kernel by linear least squares.
- :func:`toeplitz` rearranges the *kernel*: a sparse doubly-blocked Toeplitz matrix ``T``
  with ``T @ X.ravel() == corr2d(X, K).ravel()``. The image stays a vector; ``T.T`` is the
  transposed convolution.

Both build one integer map, "which input pixel does output ``(i, j)`` read at tap
``(a, b)``", by padding an index image with the same ``numpy.pad`` mode as the data, so every
boundary of the contract is exact, and stride, dilation and padding follow the same
output-size law as :func:`convlens.corr2d`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks
from .contract import normalize

__all__ = ["im2col", "toeplitz"]


def _tap_index(
    in_shape: tuple[int, int],
    k_shape: tuple[int, int],
    pads: _checks.Pads,
    boundary: str,
    stride: _checks.Pair,
    dilation: _checks.Pair,
    out_shape: _checks.Pair,
) -> np.ndarray:
    """``(H'W', kh kw)`` flat input indices; ``-1`` where the tap reads constant padding."""
    H, W = in_shape
    idx = np.arange(H * W, dtype=np.intp).reshape(H, W)
    if boundary == "constant":
        idx = np.pad(idx, pads, mode="constant", constant_values=-1)
    else:
        idx = np.pad(idx, pads, mode=boundary)
    (kh, kw), (Ho, Wo) = k_shape, out_shape
    rows = (np.arange(Ho) * stride[0])[:, None, None, None] + (np.arange(kh) * dilation[0])[
        None, None, :, None
    ]
    cols = (np.arange(Wo) * stride[1])[None, :, None, None] + (np.arange(kw) * dilation[1])[
        None, None, None, :
    ]
    return idx[rows, cols].reshape(Ho * Wo, kh * kw)


def im2col(
    X: Any,
    kernel_shape: int | tuple[int, int],
    *,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> np.ndarray:
    """The patch matrix of ``X``: one row per output pixel, one column per kernel tap.

    Parameters
    ----------
    X : array_like
        ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
    kernel_shape : int or (int, int)
        ``(kh, kw)``.
    padding, boundary, value, stride, dilation
        As in :func:`convlens.corr2d`.

    Returns
    -------
    cols : ndarray
        ``(H'W', kh kw)`` for 2-D ``X``, ``(H'W', C kh kw)`` for 3-D, ``(N, H'W', C kh kw)``
        for 4-D, with columns in ``K.ravel()`` order (channel, then row, then column). dtype
        ``np.result_type(X, np.float32)``. Then ``cols @ K.ravel()`` is
        ``corr2d(X, K).ravel()`` and, for ``K (C_out, C, kh, kw)``,
        ``cols @ K.reshape(C_out, -1).T`` is ``corr2d(X, K)`` with channels last.

    Notes
    -----
    Memory: the result is dense, ``H' W' x C kh kw`` elements, ``kh kw`` times the input. A
    1024 x 1024 grey float32 image with a 3 x 3 kernel takes 36 MiB (the image is 4 MiB); an
    11 x 11 kernel takes 484 MiB. For large kernels prefer :func:`toeplitz` or ``corr2d``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> cols = im2col(X, (2, 2))
    >>> cols
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    >>> cols @ np.array([0.0, 1.0, 2.0, 3.0])  # the chapter's K: [[19, 25], [37, 43]]
    array([19., 25., 37., 43.])
    """
    X = np.asarray(X)
    _checks.check_dtype(X.dtype, "X")
    kh, kw = _checks.as_pair(kernel_shape, "kernel_shape")
    k_full = (kh, kw) if X.ndim == 2 else (1, X.shape[-3] if X.ndim >= 3 else 1, kh, kw)
    spec = normalize(
        X.shape,
        k_full,
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=1,
    )
    H, W = X.shape[-2:]
    P = _tap_index(
        (H, W), (kh, kw), spec.pads, spec.boundary, spec.stride, spec.dilation, spec.out_shape
    )
    dtype = _checks.result_dtype(X.dtype, np.dtype(np.float32))
    flat = X.reshape(*X.shape[:-2], H * W).astype(dtype, copy=False)
    # One extra slot holds the constant fill, so index -1 reads `value`.
    fill = np.full((*flat.shape[:-1], 1), spec.value, dtype=dtype)
    flat = np.concatenate([flat, fill], axis=-1)
    cols = flat[..., P]  # (..., H'W', kh kw)
    if X.ndim == 2:
        return cols
    cols = np.moveaxis(cols, -3, -2)  # (..., H'W', C, kh kw)
    return np.ascontiguousarray(cols.reshape(*cols.shape[:-2], -1))


def toeplitz(
    K: Any,
    input_shape: tuple[int, int],
    *,
    padding: Any = "valid",
    boundary: str = "constant",
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
) -> Any:
    """The sparse matrix ``T`` with ``T @ X.ravel() == corr2d(X, K, ...).ravel()``.

    Parameters
    ----------
    K : array_like
        The kernel, ``(kh, kw)``.
    input_shape : (int, int)
        ``(H, W)`` of the images it will multiply.
    padding, boundary, stride, dilation
        As in :func:`convlens.corr2d`. Every boundary works: a reflected, repeated or wrapped
        tap adds its weight to the input pixel it reads. ``boundary="constant"`` means a zero
        fill (a non-zero fill would make the map affine, not linear).

    Returns
    -------
    T : scipy.sparse.csr_array
        Shape ``(H' W', H W)``, dtype ``np.result_type(K, np.float32)``. With constant padding
        it is doubly-blocked Toeplitz: ``H'`` x ``H`` blocks, each a ``W'`` x ``W`` Toeplitz
        band, constant along block diagonals. ``T.T`` maps an output back onto the input grid:
        the transposed convolution.

    Notes
    -----
    Memory: at most ``nnz = H' W' kh kw`` stored values (zero taps and taps in constant
    padding are dropped; taps that fold onto the same pixel are summed), each with a column
    index, plus ``H' W' + 1`` row pointers: about 12 bytes per value for float64 with 32-bit
    indices. A 1024 x 1024 image with a 3 x 3 kernel: 9.4 M values, about 113 MB, versus the
    dense ``(H' W') x (H W)`` matrix's 8 TB.

    Examples
    --------
    >>> import numpy as np
    >>> T = toeplitz([[0.0, 1.0], [2.0, 3.0]], (3, 3))
    >>> T.shape, T.nnz
    ((4, 9), 12)
    >>> T @ np.arange(9.0)
    array([19., 25., 37., 43.])
    """
    import scipy.sparse as sp

    K = np.asarray(K)
    _checks.check_dtype(K.dtype, "K")
    if K.ndim != 2:
        raise ValueError(f"`K` must be 2-D (kh, kw); got shape {K.shape}")
    H, W = _checks.as_pair(input_shape, "input_shape")
    spec = normalize(
        (H, W),
        K.shape,
        padding=padding,
        boundary=boundary,
        value=0.0,
        stride=stride,
        dilation=dilation,
        groups=1,
    )
    P = _tap_index(
        (H, W), K.shape, spec.pads, spec.boundary, spec.stride, spec.dilation, spec.out_shape
    )
    dtype = _checks.result_dtype(K.dtype, np.dtype(np.float32))
    n_out = P.shape[0]
    data = np.broadcast_to(K.astype(dtype).ravel(), P.shape)
    rows = np.broadcast_to(np.arange(n_out)[:, None], P.shape)
    keep = (P >= 0) & (data != 0)
    T = sp.coo_array((data[keep], (rows[keep], P[keep])), shape=(n_out, H * W))
    # COO -> CSR sums the duplicates that reflected/wrapped taps create.
    T = T.tocsr()
    T.sum_duplicates()
    return T
