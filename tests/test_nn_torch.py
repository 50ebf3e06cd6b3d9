"""Conv2D behaves like torch.nn.Conv2d: parity, dtypes, empties, AD modes, torch.compile.

Oracle: torch itself (``torch.nn.Conv2d`` / ``F.conv2d``), in float64 where values are
compared, on torch's own sample inputs for conv2d and on the layouts torch accepts.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

import convlens
from convlens import Conv2D
from convlens.nn import corr2d_function

# torch's own sample inputs for nn.functional.conv2d (input, weight, bias shapes and
# options), copied from sample_inputs_conv2d in
# torch/testing/_internal/common_methods_invocations.py (torch 2.13); importing that module
# needs torch's test-only dependencies. Each is run batched and unbatched.
TORCH_SAMPLES = (
    ((1, 3, 4, 4), (3, 3, 3, 3), (3,), {"stride": (2, 2), "padding": 2, "groups": 1}),
    ((2, 4, 8, 8), (2, 2, 3, 3), (2,),
     {"stride": (3, 2), "padding": (2, 1), "groups": 2, "dilation": (4, 4)}),
    ((1, 4, 5, 5), (1, 4, 2, 3), (1,),
     {"stride": 2, "padding": 1, "groups": 1, "dilation": (2, 3)}),
    ((1, 2, 4, 3), (4, 2, 3, 4), None, {"stride": 2, "padding": 1, "groups": 1}),
    ((1, 4, 5, 5), (1, 4, 2, 3), (1,), {"stride": 2, "padding": "valid"}),
    ((1, 4, 5, 5), (1, 4, 2, 3), (1,), {"stride": 1, "padding": "same", "dilation": 3}),
    ((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4}),
    ((2, 4, 6, 6), (8, 1, 3, 3), (8,), {"groups": 4}),
    ((2, 4, 6, 6), (8, 1, 3, 3), None, {"groups": 4}),
    ((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4, "stride": (3, 2)}),
    ((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4, "padding": (1, 1)}),
    ((2, 4, 5, 5), (4, 1, 2, 2), (4,), {"groups": 4, "dilation": (2, 2)}),
    ((2, 4, 6, 5), (6, 2, 3, 2), (6,), {"groups": 2}),
    ((1, 4, 5, 5), (3, 4, 3, 3), None, {}),
)  # fmt: skip


def pair_of_layers(x_shape, w_shape, bias, kwargs, dtype=torch.float64, mode="zeros"):
    groups = kwargs.get("groups", 1)
    ref = torch.nn.Conv2d(
        x_shape[-3], w_shape[0], w_shape[-2:], bias=bias is not None, padding_mode=mode,
        dtype=dtype, **kwargs,
    )  # fmt: skip
    ours = Conv2D(
        x_shape[-3], w_shape[0], w_shape[-2:], bias=bias is not None, padding_mode=mode,
        dtype=dtype, **kwargs,
    )  # fmt: skip
    assert ref.weight.shape == w_shape and ref.groups == groups
    ours.load_state_dict(ref.state_dict())
    return ref, ours


def sgd_steps(model, x, targets, lr=0.05):
    """One SGD step on the MSE loss per target, in order."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for target in targets:
        opt.zero_grad()
        F.mse_loss(model(x), target).backward()
        opt.step()


def check_values_and_grads(ref, ours, x, atol=1e-10):
    xa, xb = x.detach().clone().requires_grad_(True), x.detach().clone().requires_grad_(True)
    ya, yb = ref(xa), ours(xb)
    assert yb.shape == ya.shape and yb.dtype == ya.dtype
    torch.testing.assert_close(yb, ya, rtol=atol, atol=atol)
    gY = torch.randn_like(ya)
    ga = torch.autograd.grad(ya, [xa, *ref.parameters()], gY)
    gb = torch.autograd.grad(yb, [xb, *ours.parameters()], gY)
    for a, b in zip(ga, gb, strict=True):
        assert a.shape == b.shape
        torch.testing.assert_close(b, a, rtol=atol, atol=atol)


