"""A drop-in for the linear filters of :mod:`scipy.ndimage`, on convlens's engines.

``from convlens import ndimage`` in place of ``from scipy import ndimage``: the same names,
signatures and semantics (``mode`` with scipy's names, ``cval``, ``origin``, ``output`` as a
dtype or an array, ``axes``, ``truncate``, ``radius``; any ``ndim``), and the same results.

How a call runs
---------------
- **Fast path.** Weights that vary along one or two of the input's axes (every 1-D filter,
  and ``correlate``/``convolve`` with at most two non-singleton weight axes) run as one
  :func:`convlens.corr2d` call over a batch of 2-D planes: scipy's ``mode`` becomes the
  numpy.pad ``boundary`` (``reflect`` -> ``symmetric``, ``mirror`` -> ``reflect``,
  ``nearest`` -> ``edge``, ``wrap``/``grid-wrap`` -> ``wrap``, ``constant``/``grid-constant``
  -> ``constant``, ``grid-mirror`` -> ``symmetric``) and ``origin`` becomes explicit padding
  (``k // 2 + origin`` before, the rest after).
- **Arithmetic.** As in scipy, sums are formed in float64 and cast to the output dtype with
  C's rules (integers truncate toward zero), except that float32 in and float32 out computes
  in float32. Integer inputs, and weights that are multiples of 2**-10 (integer weights:
  Sobel, Prewitt, Laplace, box sums), run on the direct engine, so integer-valued results
  are exact, as scipy's are; other weights let the planner choose (separable or FFT, within
  float rounding). An integer output with other weights (a Gaussian on uint8) goes to
  scipy itself: truncating a float sum would expose any rounding difference from scipy's
  summation order as a whole unit. ``uniform_filter1d`` divides the exact window sum by
  ``size``, as scipy.
  8- and 16-bit integers with integer weights compute in float32 when no sum can reach
  2**24 (so exactly).
- **Composite filters** (``gaussian_filter``, ``uniform_filter``, ``sobel``, ``prewitt``,
  ``laplace``, ``gaussian_laplace``, ``gaussian_gradient_magnitude``) make scipy's 1-D passes
  in scipy's order, each written to the output's dtype, so intermediate rounding and integer
  wrap-around are scipy's too. With a float output, two passes over a 2-D image become one
  2-D call (the outer product of the 1-D kernels), which equals them up to float rounding
  for every mode but a non-zero ``cval`` (scipy pads the intermediate result with it).
- **Handed to scipy.ndimage itself**: weights that vary along three or more axes, complex
  data or weights, float16 and non-native byte orders, 0-D and empty inputs, a complex
  ``cval``, any argument that scipy would refuse (so its errors, with their types and
  messages, are scipy's own), and a call whose float copy would not fit in memory
  (``MemoryError`` from convlens).

Examples
--------
>>> import numpy as np
>>> from convlens import ndimage
>>> a = np.array([[1, 2, 0, 0], [5, 3, 0, 4], [0, 0, 0, 7], [9, 3, 0, 0]])
>>> ndimage.correlate(a, np.ones((3, 3), dtype=int), mode="constant")
array([[11, 11,  9,  4],
       [11, 11, 16, 11],
       [20, 20, 17, 11],
       [12, 12, 10,  7]])
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import ndimage as _scipy

from ._dropin import Delegate, drop_in
from .ops import corr2d

__all__ = [
    "convolve",
    "convolve1d",
    "correlate",
    "correlate1d",
    "gaussian_filter",
    "gaussian_filter1d",
    "gaussian_gradient_magnitude",
    "gaussian_laplace",
    "laplace",
    "prewitt",
    "sobel",
    "uniform_filter",
    "uniform_filter1d",
]

# scipy.ndimage's mode for filters -> numpy.pad's boundary. For filters scipy treats the
# grid-* names as synonyms of wrap, reflect and constant.
MODES = {
    "reflect": "symmetric",
    "grid-mirror": "symmetric",
    "mirror": "reflect",
    "nearest": "edge",
    "wrap": "wrap",
    "grid-wrap": "wrap",
    "constant": "constant",
    "grid-constant": "constant",
}

# Weights that are multiples of 2**-EXACT_BITS make exact products with integer-valued data,
# so their sums are exact on the direct engine (not on separable or FFT).
EXACT_BITS = 10

Array = np.ndarray


def _fast_dtype(dt: np.dtype) -> bool:
    return dt.isnative and (dt.kind in "biu" or dt in (np.float32, np.float64))


def _input(input: Any) -> Array:
    x = np.asarray(input)
    if x.ndim == 0 or x.size == 0 or not _fast_dtype(x.dtype):
        raise Delegate
    return x


def _output(output: Any, x: Array) -> Array:
    """scipy's ``output=`` rule (None, a dtype, or an array of the input's shape)."""
    if output is None:
        return np.empty(x.shape, x.dtype)
    if isinstance(output, (type, np.dtype, str)):
        try:
            dt = np.dtype(output)
        except TypeError:
            raise Delegate from None
        if not _fast_dtype(dt):
            raise Delegate
        return np.empty(x.shape, dt)
    if (
        isinstance(output, np.ndarray)
        and output.shape == x.shape
        and _fast_dtype(output.dtype)
        and output.flags.writeable
    ):
        return output
    raise Delegate


def _int(v: Any) -> int:
    if not isinstance(v, numbers.Integral):
        raise Delegate
    return int(v)


def _seq(value: Any, n: int) -> list:
    """scipy's per-axis argument: one value for every axis, or one per axis."""
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        return [value] * n
    values = list(value)
    if len(values) != n:
        raise Delegate
    return values


