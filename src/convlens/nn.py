"""``Conv2D``: the chapter's convolutional layer, and the autograd Function under it.

The forward pass and both gradients run on convlens's engines (through :func:`convlens.corr2d`
on NumPy arrays, so the planner picks the algorithm), not on ``torch.nn.functional.conv2d``.
With ``Y = corr(pad(X), K)`` at stride ``s`` and dilation ``d``:

- ``grad_X``: ``grad_Y`` is dilated by the stride (``s - 1`` zeros between samples) and
  correlated, in "full" mode and at dilation ``d``, with the kernel flipped on both axes
  (channels transposed per group). That gives the gradient with respect to the *padded*
  input; the padding is then folded back: cropped for ``boundary="constant"``, summed onto
  the source pixels (``index_add``) for the other boundaries.
- ``grad_K``: the padded ``X`` correlated with ``grad_Y`` as the kernel, with the stride as
  the dilation and the dilation as the stride; batch and channel axes are swapped so that
  the sum over the batch is the correlation's channel contraction.

The backward pass is written with this same Function and differentiable torch indexing, so
it is itself differentiable (double backward works).

This module imports torch; ``convlens`` exposes :class:`Conv2D` lazily.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from . import _checks, ops
from ._checks import Pads, Pair
from .engines.torch import pad_index, pad_tensor

__all__ = ["Conv2D", "corr2d_function"]


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
    # Through the public contract on NumPy arrays, so every engine the planner knows applies.
    Y = ops.corr2d(
        X.detach().numpy(),
        K.detach().numpy(),
        padding=pads,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
        method=method,
    )
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


_TORCH_PADDING_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


class Conv2D(nn.Module):
    r"""A convolutional layer: ``corr2d(x, weight) + bias`` (D2L 7.2.2), on convlens engines.

    Two forms share one class:

    - **The chapter's layer**, ``Conv2D(kernel_size)``: ``weight`` has shape
      ``(kh, kw)``, initialised uniformly in ``[0, 1)``, and ``bias`` is one scalar,
      initialised to zero. ``x`` is ``(H, W)`` (or ``(N, 1, H, W)`` / ``(1, H, W)``).
    - **The batched, multi-channel layer**, ``Conv2D(kernel_size, in_channels=...,
      out_channels=...)``: ``weight (out_channels, in_channels / groups, kh, kw)`` and
      ``bias (out_channels,)``, the layout of ``torch.nn.Conv2d``, initialised as torch does,
      so a model can swap one for the other and ``load_state_dict`` across.

    Per axis the output size is ``floor((n + p_total - d * (k - 1) - 1) / s) + 1``.

    Parameters
    ----------
    kernel_size : int or (int, int)
        ``(kh, kw)``.
    in_channels, out_channels : int, optional
        Give both for the multi-channel layer, neither for the chapter's layer.
    stride, dilation : int or (int, int)
        Step between outputs and between kernel taps.
    padding : int, pair, pairs or {"valid", "same", "full"}
        As in :func:`convlens.corr2d`; ``"valid"`` (no padding) is the default.
    groups : int
        Channel groups, as in ``torch.nn.Conv2d``.
    bias : bool
        Learn an additive bias (a scalar for the chapter's layer, one per output channel
        otherwise).
    boundary : {"constant", "reflect", "symmetric", "edge", "wrap"}
        What fills the padding (numpy.pad names); ``value`` is the constant fill.
    method : str
        Engine for :func:`convlens.corr2d`; ``"auto"`` lets the planner choose.
    device, dtype : optional
        Where and in which dtype the parameters are created.

    Examples
    --------
    >>> import torch
    >>> layer = Conv2D((1, 2))
    >>> with torch.no_grad():
    ...     _ = layer.weight.copy_(torch.tensor([[1.0, -1.0]]))
    >>> X = torch.ones(6, 8)
    >>> X[:, 2:6] = 0
    >>> layer(X)[0]
    tensor([ 0.,  1.,  0.,  0.,  0., -1.,  0.], grad_fn=<SelectBackward0>)
    >>> Conv2D(3, in_channels=4, out_channels=8, padding="same", groups=2)
    Conv2D(4, 8, kernel_size=(3, 3), padding='same', groups=2)
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        *,
        in_channels: int | None = None,
        out_channels: int | None = None,
        stride: int | tuple[int, int] = 1,
        padding: Any = "valid",
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        boundary: str = "constant",
        value: float = 0.0,
        method: str = "auto",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.kernel_size = _checks.as_pair(kernel_size, "kernel_size")
        if (in_channels is None) != (out_channels is None):
            raise ValueError(
                "`in_channels` and `out_channels` must be given together (multi-channel "
                f"layer) or not at all (the chapter's layer); got in_channels={in_channels!r}, "
                f"out_channels={out_channels!r}"
            )
        self.chapter = in_channels is None
        for name, c in (("in_channels", in_channels), ("out_channels", out_channels)):
            if c is not None and (not _checks._is_int(c) or c < 1):
                raise ValueError(f"`{name}` must be a positive int; got {c!r}")
        self.in_channels = 1 if in_channels is None else int(in_channels)
        self.out_channels = 1 if out_channels is None else int(out_channels)
        self.groups = _checks.check_groups(groups, self.in_channels, self.out_channels)
        self.stride = _checks.as_pair(stride, "stride")
        self.dilation = _checks.as_pair(dilation, "dilation")
        reach = tuple(d * (k - 1) for d, k in zip(self.dilation, self.kernel_size))
        _checks.normalize_padding(padding, reach)  # validate now, not at the first forward
        self.padding = padding
        self.boundary = _checks.check_boundary(boundary)
        self.value = _checks.check_value(value)
        if not isinstance(method, str):
            raise TypeError(f"`method` must be a str; got {method!r}")
        self.method = method
        factory = {"device": device, "dtype": dtype}
        if self.chapter:
            shape: tuple[int, ...] = self.kernel_size
        else:
            shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = nn.Parameter(torch.empty(shape, **factory))
        if bias:
            self.bias = nn.Parameter(
                torch.empty(1 if self.chapter else self.out_channels, **factory)
            )
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise ``weight`` and ``bias`` from torch's global RNG.

        The chapter's layer uses the chapter's init: ``weight ~ U[0, 1)``, ``bias = 0``.
        The multi-channel layer uses ``torch.nn.Conv2d``'s (Kaiming-uniform with
        ``a = sqrt(5)``, i.e. ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` for both), so that
        swapping one for the other trains the same way.
        """
        if self.chapter:
            with torch.no_grad():
                self.weight.uniform_(0.0, 1.0)
                if self.bias is not None:
                    self.bias.zero_()
            return
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight[0].numel()
            bound = 1 / math.sqrt(fan_in)
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``corr2d(x, weight) + bias`` with this layer's options."""
        from .ops import corr2d

        K = self.weight
        if self.chapter and x.ndim in (3, 4):
            K = K.reshape(1, 1, *self.kernel_size)
        Y = corr2d(
            x,
            K,
            padding=self.padding,
            boundary=self.boundary,
            value=self.value,
            stride=self.stride,
            dilation=self.dilation,
            groups=self.groups,
            method=self.method,
        )
        if self.bias is None:
            return Y
        if self.chapter:
            return Y + self.bias
        return Y + self.bias.reshape(-1, 1, 1)

    def extra_repr(self) -> str:
        parts = [] if self.chapter else [f"{self.in_channels}, {self.out_channels}"]
        parts.append(f"kernel_size={self.kernel_size}")
        defaults = {
            "stride": (1, 1),
            "padding": "valid",
            "dilation": (1, 1),
            "groups": 1,
            "boundary": "constant",
            "value": 0.0,
            "method": "auto",
        }
        for name, default in defaults.items():
            if getattr(self, name) != default:
                parts.append(f"{name}={getattr(self, name)!r}")
        if self.bias is None:
            parts.append("bias=False")
        return ", ".join(parts)

    @classmethod
    def from_torch(cls, conv: nn.Conv2d, *, method: str = "auto") -> Conv2D:
        """A multi-channel ``Conv2D`` with ``conv``'s options and a copy of its parameters.

        ``padding_mode`` maps onto ``boundary``: zeros -> constant, reflect -> reflect,
        replicate -> edge, circular -> wrap.

        Examples
        --------
        >>> import torch
        >>> conv = torch.nn.Conv2d(2, 4, 3, padding=1, padding_mode="reflect")
        >>> layer = Conv2D.from_torch(conv)
        >>> x = torch.randn(1, 2, 8, 8)
        >>> torch.allclose(layer(x), conv(x), atol=1e-5)
        True
        """
        if not isinstance(conv, nn.Conv2d):
            raise TypeError(f"`conv` must be a torch.nn.Conv2d; got {type(conv).__name__}")
        layer = cls(
            conv.kernel_size,
            in_channels=conv.in_channels,
            out_channels=conv.out_channels,
            stride=conv.stride,
            padding=conv.padding,
            dilation=conv.dilation,
            groups=conv.groups,
            bias=conv.bias is not None,
            boundary=_TORCH_PADDING_MODES[conv.padding_mode],
            method=method,
            device=conv.weight.device,
            dtype=conv.weight.dtype,
        )
        layer.load_state_dict(conv.state_dict())
        return layer