# torch's own oracle warns about its padded copy for "same" with an even kernel.
@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("case", range(len(TORCH_SAMPLES)))
def test_torch_sample_inputs(case, batched):
    x_shape, w_shape, bias, kwargs = TORCH_SAMPLES[case]
    torch.manual_seed(case)
    ref, ours = pair_of_layers(x_shape, w_shape, bias, kwargs)
    x = torch.randn(x_shape if batched else x_shape[1:], dtype=torch.float64)
    check_values_and_grads(ref, ours, x)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_modes_with_stride_and_dilation(mode):
    torch.manual_seed(1)
    ref, ours = pair_of_layers(
        (2, 4, 9, 8), (6, 2, 3, 2), True, {"stride": (2, 1), "padding": (2, 1),
                                           "dilation": (1, 2), "groups": 2}, mode=mode,
    )  # fmt: skip
    check_values_and_grads(ref, ours, torch.randn(2, 4, 9, 8, dtype=torch.float64))


def test_channels_last_and_non_contiguous_inputs():
    torch.manual_seed(2)
    ref, ours = pair_of_layers((2, 3, 10, 10), (4, 3, 3, 3), True, {"padding": 1})
    x = torch.randn(2, 3, 10, 10, dtype=torch.float64)
    check_values_and_grads(ref, ours, x.to(memory_format=torch.channels_last))
    wide = torch.randn(2, 3, 10, 20, dtype=torch.float64)
    check_values_and_grads(ref, ours, wide[..., ::2])  # non-contiguous view
    check_values_and_grads(ref, ours, x.transpose(-1, -2))
    # A non-contiguous weight through the functional form.
    K = torch.randn(3, 4, 3, 3, dtype=torch.float64).transpose(0, 1).requires_grad_(True)
    Y = convlens.corr2d(x, K, padding=1)
    torch.testing.assert_close(Y, F.conv2d(x, K, padding=1))


def test_empty_batch_matches_torch():
    torch.manual_seed(3)
    ref, ours = pair_of_layers((0, 3, 7, 5), (4, 3, 3, 3), True, {"padding": 1})
    x = torch.randn(0, 3, 7, 5, dtype=torch.float64)
    check_values_and_grads(ref, ours, x)
    # And through the functional form (the report).
    w = torch.randn(4, 3, 3, 3, requires_grad=True)
    xg = torch.randn(0, 3, 7, 5, requires_grad=True)
    for method in ("auto", "separable", "torch"):
        convlens.corr2d(xg, w, method=method).sum().backward()
        assert w.grad.shape == w.shape and not w.grad.any() and xg.grad.shape == xg.shape


def test_zero_input_channels_give_zeros_plus_bias():
    # The empty sum is zero, so the output is the bias, shape (N, C_out, H', W'). torch 2.13
    # returns (N, 0, H', W') here instead (it hands back an empty input unchanged); convlens
    # keeps the shape the output-size law gives (see docs/layer.md).
    layer = Conv2D(0, 12, 3, groups=3, dtype=torch.float64)
    assert layer.weight.shape == (12, 0, 3, 3)
    with torch.no_grad():
        layer.bias.copy_(torch.arange(12.0))
    x = torch.zeros(2, 0, 7, 8, dtype=torch.float64, requires_grad=True)
    y = layer(x)
    assert y.shape == (2, 12, 5, 6)
    bias = torch.arange(12.0, dtype=torch.float64).reshape(1, 12, 1, 1)
    torch.testing.assert_close(y, bias.expand(2, 12, 5, 6))
    y.sum().backward()
    assert x.grad.shape == x.shape and layer.weight.grad.shape == (12, 0, 3, 3)
    torch.testing.assert_close(layer.bias.grad, torch.full((12,), 60.0, dtype=torch.float64))


