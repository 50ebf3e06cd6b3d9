"""Known answers: the chapter's printed values, and small hand-checked cases."""

import numpy as np
import pytest
import torch

import convlens
from convlens.engines import ENGINES
from convlens.engines.reference import corr2d_loop

BOOK_X = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
BOOK_K = np.array([[0.0, 1.0], [2.0, 3.0]])


# Engines that sum the products directly give the chapter's values exactly; transform- and
# factorisation-based ones (fft, separable) give them within float rounding.
ROUNDING_ENGINES = ("fft", "separable")


def assert_chapter(X, K, expected, method):
    engine = ENGINES[method]
    p = convlens.contract.make_problem(
        X,
        K,
        convlens.contract.normalize(
            X.shape,
            K.shape,
            padding="valid",
            boundary="constant",
            value=0.0,
            stride=1,
            dilation=1,
            groups=1,
        ),
        np.dtype(np.float64),
    )
    if not engine.supports(p):
        with pytest.raises(ValueError, match=f"`method`='{method}' cannot run"):
            convlens.corr2d(X, K, method=method)
        return
    Y = convlens.corr2d(X, K, method=method)
    if method in ROUNDING_ENGINES:
        np.testing.assert_allclose(Y, expected, rtol=0, atol=1e-12 * max(1.0, np.abs(Y).max()))
    else:
        np.testing.assert_array_equal(Y, expected)


def step_image():
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    return X


@pytest.mark.parametrize("method", list(ENGINES))
def test_chapter_721_every_engine(method):
    assert_chapter(BOOK_X, BOOK_K, [[19.0, 25.0], [37.0, 43.0]], method)


def test_chapter_loop_verbatim():
    np.testing.assert_array_equal(corr2d_loop(BOOK_X, BOOK_K), [[19.0, 25.0], [37.0, 43.0]])


def test_chapter_721_torch_in_torch_out():
    Y = convlens.corr2d(torch.tensor(BOOK_X), torch.tensor(BOOK_K))
    assert isinstance(Y, torch.Tensor)
    assert torch.equal(Y, torch.tensor([[19.0, 25.0], [37.0, 43.0]], dtype=torch.float64))


@pytest.mark.parametrize("method", list(ENGINES))
def test_chapter_723_edges(method):
    K = np.array([[1.0, -1.0]])
    expected = np.zeros((6, 7))
    expected[:, 1], expected[:, 5] = 1.0, -1.0
    assert_chapter(step_image(), K, expected, method)
    assert_chapter(step_image().T.copy(), K, np.zeros((8, 5)), method)


def test_chapter_725_convolution_is_flipped_correlation():
    np.testing.assert_array_equal(convlens.conv2d(BOOK_X, BOOK_K), [[5.0, 11.0], [23.0, 29.0]])
    np.testing.assert_array_equal(
        convlens.conv2d(BOOK_X, BOOK_K), convlens.corr2d(BOOK_X, BOOK_K[::-1, ::-1])
    )


