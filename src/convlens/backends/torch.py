"""The torch family: tensors in, tensors out, autograd kept, devices respected.

- A CPU tensor that needs a gradient runs through :class:`_Corr2d`, a
  ``torch.autograd.Function`` whose forward and both gradients run on convlens's engines
  (through the NumPy family, so the planner picks the algorithm). With
  ``Y = corr(pad(X), K)`` at stride ``s`` and dilation ``d``:

  - ``grad_X``: ``grad_Y`` is dilated by the stride (``s - 1`` zeros between samples) and
    correlated, in "full" mode and at dilation ``d``, with the kernel flipped on both axes
    (channels transposed per group). That gives the gradient with respect to the *padded*
    input; the padding is then folded back: cropped for ``boundary="constant"``, summed onto
    the source pixels (``index_add``) for the other boundaries.
  - ``grad_K``: the padded ``X`` correlated with ``grad_Y`` as the kernel, with the stride as
    the dilation and the dilation as the stride; batch and channel axes are swapped so that
    the sum over the batch is the correlation's channel contraction.

  The backward pass uses this same Function and differentiable torch indexing, so it is
  itself differentiable (double backward works).
- A tensor on another device (CUDA, ...) stays there and runs on torch's own kernels.
- A CPU tensor with no gradient runs on the engines and comes back as a tensor.

This module imports torch; ``convlens.ops`` loads it only for tensor inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .._checks import Pads, Pair
from ..contract import Spec, as_4d, empty_out_shape, from_4d, is_torch, validate
from ..engines.torch import corr2d_tensor, pad_index, pad_tensor
from . import numpy as numpy_backend

__all__ = ["corr2d_function", "correlate"]


def _engine_corr(
    X: torch.Tensor,
    K: torch.Tensor,
    pads: Pads,
    boundary: str,
    value: float,
    stride: Pair,
    dilation: Pair,
    groups: int,
    method: str,
) -> torch.Tensor:
    # Through the NumPy family, so every engine the planner knows applies.
    Xn, Kn = X.detach().numpy(), K.detach().numpy()
    opts = dict(
        padding=pads, boundary=boundary, value=value, stride=stride, dilation=dilation,
        groups=groups,
    )  # fmt: skip
    spec, dtype = validate(Xn.shape, Xn.dtype, Kn.shape, Kn.dtype, opts)
    Y = numpy_backend.correlate(Xn, Kn, spec, dtype, method)
    return torch.from_numpy(np.ascontiguousarray(Y)).to(X.dtype)


class _Corr2d(torch.autograd.Function):
    """``corr(pad(X), K)`` on 4-D CPU tensors, forward and backward on convlens's engines."""

    @staticmethod
    def forward(ctx, X, K, pads, boundary, value, stride, dilation, groups, method):  # type: ignore[override]
        ctx.save_for_backward(X, K)
        ctx.conf = (pads, boundary, value, stride, dilation, groups, method)
        return _engine_corr(X, K, pads, boundary, value, stride, dilation, groups, method)

    @staticmethod
    def backward(ctx, gY):  # type: ignore[override]
        X, K = ctx.saved_tensors
        pads, boundary, value, stride, dilation, groups, method = ctx.conf
        gX = gK = None
        if ctx.needs_input_grad[0]:
            gX = _grad_input(gY, K, X.shape, pads, boundary, stride, dilation, groups, method)
        if ctx.needs_input_grad[1]:
            gK = _grad_weight(
                X, gY, K.shape, pads, boundary, value, stride, dilation, groups, method
            )
        return gX, gK, None, None, None, None, None, None, None


def _grad_input(gY, K, x_shape, pads, boundary, stride, dilation, groups, method):
    N, C_in, H, W = x_shape
    (t, b), (l, r) = pads
    Hp, Wp = H + t + b, W + l + r
    (sh, sw), (dh, dw) = stride, dilation
    C_out, cin_g, kh, kw = K.shape
    cout_g = C_out // groups
    Ho, Wo = gY.shape[-2:]
    if (sh, sw) != (1, 1):
        # Each output sample came from a step of s input pixels: re-space them with zeros.
        gYd = gY.new_zeros(N, C_out, (Ho - 1) * sh + 1, (Wo - 1) * sw + 1)
        gYd[..., ::sh, ::sw] = gY
    else:
        gYd = gY
    Kt = (
        K.reshape(groups, cout_g, cin_g, kh, kw)
        .transpose(1, 2)
        .reshape(C_in, cout_g, kh, kw)
        .flip((-2, -1))
    )
    rh, rw = dh * (kh - 1), dw * (kw - 1)
    # Rows/columns past the last window (the floor in the output-size law) get zero gradient.
    extra_h, extra_w = Hp - (gYd.shape[-2] + rh), Wp - (gYd.shape[-1] + rw)
    full = ((rh, rh + extra_h), (rw, rw + extra_w))
    gXp = _Corr2d.apply(gYd, Kt, full, "constant", 0.0, (1, 1), dilation, groups, method)
    if boundary == "constant":
        return gXp[..., t : t + H, l : l + W]
    # Every padded pixel is a copy of a source pixel: its gradient goes back to that source.
    rows = torch.from_numpy(pad_index(H, t, b, boundary))
    cols = torch.from_numpy(pad_index(W, l, r, boundary))
    g_rows = gXp.new_zeros(N, C_in, H, Wp).index_add(2, rows, gXp)
    return g_rows.new_zeros(N, C_in, H, W).index_add(3, cols, g_rows)