def test_zero_output_channels():
    # torch raises for C_out = 0; convlens gives the empty result and zero gradients.
    layer = Conv2D(3, 0, 3, bias=False)
    x = torch.randn(2, 3, 7, 8, requires_grad=True)
    y = layer(x)
    assert y.shape == (2, 0, 5, 6)
    y.sum().backward()
    assert x.grad.shape == x.shape and not x.grad.any()


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_computes_in_float32_and_returns_its_dtype(dtype):
    torch.manual_seed(4)
    layer = Conv2D(2, 3, 3, padding=1, dtype=dtype)
    x = torch.randn(1, 2, 9, 9).to(dtype).requires_grad_(True)
    y = layer(x)
    assert y.dtype == dtype
    # Computed in float32, bias included, and rounded once.
    w32, b32 = layer.weight.float(), layer.bias.float()
    torch.testing.assert_close(y, F.conv2d(x.float(), w32, b32, padding=1).to(dtype))
    y.float().square().sum().backward()
    assert x.grad.dtype == dtype and layer.weight.grad.dtype == dtype
    # The functional form too (the bfloat16 TypeError).
    K = torch.randn(1, 1, 3, 3).to(dtype)
    assert convlens.corr2d(torch.randn(8, 8).to(dtype), K[0, 0]).dtype == dtype


