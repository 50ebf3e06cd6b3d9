"""The contract of ``DESIGN.md``, applied to one call: the bottom of the house.

:func:`normalize` turns the shapes and options of a call into a :class:`Spec` (padding,
boundary, stride, dilation, groups and the output shape by the output-size law), and
:func:`make_problem` turns NumPy arrays plus a ``Spec`` into the engines' :class:`Problem`.
Every array family (NumPy, torch, Dask), the planner and the scipy drop-ins use these; this
module imports nothing of convlens above the engines' ``Problem``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from ._checks import Pads, Pair
from .engines.base import NARROW_INTS, Problem

__all__ = [
    "Problem",
    "Spec",
    "as_4d",
    "empty_out_shape",
    "flip_kernel",
    "from_4d",
    "is_dask",
    "is_torch",
    "make_problem",
    "normalize",
    "shape_dtype",
    "validate",
]


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


def is_torch(a: Any) -> bool:
    """True for a ``torch.Tensor``, without importing torch."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(a, torch.Tensor)


def is_dask(a: Any) -> bool:
    """True for a ``dask.array.Array``, without importing Dask."""
    da = sys.modules.get("dask.array")
    return da is not None and isinstance(a, da.Array)


def shape_dtype(a: Any, name: str) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and NumPy dtype of ``a`` (array, tensor, Dask array or nested list)."""
    if is_torch(a):
        import torch

        if a.is_complex() or a.dtype == torch.bool:
            # Bool tensors are accepted through NumPy; complex is refused by check_dtype.
            dt = np.dtype("complex64") if a.is_complex() else np.dtype(bool)
        elif a.dtype == torch.bfloat16:
            # NumPy has no bfloat16; it computes in float32 like float16 does.
            dt = np.dtype(np.float16)
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


def _channels_last_hint(x_shape: tuple[int, ...], k_shape: tuple[int, ...]) -> str:
    if len(x_shape) == 3 and len(k_shape) == 2 and x_shape[-1] in (3, 4) and x_shape[0] > 4:
        return (
            f"; `X` of shape {x_shape} looks like a channels-last colour image: use "
            "convlens.filter_image(X, K) to filter each channel with a 2-D kernel"
        )
    return ""


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
    """Validate the shapes and options of one call and apply the output-size law.

    Examples
    --------
    >>> s = normalize((5, 6), (3, 3), padding="same", boundary="reflect", value=0.0,
    ...               stride=2, dilation=1, groups=1)
    >>> s.pads, s.out_shape
    (((1, 1), (1, 1)), (3, 3))
    """
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
            f"got {len(k_shape)}-D with shape {k_shape}" + _channels_last_hint(x_shape, k_shape)
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


def validate(
    x_shape: tuple[int, ...],
    x_dtype: np.dtype,
    k_shape: tuple[int, ...],
    k_dtype: np.dtype,
    opts: dict,
) -> tuple[Spec, np.dtype]:
    """Check the dtypes and options of one call: its :class:`Spec` and result dtype.

    Calls whose shapes, dtypes and options (compared with their types, so that ``2`` and
    ``2.0`` or ``True`` and ``1`` stay apart) were seen before get the cached answer: the
    checks cost about 10 us, as much as filtering a small image.

    Examples
    --------
    >>> opts = dict(padding="same", boundary="reflect", value=0.0, stride=1, dilation=1,
    ...             groups=1)
    >>> spec, dtype = validate((8, 8), np.dtype("uint8"), (3, 3), np.dtype("float64"), opts)
    >>> spec.out_shape, dtype
    ((8, 8), dtype('float64'))
    """
    key = _validate_key(x_shape, x_dtype, k_shape, k_dtype, opts)
    hit = _VALIDATED.get(key) if key is not None else None
    if hit is not None:
        return hit
    _checks.check_dtype(x_dtype, "X")
    _checks.check_dtype(k_dtype, "K")
    result = normalize(x_shape, k_shape, **opts), _checks.result_dtype(x_dtype, k_dtype)
    if key is not None:
        if len(_VALIDATED) >= 512:
            _VALIDATED.clear()
        _VALIDATED[key] = result
    return result


_VALIDATED: dict[tuple, tuple[Spec, np.dtype]] = {}
_PLAIN = (int, float, str, bool, type(None))


def _typed(v: Any) -> Any:
    """``v`` with the type of every part, or raise TypeError if it is not plain data."""
    if type(v) in _PLAIN:
        return (type(v), v)
    if type(v) is tuple:
        return (tuple, tuple(_typed(x) for x in v))
    raise TypeError("not cacheable")


def _validate_key(x_shape, x_dtype, k_shape, k_dtype, opts: dict) -> tuple | None:
    try:
        key = (
            tuple(x_shape),
            x_dtype,
            tuple(k_shape),
            k_dtype,
            tuple((name, _typed(v)) for name, v in opts.items()),
        )
        hash(key)
    except TypeError:
        return None
    return key


def out_shape_4d(x_shape: tuple[int, ...], k_shape: tuple[int, ...], spec: Spec) -> tuple:
    """The result's shape as 4-D ``(N, C_out, H', W')``."""
    n = x_shape[0] if spec.x_ndim == 4 else 1
    c_out = k_shape[0] if spec.x_ndim > 2 else 1
    return (n, c_out, *spec.out_shape)