def _grad_weight(X, gY, k_shape, pads, boundary, value, stride, dilation, groups, method):
    N, C_in = X.shape[:2]
    C_out, cin_g, kh, kw = k_shape
    cout_g = C_out // groups
    (sh, sw), (dh, dw) = stride, dilation
    Ho, Wo = gY.shape[-2:]
    Xp = pad_tensor(X, pads, boundary, value)
    # Only the rows/columns that some window touched matter; cropping makes the output kh x kw.
    Hc, Wc = sh * (Ho - 1) + dh * (kh - 1) + 1, sw * (Wo - 1) + dw * (kw - 1) + 1
    Xp = Xp[..., :Hc, :Wc]
    # Channels of the correlation are (group, batch): the batch sum becomes its contraction.
    Xg = Xp.reshape(N, groups, cin_g, Hc, Wc).permute(2, 1, 0, 3, 4).reshape(cin_g, -1, Hc, Wc)
    Gg = gY.reshape(N, groups, cout_g, Ho, Wo).permute(1, 2, 0, 3, 4).reshape(C_out, N, Ho, Wo)
    none = ((0, 0), (0, 0))
    gK = _Corr2d.apply(Xg, Gg, none, "constant", 0.0, dilation, stride, groups, method)
    return gK.transpose(0, 1)


def corr2d_function(
    X: torch.Tensor,
    K: torch.Tensor,
    pads: Pads = ((0, 0), (0, 0)),
    boundary: str = "constant",
    value: float = 0.0,
    stride: Pair = (1, 1),
    dilation: Pair = (1, 1),
    groups: int = 1,
    method: str = "auto",
) -> torch.Tensor:
    """Differentiable ``corr(pad(X), K)`` whose forward and backward run on convlens engines.

    The arguments are already normalised: ``X (N, C_in, H, W)`` and
    ``K (C_out, C_in / groups, kh, kw)`` CPU tensors of one floating dtype, ``pads`` as
    ``((top, bottom), (left, right))``. :func:`convlens.corr2d` calls this for CPU tensors
    that require a gradient; most code should call that instead.

    Examples
    --------
    >>> import torch
    >>> X = torch.arange(9.0).reshape(1, 1, 3, 3)
    >>> K = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]], requires_grad=True)
    >>> Y = corr2d_function(X, K)
    >>> Y.sum().backward()
    >>> K.grad[0, 0]
    tensor([[ 8., 12.],
            [20., 24.]])
    """
    return _Corr2d.apply(X, K, pads, boundary, value, stride, dilation, groups, method)


def correlate(X: Any, K: Any, spec: Spec, dtype: np.dtype, method: str) -> Any:
    """``corr2d`` where ``X`` or ``K`` is a tensor (already checked against ``spec``)."""
    ref = X if is_torch(X) else K
    low = {torch.float16, torch.bfloat16}
    # float16 and bfloat16 compute in float32 and come back in the input's dtype, as in torch.
    back = (
        ref.dtype
        if ref.dtype in low and all(not is_torch(a) or a.dtype == ref.dtype for a in (X, K))
        else None
    )
    tdtype = torch.from_numpy(np.empty(0, dtype)).dtype
    Xt = torch.as_tensor(X if is_torch(X) else np.asarray(X), device=ref.device).to(tdtype)
    Kt = torch.as_tensor(K if is_torch(K) else np.ascontiguousarray(K), device=ref.device)
    Kt = Kt.to(tdtype)
    X4, K4 = as_4d(Xt, spec.x_ndim, False), as_4d(Kt, spec.x_ndim, True)
    args = (spec.pads, spec.boundary, spec.value, spec.stride, spec.dilation, spec.groups)
    shape = empty_out_shape(tuple(X4.shape), tuple(K4.shape), spec)
    needs_grad = torch.is_grad_enabled() and (Xt.requires_grad or Kt.requires_grad)
    if shape is not None:
        # Nothing to sum: zeros, with a graph that gives zero gradients of the right shapes.
        Y = from_4d(
            X4.new_zeros(shape) + (X4.reshape(-1)[:0].sum() + K4.reshape(-1)[:0].sum()),
            spec.x_ndim,
        )
    elif ref.device.type != "cpu":
        # A GPU tensor: stay in torch, on its device, with the graph kept.
        Y = from_4d(corr2d_tensor(X4, K4, *args), spec.x_ndim)
    elif needs_grad:
        # Autograd on CPU: forward and backward on the engines, so the planner's choice
        # applies to training too.
        Y = from_4d(corr2d_function(X4, K4, *args, method), spec.x_ndim)
    else:
        Xn, Kn = Xt.detach().numpy(), Kt.detach().numpy()
        Y = torch.from_numpy(numpy_backend.correlate(Xn, Kn, spec, dtype, method))
    return Y if back is None else Y.to(back)
