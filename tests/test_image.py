"""filter_image against cv2.filter2D and scipy.ndimage on real images; layouts, alpha, dtypes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.data

from convlens import filter_image
from convlens import kernels as kb

# contract boundary -> (OpenCV border, scipy.ndimage mode)
BORDERS = {
    "reflect": (cv2.BORDER_REFLECT_101, "mirror"),
    "symmetric": (cv2.BORDER_REFLECT, "reflect"),
    "edge": (cv2.BORDER_REPLICATE, "nearest"),
    "constant": (cv2.BORDER_CONSTANT, "constant"),
    "wrap": (None, "wrap"),  # cv2.filter2D has no BORDER_WRAP
}
RNG = np.random.default_rng(5)
ODD_K = RNG.standard_normal((5, 3))  # asymmetric, so a flipped kernel would show


@pytest.fixture(scope="module")
def camera():
    return np.ascontiguousarray(skimage.data.camera()[100:196, 150:246])


@pytest.fixture(scope="module")
def astronaut():
    return np.ascontiguousarray(skimage.data.astronaut()[40:112, 160:240])


@pytest.mark.parametrize("boundary", list(BORDERS))
def test_grey_matches_opencv_and_ndimage(camera, boundary):
    border, mode = BORDERS[boundary]
    Y = filter_image(camera, ODD_K, boundary=boundary)
    assert Y.shape == camera.shape and Y.dtype == np.float64
    X = camera.astype(np.float64)
    np.testing.assert_allclose(Y, ndi.correlate(X, ODD_K, mode=mode), atol=1e-9)
    if border is not None:
        np.testing.assert_allclose(Y, cv2.filter2D(X, -1, ODD_K, borderType=border), atol=1e-9)


@pytest.mark.parametrize("boundary", list(BORDERS))
def test_rgb_matches_opencv_and_ndimage_per_channel(astronaut, boundary):
    border, mode = BORDERS[boundary]
    K = kb.gaussian(1.0, 5).astype(np.float32) + ODD_K[:, :1].astype(np.float32) * 0.01
    Y = filter_image(astronaut, K, boundary=boundary)
    assert Y.shape == astronaut.shape and Y.dtype == np.float32
    X = astronaut.astype(np.float64)
    want = np.stack(
        [ndi.correlate(X[..., c], K.astype(np.float64), mode=mode) for c in range(3)], axis=-1
    )
    np.testing.assert_allclose(Y, want, rtol=1e-5, atol=1e-3)
    if border is not None:
        cv = cv2.filter2D(astronaut.astype(np.float32), -1, K, borderType=border)
        np.testing.assert_allclose(Y, cv, rtol=1e-5, atol=1e-3)


def test_conv_flips_the_kernel(camera):
    X = camera.astype(np.float64)
    Y = filter_image(camera, ODD_K, conv=True, boundary="symmetric")
    np.testing.assert_allclose(Y, ndi.convolve(X, ODD_K, mode="reflect"), atol=1e-9)
    assert not np.allclose(Y, filter_image(camera, ODD_K, boundary="symmetric"))


def test_constant_value_is_the_fill(camera):
    X = camera.astype(np.float64)
    Y = filter_image(camera, ODD_K, boundary="constant", value=7.5)
    np.testing.assert_allclose(Y, ndi.correlate(X, ODD_K, mode="constant", cval=7.5), atol=1e-9)


def test_padding_is_passed_to_corr2d(camera):
    assert filter_image(camera, ODD_K, padding="valid").shape == (92, 94)
    assert filter_image(camera, ODD_K, padding="full").shape == (100, 98)
    Y = filter_image(camera, np.ones((1, 1)), padding=((1, 0), (0, 2)), boundary="edge")
    assert Y.shape == (97, 98)
    np.testing.assert_array_equal(Y[0], np.r_[camera[0], camera[0, -1], camera[0, -1]])


def test_rgba_keeps_alpha(astronaut):
    alpha = np.tile(np.arange(80, dtype=np.uint8), (72, 1))
    rgba = np.dstack([astronaut, alpha])
    Y = filter_image(rgba, kb.box(3).astype(np.float32))
    assert Y.shape == rgba.shape and Y.dtype == np.float32
    np.testing.assert_array_equal(Y[..., 3], alpha.astype(np.float32))
    np.testing.assert_allclose(Y[..., :3], filter_image(astronaut, kb.box(3).astype(np.float32)))
    # alpha=False filters the fourth channel like the others.
    Y4 = filter_image(rgba, kb.box(3).astype(np.float32), alpha=False)
    assert not np.array_equal(Y4[..., 3], alpha)


def test_grey_alpha_and_forced_alpha(camera):
    la = np.dstack([camera, np.full_like(camera, 9)])
    Y = filter_image(la, kb.sobel())
    np.testing.assert_array_equal(Y[..., 1], 9.0)
    np.testing.assert_allclose(Y[..., 0], filter_image(camera, kb.sobel()))
    rgb = np.dstack([camera] * 3)
    Y3 = filter_image(rgb, kb.sobel(), alpha=True)  # last channel taken as alpha
    np.testing.assert_array_equal(Y3[..., 2], camera)
    assert filter_image(rgb, kb.sobel()).shape == rgb.shape


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64, np.int16])
def test_dtype_rule(dtype):
    X = (np.arange(48).reshape(6, 8) * 3).astype(dtype)
    K32 = np.array([[1.0, -2.0, 1.0]], dtype=np.float32)
    Y = filter_image(X, K32)
    assert Y.dtype == np.result_type(dtype, np.float32, np.float32)
    assert filter_image(X, K32.astype(np.float64)).dtype == np.float64
    np.testing.assert_allclose(Y, filter_image(X.astype(np.float64), K32), rtol=1e-6)


def test_uint16_is_not_truncated():
    X = np.full((5, 5, 3), 60000, np.uint16)
    Y = filter_image(X, np.full((3, 3), 2.0, np.float32))
    np.testing.assert_allclose(Y, 18 * 60000.0)


def test_list_input_and_input_untouched(camera):
    before = camera.copy()
    filter_image(camera, ODD_K)
    np.testing.assert_array_equal(camera, before)
    Y = filter_image([[0, 1, 2], [3, 4, 5]], [[1, -1]], padding="valid")
    np.testing.assert_array_equal(Y, [[-1, -1], [-1, -1]])


def test_method_is_passed_through(camera):
    Y = filter_image(camera, ODD_K, method="reference")
    np.testing.assert_allclose(Y, filter_image(camera, ODD_K), atol=1e-9)
    with pytest.raises(ValueError, match="`method`"):
        filter_image(camera, ODD_K, method="magic")


def test_check_finite():
    X = np.ones((4, 4))
    X[1, 1] = np.nan
    assert np.isnan(filter_image(X, np.ones((3, 3)))).any()
    with pytest.raises(ValueError, match="NaN"):
        filter_image(X, np.ones((3, 3)), check_finite=True)


def test_bad_image_shape():
    with pytest.raises(ValueError, match="`image`"):
        filter_image(np.zeros(5), np.ones((3, 3)))
    with pytest.raises(ValueError, match="`image`"):
        filter_image(np.zeros((2, 5, 5, 3)), np.ones((3, 3)))


def test_bad_kernel_shape():
    with pytest.raises(ValueError, match="`K`"):
        filter_image(np.zeros((5, 5, 3)), np.ones((1, 1, 3, 3)))


def test_alpha_needs_channels():
    with pytest.raises(ValueError, match="`alpha`"):
        filter_image(np.zeros((5, 5)), np.ones((3, 3)), alpha=True)


def test_alpha_needs_same_size():
    with pytest.raises(ValueError, match="`alpha`"):
        filter_image(np.zeros((5, 5, 4)), np.ones((3, 3)), padding="valid")


def test_alpha_type():
    with pytest.raises(TypeError, match="`alpha`"):
        filter_image(np.zeros((5, 5, 4)), np.ones((3, 3)), alpha="yes")


def test_bad_boundary():
    with pytest.raises(ValueError, match="`boundary`"):
        filter_image(np.zeros((5, 5)), np.ones((3, 3)), boundary="mirror")