def test_autocast_runs_in_the_input_dtype():
    # convlens has no autocast rule: under CPU autocast the layer computes in its inputs'
    # dtype (float32 here) where torch's conv2d would return bfloat16 (docs/layer.md).
    layer = Conv2D(2, 3, 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = layer(torch.randn(1, 2, 8, 8))
    assert y.dtype == torch.float32


def test_mixed_dtypes_raise_as_torch_does():
    layer = Conv2D(1, 1, 3)
    with pytest.raises(TypeError, match="dtype"):
        layer(torch.randn(1, 1, 5, 5, dtype=torch.float64))
    with pytest.raises(RuntimeError):
        torch.nn.Conv2d(1, 1, 3)(torch.randn(1, 1, 5, 5, dtype=torch.float64))


# make_dual's first use loads torch's jvp decompositions, which call torch.jit.script.
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
@pytest.mark.parametrize("boundary", ["constant", "reflect"])
def test_forward_mode_ad_matches_torch(boundary):
    g = torch.Generator().manual_seed(5)
    X, dX = (torch.randn(2, 4, 7, 6, dtype=torch.float64, generator=g) for _ in range(2))
    K, dK = (torch.randn(4, 2, 3, 2, dtype=torch.float64, generator=g) for _ in range(2))
    pads = ((1, 2), (2, 1))

    def torch_ref(X, K):
        mode = {"constant": "constant", "reflect": "reflect"}[boundary]
        extra = {"value": 0.5} if boundary == "constant" else {}
        Xp = F.pad(X, (2, 1, 1, 2), mode=mode, **extra)
        return F.conv2d(Xp, K, stride=(2, 1), dilation=(1, 2), groups=2)

    with fwAD.dual_level():
        ours = corr2d_function(
            fwAD.make_dual(X, dX), fwAD.make_dual(K, dK), pads, boundary, 0.5, (2, 1),
            (1, 2), 2,
        )  # fmt: skip
        ref = torch_ref(fwAD.make_dual(X, dX), fwAD.make_dual(K, dK))
        t_ours, t_ref = fwAD.unpack_dual(ours).tangent, fwAD.unpack_dual(ref).tangent
        assert t_ours is not None
        torch.testing.assert_close(fwAD.unpack_dual(ours).primal, fwAD.unpack_dual(ref).primal)
        torch.testing.assert_close(t_ours, t_ref)


# make_dual's first use loads torch's jvp decompositions, which call torch.jit.script.
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_forward_mode_ad_through_corr2d_and_the_layer():
    X, dX = torch.randn(6, 8, dtype=torch.float64), torch.randn(6, 8, dtype=torch.float64)
    K = torch.randn(3, 3, dtype=torch.float64)
    with fwAD.dual_level():
        Y = convlens.corr2d(fwAD.make_dual(X, dX), K)
        assert torch.allclose(fwAD.unpack_dual(Y).tangent, convlens.corr2d(dX, K))
        layer = Conv2D(1, 2, 3, dtype=torch.float64)
        T = fwAD.unpack_dual(layer(fwAD.make_dual(X[None], dX[None]))).tangent
        torch.testing.assert_close(T, F.conv2d(dX[None], layer.weight.detach()))


def test_training_with_a_fresh_output_gradient_every_step_matches_torch():
    # A new target each step makes a new output gradient: nothing may be reused between steps.
    torch.manual_seed(6)
    for args, kwargs in (
        ((1, 1, 5), {"padding": "same", "padding_mode": "reflect"}),
        ((4, 6, 3), {"stride": 2, "groups": 2, "padding": 1, "padding_mode": "circular"}),
        ((1, 1, 15), {}),  # a kernel big enough for the FFT weight gradient
    ):
        ref = torch.nn.Conv2d(*args, dtype=torch.float64, **kwargs)
        ours = Conv2D.from_torch(ref)
        x = torch.randn(2, args[0], 24, 24, dtype=torch.float64)
        targets = [torch.randn_like(ref(x)) for _ in range(8)]
        for model in (ref, ours):
            sgd_steps(model, x, targets)
        torch.testing.assert_close(ours.weight, ref.weight, rtol=1e-9, atol=1e-11)
        torch.testing.assert_close(ours.bias, ref.bias, rtol=1e-9, atol=1e-11)


def test_no_grad_and_inference_mode():
    torch.manual_seed(7)
    layer = Conv2D(2, 3, 3, padding=1)
    x = torch.randn(1, 2, 8, 8)
    want = F.conv2d(x, layer.weight, layer.bias, padding=1)
    for ctx in (torch.no_grad, torch.inference_mode):
        with ctx():
            y = layer(x)
        assert y.grad_fn is None
        torch.testing.assert_close(y, want)
    # And training afterwards is unaffected.
    layer(x).sum().backward()
    assert layer.weight.grad is not None


def test_torch_compile_fullgraph_without_recompiles():
    torch._dynamo.reset()
    torch.manual_seed(8)
    model = torch.nn.Sequential(
        Conv2D(2, 4, 3, padding=1, padding_mode="reflect"), torch.nn.ReLU(), Conv2D(4, 1, 3)
    )
    compiled = torch.compile(model, fullgraph=True, backend="aot_eager")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dynamo's graph-break warnings fail the test
        with torch._dynamo.config.patch(error_on_recompile=True):
            for seed in range(3):
                x = torch.randn(2, 2, 12, 12, generator=torch.Generator().manual_seed(seed))
                y = compiled(x)
                y.square().sum().backward()
                grads = [p.grad.clone() for p in model.parameters()]
                model.zero_grad()
                model(x).square().sum().backward()
                torch.testing.assert_close(y, model(x))
                for a, p in zip(grads, model.parameters(), strict=True):
                    torch.testing.assert_close(a, p.grad)
                model.zero_grad()
    torch._dynamo.reset()


def test_custom_op_passes_torch_opcheck():
    # torch.library.opcheck: schema, fake (meta) implementation, autograd registration.
    from convlens.backends.torch import corr2d_op

    X = torch.randn(1, 2, 6, 5, dtype=torch.float64, requires_grad=True)
    K = torch.randn(2, 2, 3, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, dtype=torch.float64, requires_grad=True)
    for bias in (b, None):
        args = (X, K, bias, [1, 0, 2, 1], "reflect", 0.0, [1, 2], [1, 1], 1, "auto")
        torch.library.opcheck(corr2d_op, args)


# make_dual's first use loads torch's jvp decompositions, which call torch.jit.script.
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_fused_bias_gradcheck_gradgradcheck_and_tangent():
    from convlens.backends.torch import corr2d_autograd

    g = torch.Generator().manual_seed(9)
    X = torch.randn(2, 2, 5, 6, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.randn(4, 1, 2, 3, dtype=torch.float64, generator=g, requires_grad=True)
    b = torch.randn(4, dtype=torch.float64, generator=g, requires_grad=True)
    opts = (((1, 1), (0, 2)), "wrap", 0.0, (1, 2), (2, 1), 2, "auto")

    def f(X, K, b):
        return corr2d_autograd(X, K, *opts, b)

    assert torch.autograd.gradcheck(f, (X, K, b))
    assert torch.autograd.gradgradcheck(f, (X, K, b))
    db = torch.randn(4, dtype=torch.float64, generator=g)
    with fwAD.dual_level():
        Y = f(X.detach(), K.detach(), fwAD.make_dual(b.detach(), db))
        T = fwAD.unpack_dual(Y).tangent
    torch.testing.assert_close(T, db.reshape(1, 4, 1, 1).expand_as(T))


def test_source_index_is_numpy_pads_rule():
    from convlens.backends.torch import source_index

    for n in range(1, 6):
        for before in range(0, 12, 3):
            for after in range(0, 12, 4):
                for mode in ("reflect", "symmetric", "edge", "wrap"):
                    want = np.pad(np.arange(n), (before, after), mode=mode)
                    assert source_index(n, before, after, mode).tolist() == want.tolist()


def test_torch_compile_dynamic_shapes():
    # A second input size makes dynamo recompile with symbolic sizes; the fake implementation
    # and the backward's padding indices must work on them.
    torch._dynamo.reset()
    layer = Conv2D(1, 2, 3, padding=2, padding_mode="reflect")
    compiled = torch.compile(layer, fullgraph=True, backend="aot_eager", dynamic=True)
    for size in (9, 12):
        x = torch.randn(1, 1, size, size + 1, requires_grad=True)
        compiled(x).sum().backward()
        xe = x.detach().clone().requires_grad_(True)
        layer(xe).sum().backward()
        torch.testing.assert_close(x.grad, xe.grad)
    torch._dynamo.reset()


def test_other_devices_stay_there_on_torch_kernels():
    # No GPU in CI: the meta device takes the same path as CUDA (not CPU: F.conv2d on the
    # tensor's own device, no NumPy round trip), so the result stays on it.
    layer = Conv2D(2, 3, 3, padding=1, padding_mode="reflect", device="meta")
    y = layer(torch.empty(4, 2, 9, 7, device="meta"))
    assert y.device.type == "meta" and y.shape == (4, 3, 9, 7)
    Y = convlens.corr2d(torch.empty(9, 7, device="meta"), torch.empty(3, 3, device="meta"))
    assert Y.device.type == "meta" and Y.shape == (7, 5)


@pytest.mark.slow
# Inductor's own imports use torch.jit, which torch 2.13 deprecates.
@pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")
def test_torch_compile_inductor():
    # The default backend generates and compiles C++ (about 25 s here); aot_eager above
    # covers the tracing quickly, this checks that inductor accepts the op too.
    torch._dynamo.reset()
    torch.manual_seed(10)
    model = torch.nn.Sequential(Conv2D(2, 4, 3, padding=1), torch.nn.ReLU(), Conv2D(4, 1, 3))
    compiled = torch.compile(model, fullgraph=True)
    x = torch.randn(2, 2, 12, 12)
    y = compiled(x)
    y.sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()
    torch.testing.assert_close(y, model(x))
    for a, p in zip(grads, model.parameters(), strict=True):
        torch.testing.assert_close(a, p.grad)
    torch._dynamo.reset()


# --- multi-channel layers that the planner sends to torch -----------------------------------


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_cnn_layer_on_torchs_engine_is_torchs_own_convolution(monkeypatch):
    # When the planner picks torch, the layer calls aten.convolution and torch's autograd
    # does the backward (one fused convolution_backward): the numbers are torch.nn.Conv2d's
    # to the bit, and the planner is asked once per shape, not at every training step.
    from convlens.backends import torch as torch_backend

    asked = []
    real_choose = torch_backend.choose

    def spy(p, method):
        # The planner's choice depends on its cost model and this machine: make it torch.
        asked.append(p.X.shape)
        return real_choose(p, "torch")

    monkeypatch.setattr(torch_backend, "choose", spy)
    monkeypatch.setattr(torch_backend, "_ON_ATEN", {})
    torch.manual_seed(8)
    ref = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1),
    )
    ours = torch.nn.Sequential(
        Conv2D(3, 16, 3, padding=1), torch.nn.ReLU(), Conv2D(16, 32, 3, padding=1)
    )
    ours.load_state_dict(ref.state_dict())
    x = torch.rand(4, 3, 20, 20)
    for model in (ref, ours):
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for step in range(4):
            opt.zero_grad()
            y = model(x)
            F.mse_loss(
                y, torch.randn(y.shape, generator=torch.Generator().manual_seed(step))
            ).backward()
            opt.step()
    assert type(ours[0](x).grad_fn).__name__ == "ConvolutionBackward0"
    assert type(ours(x).grad_fn).__name__ == "ConvolutionBackward0"
    for a, b in zip(ours.parameters(), ref.parameters(), strict=True):
        assert torch.equal(a, b)
    assert len(asked) == 2  # one plan per layer shape, for four steps
    # Forward-mode AD and double backward are torch's own there too (method="torch" forces
    # the same path on a problem small enough for finite differences).
    layer = Conv2D(4, 4, 3, padding=1, method="torch", dtype=torch.float64)
    h = torch.rand(1, 4, 5, 5, dtype=torch.float64, requires_grad=True)
    assert type(layer(h).grad_fn).__name__ == "ConvolutionBackward0"
    # gradgradcheck perturbs `layer.weight` in place, so the layer reads each perturbation.
    assert torch.autograd.gradgradcheck(lambda h, w: layer(h), (h, layer.weight))
    with fwAD.dual_level():
        t = torch.rand_like(h)
        got = fwAD.unpack_dual(layer(fwAD.make_dual(h, t))).tangent
    torch.testing.assert_close(got, F.conv2d(t, layer.weight, None, padding=1))


