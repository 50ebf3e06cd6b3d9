"""``corr2d``, ``conv2d`` and ``plan``: check the call against the contract, then hand it to
its array family.

NumPy in gives NumPy out (:mod:`convlens.backends.numpy`); a torch tensor (as ``X`` or ``K``)
gives a torch tensor with autograd kept (:mod:`convlens.backends.torch`, loaded on first
use); a Dask array gives a lazy Dask array (:mod:`convlens.backends.dask`). The contract
itself lives in :mod:`convlens.contract`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _checks
from . import nan as _nan
from .backends import numpy as numpy_backend
from .contract import flip_kernel, is_dask, is_torch, shape_dtype, validate
from .planner import Plan


def _prepare(X: Any, K: Any, opts: dict) -> tuple:
    x_shape, x_dtype = shape_dtype(X, "X")
    k_shape, k_dtype = shape_dtype(K, "K")
    spec, dtype = validate(x_shape, x_dtype, k_shape, k_dtype, opts)
    # float16 computes in float32 and comes back as float16 when both inputs are, as in torch.
    half = np.dtype(np.float16)
    back = half if x_dtype == half and k_dtype == half else dtype
    return spec, dtype, back


def _to_numpy(a: Any) -> np.ndarray:
    if is_torch(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _correlate(
    X: Any,
    K: Any,
    flip: bool,
    method: str,
    check_finite: bool,
    opts: dict,
    out: Any = None,
    nan_policy: str = "propagate",
    min_weight: float = 0.0,
) -> Any:
    key = None
    if (
        out is None
        and check_finite is False
        and type(nan_policy) is str
        and nan_policy == "propagate"
        and type(min_weight) in (int, float)
        and min_weight == 0
    ):
        # A call seen before skips the checks and the planner (issue 10's overhead).
        key = numpy_backend.call_key(X, K, flip, method, opts)
        if key is not None:
            Y = numpy_backend.fast(X, K, key)
            if Y is not None:
                return Y
    nan_policy, min_weight = _nan.check_nan_policy(nan_policy, min_weight)
    value = opts["value"]
    if check_finite and isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"`value` must be finite when check_finite=True; got {value!r}")
    if nan_policy != "propagate":
        if out is not None:
            raise ValueError(f"`out` is not supported with nan_policy={nan_policy!r}")
        validate(*shape_dtype(X, "X"), *shape_dtype(K, "K"), opts)

        def plain(A: Any, B: Any, value: float) -> Any:
            return _correlate(A, B, flip, method, check_finite, {**opts, "value": value})

        return _nan.correlate_nan(
            X, K, nan_policy, min_weight, opts["boundary"], opts["value"], plain
        )
    if is_dask(X):
        if out is not None:
            raise ValueError("`out` is only supported for NumPy inputs; got a Dask array `X`")
        from .backends.dask import correlate_dask

        Y = correlate_dask(X, K, flip=flip, method=method, check_finite=check_finite, **opts)
        half = np.dtype(np.float16)
        return Y.astype(half) if X.dtype == half and shape_dtype(K, "K")[1] == half else Y
    spec, dtype, back = _prepare(X, K, opts)
    tensor = is_torch(X) or is_torch(K)
    if out is not None:
        if tensor:
            raise ValueError("`out` is only supported for NumPy inputs; got a torch tensor")
        numpy_backend.check_out(out, X, K, spec, back)
    if flip:
        K = flip_kernel(K)
    if check_finite:
        for arr, name in ((X, "X"), (K, "K")):
            if is_torch(arr) and arr.device.type == "meta":
                raise ValueError(
                    f"`check_finite`=True needs values; the meta tensor `{name}` has none"
                )
            _checks.check_finite(_to_numpy(arr), name)
    if tensor:
        from .backends import torch as torch_backend

        return torch_backend.correlate(X, K, spec, dtype, method)
    memo = None if key is None else (key, back)
    if back != dtype:
        Y = numpy_backend.correlate(X, K, spec, dtype, method, memo=memo)
        if out is None:
            return Y.astype(back)
        np.copyto(out, Y, casting="same_kind")
        return out
    return numpy_backend.correlate(X, K, spec, dtype, method, out, memo)


def corr2d(
    X: Any,
    K: Any,
    *,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    method: str = "auto",
    check_finite: bool = False,
    out: np.ndarray | None = None,
    nan_policy: str = "propagate",
    min_weight: float = 0.0,
) -> Any:
    r"""2-D cross-correlation, as in *Dive into Deep Learning* 7.2.1, with the full contract.

    ``Y[i, j] = sum_{a,b} Xp[i*s_h + a*d_h, j*s_w + b*d_w] * K[a, b]`` over the padded input
    ``Xp``. Per axis the output size is ``floor((n + p_total - d*(k-1) - 1) / s) + 1``; with
    the defaults this is the chapter's ``n - k + 1``.

    Parameters
    ----------
    X : array_like or torch.Tensor or dask.array.Array
        ``(H, W)``, ``(C_in, H, W)`` or ``(N, C_in, H, W)``.
    K : array_like or torch.Tensor
        ``(kh, kw)`` for a 2-D ``X``, else ``(C_out, C_in / groups, kh, kw)``.
    padding : int, pair, pairs or {"valid", "same", "full"}
        An int or ``(p_h, p_w)`` pads both sides; ``((top, bottom), (left, right))`` is
        explicit. ``"same"`` keeps the size at stride 1 (odd extra at bottom/right).
    boundary : {"constant", "reflect", "symmetric", "edge", "wrap"}
        What fills the padding, with numpy.pad's names.
    value : float
        The fill for ``boundary="constant"``.
    stride, dilation : int or pair
        Positive step between outputs and between kernel taps.
    groups : int
        Channel groups, as in ``torch.nn.functional.conv2d``.
    method : str
        ``"auto"`` lets the planner choose; an engine name forces it (see ``convlens.plan``).
    check_finite : bool
        Raise ``ValueError`` if ``X`` or ``K`` holds NaN or infinity.
    out : numpy.ndarray, optional
        Where to write the result (NumPy inputs only): C-contiguous, writeable, of the
        result's shape and dtype, sharing no memory with ``X`` or ``K``. Reusing one saves
        allocating (and page-faulting) a new output on every call.
    nan_policy : {"propagate", "omit", "fill"}
        What NaN in ``X`` means (see :mod:`convlens.nan`): a value that spreads
        ("propagate", as in every peer), missing data filled with ``value`` ("fill"), or
        missing data left out by normalised convolution ("omit"; NaN where no valid pixel
        was seen). With "omit", ``boundary="constant", value=nan`` treats the border as
        missing too.
    min_weight : float
        With ``nan_policy="omit"``: NaN where less than this share of the kernel's absolute
        mass saw valid pixels.

    Returns
    -------
    Y : same array type as the input
        dtype ``np.result_type(X, K, np.float32)``, except that float16 (and for tensors
        bfloat16) inputs compute in float32 and return their own dtype, as torch does; the
        inputs are never written to. With ``out=``, ``out`` itself.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> K = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> corr2d(X, K)
    array([[19., 25.],
           [37., 43.]])
    >>> Y = np.empty((2, 2))
    >>> corr2d(X, K, out=Y) is Y, float(Y[0, 0])
    (True, 19.0)
    """
    opts = dict(
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    return _correlate(X, K, False, method, check_finite, opts, out, nan_policy, min_weight)


def conv2d(
    X: Any,
    K: Any,
    *,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    method: str = "auto",
    check_finite: bool = False,
    out: np.ndarray | None = None,
    nan_policy: str = "propagate",
    min_weight: float = 0.0,
) -> Any:
    """Strict 2-D convolution: ``corr2d(X, K[..., ::-1, ::-1])`` (D2L 7.2.5).

    Takes exactly the options of :func:`corr2d`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> K = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> conv2d(X, K)
    array([[ 5., 11.],
           [23., 29.]])
    """
    opts = dict(
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    return _correlate(X, K, True, method, check_finite, opts, out, nan_policy, min_weight)


def plan(
    X: Any,
    K: Any,
    *,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    method: str = "auto",
) -> Plan:
    """Say which engine :func:`corr2d` would run for these arguments, and why.

    Examples
    --------
    >>> import numpy as np
    >>> plan(np.zeros((8, 8)), np.ones((3, 3)), method="numpy").engine
    'numpy'
    """
    opts = dict(
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    spec, dtype, _ = _prepare(X, K, opts)
    return numpy_backend.plan(_to_numpy(X), _to_numpy(K), spec, dtype, method)
