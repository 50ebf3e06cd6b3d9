"""Property tests: convlens against the reference loop and against scipy, torch and OpenCV."""

import cv2
import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convlens
from _oracles import SIGNAL_BOUNDARY, cv2_border, cv2_same, ndimage_same, torch_conv
from convlens import _checks
from convlens.engines import ENGINES

BOUNDARIES = list(_checks.BOUNDARIES)
DTYPES = [np.uint8, np.float32, np.float64]


# Engines that sum products directly. The transform and factorisation engines (fft,
# separable, box) have their own bounds, tested engine by engine in test_engines.py.
DIRECT_SUM = ("numpy", "direct", "torch")


def tolerance(X, K, dtype):
    """Float rounding bound: eps * (sum of |terms|) per output, with headroom."""
    eps = np.finfo(dtype).eps
    scale = float(np.abs(X).max(initial=0)) * float(np.abs(K).sum()) + 1.0
    return 8 * eps * scale * max(K.size, 1)


def auto_tolerance(X, K, dtype, ref):
    """For method="auto": the loosest bound of any engine the planner may pick (the FFT's)."""
    return tolerance(X, K, dtype) + 1e-5 * float(np.abs(ref).max(initial=0))


@st.composite
def images(draw, dtypes=DTYPES, min_side=1, max_side=16):
    dtype = draw(st.sampled_from(dtypes))
    h = draw(st.integers(min_side, max_side))
    w = draw(st.integers(min_side, max_side))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if dtype == np.uint8:
        return rng.integers(0, 256, (h, w)).astype(np.uint8)
    return (rng.standard_normal((h, w)) * 10).astype(dtype)


@st.composite
def kernels(draw, max_side=5):
    kh = draw(st.integers(1, max_side))
    kw = draw(st.integers(1, max_side))
    seed = draw(st.integers(0, 2**32 - 1))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    return np.random.default_rng(seed).standard_normal((kh, kw)).astype(dtype)


paddings = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 4),
    st.tuples(st.integers(0, 4), st.integers(0, 4)),
    st.tuples(
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
    ),
)
pairs = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))


def _fits(X, K, padding, stride, dilation):
    try:
        convlens.contract.normalize(
            X.shape,
            K.shape,
            padding=padding,
            boundary="constant",
            value=0.0,
            stride=stride,
            dilation=dilation,
            groups=1,
        )
    except ValueError:
        return False
    return True


@settings(max_examples=120)
@given(
    X=images(),
    K=kernels(),
    padding=paddings,
    boundary=st.sampled_from(BOUNDARIES),
    value=st.floats(-3, 3),
    stride=pairs,
    dilation=pairs,
    method=st.sampled_from([*DIRECT_SUM, "auto"]),
)
def test_every_engine_matches_reference(X, K, padding, boundary, value, stride, dilation, method):
    assume(_fits(X, K, padding, stride, dilation))
    opts = dict(padding=padding, boundary=boundary, value=value, stride=stride, dilation=dilation)
    ref = convlens.corr2d(X, K, method="reference", **opts)
    Y = convlens.corr2d(X, K, method=method, **opts)
    dtype = np.result_type(X, K, np.float32)
    assert Y.dtype == ref.dtype == dtype
    assert Y.shape == ref.shape
    atol = auto_tolerance(X, K, dtype, ref) if method == "auto" else tolerance(X, K, dtype)
    np.testing.assert_allclose(Y, ref, rtol=0, atol=atol)


@settings(max_examples=100)
@given(
    X=images(dtypes=[np.float64]),
    K=kernels(),
    padding=paddings,
    stride=pairs,
    dilation=pairs,
)
def test_output_shape_law(X, K, padding, stride, dilation):
    assume(_fits(X, K, padding, stride, dilation))
    Y = convlens.corr2d(X, K, padding=padding, stride=stride, dilation=dilation)
    pads = _checks.normalize_padding(
        padding, tuple(d * (k - 1) for d, k in zip(_checks.as_pair(dilation, "d"), K.shape))
    )
    s, d = _checks.as_pair(stride, "s"), _checks.as_pair(dilation, "d")
    for axis in range(2):
        n, k, p = X.shape[axis], K.shape[axis], sum(pads[axis])
        assert Y.shape[axis] == (n + p - d[axis] * (k - 1) - 1) // s[axis] + 1
    if padding == "same" and s == (1, 1):
        assert Y.shape == X.shape