def test_padding_full_constant_value():
    X = np.ones((2, 2))
    K = np.ones((2, 2))
    Y = convlens.corr2d(X, K, padding="full", value=1.0)
    np.testing.assert_array_equal(Y, np.full((3, 3), 4.0))
    Y0 = convlens.corr2d(X, K, padding="full")
    np.testing.assert_array_equal(Y0, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_same_even_kernel_puts_extra_bottom_right():
    # With K = [[1, 0], [0, 0]] and "same", Y[i, j] = X[i, j]: the kernel's first tap is the
    # output pixel itself, so all padding is after it (bottom/right), as in PyTorch.
    X = np.arange(12.0).reshape(3, 4)
    K = np.array([[1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(convlens.corr2d(X, K, padding="same"), X)


@pytest.mark.parametrize(
    ("boundary", "row"),
    [
        ("constant", [0, 0, 1, 2, 3, 0, 0]),
        ("reflect", [3, 2, 1, 2, 3, 2, 1]),
        ("symmetric", [2, 1, 1, 2, 3, 3, 2]),
        ("edge", [1, 1, 1, 2, 3, 3, 3]),
        ("wrap", [2, 3, 1, 2, 3, 1, 2]),
    ],
)
def test_each_boundary_fills_as_numpy_pad(boundary, row):
    # A one-hot kernel at the left edge reads the padded row itself.
    X = np.array([[1.0, 2.0, 3.0]])
    K = np.zeros((1, 5))
    K[0, 0] = 1.0
    Y = convlens.corr2d(X, K, padding=((0, 0), (2, 2)), boundary=boundary)
    np.testing.assert_array_equal(Y[0], row[:3])
    K2 = np.zeros((1, 5))
    K2[0, -1] = 1.0
    Y2 = convlens.corr2d(X, K2, padding=((0, 0), (2, 2)), boundary=boundary)
    np.testing.assert_array_equal(Y2[0], row[4:])


def test_stride_and_dilation_known():
    X = np.arange(25.0).reshape(5, 5)
    K = np.array([[1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(convlens.corr2d(X, K, stride=2), X[0:4:2, 0:4:2])
    Kd = np.array([[0.0, 1.0], [0.0, 0.0]])  # the top-right tap, two columns away at d=2
    np.testing.assert_array_equal(convlens.corr2d(X, Kd, dilation=2), X[0:3, 2:5])
    np.testing.assert_array_equal(convlens.corr2d(X, Kd, dilation=(1, 3)), X[0:4, 3:5])


def test_groups_depthwise_known():
    X = np.stack([np.full((3, 3), 1.0), np.full((3, 3), 2.0)])[None]  # (1, 2, 3, 3)
    K = np.ones((2, 1, 2, 2))
    Y = convlens.corr2d(X, K, groups=2)
    np.testing.assert_array_equal(Y[0, 0], np.full((2, 2), 4.0))
    np.testing.assert_array_equal(Y[0, 1], np.full((2, 2), 8.0))
    Yfull = convlens.corr2d(X, np.ones((1, 2, 2, 2)))
    np.testing.assert_array_equal(Yfull[0, 0], np.full((2, 2), 12.0))


def test_three_d_input_is_unbatched():
    X = np.random.default_rng(0).random((3, 6, 5))
    K = np.random.default_rng(1).random((4, 3, 2, 2))
    Y = convlens.corr2d(X, K)
    assert Y.shape == (4, 5, 4)
    np.testing.assert_allclose(Y, convlens.corr2d(X[None], K)[0])


@pytest.mark.parametrize(
    ("x_dtype", "k_dtype", "out"),
    [
        (np.uint8, np.float32, np.float32),
        (np.uint8, np.int64, np.float64),
        (np.float32, np.float32, np.float32),
        (np.float64, np.float32, np.float64),
        (np.float16, np.float32, np.float32),
        (np.uint8, np.float16, np.float32),
        (np.int16, np.float32, np.float32),
        (bool, np.float32, np.float32),
    ],
)
def test_dtype_rule(x_dtype, k_dtype, out):
    X = np.ones((4, 4), dtype=x_dtype)
    K = np.ones((2, 2), dtype=k_dtype)
    Y = convlens.corr2d(X, K)
    assert Y.dtype == out == np.result_type(x_dtype, k_dtype, np.float32)
    np.testing.assert_array_equal(Y, np.full((3, 3), 4.0))


@pytest.mark.parametrize("method", ["auto", "direct", "fft", "reference"])
def test_float16_computes_in_float32_and_returns_float16(method):
    # As in torch: half inputs are widened for the sum and the result rounded once at the end,
    # so it equals the float32 result rounded to float16 (a float16 accumulator would not).
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 50)).astype(np.float16)
    K = rng.standard_normal((5, 5)).astype(np.float16)
    Y = convlens.corr2d(X, K, padding="same", method=method)
    assert Y.dtype == np.float16
    want = convlens.corr2d(X.astype(np.float32), K.astype(np.float32), padding="same")
    np.testing.assert_allclose(Y, want.astype(np.float16), rtol=1e-3, atol=1e-2)
    out = np.empty((40, 50), np.float16)
    assert convlens.corr2d(X, K, padding="same", method=method, out=out) is out
    np.testing.assert_array_equal(out, Y)


def test_uint8_does_not_overflow():
    X = np.full((3, 3), 255, dtype=np.uint8)
    Y = convlens.corr2d(X, np.ones((3, 3), dtype=np.uint8))
    assert Y.dtype == np.float32 and Y[0, 0] == 255 * 9


def test_lists_are_accepted():
    assert convlens.corr2d([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]]).tolist() == [
        [19.0, 25.0],
        [37.0, 43.0],
    ]


def test_torch_autograd_is_kept():
    X = torch.tensor(BOOK_X, requires_grad=True)
    K = torch.tensor(BOOK_K, requires_grad=True)
    Y = convlens.corr2d(X, K)
    Y.sum().backward()
    # d(sum Y)/dK[a, b] = sum of the window of X that tap (a, b) sees.
    np.testing.assert_array_equal(K.grad.numpy(), [[8.0, 12.0], [20.0, 24.0]])
    np.testing.assert_array_equal(X.grad.numpy(), [[0, 1, 1], [2, 6, 4], [2, 5, 3]])


def test_numpy_image_with_torch_kernel_gives_torch():
    K = torch.tensor(BOOK_K, requires_grad=True)
    Y = convlens.corr2d(BOOK_X, K)
    assert isinstance(Y, torch.Tensor) and Y.requires_grad


def test_plan_explains_and_method_forces():
    p = convlens.plan(BOOK_X, BOOK_K, method="reference")
    assert p.engine == "reference" and "forced" in p.reason
    assert isinstance(convlens.plan(BOOK_X, BOOK_K).reason, str)
