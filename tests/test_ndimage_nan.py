"""nan_policy on the scipy drop-ins: the same rule as corr2d's, with scipy's modes."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import ndimage
from convlens.ndimage import MODES

SCIPY_MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]


def holes(shape, seed, frac=0.15):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal(shape)
    X[rng.random(shape) < frac] = np.nan
    return X


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SCIPY_MODES), st.integers(1, 3), st.integers(0, 2**16), st.booleans())
def test_correlate_omit_is_corr2d_omit(mode, r, seed, positive):
    X = holes((17, 23), seed)
    rng = np.random.default_rng(seed + 1)
    K = rng.random((2 * r + 1, 2 * r + 1)) if positive else rng.standard_normal((2 * r + 1,) * 2)
    got = ndimage.correlate(X, K, mode=mode, nan_policy="omit")
    want = convlens.corr2d(
        X, K, padding="same", boundary=MODES[mode], nan_policy="omit", method="direct"
    )
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("mode", SCIPY_MODES)
@pytest.mark.parametrize("name", ["gaussian_filter", "uniform_filter"])
def test_positive_filters_omit_is_scipy_by_hand(name, mode):
    # For kernels without negative taps, omit == filter(data as 0) / filter(mask); a finite
    # cval is data, so the mask's border is valid (1).
    X = holes((40, 31), 1)
    arg = 1.5 if name == "gaussian_filter" else 5
    valid = ~np.isnan(X)
    f = getattr(scipy.ndimage, name)
    with np.errstate(invalid="ignore", divide="ignore"):
        num = f(np.where(valid, X, 0.0), arg, mode=mode)
        want = num / f(valid.astype(float), arg, mode=mode, cval=1.0)
    got = getattr(ndimage, name)(X, arg, mode=mode, nan_policy="omit")
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("mode", SCIPY_MODES)
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize(("name", "smooth"), [("sobel", [1, 2, 1]), ("prewitt", [1, 1, 1])])
def test_derivative_filters_omit_use_the_abs_kernel_rule(name, smooth, axis, mode):
    X = holes((20, 24), 2)
    d = np.array([-1.0, 0.0, 1.0])
    K = np.outer(d, smooth) if axis == 0 else np.outer(smooth, d)
    want = convlens.corr2d(X, K, padding="same", boundary=MODES[mode], nan_policy="omit")
    got = getattr(ndimage, name)(X, axis=axis, mode=mode, nan_policy="omit")
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


def test_laplace_omit_uses_the_abs_kernel_rule():
    X = holes((20, 24), 3)
    K = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    want = convlens.corr2d(X, K, padding="same", boundary="symmetric", nan_policy="omit")
    np.testing.assert_allclose(ndimage.laplace(X, nan_policy="omit"), want, atol=1e-9)


def test_no_nan_omit_equals_scipy():
    X = np.random.default_rng(4).standard_normal((30, 30))
    for name, args in [("gaussian_filter", (2.0,)), ("sobel", ()), ("uniform_filter", (3,))]:
        np.testing.assert_allclose(
            getattr(ndimage, name)(X, *args, nan_policy="omit"),
            getattr(scipy.ndimage, name)(X, *args),
            atol=1e-12,
        )


def test_fill_uses_cval_and_constant_nan_border_is_missing():
    X = holes((12, 12), 5)
    np.testing.assert_allclose(
        ndimage.gaussian_filter(X, 1.0, nan_policy="fill", cval=0.5),
        scipy.ndimage.gaussian_filter(np.where(np.isnan(X), 0.5, X), 1.0, cval=0.5),
    )
    ones = np.ones((9, 9))
    # A constant NaN border is missing data: smoothing a constant image stays constant.
    Y = ndimage.gaussian_filter(ones, 2.0, mode="constant", cval=np.nan, nan_policy="omit")
    np.testing.assert_allclose(Y, 1.0)


def test_output_and_min_weight():
    X = holes((16, 16), 6, frac=0.5)
    out = np.empty((16, 16), np.float32)
    assert ndimage.uniform_filter(X, 3, output=out, nan_policy="omit") is out
    np.testing.assert_allclose(out, ndimage.uniform_filter(X, 3, nan_policy="omit"), rtol=1e-6)
    strict = ndimage.uniform_filter(X, 3, nan_policy="omit", min_weight=0.7)
    assert np.isnan(strict).sum() > np.isnan(ndimage.uniform_filter(X, 3, nan_policy="omit")).sum()


@pytest.mark.parametrize(
    "call",
    [
        lambda X: ndimage.gaussian_laplace(X, 1.0, nan_policy="omit"),
        lambda X: ndimage.gaussian_gradient_magnitude(X, 1.0, nan_policy="omit"),
        lambda X: ndimage.gaussian_filter(X, 1.0, order=1, nan_policy="omit"),
        lambda X: ndimage.sobel(X, nan_policy="ignore"),
        lambda X: ndimage.sobel(X, nan_policy="fill", cval=np.nan),
    ],
)
def test_undefined_combinations_raise(call):
    with pytest.raises(ValueError, match="nan_policy"):
        call(holes((8, 8), 7))
