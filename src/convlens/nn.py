"""``Conv2D``: the chapter's convolutional layer, over the torch family of
:mod:`convlens.backends.torch`.

The forward pass and both gradients run on convlens's engines (so the planner picks the
algorithm), not on ``torch.nn.functional.conv2d``.
How the gradients are computed is described in :mod:`convlens.backends.torch`.

This module imports torch; ``convlens`` exposes :class:`Conv2D` lazily.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from . import _checks
from .backends.torch import corr2d_function, correlate
from .contract import shape_dtype, validate

__all__ = ["Conv2D", "corr2d_function"]


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
        K = self.weight
        if self.chapter and x.ndim in (3, 4):
            K = K.reshape(1, 1, *self.kernel_size)
        opts = dict(
            padding=self.padding,
            boundary=self.boundary,
            value=self.value,
            stride=self.stride,
            dilation=self.dilation,
            groups=self.groups,
        )
        x_shape, x_dtype = shape_dtype(x, "x")
        spec, dtype = validate(x_shape, x_dtype, tuple(K.shape), shape_dtype(K, "K")[1], opts)
        Y = correlate(x, K, spec, dtype, self.method)
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
