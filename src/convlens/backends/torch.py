"""The torch family: tensors in, tensors out, autograd kept, devices respected.

On CPU, ``convlens::corr2d`` computes ``Y = corr(pad(X), K)`` with convlens's engines (the
planner chooses, as for NumPy input). It is a ``torch.library`` custom op with a fake (meta)
implementation, so ``torch.compile(fullgraph=True)`` traces it as one opaque node without
graph breaks or recompiles, and with ``register_autograd``. With ``G = dL/dY``:

- ``dL/dX`` is a "full" correlation of ``G`` (dilated by the stride) with the kernel
  flipped on both axes (channels transposed per group), run through ``convlens::corr2d``
  and so through the planner. That is the gradient with respect to the *padded* input; it
  is cropped for ``boundary="constant"`` and, for the other boundaries, every padded
  pixel's gradient is summed back onto the pixel it copies (``index_add`` with numpy.pad's
  indices).
- ``dL/dK`` is ``convlens::corr2d_weight_grad``: a reduction over the image, ``kh * kw`` dot
  products per channel pair (:mod:`convlens.engines.grad`: numba, an FFT planned for this
  shape when the kernel is large, or oneDNN for many channel pairs), never an image-sized
  "kernel" handed to the planner.

When the planner sends a problem to the torch engine anyway (a CNN layer: many channel
pairs) and its padding is zeros that torch can express, :func:`corr2d_autograd` calls
``aten.convolution`` instead, and torch's autograd does the backward (one fused
``convolution_backward``): the step then costs what ``torch.nn.Conv2d``'s does. The planner
is asked once per call signature (shapes, dtype, options) for that decision.

Both gradients are written with these same ops, each with its own gradient, so double
backward works. Forward-mode AD (``torch.autograd.forward_ad``) goes through an
``autograd.Function`` with a ``jvp`` in eager mode: ``dY = corr(dX, K) + corr(X, dK)``.

Elsewhere: float16 and bfloat16 compute in float32 and come back in their dtype, as torch
does on CPU; a tensor on another device (CUDA, ...) stays there and runs
``torch.nn.functional.conv2d`` (numpy.pad-exact padding, graph kept); a CPU tensor with no
gradient (and no tangent) runs on the engines and comes back as a tensor.

This module imports torch; ``convlens.ops`` loads it only for tensor inputs.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._checks import Pads, Pair, output_size
from ..contract import Spec, as_4d, empty_out_shape, from_4d, is_torch, shape_dtype
from ..engines import ENGINES, Problem
from ..engines import grad as _grad
from ..engines.torch import corr2d_tensor
from ..planner import choose, recall, remember
from . import numpy as numpy_backend

__all__ = ["corr2d_autograd", "corr2d_function", "correlate"]

_HALF = (torch.float16, torch.bfloat16)


def _problem(X: Tensor, K: Tensor, pads: list[int], boundary, value, stride, dilation, groups):
    t, b, l, r = pads
    H, W = X.shape[-2:]
    kh, kw = K.shape[-2:]
    out = (
        output_size(H, t + b, kh, stride[0], dilation[0]),
        output_size(W, l + r, kw, stride[1], dilation[1]),
    )
    return Problem(
        np.ascontiguousarray(X.detach().numpy()),
        np.ascontiguousarray(K.detach().numpy()),
        ((t, b), (l, r)),
        boundary,
        value,
        tuple(stride),
        tuple(dilation),
        groups,
        out,
    )


def _out_shape(X: Tensor, K: Tensor, pads: list[int], stride, dilation) -> tuple:
    t, b, l, r = pads
    return (
        X.shape[0],
        K.shape[0],
        output_size(X.shape[-2], t + b, K.shape[-2], stride[0], dilation[0]),
        output_size(X.shape[-1], l + r, K.shape[-1], stride[1], dilation[1]),
    )


# The ops are defined with torch.library.define/impl rather than the custom_op decorator,
# whose kernel wrapper imports torch._dynamo (about 1 s) on the first call of a process.
torch.library.define(
    "convlens::corr2d",
    "(Tensor X, Tensor K, Tensor? bias, int[] pads, str boundary, float value, "
    "int[] stride, int[] dilation, int groups, str method) -> Tensor",
)
torch.library.define(
    "convlens::corr2d_weight_grad",
    "(Tensor X, Tensor G, int[] k_shape, int[] pads, str boundary, float value, "
    "int[] stride, int[] dilation, int groups, str method) -> Tensor",
)


def _corr2d_cpu(
    X: Tensor,
    K: Tensor,
    bias: Tensor | None,
    pads: list[int],
    boundary: str,
    value: float,
    stride: list[int],
    dilation: list[int],
    groups: int,
    method: str,
) -> Tensor:
    """``corr(pad(X), K) + bias`` for ``X (N, C_in, H, W)``, ``K (C_out, C_in/g, kh, kw)``
    and ``bias (C_out,)`` or None, one float dtype (float32 or float64); ``pads`` is
    ``[top, bottom, left, right]``."""
    if X.numel() == 0 or K.numel() == 0:
        # An empty batch or no channels: an empty sum is zero, whatever the padding.
        Y = X.new_zeros(_out_shape(X, K, pads, stride, dilation))
        return Y if bias is None else Y + bias.detach().reshape(-1, 1, 1)
    p = _problem(X, K, pads, boundary, value, stride, dilation, groups)
    engine = _engine(p, K, method)
    b = None if bias is None else bias.detach().numpy().reshape(-1, 1, 1)
    if engine == "fft" and method == "auto" and K.requires_grad and _shares_spectrum(p):
        view, FX = _grad.corr_fft(p.X, p.K, p.pads, boundary, value)
        # A NaN or inf in X or K would have spread over the whole transform (it makes X's
        # sum, the spectrum's DC term, non-finite): then the engine keeps it local.
        if _grad.finite_spectrum(FX) and np.isfinite(p.K).all():
            _stash_spectrum(X, K.shape, pads, boundary, value, FX)
            # The transform's crop, copied out once with the bias added on the way.
            Y = np.empty(view.shape, view.dtype)
            if b is None:
                np.copyto(Y, view)
            else:
                np.add(view, b, out=Y)
            return torch.from_numpy(Y)
    Y = ENGINES[engine].run(p)
    if np.may_share_memory(Y, p.X) or np.may_share_memory(Y, p.K):
        Y = Y.copy()  # a custom op's output must not alias its inputs
    if b is not None:
        # In place on the fresh result: a separate torch add would allocate (and
        # page-fault) a second output and pass over it again, forward and backward.
        Y += b
    return torch.from_numpy(np.ascontiguousarray(Y))


# Registered as functions (not decorators) so that eager autograd can call them directly.
torch.library.impl("convlens::corr2d", "cpu", func=_corr2d_cpu)


def _engine(p: Problem, K: Tensor, method: str) -> str:
    """The planner's engine for ``p``; for a trainable kernel, once per call signature.

    A kernel being trained has new values at every step, so the planner's plan cache
    (keyed by the kernel's bytes) would miss every time and rank the kernel again (an SVD
    and six estimates: 0.15-0.4 ms of a 2-5 ms step). The choice depends on the values only
    through the kernel's rank, and a learnt kernel is full rank; the signature's plan is
    kept like the planner's own (dropped when the model changes, never kept while a
    cold start holds an engine back).
    """
    if method != "auto" or not K.requires_grad:
        return choose(p, method).engine
    key = ("trainable", p.X.shape, p.K.shape, p.X.dtype.str, p.pads, p.boundary, p.value,
           p.stride, p.dilation, p.groups)  # fmt: skip
    engine = recall(key)
    if engine is None:
        plan = choose(p, method)
        engine = plan.engine
        remember(key, plan, engine)
    return engine


# The spectra of recent single-channel FFT forwards' inputs, for the weight gradients of the
# same steps. Each entry holds its X, so no other tensor can take its address while it is
# kept, and X's version counter is in the key, so X cannot have changed in between.
_SPECTRA: dict[tuple, tuple[Tensor, Any]] = {}
_SPECTRA_LOCK = threading.Lock()
_SPECTRA_KEPT = 4
_SPECTRUM_MAX_BYTES = 64 << 20


def _shares_spectrum(p: Problem) -> bool:
    # One channel in and out at stride 1: the FFT forward's transform of X is exactly the
    # one the weight gradient's FFT needs (same span, same length).
    return (
        p.X.shape[1] == 1 and p.K.shape[0] == 1 and p.groups == 1 and not p.narrow_input
        and p.stride == (1, 1) and p.dilation == (1, 1)
    )  # fmt: skip


def _spectrum_key(X: Tensor, k_shape, pads, boundary, value) -> tuple:
    return (
        X.data_ptr(), X._version, tuple(X.shape), tuple(X.stride()), X.dtype,
        tuple(k_shape[-2:]), tuple(pads), boundary, float(value),
    )  # fmt: skip


def _stash_spectrum(X: Tensor, k_shape, pads, boundary, value, FX: Any) -> None:
    if FX.nbytes > _SPECTRUM_MAX_BYTES:
        return
    with _SPECTRA_LOCK:  # layers may run in several threads
        while len(_SPECTRA) >= _SPECTRA_KEPT:
            del _SPECTRA[next(iter(_SPECTRA))]
        _SPECTRA[_spectrum_key(X, k_shape, pads, boundary, value)] = (X, FX)


def _take_spectrum(X: Tensor, k_shape, pads, boundary, value) -> Any:
    with _SPECTRA_LOCK:
        kept = _SPECTRA.pop(_spectrum_key(X, k_shape, pads, boundary, value), None)
    return None if kept is None else kept[1]


@torch.library.register_fake("convlens::corr2d")
def _(X, K, bias, pads, boundary, value, stride, dilation, groups, method):
    return X.new_empty(_out_shape(X, K, pads, stride, dilation))


def _weight_method(method: str, stride) -> str:
    # Forcing a correlation engine forces the matching gradient method where there is one.
    if method == "fft" and tuple(stride) == (1, 1):
        return "fft"
    if method in ("direct", "reference"):
        return method
    return "auto"


def _weight_grad_cpu(
    X: Tensor,
    G: Tensor,
    k_shape: list[int],
    pads: list[int],
    boundary: str,
    value: float,
    stride: list[int],
    dilation: list[int],
    groups: int,
    method: str,
) -> Tensor:
    """``dL/dK`` of ``corr2d_op`` given ``G = dL/dY`` (see :mod:`convlens.engines.grad`)."""
    t, b, l, r = pads
    args = (
        np.ascontiguousarray(X.detach().numpy()),
        np.ascontiguousarray(G.detach().numpy()),
        tuple(k_shape),
        ((t, b), (l, r)),
        boundary,
        value,
        tuple(stride),
        tuple(dilation),
        groups,
    )
    how = _weight_method(method, stride)
    if how == "reference":
        gK = _grad.weight_grad_reference(*args).astype(args[0].dtype)
    else:
        spectrum = _take_spectrum(X, k_shape, pads, boundary, value)
        gK = _grad.weight_grad(*args, method=how, x_spectrum=spectrum)
    return torch.from_numpy(np.ascontiguousarray(gK))


torch.library.impl("convlens::corr2d_weight_grad", "cpu", func=_weight_grad_cpu)


@torch.library.register_fake("convlens::corr2d_weight_grad")
def _(X, G, k_shape, pads, boundary, value, stride, dilation, groups, method):
    return X.new_empty(k_shape)


corr2d_op = torch.ops.convlens.corr2d.default
weight_grad_op = torch.ops.convlens.corr2d_weight_grad.default


def _grad_input(gY: Tensor, K: Tensor, x_shape, conf) -> Tensor:
    pads, boundary, _value, stride, dilation, groups, method = conf
    N, C_in, H, W = x_shape
    t, b, l, r = pads
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
    full = [rh, rh + extra_h, rw, rw + extra_w]
    gXp = corr2d_op(gYd, Kt, None, full, "constant", 0.0, [1, 1], list(dilation), groups, method)
    if boundary == "constant":
        return gXp[..., t : t + H, l : l + W]
    # Every padded pixel is a copy of a source pixel: its gradient goes back to that source.
    rows = source_index(H, t, b, boundary, gXp.device)
    cols = source_index(W, l, r, boundary, gXp.device)
    g_rows = gXp.new_zeros(N, C_in, H, Wp).index_add(2, rows, gXp)
    return g_rows.new_zeros(N, C_in, H, W).index_add(3, cols, g_rows)


def source_index(n, before: int, after: int, boundary: str, device=None) -> Tensor:
    """Source index of every padded position along one axis, as numpy.pad's ``boundary``.

    Computed with torch operations rather than ``np.pad`` on ``arange``, so that it also
    runs on symbolic sizes (``torch.compile`` with dynamic shapes). Padding wider than the
    axis repeats the pattern, as numpy.pad does.

    Examples
    --------
    >>> source_index(3, 2, 1, "reflect").tolist()
    [2, 1, 0, 1, 2, 1]
    >>> source_index(3, 4, 4, "symmetric").tolist()
    [2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0]
    """
    i = torch.arange(-before, n + after, device=device)
    if boundary == "edge":
        return i.clamp(0, n - 1)
    if boundary == "wrap":
        return i.remainder(n)
    if boundary == "symmetric":
        m = i.remainder(2 * n)
        return torch.where(m < n, m, 2 * n - 1 - m)
    if boundary == "reflect":
        if n == 1:
            return torch.zeros_like(i)
        m = i.remainder(2 * (n - 1))
        return torch.where(m < n, m, 2 * (n - 1) - m)
    raise ValueError(
        f"`boundary` must be 'reflect', 'symmetric', 'edge' or 'wrap'; got {boundary!r}"
    )


def _setup(ctx, inputs, output) -> None:
    X, K, _bias, *conf = inputs
    ctx.save_for_backward(X, K)
    ctx.conf = tuple(conf)


def _backward(ctx, gY, eager: bool = False):
    X, K = ctx.saved_tensors
    conf = ctx.conf
    gX = gK = None
    if ctx.needs_input_grad[0]:
        gX = _grad_input(gY, K, X.shape, conf)
    if ctx.needs_input_grad[1]:
        # In eager mode with no graph of the gradient wanted, the op's kernel itself;
        # else the op (differentiable, and what dynamo and AOTAutograd trace).
        wgrad = _weight_grad_cpu if eager and not torch.is_grad_enabled() else weight_grad_op
        gK = wgrad(X, gY, list(K.shape), *conf)
    gB = gY.sum((0, 2, 3)) if ctx.needs_input_grad[2] else None
    return gX, gK, gB, None, None, None, None, None, None, None


torch.library.register_autograd("convlens::corr2d", _backward, setup_context=_setup)


def _setup_wgrad(ctx, inputs, output) -> None:
    X, G, k_shape, *conf = inputs
    ctx.save_for_backward(X, G)
    ctx.conf = tuple(conf)


def _backward_wgrad(ctx, V):
    # <V, dL/dK(X, G)> = <corr(pad(X), V), G>: bilinear, so each derivative is one of the
    # two correlations above with V as the kernel.
    X, G = ctx.saved_tensors
    gX = gG = None
    if ctx.needs_input_grad[0]:
        gX = _grad_input(G, V, X.shape, ctx.conf)
    if ctx.needs_input_grad[1]:
        gG = corr2d_op(X, V, None, *ctx.conf)
    return gX, gG, None, None, None, None, None, None, None, None


torch.library.register_autograd(
    "convlens::corr2d_weight_grad", _backward_wgrad, setup_context=_setup_wgrad
)


class _Corr2dEager(torch.autograd.Function):
    """``corr2d_op`` in eager mode: its CPU kernel called directly, with a ``jvp`` for
    forward-mode AD. The op's dispatch (the Python op packet, its autograd wrapper) cost
    about 95 us a training step, forward and backward; compiled code uses the op, which
    dynamo traces (it does not trace a custom ``jvp``)."""

    @staticmethod
    def forward(X, K, bias, *conf):  # type: ignore[override]
        return _corr2d_cpu(X, K, bias, *conf)

    @staticmethod
    def setup_context(ctx, inputs, output):  # type: ignore[override]
        X, K, _bias, *conf = inputs
        ctx.save_for_backward(X, K)
        ctx.save_for_forward(X, K)
        ctx.conf = tuple(conf)

    @staticmethod
    def jvp(ctx, dX, dK, dB, *_):  # type: ignore[override]
        X, K = ctx.saved_tensors
        pads, boundary, value, *rest = ctx.conf
        # The constant fill does not move with X: the tangent's padding is zero.
        terms = [] if dX is None else [corr2d_op(dX, K, None, pads, boundary, 0.0, *rest)]
        if dK is not None:
            terms.append(corr2d_op(X, dK, None, pads, boundary, value, *rest))
        if dB is not None:
            shape = _out_shape(X, K, pads, *rest[:2])
            terms.append(dB.reshape(-1, 1, 1).expand(shape))
        return sum(terms[1:], terms[0])

    @staticmethod
    def backward(ctx, gY):  # type: ignore[override]
        return _backward(ctx, gY, eager=True)


def _has_tangent(*ts: Tensor | None) -> bool:
    from torch.autograd import forward_ad

    if getattr(forward_ad, "_current_level", -1) < 0:
        return False
    return any(t is not None and forward_ad.unpack_dual(t).tangent is not None for t in ts)


# The planner's answer to "torch?" per call signature (shapes, dtype and options; the
# kernel's values change at every training step and are not part of it). A yes is kept; a
# no is asked again after _REASK calls, since the planner may change its mind once a
# cold start is paid for.
_ON_ATEN: dict[tuple, bool | int] = {}
_ON_ATEN_SIZE = 512
_REASK = 64


def _on_aten(X: Tensor, K: Tensor, pads, boundary, value, stride, dilation, groups, method):
    """Whether the planner sends this problem to the torch engine (with zero padding that
    torch can express), so that :func:`corr2d_autograd` can call ``aten.convolution``."""
    (t, b), (l, r) = pads
    if method not in ("auto", "torch") or boundary != "constant" or value != 0.0:
        return False
    if (t, l) != (b, r) or X.numel() == 0 or K.numel() == 0 or torch.compiler.is_compiling():
        return False
    if method == "torch":
        return True
    key = (
        tuple(X.shape), tuple(K.shape), X.dtype, t, l, tuple(stride), tuple(dilation), groups,
    )  # fmt: skip
    hit = _ON_ATEN.get(key)
    if hit is True:
        return True
    if hit is None or hit <= 0:
        p = _problem(X, K, [t, b, l, r], boundary, value, stride, dilation, groups)
        if len(_ON_ATEN) >= _ON_ATEN_SIZE:
            _ON_ATEN.clear()
        hit = True if choose(p, method).engine == "torch" else _REASK
        _ON_ATEN[key] = hit
        return hit is True
    _ON_ATEN[key] = hit - 1
    return False


def aten_args(
    X: Tensor, K: Tensor, pads: Pads, boundary, value, stride, dilation, groups, method
) -> tuple | None:
    """``torch.convolution``'s arguments after ``(X, K, bias)`` when the planner sends this
    problem (4-D float32/float64 CPU tensors) to torch's oneDNN with zero padding that torch
    can express; else None.

    torch's own operator and its autograd then do it all: one fused convolution_backward
    for the input, weight and bias gradients, the bias fused in the forward, no NumPy round
    trip and no plan per call. That is what torch.nn.Conv2d costs (the custom op paid about
    1.3x). torch.convolution, not torch.ops.aten.convolution: through the Python op packet
    the same kernels page-faulted an extra 12 MB per step of a 3-16-32 CNN on 16 x 64^2
    (glibc mapped and unmapped its blocks), 15% slower than torch.nn.Conv2d.
    """
    if not _on_aten(X, K, pads, boundary, value, stride, dilation, groups, method):
        return None
    (t, _), (l, _) = pads
    return (list(stride), [t, l], list(dilation), False, [0, 0], groups)


def corr2d_autograd(
    X: Tensor,
    K: Tensor,
    pads: Pads,
    boundary: str,
    value: float,
    stride: Pair,
    dilation: Pair,
    groups: int,
    method: str = "auto",
    bias: Tensor | None = None,
    *,
    asked: bool = False,
) -> Tensor:
    """Differentiable ``corr(pad(X), K) + bias`` on 4-D tensors, on convlens's engines.

    The arguments are already normalised (as :func:`convlens.corr2d` normalises them):
    ``X (N, C_in, H, W)``, ``K (C_out, C_in / groups, kh, kw)`` and ``bias (C_out,)`` (or
    None) of one floating dtype, ``pads`` as ``((top, bottom), (left, right))``.
    float16/bfloat16 compute in float32 and come back in their dtype; tensors on another
    device run torch's own convolution there. Backward, double backward, forward-mode AD
    and ``torch.compile`` all work. ``asked=True``: the caller has just had None from
    :func:`aten_args` for this call.

    Examples
    --------
    >>> import torch
    >>> X = torch.arange(9.0).reshape(1, 1, 3, 3)
    >>> K = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]], requires_grad=True)
    >>> Y = corr2d_autograd(X, K, ((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1)
    >>> Y.sum().backward()
    >>> K.grad[0, 0]
    tensor([[ 8., 12.],
            [20., 24.]])
    """
    if X.device.type != "cpu" or K.device.type != "cpu":
        Y = corr2d_tensor(X, K, pads, boundary, value, stride, dilation, groups)
        return Y if bias is None else Y + bias.reshape(-1, 1, 1)
    if X.dtype in _HALF:
        b32 = None if bias is None else bias.float()
        Y = corr2d_autograd(
            X.float(), K.float(), pads, boundary, value, stride, dilation, groups, method, b32
        )
        return Y.to(X.dtype)
    (t, b), (l, r) = pads
    args = (
        None if asked else aten_args(X, K, pads, boundary, value, stride, dilation, groups, method)
    )
    if args is not None:
        return torch.convolution(X, K, bias, *args)
    conf = ([t, b, l, r], boundary, float(value), list(stride), list(dilation), groups, method)
    if not torch.compiler.is_compiling():
        return _Corr2dEager.apply(X, K, bias, *conf)
    return corr2d_op(X, K, bias, *conf)


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
    """:func:`corr2d_autograd` with default options (the name earlier releases exported).

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
    return corr2d_autograd(X, K, pads, boundary, value, stride, dilation, groups, method)


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
    if ref.device.type == "cpu":  # before the widening copy below, as the NumPy family does
        x_shape, x_dtype = shape_dtype(X, "X")
        numpy_backend.check_fits(x_shape, x_dtype, shape_dtype(K, "K")[0], spec, dtype, method)
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
    elif needs_grad or _has_tangent(Xt, Kt):
        # Autograd on CPU: forward and backward on the engines, so the planner's choice
        # applies to training too.
        Y = from_4d(corr2d_autograd(X4, K4, *args, method), spec.x_ndim)
    else:
        Xn, Kn = Xt.detach().numpy(), Kt.detach().numpy()
        Y = torch.from_numpy(numpy_backend.correlate(Xn, Kn, spec, dtype, method))
    return Y if back is None else Y.to(back)
