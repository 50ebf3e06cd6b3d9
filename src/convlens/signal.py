"""A drop-in for the 2-D convolutions of :mod:`scipy.signal`, on convlens's engines.

``from convlens import signal`` in place of ``from scipy import signal`` for
``correlate2d``, ``convolve2d``, ``fftconvolve`` and ``oaconvolve``: the same signatures,
``mode`` (``"full"``, ``"valid"``, ``"same"``, with scipy's rule that ``"valid"`` swaps the
inputs when the second is the larger), ``boundary`` (``"fill"`` with ``fillvalue``,
``"wrap"``, ``"symm"``) and the same results.

How a call runs
---------------
- **Fast path.** Real 2-D inputs (and 1-D ones for the FFT functions) run as one
  :func:`convlens.corr2d`/:func:`convlens.conv2d` call with explicit padding: ``"full"`` pads
  ``k - 1`` on each side; ``"same"`` pads ``(k - 1) // 2`` before for ``correlate2d`` and
  ``k // 2`` before for the convolutions (scipy's centring of the full result); ``fill`` is
  ``constant``, ``symm`` is ``symmetric``, ``wrap`` is ``wrap``.
- **dtypes.** ``correlate2d``/``convolve2d`` return ``np.result_type(in1, in2)`` as scipy
  does, integers included: integer sums are formed exactly (float64, direct engine) and
  wrap around on the cast as C integer arithmetic does. ``fftconvolve``/``oaconvolve``
  return scipy.fft's dtype: float32 for float32 (and float16) inputs, else float64; they
  run on convlens's FFT engine (``oaconvolve`` too: the engine picks whole-image or
  overlap-save tiles itself).
- **Handed to scipy.signal itself**: complex, bool, float16 (for the direct functions) and
  object inputs, empty or 0-D inputs, N-D inputs and ``axes=`` (FFT functions), integer
  sums that could pass 2**53, any argument scipy would refuse (so its errors are scipy's
  own), and a call whose float copy would not fit in memory (``MemoryError`` from convlens).

Examples
--------
>>> import numpy as np
>>> from convlens import signal
>>> signal.correlate2d(np.arange(9).reshape(3, 3), [[1, -1]], mode="valid")
array([[-1, -1],
       [-1, -1],
       [-1, -1]])
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal as _scipy

from ._dropin import Delegate, drop_in
from .ops import conv2d, corr2d

__all__ = ["convolve2d", "correlate2d", "fftconvolve", "oaconvolve"]

BOUNDARIES = {"fill": "constant", "symm": "symmetric", "wrap": "wrap"}
MODES = ("full", "valid", "same")

Array = np.ndarray


def _real(a: Any, kinds: str) -> Array:
    arr = np.asarray(a)
    if arr.dtype.kind not in kinds or not arr.dtype.isnative or arr.size == 0:
        raise Delegate
    return arr


def _swap(mode: str, s1: tuple, s2: tuple) -> bool:
    """scipy's rule: in "valid" mode the larger input goes first; neither fitting is an
    error (raised by scipy itself)."""
    if mode != "valid":
        return False
    ok1 = all(a >= b for a, b in zip(s1, s2))
    ok2 = all(b >= a for a, b in zip(s1, s2))
    if not (ok1 or ok2):
        raise Delegate
    return not ok1


def _pads(mode: str, kshape: tuple, before: Callable[[int], int]) -> Any:
    if mode == "valid":
        return "valid"
    if mode == "full":
        return "full"
    return tuple((before(k), k - 1 - before(k)) for k in kshape)


def _exact_sum_bound(in1: Array, in2: Array) -> bool:
    """Whether every integer sum fits float64's 53-bit mantissa (so it is exact)."""
    # max and min rather than abs: no temporary the size of the image.
    top = max(abs(float(in1.max())), abs(float(in1.min())))
    big = top * float(np.abs(in2.astype(np.float64)).sum())
    return big < 2.0**53


