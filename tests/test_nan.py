"""nan_policy: normalised convolution against a masked reference, astropy, every family."""

from __future__ import annotations

import warnings

import dask.array as da
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import _checks

BOUNDARIES = list(_checks.BOUNDARIES)


def masked_reference(X, K, padding, boundary, value, stride, min_weight=0.0):
    """The definition, written out: a plain double loop over the padded data and mask."""
    kh, kw = K.shape
    spec = convlens.contract.normalize(
        X.shape, K.shape, padding=padding, boundary=boundary, value=0.0, stride=stride,
        dilation=1, groups=1,
    )  # fmt: skip
    mode = {"constant": "constant", "edge": "edge"}.get(boundary, boundary)
    kwargs = {"constant_values": value} if boundary == "constant" else {}
    Xp = np.pad(X, spec.pads, mode=mode, **kwargs)
    A = np.abs(K)
    Ho, Wo = spec.out_shape
    Y = np.empty((Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = Xp[i * stride : i * stride + kh, j * stride : j * stride + kw]
            ok = ~np.isnan(win)
            w = (A * ok).sum() / A.sum()
            s = (K * np.where(ok, win, 0.0)).sum()
            Y[i, j] = s / w if w > 1e-12 and w >= min_weight else np.nan
    return Y


@st.composite
def nan_problems(draw):
    H, W = draw(st.integers(4, 14)), draw(st.integers(4, 14))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.standard_normal((H, W))
    X[rng.random((H, W)) < draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))] = np.nan
    positive = draw(st.booleans())
    K = rng.random((kh, kw)) if positive else rng.standard_normal((kh, kw))
    boundary = draw(st.sampled_from(BOUNDARIES))
    value = draw(st.sampled_from([0.0, 2.0, np.nan])) if boundary == "constant" else 0.0
    padding = draw(st.sampled_from(["valid", "same", "full"]))
    if boundary in ("reflect", "symmetric", "wrap") and padding == "full":
        padding = "same"  # keep the reflections within one image width
    if boundary == "reflect" and min(H, W) < 2 * max(kh, kw):
        padding = "valid"
    return X, K, padding, boundary, value, draw(st.integers(1, 2))


@settings(max_examples=120, deadline=None)
@given(nan_problems(), st.sampled_from(["auto", "direct", "fft", "reference"]))
def test_omit_is_the_masked_definition(problem, method):
    X, K, padding, boundary, value, stride = problem
    Y = convlens.corr2d(
        X, K, padding=padding, boundary=boundary, value=value, stride=stride,
        nan_policy="omit", method=method,
    )  # fmt: skip
    want = masked_reference(X, K, padding, boundary, value, stride)
    np.testing.assert_array_equal(np.isnan(Y), np.isnan(want))
    scale = np.nanmax(np.abs(want), initial=1.0)
    np.testing.assert_allclose(Y, want, rtol=1e-6, atol=1e-6 * scale)


@settings(max_examples=40, deadline=None)
@given(nan_problems())
def test_omit_equals_propagate_without_nan(problem):
    X, K, padding, boundary, value, stride = problem
    X = np.nan_to_num(X, nan=0.5)
    value = 0.0 if np.isnan(value) else value
    kw = dict(padding=padding, boundary=boundary, value=value, stride=stride)
    np.testing.assert_allclose(
        convlens.corr2d(X, K, nan_policy="omit", **kw), convlens.corr2d(X, K, **kw), atol=1e-12
    )


@pytest.mark.parametrize("boundary", ["edge", "wrap", "constant"])
def test_omit_matches_astropy_interpolate(boundary):
    from astropy.convolution import convolve

    rng = np.random.default_rng(1)
    X = rng.random((40, 50))
    X[rng.random(X.shape) < 0.2] = np.nan
    X[10:16, 20:27] = np.nan
    K = rng.random((5, 7))  # astropy interpolates only for kernels without negative taps
    astro = {"edge": "extend", "wrap": "wrap", "constant": "fill"}[boundary]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy warns that it interpolated NaN
        want = convolve(
            X, K, boundary=astro, fill_value=np.nan, nan_treatment="interpolate",
            normalize_kernel=False, preserve_nan=False,
        )  # fmt: skip
    value = np.nan if boundary == "constant" else 0.0
    Y = convlens.conv2d(X, K, padding="same", boundary=boundary, value=value, nan_policy="omit")
    np.testing.assert_allclose(Y, want, rtol=1e-10, atol=1e-12)


