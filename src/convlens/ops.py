"""``corr2d`` and ``conv2d``: normalise the arguments, plan, run, and return the caller's type.

This is the one place where the contract of ``DESIGN.md`` is applied. NumPy in gives NumPy
out; a torch tensor (as ``X`` or ``K``) gives a torch tensor with autograd kept; a Dask array
gives a lazy Dask array.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from ._checks import Pads, Pair
from .engines import ENGINES, Problem
from .planner import Plan, choose


@dataclass(frozen=True)
class Spec:
    """Everything about a call except the data: the normalised options and shapes."""

    x_ndim: int
    pads: Pads
    boundary: str
    value: float
    stride: Pair
    dilation: Pair
    groups: int
    out_shape: Pair


def _is_torch(a: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(a, torch.Tensor)


def _is_dask(a: Any) -> bool:
    da = sys.modules.get("dask.array")
    return da is not None and isinstance(a, da.Array)


def _shape_dtype(a: Any, name: str) -> tuple[tuple[int, ...], np.dtype]:
    if _is_torch(a):
        import torch

        if a.is_complex() or a.dtype == torch.bool:
            # Bool tensors are accepted through NumPy; complex is refused below.
            dt = np.dtype("complex64") if a.is_complex() else np.dtype(bool)
        else:
            dt = torch.empty((), dtype=a.dtype).numpy().dtype
        return tuple(a.shape), dt
    if hasattr(a, "shape") and hasattr(a, "dtype"):
        return tuple(a.shape), np.dtype(a.dtype)
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"`{name}` must be array-like; got {type(a).__name__}") from exc
    return arr.shape, arr.dtype


def normalize(
    x_shape: tuple[int, ...],
    k_shape: tuple[int, ...],
    *,
    padding: Any,
    boundary: Any,
    value: Any,
    stride: Any,
    dilation: Any,
    groups: Any,
) -> Spec:
    """Validate the shapes and options of one call and apply the output-size law."""
    if len(x_shape) not in (2, 3, 4):
        raise ValueError(
            "`X` must be 2-D (H, W), 3-D (C, H, W) or 4-D (N, C, H, W); "
            f"got {len(x_shape)}-D with shape {x_shape}"
        )
    want_k = 2 if len(x_shape) == 2 else 4
    if len(k_shape) != want_k:
        layout = "(kh, kw)" if want_k == 2 else "(C_out, C_in/groups, kh, kw)"
        raise ValueError(
            f"`K` must be {want_k}-D {layout} for a {len(x_shape)}-D `X`; "
            f"got {len(k_shape)}-D with shape {k_shape}"
        )
    if min(k_shape[-2:]) < 1:
        raise ValueError(f"`K` must have a non-empty spatial shape; got {k_shape}")
    if min(x_shape[-2:]) < 1:
        raise ValueError(f"`X` must have a non-empty spatial shape; got {x_shape}")
    stride = _checks.as_pair(stride, "stride")
    dilation = _checks.as_pair(dilation, "dilation")
    boundary = _checks.check_boundary(boundary)
    value = _checks.check_value(value)
    kh, kw = k_shape[-2:]
    reach = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
    pads = _checks.normalize_padding(padding, reach)
    if len(x_shape) == 2:
        groups_n = _checks.check_groups(groups, 1, 1)
    else:
        c_in, c_out = x_shape[-3], k_shape[0]
        groups_n = _checks.check_groups(groups, c_in, c_out)
        if k_shape[1] * groups_n != c_in:
            raise ValueError(
                f"`K` has {k_shape[1]} input channels per group but `X` has {c_in} channels "
                f"with groups={groups_n}; expected K.shape[1] == {c_in // groups_n}"
            )
    out = tuple(
        _checks.output_size(n, sum(p), k, s, d)
        for n, p, k, s, d in zip(x_shape[-2:], pads, (kh, kw), stride, dilation, strict=True)
    )
    if min(out) < 1:
        raise ValueError(
            f"`K` of spatial shape {(kh, kw)} (dilated extent "
            f"{(reach[0] + 1, reach[1] + 1)}) does not fit in `X` of spatial shape "
            f"{tuple(x_shape[-2:])} with padding={padding!r}; the output would be {out}"
        )
    return Spec(len(x_shape), pads, boundary, value, stride, dilation, groups_n, out)


def _as_4d(a: np.ndarray, x_ndim: int, is_kernel: bool) -> np.ndarray:
    if x_ndim == 2:
        return a[None, None]
    if x_ndim == 3 and not is_kernel:
        return a[None]
    return a


def _from_4d(Y: Any, x_ndim: int) -> Any:
    if x_ndim == 2:
        return Y[0, 0]
    if x_ndim == 3:
        return Y[0]
    return Y


def _contiguous(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    out = np.ascontiguousarray(a, dtype=dtype)
    # Arrays with a size-1 axis count as contiguous even with negative strides (a flipped
    # 1x1 kernel), which engines such as torch.from_numpy refuse.
    return out.copy() if any(s < 0 for s in out.strides) else out


def make_problem(
    X: np.ndarray, K: np.ndarray, spec: Spec, dtype: np.dtype, out: np.ndarray | None = None
) -> Problem:
    X4 = _contiguous(_as_4d(X, spec.x_ndim, False), dtype)
    K4 = _contiguous(_as_4d(K, spec.x_ndim, True), dtype)
    out4 = None if out is None else _as_4d(out, spec.x_ndim, False)
    return Problem(
        X4,
        K4,
        spec.pads,
        spec.boundary,
        spec.value,
        spec.stride,
        spec.dilation,
        spec.groups,
        spec.out_shape,
        out4,
    )


def _check_out(out: Any, X: Any, K: Any, spec: Spec, dtype: np.dtype) -> np.ndarray:
    """Validate ``out=``: a writeable, C-contiguous NumPy array of the result's shape and
    dtype that shares no memory with ``X`` or ``K`` (engines read those while writing)."""
    if _is_torch(X) or _is_torch(K) or _is_dask(X):
        raise ValueError("`out` is only supported for NumPy inputs; got a torch or Dask input")
    if not isinstance(out, np.ndarray):
        raise TypeError(f"`out` must be a numpy.ndarray; got {type(out).__name__}")
    x_shape = np.shape(X)
    c_out = np.shape(K)[0] if spec.x_ndim > 2 else None
    lead = {2: (), 3: (c_out,), 4: (x_shape[0], c_out)}[spec.x_ndim]
    want = (*lead, *spec.out_shape)
    if out.shape != want:
        raise ValueError(f"`out` must have shape {want}; got {out.shape}")
    if out.dtype != dtype:
        raise ValueError(f"`out` must have dtype {dtype}; got {out.dtype}")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("`out` must be a writeable, C-contiguous array; got one that is not")
    for arr, name in ((X, "X"), (K, "K")):
        if isinstance(arr, np.ndarray) and np.shares_memory(out, arr):
            raise ValueError(f"`out` must not share memory with `{name}`; got one that does")
    return out


def _flip(K: Any) -> Any:
    if _is_torch(K):
        return K.flip((-2, -1))
    return np.asarray(K)[..., ::-1, ::-1]


def validate(
    x_shape: tuple[int, ...],
    x_dtype: np.dtype,
    k_shape: tuple[int, ...],
    k_dtype: np.dtype,
    opts: dict,
) -> tuple[Spec, np.dtype]:
    """Check the dtypes and options of one call: its :class:`Spec` and result dtype."""
    _checks.check_dtype(x_dtype, "X")
    _checks.check_dtype(k_dtype, "K")
    return normalize(x_shape, k_shape, **opts), _checks.result_dtype(x_dtype, k_dtype)


def _prepare(X: Any, K: Any, flip: bool, check_finite: bool, opts: dict) -> tuple:
    x_shape, x_dtype = _shape_dtype(X, "X")
    k_shape, k_dtype = _shape_dtype(K, "K")
    spec, dtype = validate(x_shape, x_dtype, k_shape, k_dtype, opts)
    if flip:
        K = _flip(K)
    if check_finite:
        for arr, name in ((X, "X"), (K, "K")):
            _checks.check_finite(_to_numpy(arr), name)
    return spec, dtype, K


def _to_numpy(a: Any) -> np.ndarray:
    if _is_torch(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _correlate(
    X: Any, K: Any, flip: bool, method: str, check_finite: bool, opts: dict, out: Any = None
) -> Any:
    if out is not None:
        spec, dtype, _ = _prepare(X, K, False, False, opts)
        _check_out(out, X, K, spec, dtype)
    if _is_dask(X):
        from .tiled import correlate_dask

        return correlate_dask(X, K, flip=flip, method=method, check_finite=check_finite, **opts)
    spec, dtype, K = _prepare(X, K, flip, check_finite, opts)
    if _is_torch(X) or _is_torch(K):
        return _correlate_torch(X, K, spec, dtype, method)
    p = make_problem(np.asarray(X), np.asarray(K), spec, dtype, out)
    plan = choose(p, method)
    Y = ENGINES[plan.engine].run(p)
    if out is None:
        return _from_4d(Y, spec.x_ndim)
    if Y is not p.out:  # an engine that allocates its own result (numpy, torch, ...)
        np.copyto(p.out, Y)
    return out


def _correlate_torch(X: Any, K: Any, spec: Spec, dtype: np.dtype, method: str) -> Any:
    import torch

    from .engines.torch import corr2d_tensor

    ref = X if _is_torch(X) else K
    tdtype = torch.from_numpy(np.empty(0, dtype)).dtype
    Xt = torch.as_tensor(X if _is_torch(X) else np.asarray(X), device=ref.device).to(tdtype)
    Kt = torch.as_tensor(K if _is_torch(K) else np.ascontiguousarray(K), device=ref.device)
    Kt = Kt.to(tdtype)
    needs_grad = torch.is_grad_enabled() and (Xt.requires_grad or Kt.requires_grad)
    if needs_grad and ref.device.type == "cpu":
        # Autograd on CPU: a torch.autograd.Function whose forward and backward run on the
        # convlens engines, so the planner's choice applies to training too.
        from .nn import corr2d_function

        X4 = _as_4d(Xt, spec.x_ndim, False)
        K4 = _as_4d(Kt, spec.x_ndim, True)
        Y = corr2d_function(
            X4, K4, spec.pads, spec.boundary, spec.value, spec.stride, spec.dilation,
            spec.groups, method,
        )  # fmt: skip
        return _from_4d(Y, spec.x_ndim)
    if ref.device.type != "cpu":
        # A GPU tensor: stay in torch, on its device, with the graph kept.
        X4 = _as_4d(Xt, spec.x_ndim, False)
        K4 = _as_4d(Kt, spec.x_ndim, True)
        Y = corr2d_tensor(
            X4, K4, spec.pads, spec.boundary, spec.value, spec.stride, spec.dilation, spec.groups
        )
        return _from_4d(Y, spec.x_ndim)
    p = make_problem(Xt.numpy(), Kt.numpy(), spec, dtype)
    plan = choose(p, method)
    return torch.from_numpy(_from_4d(ENGINES[plan.engine].run(p), spec.x_ndim))


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

    Returns
    -------
    Y : same array type as the input
        dtype ``np.result_type(X, K, np.float32)``; the inputs are never written to. With
        ``out=``, ``out`` itself.

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
    return _correlate(X, K, False, method, check_finite, opts, out)


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
    return _correlate(X, K, True, method, check_finite, opts, out)


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
    spec, dtype, K = _prepare(X, K, False, False, opts)
    return choose(make_problem(_to_numpy(X), _to_numpy(K), spec, dtype), method)