@settings(max_examples=60)
@given(X=images(), K=kernels(), padding=paddings, boundary=st.sampled_from(BOUNDARIES))
def test_conv2d_is_corr2d_of_flipped_kernel(X, K, padding, boundary):
    assume(_fits(X, K, padding, 1, 1))
    a = convlens.conv2d(X, K, padding=padding, boundary=boundary)
    b = convlens.corr2d(X, np.flip(K), padding=padding, boundary=boundary)
    np.testing.assert_array_equal(a, b)


@settings(max_examples=60)
@given(X=images(min_side=5), K=kernels(), mode=st.sampled_from(["valid", "full", "same"]))
def test_scipy_signal_correlate2d_and_convolve2d(X, K, mode):
    Xf = X.astype(np.float64)
    Kf = K.astype(np.float64)
    assume(mode != "valid" or (K.shape[0] <= X.shape[0] and K.shape[1] <= X.shape[1]))
    # scipy's "same" centres even kernels the other way; only odd ones share the convention.
    assume(mode != "same" or (K.shape[0] % 2 and K.shape[1] % 2))
    Y = convlens.corr2d(Xf, Kf, padding=mode)
    np.testing.assert_allclose(Y, scipy.signal.correlate2d(Xf, Kf, mode=mode), atol=1e-9)
    C = convlens.conv2d(Xf, Kf, padding=mode)
    np.testing.assert_allclose(C, scipy.signal.convolve2d(Xf, Kf, mode=mode), atol=1e-9)


@settings(max_examples=40)
@given(
    X=images(dtypes=[np.float64], min_side=6),
    K=kernels(max_side=4),
    boundary=st.sampled_from(sorted(SIGNAL_BOUNDARY)),
    value=st.floats(-2, 2),
)
def test_scipy_signal_boundaries(X, K, boundary, value):
    # scipy.signal's "full" pads k - 1 on every side with fill / symm / wrap.
    if boundary != "constant":
        value = 0.0
    Y = convlens.corr2d(X, K, padding="full", boundary=boundary, value=value)
    Z = scipy.signal.correlate2d(
        X, K, mode="full", boundary=SIGNAL_BOUNDARY[boundary], fillvalue=value
    )
    np.testing.assert_allclose(Y, Z, atol=1e-9)


@settings(max_examples=80)
@given(
    X=images(min_side=4),
    K=kernels(max_side=4),
    boundary=st.sampled_from(BOUNDARIES),
    value=st.floats(-2, 2),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
)
def test_scipy_ndimage_correlate(X, K, boundary, value, stride, dilation):
    Xf, Kf = X.astype(np.float64), K.astype(np.float64)
    opts = dict(padding="same", boundary=boundary, value=value)
    Y = convlens.corr2d(Xf, Kf, stride=stride, dilation=dilation, **opts)
    Z = ndimage_same(Xf, Kf, boundary, value, stride, dilation)
    np.testing.assert_allclose(Y, Z, atol=1e-9)


@settings(max_examples=80)
@given(
    X=images(dtypes=[np.float32], min_side=8),
    K=kernels(max_side=5),
    boundary=st.sampled_from(["constant", "reflect", "symmetric", "edge"]),
    stride=st.tuples(st.integers(1, 2), st.integers(1, 2)),
)
def test_opencv_filter2d(X, K, boundary, stride):
    K = K.astype(np.float32)
    Y = convlens.corr2d(X, K, padding="same", boundary=boundary, stride=stride)
    Z = cv2_same(X, K, boundary, stride, (1, 1))
    assert Y.dtype == np.float32
    np.testing.assert_allclose(Y, Z, atol=tolerance(X, K, np.float32))