def test_cnn_layer_with_padding_torch_cannot_express_stays_on_the_op():
    # Uneven or non-zero padding is not aten.convolution's: the custom op handles it.
    torch.manual_seed(9)
    for kwargs in ({"padding": ((0, 2), (1, 1))}, {"padding": 1, "padding_mode": "reflect"},
                   {"padding": 1, "value": 0.5}):  # fmt: skip
        layer = Conv2D(16, 32, 3, **kwargs)
        y = layer(torch.rand(4, 16, 12, 12))
        assert type(y.grad_fn).__name__ == "_Corr2dEagerBackward"


def test_single_channel_fft_step_shares_the_transform_of_x(monkeypatch):
    # When the forward runs by FFT, its transform of the padded X is the one the weight
    # gradient needs in the same step: it is kept for that backward, used once and dropped.
    from convlens.backends import torch as torch_backend
    from convlens.engines import grad

    real_choose, real_weight_grad = torch_backend.choose, grad.weight_grad
    shared = []

    def spy(*args, **kwargs):
        shared.append(kwargs.get("x_spectrum") is not None)
        return real_weight_grad(*args, **kwargs)

    monkeypatch.setattr(torch_backend, "choose", lambda p, method: real_choose(p, "fft"))
    monkeypatch.setattr(torch_backend, "_SPECTRA", {})
    monkeypatch.setattr(grad, "weight_grad", spy)
    torch.manual_seed(10)
    ref = torch.nn.Conv2d(1, 1, 9, padding=2, padding_mode="reflect", dtype=torch.float64)
    ours = Conv2D.from_torch(ref)
    x = torch.rand(2, 1, 40, 37, dtype=torch.float64)
    targets = [torch.randn(2, 1, 36, 33, dtype=torch.float64) for _ in range(3)]
    for model in (ref, ours):
        sgd_steps(model, x, targets)
    assert shared == [True] * 3
    torch.testing.assert_close(ours.weight, ref.weight, rtol=1e-9, atol=1e-11)
    assert torch_backend._SPECTRA == {}
    # An X that the forward did not see borrows nothing, even with the same shape.
    y = ours(x)
    other, G = torch.rand_like(x), torch.randn_like(y)
    opts = ([2, 2, 2, 2], "reflect", 0.0, [1, 1], [1, 1], 1, "auto")
    got = torch_backend.weight_grad_op(other, G, [1, 1, 9, 9], *opts)
    want = grad.weight_grad_reference(
        other.numpy(), G.numpy(), (1, 1, 9, 9), ((2, 2), (2, 2)), "reflect", 0.0, (1, 1),
        (1, 1), 1,
    )  # fmt: skip
    assert shared[-1] is False
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-12)