def _direct_2d(
    in1: Any, in2: Any, mode: Any, boundary: Any, fillvalue: Any, convolve: bool
) -> Array:
    in1, in2 = _real(in1, "iuf"), _real(in2, "iuf")
    if in1.ndim != 2 or in2.ndim != 2 or not isinstance(mode, str) or mode not in MODES:
        raise Delegate
    if not isinstance(boundary, str) or boundary not in BOUNDARIES:
        raise Delegate
    if not isinstance(fillvalue, numbers.Real):
        raise Delegate
    dtype = np.result_type(in1.dtype, in2.dtype)
    if dtype.kind == "f" and dtype not in (np.float32, np.float64):
        raise Delegate
    integer = dtype.kind in "iu"
    if integer:
        info = np.iinfo(dtype)
        # scipy casts the fill to the dtype (with a warning when it does not fit).
        if fillvalue != int(fillvalue) or not info.min <= fillvalue <= info.max:
            raise Delegate
        if not _exact_sum_bound(in1, in2):
            raise Delegate
    swapped = _swap(mode, in1.shape, in2.shape)
    if swapped:
        in1, in2 = in2, in1
    cdt = np.float64 if integer else dtype
    scaled = in2.astype(np.float64) * 1024.0
    exact = integer or bool(np.all(scaled == np.round(scaled)))
    opts = dict(
        boundary=BOUNDARIES[boundary],
        value=float(fillvalue),
        method="direct" if exact else "auto",
    )
    K = np.asarray(in2, dtype=cdt)
    if convolve:
        Y = conv2d(in1, K, padding=_pads(mode, in2.shape, lambda k: k // 2), **opts)
    else:
        Y = corr2d(in1, K, padding=_pads(mode, in2.shape, lambda k: (k - 1) // 2), **opts)
        if swapped:
            Y = Y[::-1, ::-1]
    if integer:
        # C integer arithmetic wraps around; the exact sum, cast through int64, does too.
        return Y.astype(np.int64).astype(dtype, copy=False)
    return np.ascontiguousarray(Y, dtype=dtype)


@drop_in(_scipy.correlate2d)
def correlate2d(
    in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0
) -> Array:
    """2-D cross-correlation, as :func:`scipy.signal.correlate2d`.

    Parameters
    ----------
    in1, in2 : array_like
        2-D arrays; ``in2`` slides over ``in1``.
    mode : {"full", "valid", "same"}
        Output size; in "valid" mode the inputs swap when ``in2`` is the larger (the result
        is then flipped, as scipy's is).
    boundary : {"fill", "wrap", "symm"}
        How ``in1`` is extended.
    fillvalue : scalar
        The fill for "fill".

    Returns
    -------
    numpy.ndarray
        dtype ``np.result_type(in1, in2)``.

    Examples
    --------
    >>> correlate2d([[1, 2], [3, 4]], [[1, 1]])
    array([[1, 3, 2],
           [3, 7, 4]])
    """
    return _direct_2d(in1, in2, mode, boundary, fillvalue, convolve=False)


@drop_in(_scipy.convolve2d)
def convolve2d(
    in1: Any, in2: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0
) -> Array:
    """2-D convolution, as :func:`scipy.signal.convolve2d`.

    Parameters
    ----------
    in1, in2, mode, boundary, fillvalue
        As in :func:`correlate2d`.

    Returns
    -------
    numpy.ndarray
        dtype ``np.result_type(in1, in2)``.

    Examples
    --------
    >>> convolve2d([[1, 2], [3, 4]], [[1, -1]])
    array([[ 1,  1, -2],
           [ 3,  1, -4]])
    """
    return _direct_2d(in1, in2, mode, boundary, fillvalue, convolve=True)


def _fft_dtype(dt: np.dtype) -> np.dtype:
    """scipy.fft's real working precision: float32 for float16/float32, else float64."""
    return np.dtype(np.float32) if dt in (np.float16, np.float32) else np.dtype(np.float64)


def _fft_2d(in1: Any, in2: Any, mode: Any, axes: Any) -> Array:
    in1, in2 = _real(in1, "biuf"), _real(in2, "biuf")
    if axes is not None or in1.ndim != in2.ndim or in1.ndim not in (1, 2):
        raise Delegate
    if 1 in in1.shape or 1 in in2.shape:
        raise Delegate  # scipy broadcasts over unit axes (an all-unit call keeps ints)
    if in1.dtype.kind == "f" and in1.dtype.itemsize > 8 or in2.dtype.itemsize > 8:
        raise Delegate  # long double
    if not isinstance(mode, str) or mode not in MODES:
        raise Delegate
    dtype = np.result_type(_fft_dtype(in1.dtype), _fft_dtype(in2.dtype))
    one_d = in1.ndim == 1
    if one_d:
        in1, in2 = in1[None], in2[None]
    if _swap(mode, in1.shape, in2.shape):
        in1, in2 = in2, in1
    X, K = np.asarray(in1, dtype=dtype), np.asarray(in2, dtype=dtype)
    Y = conv2d(X, K, padding=_pads(mode, K.shape, lambda k: k // 2), method="fft")
    return Y[0] if one_d else Y


@drop_in(_scipy.fftconvolve)
def fftconvolve(in1: Any, in2: Any, mode: str = "full", axes: Any = None) -> Array:
    """Convolution by FFT, as :func:`scipy.signal.fftconvolve`.

    Parameters
    ----------
    in1, in2 : array_like
        Arrays of the same number of dimensions (1-D and 2-D run on convlens).
    mode : {"full", "valid", "same"}
        Output size; "same" is centred on ``in1``, as in scipy.
    axes : int or sequence of int, optional
        Axes to convolve over (given axes go to scipy.signal itself).

    Returns
    -------
    numpy.ndarray
        float32 for float32 inputs, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> fftconvolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])).round(12)
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    return _fft_2d(in1, in2, mode, axes)


@drop_in(_scipy.oaconvolve)
def oaconvolve(in1: Any, in2: Any, mode: str = "full", axes: Any = None) -> Array:
    """Convolution by overlap-add, as :func:`scipy.signal.oaconvolve`.

    convlens's FFT engine chooses between one transform and overlap-save tiles itself, so
    this is :func:`fftconvolve`.

    Parameters
    ----------
    in1, in2, mode, axes
        As in :func:`fftconvolve`.

    Returns
    -------
    numpy.ndarray
        float32 for float32 inputs, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> oaconvolve(np.ones(6), np.ones(2), mode="valid").round(12)
    array([2., 2., 2., 2., 2.])
    """
    return _fft_2d(in1, in2, mode, axes)