def empty_out_shape(
    x_shape: tuple[int, ...], k_shape: tuple[int, ...], spec: Spec
) -> tuple | None:
    """The 4-D result shape when there is nothing to compute, else ``None``.

    An empty batch (N = 0) or no output channels give an empty result; no input channels
    (C_in = 0) give zeros, the value of an empty sum, in the documented shape
    ``(N, C_out, H', W')`` (torch 2.13 returns ``(N, 0, H', W')`` there, and refuses
    ``C_out = 0``).

    Examples
    --------
    >>> s = normalize((0, 3, 7, 5), (4, 3, 3, 3), padding=1, boundary="constant",
    ...               value=0.0, stride=1, dilation=1, groups=1)
    >>> empty_out_shape((0, 3, 7, 5), (4, 3, 3, 3), s)
    (0, 4, 7, 5)
    """
    if spec.x_ndim == 2 or min(x_shape[-3], k_shape[0], x_shape[0]) > 0:
        return None
    return out_shape_4d(x_shape, k_shape, spec)


def as_4d(a: Any, x_ndim: int, is_kernel: bool) -> Any:
    """View ``X`` (``is_kernel=False``) or ``K`` in the engines' 4-D layout."""
    if x_ndim == 2:
        return a[None, None]
    if x_ndim == 3 and not is_kernel:
        return a[None]
    return a


def from_4d(Y: Any, x_ndim: int) -> Any:
    """Undo :func:`as_4d` on a result, for an ``X`` of ``x_ndim`` dimensions."""
    if x_ndim == 2:
        return Y[0, 0]
    if x_ndim == 3:
        return Y[0]
    return Y


def flip_kernel(K: Any) -> Any:
    """``K`` flipped on both spatial axes: ``conv2d(X, K) == corr2d(X, flip_kernel(K))``."""
    if is_torch(K):
        return K.flip((-2, -1))
    return np.asarray(K)[..., ::-1, ::-1]


def _contiguous(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    out = np.ascontiguousarray(a, dtype=dtype)
    # Arrays with a size-1 axis count as contiguous even with negative strides (a flipped
    # 1x1 kernel), which engines such as torch.from_numpy refuse.
    return out.copy() if any(s < 0 for s in out.strides) else out


def make_problem(
    X: np.ndarray,
    K: np.ndarray,
    spec: Spec,
    dtype: np.dtype,
    out: np.ndarray | None = None,
    *,
    narrow: bool = False,
) -> Problem:
    """The engines' :class:`Problem` for NumPy ``X`` and ``K`` under ``spec``, in ``dtype``.

    ``narrow=True`` keeps an 8-bit integer ``X`` as it is (no full-size float copy): for
    callers that run the problem through ``engines.run``, which widens it for the engines
    that cannot read it.
    """
    if narrow and X.dtype in NARROW_INTS and dtype.kind == "f":
        X4 = _contiguous(as_4d(X, spec.x_ndim, False), X.dtype)
    else:
        X4 = _contiguous(as_4d(X, spec.x_ndim, False), dtype)
    K4 = _contiguous(as_4d(K, spec.x_ndim, True), dtype)
    out4 = None if out is None else as_4d(out, spec.x_ndim, False)
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
