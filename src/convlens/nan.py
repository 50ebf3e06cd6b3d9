"""NaN-aware filtering: what ``nan_policy`` does, for every array family.

- ``"propagate"`` (the default): NaN is a value like any other; every output whose window
  touches one is NaN, as in every peer.
- ``"fill"``: NaN pixels count as ``value`` (the constant of ``boundary="constant"``, 0.0 by
  default), as astropy's ``nan_treatment="fill"`` does with ``fill_value``.
- ``"omit"``: normalised convolution (Knutsson & Westin 1993). With ``M`` the validity mask
  and ``X0`` the data with NaN set to 0::

      w = corr(M, |K|) / sum|K|          the share of the kernel's mass on valid pixels
      Y = corr(X0, K) / w                NaN where w <= min_weight (or no valid pixel)

  For a kernel with no negative taps this is astropy's
  ``convolve(..., nan_treatment="interpolate", normalize_kernel=False)``, and
  ``corr(X0, K) / corr(M, K) * sum(K)``: a window with no NaN gives the plain result. For
  kernels with negative taps (edges, derivatives, which sum to zero and which astropy
  refuses), the rule is the same with ``|K|``: the response is rescaled by the share of the
  kernel's absolute mass that saw data. With ``boundary="constant"`` and ``value=nan``, the
  border counts as missing too, so smoothing renormalises at the image's edges.

Both correlations run through the same family and engine as the plain call, so Dask arrays
stay exact across chunk seams. ``K`` itself must be finite to be meaningful; NaN in ``K``
propagates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .contract import is_torch

NAN_POLICIES = ("propagate", "omit", "fill")

# A mask correlation computed by FFT is exact only to rounding: weights this small are zero.
_WEIGHT_TOL = {"float16": 1e-3, "bfloat16": 1e-2, "float32": 1e-5, "float64": 1e-12}


def check_nan_policy(nan_policy: Any, min_weight: Any) -> tuple[str, float]:
    """Validate ``nan_policy`` and ``min_weight``."""
    if not isinstance(nan_policy, str) or nan_policy not in NAN_POLICIES:
        raise ValueError(f"`nan_policy` must be one of {NAN_POLICIES}; got {nan_policy!r}")
    if isinstance(min_weight, bool) or not isinstance(min_weight, (int, float)):
        raise TypeError(f"`min_weight` must be a number in [0, 1]; got {min_weight!r}")
    if not 0.0 <= float(min_weight) <= 1.0:
        raise ValueError(f"`min_weight` must be in [0, 1]; got {min_weight!r}")
    return nan_policy, float(min_weight)


def _ops(a: Any) -> tuple[Callable, Callable, Callable]:
    if is_torch(a):
        import torch

        return torch.isnan, torch.where, torch.abs
    return np.isnan, np.where, np.abs


def correlate_nan(
    X: Any,
    K: Any,
    nan_policy: str,
    min_weight: float,
    boundary: str,
    value: float,
    correlate: Callable[[Any, Any, float], Any],
) -> Any:
    """Apply ``nan_policy`` around ``correlate(X, K, value)``, a plain (propagating) call.

    Examples
    --------
    >>> import numpy as np
    >>> from convlens import corr2d
    >>> X = np.array([[1.0, np.nan, 3.0]])
    >>> corr2d(X, np.ones((1, 3)) / 3, padding="same", nan_policy="omit", value=np.nan)
    array([[1., 2., 3.]])
    >>> corr2d(X, np.ones((1, 3)), padding="same", nan_policy="fill")
    array([[1., 4., 3.]])
    """
    if not is_torch(X) and not hasattr(X, "dtype"):
        X = np.asarray(X)
    isnan, where, absolute = _ops(X)
    kind = X.dtype.is_floating_point if is_torch(X) else np.dtype(X.dtype).kind == "f"
    if not kind:  # integers and bools hold no NaN
        return correlate(X, K, value)
    missing = isnan(X)
    if nan_policy == "fill":
        if math.isnan(value):
            raise ValueError("`nan_policy`='fill' fills NaN with `value`; got value=nan")
        return correlate(where(missing, value, X), K, value)
    X0 = where(missing, 0.0, X)
    border_missing = boundary == "constant" and math.isnan(value)
    Y = correlate(X0, K, 0.0 if border_missing else value)
    valid = where(missing, 0.0, 1.0) if is_torch(X) else (~missing).astype(X.dtype)
    if is_torch(valid):
        valid = valid.to(X.dtype)
    A = absolute(K)
    total = A.sum()
    if float(total.detach() if is_torch(total) else total) == 0.0:  # an all-zero kernel
        return Y
    w = correlate(valid, A, 0.0 if border_missing else 1.0) / total
    return divide_by_weight(Y, w, min_weight, where)


def divide_by_weight(Y: Any, w: Any, min_weight: float, where: Callable = np.where) -> Any:
    """``Y / w``, NaN where the weight ``w`` (in [0, 1]) is below ``min_weight`` or zero.

    Examples
    --------
    >>> divide_by_weight(np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.1, 0.0]), 0.2)
    array([ 2., nan, nan])
    """
    tol = _WEIGHT_TOL.get(str(Y.dtype).replace("torch.", ""), 1e-12)
    # w > 0 where any valid pixel met a nonzero tap; below the threshold the answer is NaN.
    keep = (w > tol) & (w >= min_weight)
    return where(keep, Y / where(keep, w, 1.0), float("nan"))
