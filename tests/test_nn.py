"""Conv2D and the autograd Function over the convlens engines.

Oracles: torch.nn.Conv2d / F.conv2d (values and gradients), torch.autograd.gradcheck in
float64 (finite differences), and the chapter's from-scratch layer (exercise 3).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens.nn import Conv2D, corr2d_function

BOUNDARIES = ("constant", "reflect", "symmetric", "edge", "wrap")
TORCH_MODES = ("zeros", "reflect", "replicate", "circular")


def step_image() -> torch.Tensor:
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    return X


# --- the autograd Function ------------------------------------------------------------------


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_gradcheck_every_boundary(boundary):
    # Stride, dilation, groups and asymmetric padding together: every index map is exercised,
    # and the padded border's gradient must fold back onto its source pixels.
    g = torch.Generator().manual_seed(1)
    X = torch.randn(1, 4, 5, 6, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.randn(2, 2, 3, 2, dtype=torch.float64, generator=g, requires_grad=True)

    def f(X, K):
        return corr2d_function(X, K, ((2, 1), (3, 0)), boundary, 0.5, (2, 1), (1, 2), 2)

    assert torch.autograd.gradcheck(f, (X, K))


@pytest.mark.parametrize("boundary", ["constant", "reflect"])
def test_double_backward(boundary):
    g = torch.Generator().manual_seed(2)
    X = torch.randn(1, 2, 4, 5, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.randn(1, 2, 2, 2, dtype=torch.float64, generator=g, requires_grad=True)

    def f(X, K):
        return corr2d_function(X, K, ((1, 1), (1, 1)), boundary, 0.0, (2, 2), (1, 1), 1)

    assert torch.autograd.gradgradcheck(f, (X, K))


def test_gradients_known_answer_chapter():
    # Y = corr2d(X, K): dL/dK = corr2d(X, dL/dY); with dL/dY = 1 that is the window sums.
    X = torch.arange(9.0).reshape(3, 3)
    K = torch.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    Xg = X.clone().requires_grad_(True)
    convlens.corr2d(Xg, K).sum().backward()
    assert torch.equal(K.grad, torch.tensor([[8.0, 12.0], [20.0, 24.0]]))
    # dL/dX = full correlation of ones with the flipped kernel: each pixel, the taps that saw it.
    assert torch.equal(Xg.grad, torch.tensor([[0.0, 1.0, 1.0], [2.0, 6.0, 4.0], [2.0, 5.0, 3.0]]))


def test_corr2d_autograd_runs_on_convlens_op():
    X = torch.randn(1, 1, 8, 8)
    K = torch.randn(1, 1, 3, 3, requires_grad=True)
    Y = convlens.corr2d(X, K)
    assert type(Y.grad_fn).__name__ == "_Corr2dEagerBackward"  # the op's kernel, eager
    # Without autograd the plain engine path is taken (no graph at all).
    with torch.no_grad():
        assert convlens.corr2d(X, K).grad_fn is None


def test_function_uses_the_planner_method(monkeypatch):
    # The forward and the input gradient are correlations planned with `method`; the weight
    # gradient is the reduction of engines.grad, with the matching method when forced.
    from convlens.backends import torch as torch_backend
    from convlens.engines import grad

    seen = []
    real_choose, real_ref = torch_backend.choose, grad.weight_grad_reference

    def spy(p, method):
        seen.append(method)
        return real_choose(p, method)

    def spy_ref(*args):
        seen.append("weight_grad_reference")
        return real_ref(*args)

    monkeypatch.setattr(torch_backend, "choose", spy)
    monkeypatch.setattr(grad, "weight_grad_reference", spy_ref)
    X = torch.randn(1, 1, 6, 6, requires_grad=True)
    K = torch.randn(1, 1, 3, 3, requires_grad=True)
    corr2d_function(X, K, method="reference").sum().backward()
    assert sorted(seen) == ["reference", "reference", "weight_grad_reference"]


# --- Conv2D: the chapter's layer ------------------------------------------------------------


def test_chapter_layer_parameters_and_init():
    torch.manual_seed(0)
    layer = Conv2D((1, 2))
    assert layer.weight.shape == (1, 2) and layer.bias.shape == (1,)
    assert torch.equal(layer.bias, torch.zeros(1))
    big = Conv2D((20, 20)).weight.detach()
    assert 0.0 <= float(big.min()) and float(big.max()) < 1.0
    # U[0, 1): the mean of 400 draws is near 1/2 (a Kaiming init would be near 0).
    assert abs(float(big.mean()) - 0.5) < 0.1
    torch.manual_seed(0)
    assert torch.equal(Conv2D((1, 2)).weight, layer.weight)


def test_chapter_layer_forward_is_corr2d_plus_bias():
    layer = Conv2D((1, 2))
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, -1.0]]))
        layer.bias.fill_(0.5)
    Y = layer(step_image())
    expected = torch.zeros(6, 7)
    expected[:, 1], expected[:, 5] = 1.0, -1.0
    assert torch.equal(Y, expected + 0.5)
    # The chapter's 4-D (example, channel, height, width) form gives the same numbers.
    assert torch.equal(layer(step_image().reshape(1, 1, 6, 8))[0, 0], expected + 0.5)


def test_chapter_layer_without_bias():
    layer = Conv2D(2, bias=False)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    X = torch.randn(5, 5)
    assert torch.allclose(layer(X), F.conv2d(X[None, None], layer.weight[None, None])[0, 0])


def test_exercise3_from_scratch_layer_differentiates_correctly():
    # D2L 7.2 exercise 3: "What happens when you try to automatically find the gradient for
    # the Conv2D class we created?" In PyTorch the chapter's double loop with item
    # assignment is differentiable: autograd records every Y[i, j] = ... . Check it against
    # finite differences, against convlens.Conv2D and against the closed forms.
    def corr2d(X, K):  # the chapter's code, verbatim
        h, w = K.shape
        Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype)
        for i in range(Y.shape[0]):
            for j in range(Y.shape[1]):
                Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
        return Y

    class ScratchConv2D(torch.nn.Module):  # the chapter's 7.2.2 layer, verbatim
        def __init__(self, kernel_size):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.rand(kernel_size, dtype=torch.float64))
            self.bias = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))

        def forward(self, x):
            return corr2d(x, self.weight) + self.bias

    g = torch.Generator().manual_seed(3)
    X = torch.randn(6, 7, dtype=torch.float64, generator=g, requires_grad=True)
    gY = torch.randn(5, 5, dtype=torch.float64, generator=g)
    scratch = ScratchConv2D((2, 3))
    assert torch.autograd.gradcheck(lambda X, K: corr2d(X, K), (X, scratch.weight))

    ours = Conv2D((2, 3), dtype=torch.float64)
    ours.load_state_dict(scratch.state_dict())
    Xo = X.detach().clone().requires_grad_(True)
    (scratch(X) * gY).sum().backward()
    (ours(Xo) * gY).sum().backward()
    assert torch.allclose(ours.weight.grad, scratch.weight.grad, rtol=0, atol=1e-12)
    assert torch.allclose(ours.bias.grad, scratch.bias.grad, rtol=0, atol=1e-12)
    assert torch.allclose(Xo.grad, X.grad, rtol=0, atol=1e-12)
    # Closed forms: grad_K = corr2d(X, grad_Y); grad_X = full corr2d(grad_Y, flip(K)).
    Xn, Gn, Kn = X.detach().numpy(), gY.numpy(), scratch.weight.detach().numpy()
    assert np.allclose(scratch.weight.grad.numpy(), convlens.corr2d(Xn, Gn), atol=1e-12)
    full = convlens.corr2d(Gn, Kn[::-1, ::-1], padding="full")
    assert np.allclose(X.grad.numpy(), full, atol=1e-12)


# --- Conv2D: the batched, multi-channel layer vs torch.nn.Conv2d ----------------------------


@settings(max_examples=40)
@given(
    n=st.integers(1, 2),
    groups=st.sampled_from([1, 2]),
    cin_g=st.integers(1, 2),
    cout_g=st.integers(1, 2),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    stride=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    mode=st.sampled_from(TORCH_MODES),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_matches_torch_conv2d_values_and_gradients(
    n, groups, cin_g, cout_g, kh, kw, stride, dilation, padding, mode, bias, seed
):
    torch.manual_seed(seed)
    if mode != "zeros":  # torch's non-zero modes need padding smaller than the input
        padding = (min(padding[0], 1), min(padding[1], 1))
    conv = torch.nn.Conv2d(
        cin_g * groups, cout_g * groups, (kh, kw), stride=stride, padding=padding,
        dilation=dilation, groups=groups, bias=bias, padding_mode=mode, dtype=torch.float64,
    )  # fmt: skip
    ours = Conv2D(
        cin_g * groups, cout_g * groups, (kh, kw), stride=stride, padding=padding,
        dilation=dilation, groups=groups, bias=bias, padding_mode=mode, dtype=torch.float64,
    )  # fmt: skip
    ours.load_state_dict(conv.state_dict())
    x = torch.randn(n, cin_g * groups, 7, 6, dtype=torch.float64)
    xa, xb = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    ya, yb = conv(xa), ours(xb)
    assert ya.shape == yb.shape
    torch.testing.assert_close(yb, ya, rtol=1e-10, atol=1e-10)
    gY = torch.randn_like(ya)
    pa = [xa, *conv.parameters()]
    pb = [xb, *ours.parameters()]
    for ga, gb in zip(torch.autograd.grad(ya, pa, gY), torch.autograd.grad(yb, pb, gY)):
        torch.testing.assert_close(gb, ga, rtol=1e-10, atol=1e-10)


def test_parameter_layout_and_swap_in_a_model():
    torch.manual_seed(0)
    ref = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(8, 4, 3, stride=2)
    )
    ours = torch.nn.Sequential(
        Conv2D(3, 8, 3, padding=1),
        torch.nn.ReLU(),
        Conv2D(8, 4, 3, stride=2),
    )
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: v.shape for k, v in ref.state_dict().items()
    }
    ours.load_state_dict(ref.state_dict())
    x = torch.randn(2, 3, 16, 16)
    torch.testing.assert_close(ours(x), ref(x), rtol=1e-5, atol=1e-5)
    # And back: a trained Conv2D loads into torch.nn.Conv2d.
    with torch.no_grad():
        ours[0].weight.mul_(2.0)
    ref.load_state_dict(ours.state_dict())
    torch.testing.assert_close(ours(x), ref(x), rtol=1e-5, atol=1e-5)


def test_multichannel_init_matches_torch():
    torch.manual_seed(5)
    ref = torch.nn.Conv2d(4, 6, (3, 2), groups=2)
    torch.manual_seed(5)
    ours = Conv2D(4, 6, (3, 2), groups=2)
    assert torch.equal(ours.weight, ref.weight) and torch.equal(ours.bias, ref.bias)
    bound = 1 / np.sqrt(2 * 3 * 2)
    assert float(ours.weight.detach().abs().max()) <= bound


def test_reset_parameters_redraws():
    layer = Conv2D(1, 2, 3)
    before = layer.weight.detach().clone()
    layer.reset_parameters()
    assert not torch.equal(before, layer.weight)
    chapter = Conv2D(3)
    with torch.no_grad():
        chapter.bias.fill_(3.0)
    chapter.reset_parameters()
    assert float(chapter.bias.detach()) == 0.0


def test_from_torch_maps_padding_modes():
    for mode, boundary in zip(TORCH_MODES, BOUNDARIES[:1] + ("reflect", "edge", "wrap")):
        conv = torch.nn.Conv2d(2, 2, 3, padding=2, padding_mode=mode)
        layer = Conv2D.from_torch(conv)
        assert layer.boundary == boundary and layer.padding_mode == mode
        x = torch.randn(1, 2, 9, 9)
        torch.testing.assert_close(layer(x), conv(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "pad_kwargs"),
    [
        ({"stride": 2}, {"stride": 2}),
        ({"padding": "same"}, {"padding": "same"}),
        ({"padding": "full"}, {"padding": "full"}),
        ({"dilation": 2}, {"dilation": 2}),
        ({"padding": 1, "padding_mode": "symmetric"}, {"padding": 1, "boundary": "symmetric"}),
        ({"padding": 1, "padding_mode": "replicate"}, {"padding": 1, "boundary": "edge"}),
        ({"padding": 1, "value": 2.5}, {"padding": 1, "value": 2.5}),
    ],
)
def test_every_option_reaches_corr2d(kwargs, pad_kwargs):
    layer = Conv2D(2, 2, 3, bias=False, **kwargs)
    x = np.random.default_rng(0).standard_normal((1, 2, 9, 9)).astype(np.float32)
    expected = convlens.corr2d(x, layer.weight.detach().numpy(), method="reference", **pad_kwargs)
    plain = convlens.corr2d(x, layer.weight.detach().numpy(), method="reference")
    got = layer(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    assert got.shape != plain.shape or not np.allclose(got, plain)


def test_groups_and_bias_reach_forward():
    layer = Conv2D(2, 2, 1, groups=2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([2.0, 3.0]).reshape(2, 1, 1, 1))
        layer.bias.copy_(torch.tensor([10.0, 20.0]))
    x = torch.ones(1, 2, 3, 3)
    x[:, 1] = 5.0
    y = layer(x)
    assert torch.equal(y[0, 0], torch.full((3, 3), 12.0))
    assert torch.equal(y[0, 1], torch.full((3, 3), 35.0))


def test_method_reaches_the_planner():
    layer = Conv2D(1, 1, 3, method="no-such-engine")
    with pytest.raises(ValueError, match="method"):
        layer(torch.randn(1, 1, 5, 5))


def test_dtype_and_device_arguments():
    layer = Conv2D(2, 2, 3, dtype=torch.float64, device="cpu")
    assert layer.weight.dtype == torch.float64 and layer.bias.dtype == torch.float64
    assert layer(torch.randn(1, 2, 5, 5, dtype=torch.float64)).dtype == torch.float64


def test_extra_repr_shows_only_non_defaults():
    assert repr(Conv2D(3)) == "Conv2D(kernel_size=(3, 3))"
    assert repr(Conv2D((1, 2), bias=False)) == "Conv2D(kernel_size=(1, 2), bias=False)"
    # torch's own format for torch's layer.
    text = repr(Conv2D(2, 4, 3, stride=2, dilation=(1, 2), padding_mode="circular"))
    assert text == repr(
        torch.nn.Conv2d(2, 4, 3, stride=2, dilation=(1, 2), padding_mode="circular")
    ).replace("Conv2d", "Conv2D")
    assert "value=1.5" in repr(Conv2D(3, padding=1, value=1.5))
    assert "method='reference'" in repr(Conv2D(3, method="reference"))


def test_conv2d_trains_like_torch():
    # Ten SGD steps on the same data from the same start give the same weights.
    torch.manual_seed(0)
    ref = torch.nn.Conv2d(2, 3, 3, padding=1, dtype=torch.float64)
    ours = Conv2D.from_torch(ref)
    x = torch.randn(4, 2, 10, 10, dtype=torch.float64)
    target = torch.randn(4, 3, 10, 10, dtype=torch.float64)
    for model in (ref, ours):
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(10):
            opt.zero_grad()
            F.mse_loss(model(x), target).backward()
            opt.step()
    torch.testing.assert_close(ours.weight, ref.weight, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(ours.bias, ref.bias, rtol=1e-10, atol=1e-12)


# --- errors -------------------------------------------------------------------------------


def test_error_channels_given_alone():
    with pytest.raises(ValueError, match="in_channels"):
        Conv2D(2, kernel_size=3)
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(2, 3)


def test_error_bad_in_channels():
    with pytest.raises(ValueError, match="in_channels"):
        Conv2D(-1, 2, 3)


def test_error_groups_do_not_divide():
    with pytest.raises(ValueError, match="groups"):
        Conv2D(3, 4, 3, groups=2)


def test_error_bad_kernel_size():
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(0)


def test_error_bad_padding():
    with pytest.raises(ValueError, match="padding"):
        Conv2D(3, padding="circular")


def test_error_bad_padding_mode():
    with pytest.raises(ValueError, match="padding_mode"):
        Conv2D(1, 1, 3, padding_mode="mirror")


def test_error_bad_stride():
    with pytest.raises(ValueError, match="stride"):
        Conv2D(3, stride=0)


def test_error_from_torch_not_a_conv():
    with pytest.raises(TypeError, match="conv"):
        Conv2D.from_torch(torch.nn.Linear(2, 2))


def test_error_input_channels_mismatch():
    layer = Conv2D(3, 2, 3)
    with pytest.raises(ValueError, match="channels"):
        layer(torch.randn(1, 2, 8, 8))


def test_error_kernel_bigger_than_input():
    with pytest.raises(ValueError, match="does not fit"):
        Conv2D(5)(torch.randn(3, 3))


def test_a_repeated_call_goes_to_torch_directly_and_follows_every_change():
    torch.manual_seed(0)
    layer = Conv2D(3, 8, 3, padding=1, method="torch")
    ref = torch.nn.Conv2d(3, 8, 3, padding=1)
    ref.load_state_dict(layer.state_dict())
    x = torch.randn(2, 3, 10, 12)
    torch.testing.assert_close(layer(x), ref(x))
    assert layer._aten is not None  # the signature and torch.convolution's arguments
    y = layer(x)  # from the kept signature
    assert type(y.grad_fn).__name__ == "ConvolutionBackward0"
    torch.testing.assert_close(y, ref(x))
    # Another shape, dtype or channel count is checked again, not run on the kept call.
    x2 = torch.randn(1, 3, 7, 5)
    torch.testing.assert_close(layer(x2), ref(x2))
    with pytest.raises(ValueError, match="input channels"):
        layer(torch.randn(2, 4, 10, 12))
    with pytest.raises(TypeError, match="dtype"):
        layer(x.double())
    # A reassigned option takes effect at once: a forced convlens engine, then a stride.
    layer(x)
    layer.method = "direct"
    y = layer(x)
    assert layer._aten is None and type(y.grad_fn).__name__ != "ConvolutionBackward0"
    torch.testing.assert_close(y, ref(x), rtol=1e-5, atol=1e-5)
    layer.method, layer.stride, ref.stride = "torch", (2, 2), (2, 2)
    torch.testing.assert_close(layer(x), ref(x))
    torch.testing.assert_close(layer(x), ref(x))