def test_zero_sum_kernel_rule():
    # Sobel sums to zero: the response is rescaled by the share of |K| that saw data.
    X = np.tile(np.arange(8.0), (8, 1))
    K = convlens.kernels.sobel("x")
    plain = convlens.corr2d(X, K, padding="same", boundary="edge")
    Xn = X.copy()
    Xn[4, 4] = np.nan
    Y = convlens.corr2d(Xn, K, padding="same", boundary="edge", nan_policy="omit")
    assert np.isfinite(Y).all()
    far = np.ones_like(Y, bool)
    far[3:6, 3:6] = False
    np.testing.assert_allclose(Y[far], plain[far])
    # At (4, 3) the NaN sits on a tap of weight 2 out of |K| mass 8: the rest is scaled up.
    window = Xn[3:6, 2:5]
    ok = ~np.isnan(window)
    want = (K * np.where(ok, window, 0)).sum() / ((np.abs(K) * ok).sum() / 8)
    assert Y[4, 3] == pytest.approx(want)


def test_min_weight_and_all_missing():
    X = np.full((5, 5), np.nan)
    X[2, 2] = 1.0
    K = np.ones((3, 3))
    Y = convlens.corr2d(X, K, padding="same", nan_policy="omit")
    # Constant value 0 is valid data: the lone pixel spreads over its neighbourhood.
    assert np.isfinite(Y[1:4, 1:4]).all() and np.isnan(Y[0, 0]) is np.False_
    Y = convlens.corr2d(X, K, padding="same", value=np.nan, nan_policy="omit")
    np.testing.assert_array_equal(np.isfinite(Y)[1:4, 1:4], np.ones((3, 3), bool))
    assert np.isnan(Y[0, 0])
    np.testing.assert_allclose(Y[1:4, 1:4], 9.0)  # one valid pixel of value 1, times sum(K)
    Y = convlens.corr2d(X, K, padding="same", value=np.nan, nan_policy="omit", min_weight=0.2)
    assert np.isnan(Y[1, 1]) and np.isnan(Y[2, 2])  # 1/9 and 1/9 of the mass < 0.2


def test_fill_uses_value():
    X = np.array([[1.0, np.nan, 3.0]])
    K = np.ones((1, 3))
    np.testing.assert_array_equal(
        convlens.corr2d(X, K, padding="same", nan_policy="fill", value=5.0),
        convlens.corr2d(np.array([[1.0, 5.0, 3.0]]), K, padding="same", value=5.0),
    )
    with pytest.raises(ValueError, match="value"):
        convlens.corr2d(X, K, nan_policy="fill", value=np.nan)


def test_integers_have_no_nan():
    X = np.arange(30, dtype=np.uint8).reshape(5, 6)
    K = np.ones((3, 3))
    np.testing.assert_array_equal(convlens.corr2d(X, K, nan_policy="omit"), convlens.corr2d(X, K))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"nan_policy": "ignore"}, "nan_policy"),
        ({"nan_policy": None}, "nan_policy"),
        ({"nan_policy": "omit", "min_weight": 1.5}, "min_weight"),
        ({"nan_policy": "omit", "min_weight": "0.1"}, "min_weight"),
        ({"nan_policy": "omit", "out": np.empty((2, 2))}, "out"),
    ],
)
def test_bad_nan_options(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        convlens.corr2d(np.ones((3, 3)), np.ones((2, 2)), **kwargs)


def test_torch_omit_matches_numpy_and_has_gradients():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((1, 2, 12, 13))
    X[0, 0, 3:5, 4] = np.nan
    K = rng.random((3, 2, 3, 3))
    want = convlens.corr2d(X, K, padding="same", boundary="reflect", nan_policy="omit")
    Kt = torch.from_numpy(K).requires_grad_()
    Y = convlens.corr2d(
        torch.from_numpy(X), Kt, padding="same", boundary="reflect", nan_policy="omit"
    )
    torch.testing.assert_close(Y.detach(), torch.from_numpy(want))
    Y.sum().backward()
    assert torch.isfinite(Kt.grad).all()


def test_dask_omit_is_exact_across_seams():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 61))
    X[rng.random(X.shape) < 0.1] = np.nan
    X[20:30, 28:35] = np.nan  # a hole across chunk seams
    K = rng.random((5, 5))
    for boundary in BOUNDARIES:
        kw = dict(padding="same", boundary=boundary, nan_policy="omit", method="direct")
        Y = convlens.conv2d(da.from_array(X, chunks=(16, 17)), K, **kw)
        assert isinstance(Y, da.Array)
        np.testing.assert_allclose(Y.compute(), convlens.conv2d(X, K, **kw), rtol=1e-12)


def test_filter_image_passes_nan_policy():
    rng = np.random.default_rng(4)
    img = rng.random((20, 20, 3))
    img[5, 5, 1] = np.nan
    K = np.ones((3, 3)) / 9
    Y = convlens.filter_image(img, K, nan_policy="omit")
    assert np.isfinite(Y).all()
    np.testing.assert_allclose(
        Y[..., 1], convlens.corr2d(img[..., 1], K, padding="same", boundary="reflect",
                                   nan_policy="omit"),
    )  # fmt: skip