def _axes(axes: Any, ndim: int) -> list[int]:
    if axes is None:
        return list(range(ndim))
    axes = [axes] if isinstance(axes, numbers.Integral) else list(axes)
    out = []
    for a in axes:
        a = _int(a)
        if not -ndim <= a < ndim:
            raise Delegate
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise Delegate
    return out


def _mode(mode: Any) -> str:
    if not isinstance(mode, str) or mode not in MODES:
        raise Delegate
    return MODES[mode]


def _cval(cval: Any) -> float:
    if not isinstance(cval, numbers.Real):
        raise Delegate
    return float(cval)


def _origin_ok(origin: int, k: int) -> bool:
    return -(k // 2) <= origin <= (k - 1) // 2


def _exact(w: Array) -> bool:
    scaled = w * float(2**EXACT_BITS)
    return bool(np.all(scaled == np.round(scaled)))


def _small_integer_sums(dtype: np.dtype, w: Array) -> bool:
    """Whether integer weights on ``dtype`` (8- or 16-bit integers) can only make sums below
    2**24 in magnitude, which float32 holds exactly (bounded by the dtype, not the data)."""
    if dtype.kind not in "biu" or dtype.itemsize > 2 or not np.all(w == np.round(w)):
        return False
    top = 1 if dtype.kind == "b" else max(-int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))
    return top * float(np.abs(w).sum()) < 2.0**24


