"""The contract at its edges: empty batches, zero channels, half precision, hints."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlens

METHODS = ["auto", "direct", "numpy", "reference", "torch", "fft"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("boundary", ["constant", "reflect"])
def test_empty_batch_matches_torch(method, boundary):
    X = np.zeros((0, 3, 7, 5))
    K = np.ones((4, 3, 3, 3))
    Y = convlens.corr2d(X, K, padding=1, boundary=boundary, method=method)
    want = F.conv2d(torch.from_numpy(X), torch.from_numpy(K), padding=1)
    assert Y.shape == tuple(want.shape) == (0, 4, 7, 5)
    assert Y.dtype == np.float64


@pytest.mark.parametrize("method", METHODS)
def test_no_input_channels_give_the_empty_sum(method):
    # The documented shape (N, C_out, H', W') of zeros. torch 2.13 returns (N, 0, H', W')
    # here, against its own documented shape; convlens keeps the output-size law.
    Y = convlens.corr2d(np.zeros((2, 0, 7, 8)), np.ones((12, 0, 3, 3)), groups=3, method=method)
    np.testing.assert_array_equal(Y, np.zeros((2, 12, 5, 6)))


@pytest.mark.parametrize("method", METHODS)
def test_no_output_channels_give_an_empty_result(method):
    # torch refuses C_out = 0; the output-size law gives an empty result.
    Y = convlens.corr2d(np.ones((2, 3, 7, 8)), np.ones((0, 3, 3, 3)), padding=1, method=method)
    assert Y.shape == (2, 0, 7, 8)


def test_empty_batch_gives_torch_gradients():
    X = torch.randn(0, 3, 7, 5, dtype=torch.float64, requires_grad=True)
    K = torch.randn(4, 3, 3, 3, dtype=torch.float64, requires_grad=True)
    Y = convlens.corr2d(X, K, padding=1, boundary="reflect")
    (Y * 2).sum().backward()
    X2, K2 = X.detach().clone().requires_grad_(), K.detach().clone().requires_grad_()
    want = F.conv2d(X2, K2, padding=1)
    (want * 2).sum().backward()
    assert Y.shape == want.shape
    torch.testing.assert_close(X.grad, X2.grad)
    torch.testing.assert_close(K.grad, K2.grad)


def test_no_input_channels_give_zero_gradients_of_the_right_shapes():
    X = torch.randn(2, 0, 7, 8, dtype=torch.float64, requires_grad=True)
    K = torch.randn(12, 0, 3, 3, dtype=torch.float64, requires_grad=True)
    Y = convlens.corr2d(X, K, padding=1, groups=3)
    assert Y.shape == (2, 12, 7, 8)
    Y.sum().backward()
    assert X.grad.shape == X.shape and K.grad.shape == K.shape


def test_unknown_method_still_refused_for_empty_problems():
    with pytest.raises(ValueError, match="method"):
        convlens.corr2d(np.zeros((0, 1, 4, 4)), np.ones((1, 1, 3, 3)), method="nope")


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_tensors_compute_in_float32_and_return_their_dtype(dtype):
    X = torch.randn(1, 2, 16, 16).to(dtype)
    K = torch.randn(3, 2, 3, 3).to(dtype)
    Y = convlens.corr2d(X, K, padding="same")
    assert Y.dtype == dtype
    want = F.conv2d(X.float(), K.float(), padding="same").to(dtype)
    torch.testing.assert_close(Y, want)


def test_channels_last_image_points_to_filter_image():
    with pytest.raises(ValueError, match="filter_image"):
        convlens.corr2d(np.zeros((64, 64, 3)), np.ones((3, 3)))


def test_check_finite_refuses_a_non_finite_fill_value():
    for value in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="value"):
            convlens.corr2d(np.ones((4, 4)), np.ones((3, 3)), padding=1, value=value,
                            check_finite=True)  # fmt: skip


def test_filter_image_refuses_a_pair_of_factors():
    u, v = np.array([1.0, 2.0, 1.0]), np.array([1.0, 0.0, -1.0])
    with pytest.raises(ValueError, match="np.outer"):
        convlens.filter_image(np.ones((8, 8, 3)), (u, v))
    Y = convlens.filter_image(np.ones((8, 8, 3)), np.outer(u, v))
    assert Y.shape == (8, 8, 3)


def test_check_finite_on_a_meta_tensor_is_a_clear_error():
    X = torch.empty(1, 1, 8, 8, device="meta")
    with pytest.raises(ValueError, match="meta tensor `X`"):
        convlens.corr2d(X, torch.ones(1, 1, 3, 3), check_finite=True)
