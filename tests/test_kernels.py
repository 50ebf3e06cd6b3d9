"""The kernel bank: sums, symmetries, exact responses, oracles (OpenCV, skimage, scipy), specs."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.data
import skimage.filters
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import kernels as kb

ZERO_SUM = [
    kb.edge(),
    kb.edge("y"),
    kb.sobel(),
    kb.sobel("y"),
    kb.prewitt(),
    kb.scharr("y"),
    kb.laplacian(4),
    kb.laplacian(8),
    kb.directional(30.0),
    kb.derivative(1),
    kb.derivative(4, "y"),
]
ONE_SUM = [
    kb.gaussian(1.0),
    kb.gaussian(2.5, 7),
    kb.box(3),
    kb.box((2, 5)),
    kb.sharpen(),
    kb.sharpen(2.0),
    kb.emboss(),
    kb.unsharp(1.5, 0.7),
]


def corr(X, K):
    return convlens.corr2d(np.asarray(X, float), K)


def grid(n=9):
    i, j = np.mgrid[0:n, 0:n].astype(float)
    return i, j


@pytest.fixture(scope="module")
def camera():
    return skimage.data.camera()[::4, ::4].astype(np.float64)


# --- sums and symmetries -------------------------------------------------------------------


@pytest.mark.parametrize("K", ZERO_SUM, ids=range(len(ZERO_SUM)))
def test_edge_kernels_sum_to_zero(K):
    assert abs(K.sum()) < 1e-12
    assert np.abs(K).sum() > 0


@pytest.mark.parametrize("K", ONE_SUM, ids=range(len(ONE_SUM)))
def test_smoothing_kernels_sum_to_one(K):
    assert K.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("builder", [kb.sobel, kb.prewitt, kb.scharr])
def test_gradient_symmetries(builder):
    Kx, Ky = builder("x"), builder("y")
    np.testing.assert_array_equal(Kx[:, ::-1], -Kx)  # antisymmetric along the derivative
    np.testing.assert_array_equal(Kx[::-1, :], Kx)  # symmetric across it
    np.testing.assert_array_equal(Ky, Kx.T)
    np.testing.assert_array_equal(builder(1), Kx)
    np.testing.assert_array_equal(builder(0), Ky)


@pytest.mark.parametrize(
    "K", [kb.laplacian(4), kb.laplacian(8), kb.gaussian(1.3), kb.box(5), kb.sharpen(0.5)]
)
def test_isotropic_kernels_are_symmetric_under_flips_and_transpose(K):
    for T in (K[::-1], K[:, ::-1], K.T):
        np.testing.assert_allclose(T, K, rtol=0, atol=1e-15)


@given(st.floats(-720, 720, allow_nan=False))
@settings(max_examples=40, deadline=None)
def test_directional_is_antisymmetric_and_turns_sign_at_180(angle):
    K = kb.directional(angle)
    np.testing.assert_allclose(K[::-1, ::-1], -K, atol=1e-15)
    np.testing.assert_allclose(kb.directional(angle + 180.0), -K, atol=1e-12)
    assert abs(K.sum()) < 1e-12


def test_emboss_is_identity_plus_an_antisymmetric_part():
    A = kb.emboss() - kb._delta((3, 3))
    np.testing.assert_array_equal(A[::-1, ::-1], -A)
    np.testing.assert_array_equal(A.T, A)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_derivative_symmetry_alternates_with_order(d):
    K = kb.derivative(d)
    sign = 1 if d % 2 == 0 else -1
    np.testing.assert_array_equal(K[:, ::-1], sign * K)


# --- exact responses: step, ramp, parabola, diagonal edge ----------------------------------


def test_edge_on_the_chapter_step_and_a_ramp():
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    want = np.zeros((6, 7))
    want[:, 1], want[:, 5] = 1.0, -1.0
    np.testing.assert_array_equal(corr(X, kb.edge()), want)
    np.testing.assert_array_equal(corr(X, kb.edge("y")), np.zeros((5, 8)))
    _, j = grid()
    np.testing.assert_array_equal(corr(j, kb.edge()), -np.ones((9, 8)))


@pytest.mark.parametrize(
    ("builder", "gain"), [(kb.sobel, 8.0), (kb.prewitt, 6.0), (kb.scharr, 32.0)]
)
def test_gradients_on_a_ramp(builder, gain):
    i, j = grid()
    X = 3.0 * j - 2.0 * i
    np.testing.assert_allclose(corr(X, builder("x")), 3.0 * gain, atol=1e-12)
    np.testing.assert_allclose(corr(X, builder("y")), -2.0 * gain, atol=1e-12)
    np.testing.assert_allclose(corr(X, builder("x", normalize=True)), 3.0, atol=1e-12)
    np.testing.assert_allclose(corr(X, builder("y", normalize=True)), -2.0, atol=1e-12)


def test_sobel_on_a_vertical_step():
    X = np.zeros((5, 8))
    X[:, 4:] = 1.0
    want = np.zeros((3, 6))
    want[:, 2:4] = 4.0  # [-1, 0, 1] sees the step twice, times sum([1, 2, 1])
    np.testing.assert_array_equal(corr(X, kb.sobel()), want)
    np.testing.assert_array_equal(corr(X, kb.sobel("y")), np.zeros((3, 6)))


def test_sobel_on_a_diagonal_edge():
    n = 8
    X = np.tril(np.ones((n, n)))  # X[i, j] = [j <= i]
    Y = corr(X, kb.sobel())
    # Worked by hand: with k = i - j, Y = -3 for k in {0, -1}, -1 for k in {1, -2}.
    k = np.subtract.outer(np.arange(n - 2), np.arange(n - 2))
    want = np.select([np.isin(k, (0, -1)), np.isin(k, (1, -2))], [-3.0, -1.0], 0.0)
    np.testing.assert_array_equal(Y, want)
    # The gradient points down-left, (-1, 1): equal and opposite x and y responses.
    np.testing.assert_array_equal(corr(X, kb.sobel("y")), -want)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_derivative_is_exact_on_polynomials(d):
    x = np.arange(10.0)
    K = kb.derivative(d)
    assert K.shape == (1, d + 1)
    assert np.count_nonzero(K) == d + 1
    np.testing.assert_allclose(corr(x[None] ** d, K), math.factorial(d), rtol=1e-12)
    for lower in range(d):
        np.testing.assert_allclose(corr(x[None] ** lower, K), 0.0, atol=1e-9)
    np.testing.assert_array_equal(kb.derivative(d, "y"), K.T)


def test_laplacian_on_ramp_and_parabola():
    i, j = grid()
    np.testing.assert_allclose(corr(2 * i - j, kb.laplacian(4)), 0.0, atol=1e-12)
    np.testing.assert_allclose(corr(i**2 + j**2, kb.laplacian(4)), 4.0, atol=1e-12)
    np.testing.assert_allclose(corr(i**2 + j**2, kb.laplacian(8)), 12.0, atol=1e-12)
    np.testing.assert_allclose(corr(j**2, kb.laplacian(8)), 6.0, atol=1e-12)


def test_directional_on_a_ramp_and_an_edge_along_it():
    i, j = grid()
    for angle in (0.0, 30.0, 45.0, 90.0, 200.0):
        t = math.radians(angle)
        want = 2.0 * math.cos(t) - 0.5 * math.sin(t)
        np.testing.assert_allclose(corr(2 * j - 0.5 * i, kb.directional(angle)), want, atol=1e-12)
    X = (j >= i).astype(float)  # an edge along 45 degrees
    np.testing.assert_allclose(corr(X, kb.directional(45.0)), 0.0, atol=1e-12)
    assert np.abs(corr(X, kb.directional(-45.0))).max() > 0.5
    np.testing.assert_array_equal(kb.directional(0.0), kb.sobel(normalize=True))
    np.testing.assert_array_equal(kb.directional(90.0), kb.sobel("y", normalize=True))


def test_box_on_constant_ramp_and_parabola():
    i, j = grid()
    np.testing.assert_allclose(corr(np.full((6, 6), 7.0), kb.box(3)), 7.0)
    np.testing.assert_allclose(corr(j, kb.box(3)), j[1:-1, 1:-1], atol=1e-12)
    np.testing.assert_allclose(corr(j**2, kb.box(5)), j[2:-2, 2:-2] ** 2 + 2.0, atol=1e-12)
    assert kb.box((2, 3)).shape == (2, 3)
    np.testing.assert_allclose(kb.box(2), 0.25)


def test_sharpen_amount_on_ramp_and_parabola():
    i, j = grid()
    np.testing.assert_allclose(corr(j - i, kb.sharpen()), (j - i)[1:-1, 1:-1], atol=1e-12)
    for amount in (1.0, 2.5):
        Y = corr(j**2, kb.sharpen(amount))
        np.testing.assert_allclose(Y, j[1:-1, 1:-1] ** 2 - 2.0 * amount, atol=1e-12)
    np.testing.assert_array_equal(kb.sharpen(0.0), kb._delta((3, 3)))


def test_emboss_on_a_ramp():
    i, j = grid()
    X = 2.0 * j + 3.0 * i
    np.testing.assert_allclose(corr(X, kb.emboss()), X[1:-1, 1:-1] + 12.0 + 18.0, atol=1e-12)


def test_gaussian_matches_opencv_and_ndimage():
    for sigma, size in ((1.0, 7), (2.0, 9), (0.8, 5)):
        g = cv2.getGaussianKernel(size, sigma, ktype=cv2.CV_64F)
        np.testing.assert_allclose(kb.gaussian(sigma, size), g @ g.T, rtol=1e-12)
    delta = np.zeros((21, 21))
    delta[10, 10] = 1.0
    for sigma, truncate in ((1.5, 4.0), (2.0, 2.0)):
        K = kb.gaussian(sigma, truncate=truncate)
        assert K.shape == (2 * int(truncate * sigma + 0.5) + 1,) * 2
        want = ndi.gaussian_filter(delta, sigma, mode="constant", truncate=truncate)
        np.testing.assert_allclose(convlens.corr2d(delta, K, padding="same"), want, atol=1e-15)


def test_gaussian_on_ramp_and_parabola():
    i, j = grid(15)
    K = kb.gaussian(1.2, 5)
    np.testing.assert_allclose(corr(j + i, K), (j + i)[2:-2, 2:-2], atol=1e-12)
    g = K.sum(axis=0)
    v = float((np.arange(-2, 3) ** 2 * g).sum())
    assert 0.8 * 1.2**2 < v < 1.2**2
    np.testing.assert_allclose(corr(j**2, K), j[2:-2, 2:-2] ** 2 + v, atol=1e-10)


def test_unsharp_is_identity_plus_detail():
    G = kb.gaussian(1.5)
    K = kb.unsharp(1.5, 0.7)
    np.testing.assert_allclose(K, 1.7 * kb._delta(G.shape) - 0.7 * G, atol=1e-15)
    assert kb.unsharp(0.5).shape == (5, 5)
    np.testing.assert_allclose(kb.unsharp(1.0, 0.0), kb._delta((9, 9)))
    i, j = grid(12)
    np.testing.assert_allclose(corr(j - i, kb.unsharp(1.0)), (j - i)[4:-4, 4:-4], atol=1e-12)


# --- oracles on a real image ---------------------------------------------------------------


@pytest.mark.parametrize("axis", ["x", "y"])
def test_sobel_and_scharr_match_opencv(camera, axis):
    dx, dy = (1, 0) if axis == "x" else (0, 1)
    cases = [
        (kb.sobel(axis), cv2.Sobel(camera, cv2.CV_64F, dx, dy, ksize=3)),
        (kb.scharr(axis), cv2.Scharr(camera, cv2.CV_64F, dx, dy)),
    ]
    for K, want in cases:
        Y = convlens.corr2d(camera, K, padding="same", boundary="reflect")
        np.testing.assert_allclose(Y, want, atol=1e-9)


@pytest.mark.parametrize(
    ("builder", "oracle", "smooth"),
    [
        (kb.sobel, skimage.filters.sobel, 4.0),
        (kb.prewitt, skimage.filters.prewitt, 3.0),
        (kb.scharr, skimage.filters.scharr, 16.0),
    ],
)
def test_gradients_match_skimage(camera, builder, oracle, smooth):
    # skimage normalises the smoothing factor to sum 1 and its 'reflect' is our 'symmetric'.
    X = camera / 255.0
    for axis, ax in (("x", 1), ("y", 0)):
        Y = convlens.corr2d(X, builder(axis), padding="same", boundary="symmetric")
        np.testing.assert_allclose(Y / smooth, oracle(X, axis=ax), atol=1e-12)


def test_laplacian_matches_opencv(camera):
    want = cv2.Laplacian(camera, cv2.CV_64F, ksize=1)
    Y = convlens.corr2d(camera, kb.laplacian(4), padding="same", boundary="reflect")
    np.testing.assert_allclose(Y, want, atol=1e-9)


# --- specs and the registry ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("gaussian:2", kb.gaussian(2.0)),
        ("gaussian:sigma=2,size=9", kb.gaussian(2.0, 9)),
        ("gaussian:1.5, 7", kb.gaussian(1.5, 7)),
        ("gaussian:1,truncate=2", kb.gaussian(1.0, truncate=2.0)),
        ("sobel:y", kb.sobel("y")),
        ("sobel:x,normalize=true", kb.sobel("x", normalize=True)),
        ("derivative:2,y", kb.derivative(2, "y")),
        ("laplacian:8", kb.laplacian(8)),
        ("box:5", kb.box(5)),
        ("directional:angle=30", kb.directional(30.0)),
        ("unsharp:2,0.5", kb.unsharp(2.0, 0.5)),
        ("edge", kb.edge()),
        ("[[1, -1]]", np.array([[1.0, -1.0]])),
        ("[[0, 1], [2, 3]]", np.array([[0.0, 1.0], [2.0, 3.0]])),
    ],
)
def test_from_spec(spec, want):
    np.testing.assert_array_equal(kb.from_spec(spec), want)


def test_from_spec_overrides_and_registry():
    np.testing.assert_array_equal(kb.from_spec("prewitt", axis="y"), kb.prewitt("y"))
    assert set(kb.names()) == set(kb.BANK) and len(kb.names()) == 12
    assert [n for n in kb.names() if kb.has_axis(n)] == [
        "derivative",
        "edge",
        "prewitt",
        "scharr",
        "sobel",
    ]
    assert kb.describe("gaussian").startswith("gaussian(sigma=1.0, size=None, truncate=4.0): ")
    for name in kb.names():  # every builder works with its defaults
        assert kb.from_spec(name).ndim == 2


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("nope", "`kernel` must be one of"),
        ("sobel:x,y,z", "`kernel` 'sobel:x,y,z'"),
        ("gaussian:sigma=1,2", "positional value"),
        ("gaussian:bogus=1", "unexpected keyword"),
        ("[[1, -1]", "not a valid JSON"),
        ("[1, -1]", "2-D"),
        ("[[]]", "non-empty"),
        ("[[1, NaN]]", "NaN"),
        ('[["a", 1]]', "2-D list of numbers"),
        ("gaussian:-1", "`sigma`"),
        ("gaussian:1,4", "`size`"),
        ("gaussian:1,truncate=0", "`truncate`"),
        ("derivative:0", "`order`"),
        ("sobel:z", "`axis`"),
        ("laplacian:6", "`neighbours`"),
        ("box:0", "`size`"),
    ],
)
def test_bad_specs_raise_value_error_naming_the_argument(spec, match):
    with pytest.raises(ValueError, match=match):
        kb.from_spec(spec)


def test_bad_builder_arguments():
    with pytest.raises(TypeError, match="`kernel`"):
        kb.from_spec(3)
    with pytest.raises(TypeError, match="`size`"):
        kb.gaussian(1.0, 3.5)
    with pytest.raises(TypeError, match="`normalize`"):
        kb.sobel("x", normalize="yes")
    with pytest.raises(TypeError, match="`angle`"):
        kb.directional("north")
    with pytest.raises(TypeError, match="`amount`"):
        kb.sharpen("lots")
    with pytest.raises(ValueError, match="`angle`"):
        kb.directional(float("nan"))
    with pytest.raises(ValueError, match="`sigma`"):
        kb.gaussian(float("inf"))
    with pytest.raises(ValueError, match="`axis`"):
        kb.edge(True)
    with pytest.raises(TypeError, match="`size`"):
        kb.box(2.5)


def test_builders_return_fresh_arrays():
    K = kb.edge("y")
    K[0, 0] = 99.0
    assert kb.edge("y")[0, 0] == 1.0