def test_a_trainable_kernel_is_planned_once_per_signature(monkeypatch):
    """A kernel being trained changes every step: its engine is chosen once per call
    signature, again for another shape, and again after the planner's plans are dropped."""
    from convlens import planner
    from convlens.backends import torch as torch_backend

    real_choose, asked = torch_backend.choose, []

    def spy(p, method):
        asked.append(p.X.shape)
        return real_choose(p, method)

    monkeypatch.setattr(torch_backend, "choose", spy)
    monkeypatch.setattr(planner, "COLD_IMPORTS", {})  # warm: cold-start plans are not kept
    monkeypatch.setattr(torch_backend, "_on_aten", lambda *args: False)  # its own question
    planner.clear_plans()
    layer = Conv2D(1, 1, 5)
    x = torch.rand(1, 1, 30, 30)
    for _ in range(3):
        layer(x).sum().backward()
        with torch.no_grad():
            layer.weight -= 0.1 * layer.weight.grad  # new kernel values every step
    assert asked.count((1, 1, 30, 30)) == 1
    layer(torch.rand(1, 1, 31, 30))
    assert asked.count((1, 1, 31, 30)) == 1
    planner.clear_plans()
    layer(x)
    assert asked.count((1, 1, 30, 30)) == 2
    with torch.no_grad():  # a kernel that is not trained is planned by its values, as NumPy's
        Conv2D(1, 1, 5).requires_grad_(False)(x)
        Conv2D(1, 1, 5).requires_grad_(False)(x)
    assert asked.count((1, 1, 30, 30)) == 4


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_single_channel_fft_forward_keeps_nan_and_inf_local(monkeypatch, bad):
    """The layer's whole-image FFT would spread one NaN over the whole output; it falls
    back to the engine, which keeps it where the reference puts it."""
    from convlens.backends import torch as torch_backend

    real_choose = torch_backend.choose
    monkeypatch.setattr(torch_backend, "choose", lambda p, method: real_choose(p, "fft"))
    layer = Conv2D(1, 1, 9, dtype=torch.float64)
    x = torch.rand(1, 1, 48, 40, dtype=torch.float64)
    x[0, 0, 20, 17] = bad
    y = layer(x)
    want = convlens.corr2d(
        x.numpy()[0, 0], layer.weight.detach().numpy()[0, 0], method="reference"
    ) + float(layer.bias.detach())
    got = y.detach().numpy()[0, 0]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    assert np.isfinite(got).sum() > 0.8 * got.size
    ok = np.isfinite(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-9, atol=1e-9)


def test_a_layer_the_planner_kept_off_torch_is_asked_again(monkeypatch):
    # A "no" may come from a cold start that the planner later pays off: it is not final.
    from convlens.backends import torch as torch_backend

    real_choose = torch_backend.choose
    answers = iter(["direct", "direct", "torch"])
    monkeypatch.setattr(
        torch_backend, "choose", lambda p, method: real_choose(p, next(answers, "torch"))
    )
    monkeypatch.setattr(torch_backend, "_ON_ATEN", {})
    monkeypatch.setattr(torch_backend, "_REASK", 2)
    layer = Conv2D(16, 32, 3, padding=1)
    x = torch.rand(2, 16, 10, 10)
    kinds = [type(layer(x).grad_fn).__name__ for _ in range(6)]
    # Each op call also asks the planner for its engine; the layer's own question is asked
    # on the first call and again after two more.
    assert kinds[-1] == "ConvolutionBackward0"
    assert kinds[0] == "_Corr2dEagerBackward"