def _correlate_axes(
    x: Array,
    w: Array,
    axes: Sequence[int],
    mode: str,
    cval: float,
    origins: Sequence[int],
    out: Array,
    divisor: float | None = None,
) -> Array:
    """Correlate ``x`` with ``w`` (1-D or 2-D, along ``axes``) into ``out``: the fast path.

    ``divisor`` divides the float sums before the cast (``uniform_filter1d``'s mean).
    """
    boundary = _mode(mode)
    if len(axes) == 2 and axes[0] > axes[1]:
        # Transpose the weights, not the image: the planes keep their memory order.
        w, axes, origins = np.transpose(w), axes[::-1], origins[::-1]
    cdt = np.float32 if x.dtype == np.float32 and out.dtype == np.float32 else np.float64
    # Every sum is an integer below 2**24, exact in float32 too. A mean (sum / size) may then
    # round differently, but never across an integer (its distance to one is at least
    # 1 / size, more than float32's error), so it truncates to the same integer output.
    if _small_integer_sums(x.dtype, w) and (divisor is None or out.dtype.kind in "iu"):
        cdt = np.float32
    K = np.ascontiguousarray(w, dtype=cdt)
    if out.dtype.kind in "biu" and not _exact(K):
        # The float sum is truncated to an integer, so a rounding difference from scipy's
        # summation order could change the output by 1 (and later passes amplify it).
        raise Delegate
    exact = x.dtype.kind in "biu" or _exact(K)
    method = "direct" if exact else "auto"
    if divisor is not None and K.size >= 16:
        method = "box"  # running sums: O(1) per pixel, exact on integer-valued data
    pads = [(k // 2 + o, k - 1 - (k // 2 + o)) for k, o in zip(K.shape, origins)]
    opts = dict(boundary=boundary, value=cval, method=method)
    shape = x.shape
    # The engine may write straight into `out` when no cast or division follows and the
    # planes need no transposing (saves a pass over the image).
    into = (
        divisor is None
        and out.dtype == cdt
        and out.flags.c_contiguous
        and out.flags.writeable
        and not np.shares_memory(out, x)
        and (len(axes) == 1 or tuple(axes) == (x.ndim - 2, x.ndim - 1))
    )
    if len(axes) == 1:
        (ax,) = axes
        n, lead, trail = shape[ax], math.prod(shape[:ax]), math.prod(shape[ax + 1 :])
        if trail == 1:  # along the last axis: rows of a 2-D image
            X = x.reshape(lead, n)
            K2, pad2 = K.reshape(1, -1), ((0, 0), pads[0])
        else:  # along a middle axis: columns of a batch of (n, trail) planes
            X = x.reshape(lead, 1, n, trail)
            K2, pad2 = K.reshape(1, 1, -1, 1), (pads[0], (0, 0))
        if into:
            corr2d(X, K2, padding=pad2, out=out.reshape(X.shape), **opts)
            return out
        Y = corr2d(X, K2, padding=pad2, **opts).reshape(shape)
    else:
        xm = np.moveaxis(x, tuple(axes), (-2, -1))
        planes = xm.reshape(-1, 1, *xm.shape[-2:])
        K4 = K.reshape(1, 1, *K.shape)
        if into:
            corr2d(planes, K4, padding=tuple(pads), out=out.reshape(planes.shape), **opts)
            return out
        Y = corr2d(planes, K4, padding=tuple(pads), **opts)
        Y = np.moveaxis(Y.reshape(xm.shape), (-2, -1), tuple(axes))
    if divisor is not None:
        Y /= divisor
    # C's cast, as scipy's: out-of-range values (a negative derivative into unsigned) wrap.
    with np.errstate(invalid="ignore"):
        np.copyto(out, Y, casting="unsafe")
    return out


@drop_in(_scipy.correlate1d)
def correlate1d(
    input: Any,
    weights: Any,
    axis: int = -1,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    origin: int = 0,
) -> Array:
    """1-D correlation along ``axis``, as :func:`scipy.ndimage.correlate1d`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    weights : array_like
        1-D weights.
    axis : int
        The axis to filter along.
    output : array or dtype, optional
        Where to put the result, or its dtype; by default the input's dtype.
    mode : str
        scipy.ndimage's boundary name ('reflect', 'constant', 'nearest', 'mirror', 'wrap',
        or a 'grid-' synonym).
    cval : float
        The fill for 'constant'.
    origin : int
        Shifts the filter: ``-(len(weights) // 2) <= origin <= (len(weights) - 1) // 2``.

    Returns
    -------
    numpy.ndarray
        The filtered array (``output`` itself when it is an array).

    Examples
    --------
    >>> correlate1d([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3])
    array([ 8, 26,  8, 12,  7, 28, 36,  9])
    """
    x = _input(input)
    w = np.asarray(weights)
    if w.ndim != 1 or w.size < 1 or w.dtype.kind not in "biuf":
        raise Delegate
    axis, origin = _int(axis), _int(origin)
    if not -x.ndim <= axis < x.ndim or not _origin_ok(origin, w.size):
        raise Delegate
    _mode(mode)
    cval = _cval(cval)
    out = _output(output, x)
    return _correlate_axes(x, w, [axis % x.ndim], mode, cval, [origin], out)


@drop_in(_scipy.convolve1d)
def convolve1d(
    input: Any,
    weights: Any,
    axis: int = -1,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    origin: int = 0,
) -> Array:
    """1-D convolution along ``axis``, as :func:`scipy.ndimage.convolve1d`.

    The weights are flipped and ``origin`` mirrored (one further step for an even length),
    then :func:`correlate1d` runs.

    Parameters
    ----------
    input, weights, axis, output, mode, cval, origin
        As in :func:`correlate1d`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> convolve1d([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3])
    array([14, 24,  4, 13, 12, 36, 27,  0])
    """
    w = np.asarray(weights)
    if w.ndim != 1 or w.dtype.kind not in "biuf":
        raise Delegate
    origin = -_int(origin) - (0 if w.size % 2 else 1)
    return correlate1d(input, w[::-1], axis, output, mode, cval, origin)


def _correlate_nd(
    input: Any, weights: Any, output: Any, mode: Any, cval: Any, origin: Any, axes: Any,
    flip: bool,
) -> Array:  # fmt: skip
    x = _input(input)
    w = np.asarray(weights)
    if w.dtype.kind not in "biuf" or w.size == 0:
        raise Delegate
    axes = _axes(axes, x.ndim)
    if w.ndim != len(axes):
        raise Delegate
    origins = [_int(o) for o in _seq(origin, len(axes))]
    if len(axes) < x.ndim:
        # scipy's rule: the weights gain unit axes where the input is not filtered (so their
        # axes follow the input's order), while origins[i] belongs to axes[i].
        w = np.expand_dims(w, tuple(ax for ax in range(x.ndim) if ax not in axes))
        full = [0] * x.ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    if flip:
        w = w[(slice(None, None, -1),) * w.ndim]
        origins = [-o - (0 if k % 2 else 1) for o, k in zip(origins, w.shape)]
    if not all(_origin_ok(o, k) for o, k in zip(origins, w.shape)):
        raise Delegate
    _mode(mode)
    cval = _cval(cval)
    w = w.astype(np.float64)
    # scipy's N-D correlation skips taps within DBL_EPSILON of zero.
    w[np.abs(w) <= np.finfo(np.float64).eps] = 0.0
    live = [ax for ax, k in enumerate(w.shape) if k > 1] or [x.ndim - 1]
    if len(live) > 2:
        raise Delegate  # weights varying along 3+ axes: scipy.ndimage's N-D loop
    out = _output(output, x)
    w = w.reshape([w.shape[ax] for ax in live])
    return _correlate_axes(x, w, live, mode, cval, [origins[ax] for ax in live], out)


@drop_in(_scipy.correlate)
def correlate(
    input: Any,
    weights: Any,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    origin: Any = 0,
    *,
    axes: Any = None,
) -> Array:
    """Multidimensional correlation, as :func:`scipy.ndimage.correlate`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    weights : array_like
        One dimension per filtered axis (``len(axes)``, by default ``input.ndim``).
    output : array or dtype, optional
        Where to put the result, or its dtype; by default the input's dtype.
    mode : str
        scipy.ndimage's boundary name (one for all axes, as in scipy).
    cval : float
        The fill for 'constant'.
    origin : int or sequence of int
        The filter's shift, per axis.
    axes : int or sequence of int, optional
        The axes to filter along.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> correlate(np.arange(9).reshape(3, 3), [[0, 1], [2, 3]], mode="constant")
    array([[ 0,  3,  8],
           [ 9, 19, 25],
           [21, 37, 43]])
    """
    return _correlate_nd(input, weights, output, mode, cval, origin, axes, flip=False)


@drop_in(_scipy.convolve)
def convolve(
    input: Any,
    weights: Any,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    origin: Any = 0,
    *,
    axes: Any = None,
) -> Array:
    """Multidimensional convolution, as :func:`scipy.ndimage.convolve`.

    The weights are flipped on every axis and each origin mirrored (one further step for an
    even length).

    Parameters
    ----------
    input, weights, output, mode, cval, origin, axes
        As in :func:`correlate`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> convolve(np.arange(9).reshape(3, 3), [[0, 1], [2, 3]], mode="constant")
    array([[ 5, 11, 11],
           [23, 29, 23],
           [32, 37, 24]])
    """
    return _correlate_nd(input, weights, output, mode, cval, origin, axes, flip=True)


def _gaussian_kernel1d(sigma: float, order: int, radius: int) -> Array:
    """Sampled Gaussian (normalised to sum 1) times the polynomial of its ``order``-th
    derivative: ``d/dx (q(x) phi(x)) = (q'(x) - x q(x) / sigma**2) phi(x)``."""
    x = np.arange(-radius, radius + 1)
    phi = np.exp(-0.5 / (sigma * sigma) * x**2)
    phi = phi / phi.sum()
    q = np.polynomial.Polynomial([1.0])
    for _ in range(order):
        q = q.deriv() - q * np.polynomial.Polynomial([0.0, 1.0 / (sigma * sigma)])
    return q(x) * phi if order else phi


def _gaussian_radius(sigma: Any, truncate: Any, radius: Any) -> int:
    lw = int(truncate * float(sigma) + 0.5) if radius is None else radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise Delegate
    return int(lw)


@drop_in(_scipy.gaussian_filter1d)
def gaussian_filter1d(
    input: Any,
    sigma: float,
    axis: int = -1,
    order: int = 0,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    truncate: float = 4.0,
    *,
    radius: int | None = None,
) -> Array:
    """1-D Gaussian filter (or derivative), as :func:`scipy.ndimage.gaussian_filter1d`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    sigma : float
        Standard deviation of the Gaussian.
    axis : int
        The axis to filter along.
    order : int
        0 smooths; 1, 2, ... correlate with that derivative of the Gaussian.
    output, mode, cval
        As in :func:`correlate1d`.
    truncate : float
        The kernel's radius is ``int(truncate * sigma + 0.5)`` ...
    radius : int, optional
        ... unless given here.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> gaussian_filter1d([1.0, 2.0, 3.0, 4.0, 5.0], 1).round(4)
    array([1.427 , 2.0678, 3.    , 3.9322, 4.573 ])
    """
    order = _int(order)
    if order < 0:
        raise Delegate
    lw = _gaussian_radius(sigma, truncate, radius)
    weights = _gaussian_kernel1d(float(sigma), order, lw)[::-1]
    return correlate1d(input, weights, axis, output, mode, cval, 0)


@drop_in(_scipy.gaussian_filter)
def gaussian_filter(
    input: Any,
    sigma: Any,
    order: Any = 0,
    output: Any = None,
    mode: Any = "reflect",
    cval: float = 0.0,
    truncate: float = 4.0,
    *,
    radius: Any = None,
    axes: Any = None,
) -> Array:
    """Multidimensional Gaussian filter, as :func:`scipy.ndimage.gaussian_filter`.

    One :func:`gaussian_filter1d` pass per axis (axes with ``sigma <= 1e-15`` are skipped),
    each written to ``output``'s dtype, as scipy does.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    sigma, order, mode, radius : scalar or sequence
        Per axis of ``axes``, or one for all.
    output, cval, truncate
        As in :func:`gaussian_filter1d`.
    axes : int or sequence of int, optional
        The axes to filter along.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> gaussian_filter(np.arange(50, step=2).reshape(5, 5), sigma=1)
    array([[ 4,  6,  8,  9, 11],
           [10, 12, 14, 15, 17],
           [20, 22, 24, 25, 27],
           [29, 31, 33, 34, 36],
           [35, 37, 39, 40, 42]])
    """
    x = _input(input)
    axes = _axes(axes, x.ndim)
    n = len(axes)
    passes = []
    for ax, s, o, m, r in zip(
        axes, _seq(sigma, n), _seq(order, n), _seq(mode, n), _seq(radius, n)
    ):
        if _cval(s) > 1e-15:
            if _int(o) < 0:
                raise Delegate
            _gaussian_radius(s, truncate, r)
            _mode(m)
            passes.append((ax, s, o, m, r))
    cval = _cval(cval)
    out = _output(output, x)
    if not passes:
        out[...] = x
    if _fusable(passes, out, cval):
        # Two passes as one call with the outer product of the 1-D kernels (the planner's
        # separable engine then makes both passes without an intermediate array).
        (a0, s0, o0, m, r0), (a1, s1, o1, _, r1) = passes
        w0 = _gaussian_kernel1d(float(s0), _int(o0), _gaussian_radius(s0, truncate, r0))
        w1 = _gaussian_kernel1d(float(s1), _int(o1), _gaussian_radius(s1, truncate, r1))
        return _correlate_axes(x, np.outer(w0[::-1], w1[::-1]), [a0, a1], m, cval, [0, 0], out)
    src = x
    for ax, s, o, m, r in passes:
        gaussian_filter1d(src, s, ax, o, out, m, cval, truncate, radius=r)
        src = out
    return out


def _fusable(passes: list, out: Array, cval: float) -> bool:
    """Whether two 1-D passes equal one 2-D correlation with the outer product of their
    kernels: a float output (no rounding or truncation in between that matters), the same
    mode on both axes, and an extension that commutes with filtering along the other axis
    (every mode does, except a non-zero constant: scipy pads the intermediate with `cval`)."""
    if len(passes) != 2 or out.dtype not in (np.float32, np.float64):
        return False
    mode = passes[0][3]
    return mode == passes[1][3] and (MODES[mode] != "constant" or cval == 0.0)


@drop_in(_scipy.uniform_filter1d)
def uniform_filter1d(
    input: Any,
    size: int,
    axis: int = -1,
    output: Any = None,
    mode: str = "reflect",
    cval: float = 0.0,
    origin: int = 0,
) -> Array:
    """1-D mean filter, as :func:`scipy.ndimage.uniform_filter1d`.

    The window sum (exact on integer-valued data) is divided by ``size``, as scipy does.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    size : int
        The window's length.
    axis, output, mode, cval, origin
        As in :func:`correlate1d`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> uniform_filter1d([2, 8, 0, 4, 1, 9, 9, 0], size=3)
    array([4, 3, 4, 1, 4, 6, 6, 3])
    """
    x = _input(input)
    size, axis, origin = _int(size), _int(axis), _int(origin)
    if size < 1 or not -x.ndim <= axis < x.ndim or not _origin_ok(origin, size):
        raise Delegate
    _mode(mode)
    cval = _cval(cval)
    out = _output(output, x)
    ones = np.ones(size)
    return _correlate_axes(x, ones, [axis % x.ndim], mode, cval, [origin], out, float(size))


@drop_in(_scipy.uniform_filter)
def uniform_filter(
    input: Any,
    size: Any = 3,
    output: Any = None,
    mode: Any = "reflect",
    cval: float = 0.0,
    origin: Any = 0,
    *,
    axes: Any = None,
) -> Array:
    """Multidimensional mean filter, as :func:`scipy.ndimage.uniform_filter`.

    One :func:`uniform_filter1d` pass per axis whose size is above 1, each written to
    ``output``'s dtype, as scipy does.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    size, mode, origin : scalar or sequence
        Per axis of ``axes``, or one for all.
    output, cval
        As in :func:`correlate`.
    axes : int or sequence of int, optional
        The axes to filter along.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> uniform_filter(np.arange(9.0).reshape(3, 3), size=3, mode="nearest")
    array([[1.33333333, 2.        , 2.66666667],
           [3.33333333, 4.        , 4.66666667],
           [5.33333333, 6.        , 6.66666667]])
    """
    x = _input(input)
    axes = _axes(axes, x.ndim)
    n = len(axes)
    passes = []
    for ax, s, o, m in zip(axes, _seq(size, n), _seq(origin, n), _seq(mode, n)):
        if _cval(s) > 1:
            s, o = int(s), _int(o)
            if not _origin_ok(o, s):
                raise Delegate
            _mode(m)
            passes.append((ax, s, o, m))
    _cval(cval)
    out = _output(output, x)
    if not passes:
        out[...] = x
    src = x
    for ax, s, o, m in passes:
        uniform_filter1d(src, s, ax, out, m, cval, o)
        src = out
    return out


def _derivative_3tap(
    input: Any, axis: Any, output: Any, mode: Any, cval: Any, smooth: list[int]
) -> Array:
    """Sobel/Prewitt: ``[-1, 0, 1]`` along ``axis``, then ``smooth`` along every other
    axis, in place in ``output``."""
    x = _input(input)
    axis = _int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise Delegate
    axis %= x.ndim
    modes = _seq(mode, x.ndim)
    for m in modes:
        _mode(m)
    cval = _cval(cval)
    out = _output(output, x)
    if x.ndim == 2:
        other = 1 - axis
        passes = [(axis, None, None, modes[axis]), (other, None, None, modes[other])]
        if _fusable(passes, out, cval):
            w = np.outer([-1.0, 0.0, 1.0], np.asarray(smooth, dtype=np.float64))
            return _correlate_axes(x, w, [axis, other], modes[axis], cval, [0, 0], out)
    correlate1d(x, [-1, 0, 1], axis, out, modes[axis], cval, 0)
    for ax in range(x.ndim):
        if ax != axis:
            correlate1d(out, smooth, ax, out, modes[ax], cval, 0)
    return out


@drop_in(_scipy.sobel)
def sobel(
    input: Any, axis: int = -1, output: Any = None, mode: Any = "reflect", cval: float = 0.0
) -> Array:
    """Sobel derivative along ``axis``, as :func:`scipy.ndimage.sobel`.

    ``[-1, 0, 1]`` along ``axis``, then ``[1, 2, 1]`` along every other axis.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    axis : int
        The axis of the derivative.
    output, cval
        As in :func:`correlate1d`.
    mode : str or sequence of str
        One for all axes, or one per axis of ``input``.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> sobel(np.array([[0, 0, 9, 9]] * 3), axis=1)
    array([[ 0, 36, 36,  0],
           [ 0, 36, 36,  0],
           [ 0, 36, 36,  0]])
    """
    return _derivative_3tap(input, axis, output, mode, cval, [1, 2, 1])


@drop_in(_scipy.prewitt)
def prewitt(
    input: Any, axis: int = -1, output: Any = None, mode: Any = "reflect", cval: float = 0.0
) -> Array:
    """Prewitt derivative along ``axis``, as :func:`scipy.ndimage.prewitt`.

    ``[-1, 0, 1]`` along ``axis``, then ``[1, 1, 1]`` along every other axis.

    Parameters
    ----------
    input, axis, output, mode, cval
        As in :func:`sobel`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> prewitt(np.array([[0, 0, 9, 9]] * 3), axis=1)
    array([[ 0, 27, 27,  0],
           [ 0, 27, 27,  0],
           [ 0, 27, 27,  0]])
    """
    return _derivative_3tap(input, axis, output, mode, cval, [1, 1, 1])


def _sum_over_axes(
    x: Array, output: Any, mode: Any, axes: Any, derivative: Callable, square: bool
) -> Array:
    """scipy's generic_laplace (``square=False``) and generic_gradient_magnitude: the first
    axis's derivative goes into ``output``, each further one is added in ``output``'s dtype
    (squared first, with a square root at the end, for the gradient magnitude)."""
    axes = _axes(axes, x.ndim)
    modes = _seq(mode, len(axes)) if axes else []
    for m in modes:
        _mode(m)
    out = _output(output, x)
    if not axes:
        out[...] = x
        return out
    derivative(x, axes[0], out, modes[0])
    if square:
        np.multiply(out, out, out)
    for ax, m in zip(axes[1:], modes[1:]):
        tmp = derivative(x, ax, out.dtype, m)
        if square:
            np.multiply(tmp, tmp, tmp)
        out += tmp
    if square:
        np.sqrt(out, out, casting="unsafe")
    return out


@drop_in(_scipy.laplace)
def laplace(
    input: Any, output: Any = None, mode: Any = "reflect", cval: float = 0.0, *, axes: Any = None
) -> Array:
    """Laplace filter, the sum of ``[1, -2, 1]`` along each axis, as
    :func:`scipy.ndimage.laplace`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    output, cval
        As in :func:`correlate1d`.
    mode : str or sequence of str
        One for all axes, or one per axis of ``axes``.
    axes : int or sequence of int, optional
        The axes to sum over.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> laplace(np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]), mode="constant")
    array([[ 0,  1,  0],
           [ 1, -4,  1],
           [ 0,  1,  0]])
    """
    x = _input(input)
    _cval(cval)

    def d2(src: Array, ax: int, out: Any, m: str) -> Array:
        return correlate1d(src, [1, -2, 1], ax, out, m, cval, 0)

    return _sum_over_axes(x, output, mode, axes, d2, square=False)


def _sigma_per_axis(x: Array, sigma: Any, axes: list[int]) -> list:
    sigmas = _seq(sigma, len(axes))
    full = [0.0] * x.ndim
    for s, ax in zip(sigmas, axes):
        full[ax] = s
    return full


@drop_in(_scipy.gaussian_laplace)
def gaussian_laplace(
    input: Any,
    sigma: Any,
    output: Any = None,
    mode: Any = "reflect",
    cval: float = 0.0,
    *,
    axes: Any = None,
    **kwargs: Any,
) -> Array:
    """Laplacian of Gaussian, as :func:`scipy.ndimage.gaussian_laplace`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    sigma : scalar or sequence
        Per axis of ``axes``, or one for all.
    output, mode, cval, axes
        As in :func:`laplace`.
    **kwargs
        ``truncate`` and ``radius``, passed to :func:`gaussian_filter`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((5, 5)); x[2, 2] = 1.0
    >>> float(gaussian_laplace(x, 1.0)[2, 2].round(4))
    -0.3183
    """
    x = _input(input)
    sigmas = _sigma_per_axis(x, sigma, _axes(axes, x.ndim))

    def d2(src: Array, ax: int, out: Any, m: str) -> Array:
        order = [0] * src.ndim
        order[ax] = 2
        return gaussian_filter(src, sigmas, order, out, m, cval, **kwargs)

    return _sum_over_axes(x, output, mode, axes, d2, square=False)


@drop_in(_scipy.gaussian_gradient_magnitude)
def gaussian_gradient_magnitude(
    input: Any,
    sigma: Any,
    output: Any = None,
    mode: Any = "reflect",
    cval: float = 0.0,
    *,
    axes: Any = None,
    **kwargs: Any,
) -> Array:
    """Gradient magnitude with Gaussian derivatives, as
    :func:`scipy.ndimage.gaussian_gradient_magnitude`.

    Parameters
    ----------
    input : array_like
        Any number of dimensions.
    sigma : scalar or sequence
        One for all axes, or one per axis of ``input``.
    output, mode, cval, axes
        As in :func:`laplace`.
    **kwargs
        ``truncate`` and ``radius``, passed to :func:`gaussian_filter`.

    Returns
    -------
    numpy.ndarray
        The filtered array.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.tile(np.arange(6.0), (4, 1))
    >>> gaussian_gradient_magnitude(x, 1.0, mode="nearest")[1].round(3)
    array([0.5  , 0.864, 0.985, 0.985, 0.864, 0.5  ])
    """
    x = _input(input)

    def d1(src: Array, ax: int, out: Any, m: str) -> Array:
        order = [0] * src.ndim
        order[ax] = 1
        return gaussian_filter(src, sigma, order, out, m, cval, **kwargs)

    return _sum_over_axes(x, output, mode, axes, d1, square=True)


# ------------------------------------------------------------------------------ NaN policy
#
# Beyond scipy: every function here also takes ``nan_policy`` and ``min_weight`` (keyword
# only), with the meaning of :func:`convlens.corr2d`'s (see :mod:`convlens.nan`). "fill"
# counts NaN as ``cval``; "omit" is normalised convolution, whose weights come from the same
# filter with absolute weights run over the validity mask. Filters whose result is not linear
# in the data with one kernel (a Gaussian derivative of order > 0, ``gaussian_laplace``,
# ``gaussian_gradient_magnitude``) take "fill" but refuse "omit".


def _modes_per_axis(mode: Any, ndim: int) -> list:
    return [mode] * ndim if isinstance(mode, str) else list(mode)


def _abs_weights(func: Callable) -> Callable:
    def den(valid: Array, a: dict) -> Array:
        return func(**{**a, "input": valid, "weights": np.abs(np.asarray(a["weights"]))})

    return den


def _same_filter(func: Callable, unsupported: str | None = None) -> Callable:
    def den(valid: Array, a: dict) -> Array:
        order = a.get("order", 0)
        if np.any(np.asarray(order) != 0):
            raise ValueError(
                f"`nan_policy`='omit' needs a kernel without negative taps or a plain "
                f"linear filter; got order={order!r}. Use nan_policy='fill', or "
                "convlens.corr2d(..., nan_policy='omit') with the derivative kernel"
            )
        return func(**{**a, "input": valid})

    return den


def _derivative_den(smooth: list) -> Callable:
    def den(valid: Array, a: dict) -> Array:
        modes = _modes_per_axis(a["mode"], valid.ndim)
        axis = a["axis"] % valid.ndim
        out = _scipy.correlate1d(valid, [1.0, 0.0, 1.0], axis, None, modes[axis], a["cval"])
        # Outside the image the mask is a["cval"] everywhere, so after a pass it is that
        # times the pass's kernel sum: the next pass pads with that, not with cval.
        border = a["cval"] * 2.0
        for ax in range(valid.ndim):
            if ax != axis:
                out = _scipy.correlate1d(out, smooth, ax, None, modes[ax], border)
                border *= sum(smooth)
        return out

    return den


def _laplace_den(valid: Array, a: dict) -> Array:
    axes = range(valid.ndim) if a.get("axes") is None else _axes(a["axes"], valid.ndim)
    modes = _modes_per_axis(a["mode"], valid.ndim)
    return sum(
        _scipy.correlate1d(valid, [1.0, 2.0, 1.0], ax, None, modes[ax], a["cval"]) for ax in axes
    )


def _refuse_omit(name: str) -> Callable:
    def den(valid: Array, a: dict) -> Array:
        raise ValueError(
            f"`nan_policy`='omit' is not defined for {name} (not one linear kernel); "
            "use nan_policy='fill'"
        )

    return den


_CONSTANT_MODES = ("constant", "grid-constant")


def _nan_aware(func: Callable, den: Callable) -> Callable:
    """``func`` with the keyword-only ``nan_policy`` and ``min_weight`` of convlens."""
    import inspect

    from .nan import check_nan_policy, divide_by_weight

    sig = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, nan_policy: str = "propagate", min_weight: float = 0.0, **kw: Any):
        if nan_policy == "propagate" and min_weight == 0.0:
            return func(*args, **kw)
        nan_policy, min_weight = check_nan_policy(nan_policy, min_weight)
        bound = sig.bind(*args, **kw)
        bound.apply_defaults()
        a = dict(bound.arguments)
        for name, param in sig.parameters.items():  # **kwargs back into keywords
            if param.kind == param.VAR_KEYWORD:
                a.update(a.pop(name, {}))
        x = np.asarray(a["input"])
        if nan_policy == "propagate" or x.dtype.kind != "f" or x.dtype == np.float16:
            return func(*args, **kw)
        missing = np.isnan(x)
        cval = float(a.get("cval", 0.0))
        if nan_policy == "fill":
            if math.isnan(cval):
                raise ValueError("`nan_policy`='fill' fills NaN with `cval`; got cval=nan")
            return func(**{**a, "input": np.where(missing, cval, x)})
        modes = _modes_per_axis(a.get("mode", "reflect"), x.ndim)
        border_missing = math.isnan(cval) and any(m in _CONSTANT_MODES for m in modes)
        work = {**a, "output": x.dtype}
        num = func(
            **{**work, "input": np.where(missing, 0.0, x), "cval": 0.0 if border_missing else cval}
        )
        valid = (~missing).astype(x.dtype)
        w = den(valid, {**work, "cval": 0.0 if border_missing else 1.0})
        # The full mass of |weights|: the same filter over an image with no border.
        total = den(np.ones((1,) * x.ndim, x.dtype), {**work, "mode": "nearest", "cval": 1.0})
        w = w / float(np.max(total))
        Y = divide_by_weight(num, w, min_weight)
        out = a.get("output")
        if isinstance(out, np.ndarray):
            np.copyto(out, Y, casting="unsafe")
            return out
        return Y.astype(x.dtype if out is None else out)

    params = list(sig.parameters.values())
    at = len(params) - (params and params[-1].kind == inspect.Parameter.VAR_KEYWORD)
    params[at:at] = [
        inspect.Parameter("nan_policy", inspect.Parameter.KEYWORD_ONLY, default="propagate"),
        inspect.Parameter("min_weight", inspect.Parameter.KEYWORD_ONLY, default=0.0),
    ]
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


correlate = _nan_aware(correlate, _abs_weights(correlate))
convolve = _nan_aware(convolve, _abs_weights(convolve))
correlate1d = _nan_aware(correlate1d, _abs_weights(correlate1d))
convolve1d = _nan_aware(convolve1d, _abs_weights(convolve1d))
gaussian_filter = _nan_aware(gaussian_filter, _same_filter(gaussian_filter))
gaussian_filter1d = _nan_aware(gaussian_filter1d, _same_filter(gaussian_filter1d))
uniform_filter = _nan_aware(uniform_filter, _same_filter(uniform_filter))
uniform_filter1d = _nan_aware(uniform_filter1d, _same_filter(uniform_filter1d))
sobel = _nan_aware(sobel, _derivative_den([1.0, 2.0, 1.0]))
prewitt = _nan_aware(prewitt, _derivative_den([1.0, 1.0, 1.0]))
laplace = _nan_aware(laplace, _laplace_den)
gaussian_laplace = _nan_aware(gaussian_laplace, _refuse_omit("gaussian_laplace"))
gaussian_gradient_magnitude = _nan_aware(
    gaussian_gradient_magnitude, _refuse_omit("gaussian_gradient_magnitude")
)
