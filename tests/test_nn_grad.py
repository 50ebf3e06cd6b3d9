"""The weight-gradient engine (convlens.engines.grad) and gradchecks on every engine.

Oracles: the readable reference (one sum per tap, float64), torch's own weight gradient
(``torch.nn.grad.conv2d_weight``) and finite differences (``gradcheck``/``gradgradcheck``).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from convlens import _checks
from convlens.engines import grad
from convlens.nn import corr2d_function

BOUNDARIES = ("constant", "reflect", "symmetric", "edge", "wrap")


@st.composite
def problems(draw):
    groups = draw(st.sampled_from([1, 2]))
    cin_g, cout_g = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    pads = tuple((draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(2))
    reach = [d * (kk - 1) for d, kk in zip(dilation, k, strict=True)]
    # At least one output per axis.
    H = draw(st.integers(max(1, reach[0] + 1 - sum(pads[0])), 12))
    W = draw(st.integers(max(1, reach[1] + 1 - sum(pads[1])), 12))
    return {
        "N": draw(st.integers(1, 2)),
        "C_in": cin_g * groups,
        "C_out": cout_g * groups,
        "k": k,
        "H": H,
        "W": W,
        "pads": pads,
        "boundary": draw(st.sampled_from(BOUNDARIES)),
        "value": draw(st.sampled_from([0.0, 0.75])),
        "stride": stride,
        "dilation": dilation,
        "groups": groups,
        "seed": draw(st.integers(0, 2**16)),
    }


def arrays(p, dtype=np.float64):
    rng = np.random.default_rng(p["seed"])
    out = [
        _checks.output_size(n, sum(pp), kk, s, d)
        for n, pp, kk, s, d in zip(
            (p["H"], p["W"]), p["pads"], p["k"], p["stride"], p["dilation"], strict=True
        )
    ]
    X = rng.standard_normal((p["N"], p["C_in"], p["H"], p["W"])).astype(dtype)
    G = rng.standard_normal((p["N"], p["C_out"], *out)).astype(dtype)
    k_shape = (p["C_out"], p["C_in"] // p["groups"], *p["k"])
    opts = (p["pads"], p["boundary"], p["value"], p["stride"], p["dilation"], p["groups"])
    return X, G, k_shape, opts


@settings(max_examples=60)
@given(p=problems(), method=st.sampled_from(["auto", "direct", "fft", "torch"]))
def test_every_method_matches_the_reference(p, method):
    X, G, k_shape, opts = arrays(p)
    if method == "fft" and p["stride"] != (1, 1):
        method = "direct"
    want = grad.weight_grad_reference(X, G, k_shape, *opts)
    got = grad.weight_grad(X, G, k_shape, *opts, method=method)
    assert got.shape == k_shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10 * max(1.0, np.abs(want).max()))


@settings(max_examples=25)
@given(p=problems(), method=st.sampled_from(["direct", "fft", "torch"]))
def test_float32_stays_float32_and_accurate(p, method):
    X, G, k_shape, opts = arrays(p, np.float32)
    if method == "fft" and p["stride"] != (1, 1):
        method = "direct"
    want = grad.weight_grad_reference(X, G, k_shape, *opts)
    got = grad.weight_grad(X, G, k_shape, *opts, method=method)
    assert got.dtype == np.float32
    scale = max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * scale * X.shape[-1])


def test_matches_torch_weight_gradient():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(3, 4, 40, 33, dtype=torch.float64, generator=g)
    K_shape = (6, 2, 5, 4)
    Y = torch.nn.functional.conv2d(
        X, torch.zeros(K_shape, dtype=torch.float64), stride=(2, 1), padding=(3, 1),
        dilation=(1, 2), groups=2,
    )  # fmt: skip
    G = torch.randn(Y.shape, dtype=torch.float64, generator=g)
    want = torch.nn.grad.conv2d_weight(
        X, K_shape, G, stride=(2, 1), padding=(3, 1), dilation=(1, 2), groups=2
    )
    opts = (((3, 3), (1, 1)), "constant", 0.0, (2, 1), (1, 2), 2)
    for method in ("direct", "torch"):
        got = grad.weight_grad(X.numpy(), G.numpy(), K_shape, *opts, method=method)
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-10, atol=1e-10)


def test_fft_matches_direct_on_a_large_kernel():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 1, 90, 80)).astype(np.float32)
    G = rng.standard_normal((2, 1, 70, 60)).astype(np.float32)
    opts = (((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1)
    a = grad.weight_grad(X, G, (1, 1, 21, 21), *opts, method="fft")
    b = grad.weight_grad(X, G, (1, 1, 21, 21), *opts, method="direct")
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-5 * np.abs(b).max())


def test_plan_picks_by_shape():
    one = ((1, 1), (1, 1), 1)
    assert grad.plan_weight_grad((1, 1, 512, 512), (1, 1, 510, 510), (1, 1, 3, 3), *one) == (
        "direct"
    )
    assert grad.plan_weight_grad((1, 1, 512, 512), (1, 1, 482, 482), (1, 1, 31, 31), *one) == (
        "fft"
    )
    # A CNN layer: many channel pairs.
    assert grad.plan_weight_grad((16, 16, 64, 64), (16, 32, 64, 64), (32, 16, 3, 3), *one) == (
        "torch"
    )
    # The FFT computes every lag at stride 1; a stride keeps the direct method.
    big_stride = ((2, 2), (1, 1), 1)
    assert (
        grad.plan_weight_grad((1, 1, 512, 512), (1, 1, 241, 241), (1, 1, 31, 31), *big_stride)
        == "direct"
    )


def test_empty_batch_and_zero_channels_give_zeros():
    opts = (((1, 1), (1, 1)), "reflect", 0.0, (1, 1), (1, 1), 1)
    gK = grad.weight_grad(np.zeros((0, 2, 5, 5)), np.zeros((0, 3, 5, 5)), (3, 2, 3, 3), *opts)
    assert gK.shape == (3, 2, 3, 3) and not gK.any()
    gK = grad.weight_grad(np.zeros((2, 0, 5, 5)), np.zeros((2, 3, 5, 5)), (3, 0, 3, 3), *opts)
    assert gK.shape == (3, 0, 3, 3)


def test_errors():
    X, G = np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3))
    opts = (((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1)
    with pytest.raises(ValueError, match="method"):
        grad.weight_grad(X, G, (1, 1, 3, 3), *opts, method="svd")
    with pytest.raises(TypeError, match="dtype"):
        grad.weight_grad(X, G.astype(np.float32), (1, 1, 3, 3), *opts)
    strided = (((0, 0), (0, 0)), "constant", 0.0, (2, 2), (1, 1), 1)
    with pytest.raises(ValueError, match="stride"):
        grad.weight_grad(X, np.zeros((1, 1, 2, 2)), (1, 1, 3, 3), *strided, method="fft")


# --- gradcheck / gradgradcheck on every engine ----------------------------------------------


@pytest.mark.parametrize("method", ["reference", "numpy", "direct", "separable", "fft", "torch"])
def test_gradcheck_and_gradgradcheck_every_engine(method):
    g = torch.Generator().manual_seed(4)
    X = torch.randn(2, 4, 5, 6, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.randn(4, 2, 3, 2, dtype=torch.float64, generator=g, requires_grad=True)
    stride = (1, 1) if method == "fft" else (2, 1)

    def f(X, K):
        return corr2d_function(X, K, ((1, 2), (2, 0)), "reflect", 0.0, stride, (1, 2), 2, method)

    assert torch.autograd.gradcheck(f, (X, K))
    # Fast mode (random projections of the Jacobian, torch's own option) keeps the
    # second-order check to seconds; the exact one is in test_nn.py on smaller shapes.
    assert torch.autograd.gradgradcheck(f, (X, K), fast_mode=True)


def test_gradcheck_box_engine():
    # The box engine runs constant kernels only, so the kernel is held fixed here.
    g = torch.Generator().manual_seed(5)
    X = torch.randn(1, 1, 7, 8, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.full((1, 1, 3, 3), 0.5, dtype=torch.float64)

    def f(X):
        return corr2d_function(X, K, ((1, 1), (1, 1)), "edge", 0.0, (1, 1), (1, 1), 1, "box")

    assert torch.autograd.gradcheck(f, (X,))
    assert torch.autograd.gradgradcheck(f, (X,))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 3),
    h=st.integers(4, 40),
    w=st.integers(4, 40),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    pads=st.tuples(*[st.integers(0, 3)] * 4),
    boundary=st.sampled_from(["constant", "reflect", "symmetric", "edge", "wrap"]),
    value=st.sampled_from([0.0, 1.5]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
@pytest.mark.parametrize("on_torch", [False, True])
def test_corr_fft_and_its_shared_spectrum_match_the_reference(
    on_torch, n, h, w, kh, kw, pads, boundary, value, dtype
):
    """On torch.fft (torch imported, the layer's case) and on scipy.fft alike."""
    grad_torch = grad._torch_loaded
    grad._torch_loaded = lambda: on_torch
    try:
        _corr_fft_matches(n, h, w, kh, kw, pads, boundary, value, dtype)
    finally:
        grad._torch_loaded = grad_torch


def _corr_fft_matches(n, h, w, kh, kw, pads, boundary, value, dtype):
    import convlens

    rng = np.random.default_rng(h * 100 + w)
    kh, kw = min(kh, h), min(kw, w)
    X = rng.standard_normal((n, 1, h, w)).astype(dtype)
    K = rng.standard_normal((1, 1, kh, kw)).astype(dtype)
    t, b, l, r = pads
    pp = ((t, b), (l, r))
    Y, FX = grad.corr_fft(X, K, pp, boundary, value)
    want = convlens.corr2d(X, K, padding=pp, boundary=boundary, value=value, method="reference")
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert Y.dtype == dtype and Y.shape == want.shape
    np.testing.assert_allclose(Y, want, rtol=tol, atol=tol * np.abs(want).max())
    G = rng.standard_normal(Y.shape).astype(dtype)
    args = (X, G, (1, 1, kh, kw), pp, boundary, value, (1, 1), (1, 1), 1)
    ref = grad.weight_grad_reference(*args)
    got = grad.weight_grad(*args, method="fft", x_spectrum=FX)
    np.testing.assert_allclose(got, ref, rtol=tol, atol=tol * np.abs(ref).max())
    # Without the spectrum the FFT method transforms X itself, to the same numbers.
    np.testing.assert_allclose(grad.weight_grad(*args, method="fft"), got, rtol=tol, atol=tol)