@st.composite
def batched(draw):
    groups = draw(st.integers(1, 3))
    cin_g = draw(st.integers(1, 2))
    cout_g = draw(st.integers(1, 2))
    n = draw(st.integers(1, 2))
    h, w = draw(st.integers(3, 10)), draw(st.integers(3, 10))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    X = rng.standard_normal((n, groups * cin_g, h, w)).astype(dtype)
    K = rng.standard_normal((groups * cout_g, cin_g, kh, kw)).astype(dtype)
    return X, K, groups


@settings(max_examples=80)
@given(
    data=batched(),
    padding=paddings,
    boundary=st.sampled_from(BOUNDARIES),
    value=st.floats(-2, 2),
    stride=pairs,
    dilation=pairs,
)
def test_torch_conv2d_batched_groups(data, padding, boundary, value, stride, dilation):
    X, K, groups = data
    try:
        spec = convlens.contract.normalize(
            X.shape,
            K.shape,
            padding=padding,
            boundary=boundary,
            value=value,
            stride=stride,
            dilation=dilation,
            groups=groups,
        )
    except ValueError:
        assume(False)
    Y = convlens.corr2d(
        X,
        K,
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    Z = torch_conv(X, K, spec.pads, boundary, value, spec.stride, spec.dilation, groups)
    assert Y.shape == Z.shape
    np.testing.assert_allclose(Y, Z, atol=tolerance(X, K, X.dtype) * X.shape[1])


@settings(max_examples=40)
@given(X=images(), K=kernels(), padding=paddings, boundary=st.sampled_from(BOUNDARIES))
def test_input_is_never_modified(X, K, padding, boundary):
    assume(_fits(X, K, padding, 1, 1))
    X0, K0 = X.copy(), K.copy()
    for method in ("auto", *ENGINES):
        try:
            convlens.corr2d(X, K, padding=padding, boundary=boundary, method=method)
            convlens.conv2d(X, K, padding=padding, boundary=boundary, method=method)
        except ValueError as exc:  # an engine that declines this problem (e.g. box)
            assert f"`method`='{method}' cannot run" in str(exc)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(K, K0)


def test_torch_input_is_never_modified_and_grad_matches_torch():
    rng = np.random.default_rng(3)
    X = torch.tensor(rng.standard_normal((2, 3, 9, 8)), requires_grad=True)
    K = torch.tensor(rng.standard_normal((4, 3, 3, 2)), requires_grad=True)
    X0, K0 = X.detach().clone(), K.detach().clone()
    Y = convlens.corr2d(X, K, padding="same", boundary="reflect", stride=2)
    (Y**2).sum().backward()
    assert torch.equal(X.detach(), X0) and torch.equal(K.detach(), K0)
    X2 = X0.clone().requires_grad_()
    K2 = K0.clone().requires_grad_()
    Xp = torch.nn.functional.pad(X2, (0, 1, 1, 1), mode="reflect")
    Y2 = torch.nn.functional.conv2d(Xp, K2, stride=2)
    (Y2**2).sum().backward()
    torch.testing.assert_close(Y, Y2)
    torch.testing.assert_close(X.grad, X2.grad)
    torch.testing.assert_close(K.grad, K2.grad)


@pytest.mark.parametrize("boundary", ["constant", "reflect", "symmetric", "edge"])
def test_real_image_against_opencv(boundary):
    skimage_data = pytest.importorskip("skimage.data")
    X = skimage_data.camera()
    K = np.random.default_rng(0).standard_normal((7, 7)).astype(np.float32)
    Y = convlens.corr2d(X, K, padding="same", boundary=boundary)
    Z = cv2.filter2D(X.astype(np.float32), -1, K, borderType=cv2_border(boundary))
    np.testing.assert_allclose(Y, Z, rtol=0, atol=1e-5 * np.abs(Z).max())
