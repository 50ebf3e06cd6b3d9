"""``Conv2D``: the chapter's convolutional layer, with ``torch.nn.Conv2d``'s interface.

The forward pass and both gradients run on convlens's engines through the torch operation
``convlens::corr2d`` (:func:`convlens.backends.torch.corr2d_autograd`): the planner picks
the correlation engine, and the weight gradient is a reduction planned for its own shape.
Where the planner picks torch's own engine (a CNN layer), the layer is torch's
``aten.convolution`` with torch's autograd. That module explains the gradients; this one is
only the layer.

This module imports torch; ``convlens`` exposes :class:`Conv2D` lazily.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from . import _checks
from .backends.torch import aten_args, corr2d_autograd, corr2d_function

_ATEN_DTYPES = (torch.float32, torch.float64)

__all__ = ["Conv2D", "corr2d_function"]


# padding_mode: torch's names, and numpy.pad's (which convlens uses everywhere else).
PADDING_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
    "constant": "constant",
    "symmetric": "symmetric",
    "edge": "edge",
    "wrap": "wrap",
}
_TORCH_NAMES = {"constant": "zeros", "reflect": "reflect", "edge": "replicate", "wrap": "circular"}


class Conv2D(nn.Module):
    r"""A convolutional layer: ``corr2d(x, weight) + bias`` (D2L 7.2.2), on convlens engines.

    The constructor is ``torch.nn.Conv2d``'s, and so are the parameter names, shapes,
    initialisation and the output size per axis,
    ``floor((n + p_total - d * (k - 1) - 1) / s) + 1``. Two forms share the class:

    - **torch's layer**, ``Conv2D(in_channels, out_channels, kernel_size, ...)``:
      ``weight (out_channels, in_channels / groups, kh, kw)``, ``bias (out_channels,)``;
      ``x`` is ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
    - **The chapter's layer**, ``Conv2D(kernel_size)`` (or ``Conv2D(kernel_size=...)``):
      ``weight (kh, kw)`` drawn from ``U[0, 1)``, and one scalar ``bias``, zero. ``x`` is
      ``(H, W)`` (or ``(1, H, W)`` / ``(N, 1, H, W)``).

    Parameters
    ----------
    in_channels, out_channels : int
        Channels in and out (zero is allowed, as in torch: the output is all zeros).
    kernel_size : int or (int, int)
        ``(kh, kw)``.
    stride, dilation : int or (int, int)
        Step between outputs and between kernel taps.
    padding : int, pair, pairs or {"valid", "same", "full"}
        torch's int, pair, ``"valid"`` and ``"same"``; also convlens's explicit
        ``((top, bottom), (left, right))`` and ``"full"``. ``"same"`` works at any stride.
    groups : int
        Channel groups.
    bias : bool
        Learn an additive bias (one per output channel; a scalar for the chapter's layer).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        What fills the padding, with torch's names; numpy.pad's names (``"constant"``,
        ``"symmetric"``, ``"edge"``, ``"wrap"``) are accepted too.
    device, dtype : optional
        Where and in which dtype the parameters are created. float16 and bfloat16 layers
        compute in float32 and return their dtype.
    value : float, keyword-only
        The fill of ``padding_mode="zeros"`` (torch's is 0, the default).
    method : str, keyword-only
        The correlation engine; ``"auto"`` lets the planner choose.

    Notes
    -----
    The input must have the parameters' dtype, as in torch (a ``TypeError`` otherwise).
    A CPU tensor runs on convlens's engines; a tensor on another device (CUDA) stays there
    and runs ``torch.nn.functional.conv2d``. The layer works under ``torch.compile``
    (``fullgraph=True``), double backward and forward-mode AD.

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
    >>> Conv2D(4, 8, 3, padding="same", groups=2, padding_mode="reflect")
    Conv2D(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=2, padding_mode=reflect)
    """

    def __init__(
        self,
        in_channels: int | tuple[int, int] | None = None,
        out_channels: int | None = None,
        kernel_size: int | tuple[int, int] | None = None,
        stride: int | tuple[int, int] = 1,
        padding: Any = 0,
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        *,
        value: float = 0.0,
        method: str = "auto",
    ) -> None:
        super().__init__()
        if out_channels is None and kernel_size is None and in_channels is not None:
            # The chapter's Conv2D(kernel_size): its one positional argument is the kernel.
            in_channels, kernel_size = None, in_channels
        if kernel_size is None or (in_channels is None) != (out_channels is None):
            raise ValueError(
                "Conv2D takes (in_channels, out_channels, kernel_size), as torch.nn.Conv2d, "
                "or the chapter's (kernel_size) alone; got "
                f"in_channels={in_channels!r}, out_channels={out_channels!r}, "
                f"kernel_size={kernel_size!r}"
            )
        self.kernel_size = _checks.as_pair(kernel_size, "kernel_size")
        self.chapter = in_channels is None
        for name, c in (("in_channels", in_channels), ("out_channels", out_channels)):
            if c is not None and (not _checks._is_int(c) or c < 0):
                raise ValueError(f"`{name}` must be a non-negative int; got {c!r}")
        self.in_channels = 1 if in_channels is None else int(in_channels)
        self.out_channels = 1 if out_channels is None else int(out_channels)
        self.groups = _checks.check_groups(groups, self.in_channels, self.out_channels)
        self.stride = _checks.as_pair(stride, "stride")
        self.dilation = _checks.as_pair(dilation, "dilation")
        reach = (
            self.dilation[0] * (self.kernel_size[0] - 1),
            self.dilation[1] * (self.kernel_size[1] - 1),
        )
        self._pads = _checks.normalize_padding(padding, reach)
        # As torch stores it: an int becomes a pair, a string stays a string.
        self.padding = (int(padding),) * 2 if _checks._is_int(padding) else padding
        if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
            raise ValueError(
                f"`padding_mode` must be one of {tuple(PADDING_MODES)}; got {padding_mode!r}"
            )
        self.padding_mode = padding_mode
        self.boundary = PADDING_MODES[padding_mode]
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
        # (signature, torch.convolution's arguments) of the last call that went to torch.
        self._aten: tuple | None = None

    def reset_parameters(self) -> None:
        """Re-initialise ``weight`` and ``bias`` from torch's global RNG.

        The chapter's layer uses the chapter's init: ``weight ~ U[0, 1)``, ``bias = 0``.
        torch's layer uses ``torch.nn.Conv2d``'s (Kaiming-uniform with ``a = sqrt(5)``,
        i.e. ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` for both), so that after the same
        ``torch.manual_seed`` the two layers start from the same numbers.
        """
        if self.chapter:
            with torch.no_grad():
                self.weight.uniform_(0.0, 1.0)
                if self.bias is not None:
                    self.bias.zero_()
            return
        if self.weight.numel() == 0:
            return  # zero channels: nothing to draw (torch would only warn)
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.weight[0].numel())
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``corr2d(x, weight) + bias`` with this layer's options."""
        K = self.weight
        # A call like the last one that went to torch.convolution goes there again
        # directly. Right after a large convolution has swept the caches, the checks below
        # and the planner's lookup made this path 62 us a forward (now 39 us; that of
        # torch.nn.Conv2d, 29 us): about 1% of a 3-16-32 CNN's training step.
        eager = not torch.compiler.is_compiling()
        if eager:
            sig = (x.shape, x.dtype, x.device, K.shape, K.dtype, K.device, self._conf())
            fast = getattr(self, "_aten", None)
            if fast is not None and fast[0] == sig:
                return torch.convolution(x, K, self.bias, *fast[1])
        if x.dtype != K.dtype:
            raise TypeError(
                f"`x` must have the layer's dtype {K.dtype}, as in torch.nn.Conv2d; got "
                f"{x.dtype} (convert one of them with .to())"
            )
        kernel = "(H, W)" if self.chapter else "(C_in, H, W)"
        if x.ndim not in (2, 3, 4) or (x.ndim == 2 and not self.chapter):
            raise ValueError(
                f"`x` must be {kernel} or (N, C_in, H, W); got {x.ndim}-D with shape "
                f"{tuple(x.shape)}"
            )
        lead = x.ndim
        X4 = x.reshape(1, 1, *x.shape) if lead == 2 else x[None] if lead == 3 else x
        if self.chapter:
            K = K.reshape(1, 1, *self.kernel_size)
        if X4.shape[1] != self.in_channels:
            raise ValueError(
                f"`x` must have {self.in_channels} input channels; got shape {tuple(x.shape)}"
            )
        size = tuple(
            _checks.output_size(n, sum(p), k, s, d)
            for n, p, k, s, d in zip(
                X4.shape[-2:], self._pads, self.kernel_size, self.stride, self.dilation
            )
        )
        if min(size) < 1:
            raise ValueError(
                f"the kernel {self.kernel_size} (dilation {self.dilation}) does not fit in "
                f"`x` of spatial shape {tuple(x.shape[-2:])} with padding={self.padding!r}"
            )
        opts = (self._pads, self.boundary, self.value, self.stride, self.dilation, self.groups)
        asked = eager and lead == 4 and not self.chapter and x.dtype in _ATEN_DTYPES
        asked = asked and x.device.type == K.device.type == "cpu"
        if asked:
            args = aten_args(x, K, *opts, self.method)
            self._aten = None if args is None else (sig, args)
            if args is not None:
                return torch.convolution(x, K, self.bias, *args)
        # The bias is added inside the operation, on its fresh output (one C_out = 1 channel
        # for the chapter's scalar bias).
        Y = corr2d_autograd(X4, K, *opts, self.method, self.bias, asked=asked)
        return Y[0, 0] if lead == 2 else Y[0] if lead == 3 else Y

    def _conf(self) -> tuple:
        # Every attribute the call depends on besides x and the parameters: a user may
        # reassign any of them between calls.
        return (
            self._pads, self.boundary, self.value, self.stride, self.dilation, self.groups,
            self.method, self.chapter, self.in_channels,
        )  # fmt: skip

    def extra_repr(self) -> str:
        parts = [] if self.chapter else [f"{self.in_channels}, {self.out_channels}"]
        parts.append(f"kernel_size={self.kernel_size}")
        if not self.chapter or self.stride != (1, 1):  # torch always shows the stride
            parts.append(f"stride={self.stride}")
        if self.padding not in ((0, 0), "valid"):
            parts.append(f"padding={self.padding}")
        if self.dilation != (1, 1):
            parts.append(f"dilation={self.dilation}")
        if self.groups != 1:
            parts.append(f"groups={self.groups}")
        if self.bias is None:
            parts.append("bias=False")
        if self.padding_mode != "zeros":
            parts.append(f"padding_mode={self.padding_mode}")
        if self.value != 0.0:
            parts.append(f"value={self.value}")
        if self.method != "auto":
            parts.append(f"method={self.method!r}")
        return ", ".join(parts)

    @classmethod
    def from_torch(cls, conv: nn.Conv2d, *, method: str = "auto") -> Conv2D:
        """A ``Conv2D`` with ``conv``'s options and a copy of its state dict.

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
            conv.in_channels, conv.out_channels, conv.kernel_size, stride=conv.stride,
            padding=conv.padding, dilation=conv.dilation, groups=conv.groups,
            bias=conv.bias is not None, padding_mode=conv.padding_mode,
            device=conv.weight.device, dtype=conv.weight.dtype, method=method,
        )  # fmt: skip
        layer.load_state_dict(conv.state_dict())
        return layer

    def to_torch(self) -> nn.Conv2d:
        """A ``torch.nn.Conv2d`` with this layer's options and a copy of its parameters.

        The chapter's layer becomes a 1-to-1 channel ``Conv2d``. Options torch lacks
        (``padding="full"`` or uneven pairs, ``padding_mode="symmetric"``, a non-zero
        ``value``) raise ``ValueError``.

        Examples
        --------
        >>> import torch
        >>> layer = Conv2D(2, 4, 3, padding=1, padding_mode="circular")
        >>> conv = layer.to_torch()
        >>> x = torch.randn(1, 2, 8, 8)
        >>> torch.allclose(layer(x), conv(x), atol=1e-5)
        True
        """
        (t, b), (l, r) = self._pads
        if isinstance(self.padding, str) and self.padding in ("valid", "same"):
            padding: Any = self.padding
        elif t == b and l == r:
            padding = (t, l)
        else:
            padding = None
        if padding is None or self.boundary not in _TORCH_NAMES or self.value != 0.0:
            raise ValueError(
                "torch.nn.Conv2d has no equivalent of this layer's padding: needs padding "
                "'valid', 'same', an int or a pair, padding_mode one of "
                f"{tuple(_TORCH_NAMES.values())} and value 0; got padding={self.padding!r}, "
                f"padding_mode={self.padding_mode!r}, value={self.value!r}"
            )
        conv = nn.Conv2d(
            self.in_channels, self.out_channels, self.kernel_size, stride=self.stride,
            padding=padding, dilation=self.dilation, groups=self.groups,
            bias=self.bias is not None, padding_mode=_TORCH_NAMES[self.boundary],
            device=self.weight.device, dtype=self.weight.dtype,
        )  # fmt: skip
        state = {k: v.detach().clone() for k, v in self.state_dict().items()}
        if self.chapter:
            state["weight"] = state["weight"].reshape(1, 1, *self.kernel_size)
        conv.load_state_dict(state)
        return conv
