"""The matrix view: im2col and Toeplitz identities under hypothesis, structure, known answers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convlens
from convlens._checks import BOUNDARIES
from convlens.matrix import im2col, toeplitz

PADDINGS = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 3),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.tuples(
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
    ),
)


@st.composite
def problems(draw, channels=False):
    H, W = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    opts = dict(
        padding=draw(PADDINGS),
        boundary=draw(st.sampled_from(BOUNDARIES)),
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dilation=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    if channels:
        c, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        X, K = rng.standard_normal((c, H, W)), rng.standard_normal((c_out, c, kh, kw))
    else:
        X, K = rng.standard_normal((H, W)), rng.standard_normal((kh, kw))
    try:
        Y = convlens.corr2d(X, K, method="reference", **opts)
    except ValueError:
        # The kernel does not fit, or numpy.pad cannot reflect that far into a small image.
        assume(False)
    return X, K, opts, Y


@given(problems())
@settings(max_examples=60, deadline=None)
def test_im2col_identity(case):
    X, K, opts, Y = case
    cols = im2col(X, K.shape, **opts)
    assert cols.shape == (Y.size, K.size)
    np.testing.assert_allclose(cols @ K.ravel(), Y.ravel(), atol=1e-12)


@given(problems(channels=True))
@settings(max_examples=40, deadline=None)
def test_im2col_identity_with_channels(case):
    X, K, opts, Y = case
    cols = im2col(X, K.shape[-2:], **opts)
    assert cols.shape == (Y[0].size, K[0].size)
    got = cols @ K.reshape(K.shape[0], -1).T  # (H'W', C_out)
    np.testing.assert_allclose(got.T.reshape(Y.shape), Y, atol=1e-12)


@given(problems())
@settings(max_examples=60, deadline=None)
def test_toeplitz_identity(case):
    X, K, opts, Y = case
    T = toeplitz(K, X.shape, **opts)
    assert isinstance(T, sp.csr_array)
    assert T.shape == (Y.size, X.size)
    assert T.nnz <= Y.size * K.size
    np.testing.assert_allclose(T @ X.ravel(), Y.ravel(), atol=1e-12)


def test_chapter_known_answers():
    X = np.arange(9.0).reshape(3, 3)
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    want_cols = [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]
    np.testing.assert_array_equal(im2col(X, 2), want_cols)
    T = toeplitz(K, (3, 3)).toarray()
    want_T = np.zeros((4, 9))
    for r, (i, j) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        for a in range(2):
            for b in range(2):
                want_T[r, (i + a) * 3 + j + b] = K[a, b]
    np.testing.assert_array_equal(T, want_T)
    np.testing.assert_array_equal(T @ X.ravel(), [19.0, 25.0, 37.0, 43.0])


def test_toeplitz_is_doubly_blocked_toeplitz():
    K = np.arange(1.0, 10.0).reshape(3, 3)
    H, W = 7, 6
    T = toeplitz(K, (H, W), padding=1).toarray()
    Ho, Wo = H, W
    blocks = [[T[p * Wo : (p + 1) * Wo, q * W : (q + 1) * W] for q in range(H)] for p in range(Ho)]
    for p in range(Ho - 1):
        for q in range(H - 1):
            np.testing.assert_array_equal(blocks[p][q], blocks[p + 1][q + 1])
    for row in blocks:
        for B in row:  # each block constant along its diagonals
            np.testing.assert_array_equal(B[:-1, :-1], B[1:, 1:])
    assert toeplitz(K, (H, W), padding=1).nnz == 9 * H * W - 2 * 3 * (H + W) + 4


def test_toeplitz_transpose_is_conv_transpose():
    rng = np.random.default_rng(1)
    K = rng.standard_normal((3, 2))
    T = toeplitz(K, (8, 7), stride=2)
    Yg = rng.standard_normal(T.shape[0])
    want = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(Yg.reshape(1, 1, 3, 3)), torch.from_numpy(K[None, None]), stride=2
    )
    got = (T.T @ Yg).reshape(8, 7)
    np.testing.assert_allclose(got[:7, :6], want[0, 0].numpy(), atol=1e-12)
    np.testing.assert_array_equal(got[7:], 0.0)  # a row and a column that no output reads
    np.testing.assert_array_equal(got[:, 6:], 0.0)


def test_im2col_value_and_batches():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 3, 5, 6))
    K = rng.standard_normal((4, 3, 3, 2))
    cols = im2col(X, (3, 2), padding=1, value=2.5)
    assert cols.shape == (2, 5 * 7, 18)
    Y = convlens.corr2d(X, K, padding=1, value=2.5)
    got = (cols @ K.reshape(4, -1).T).transpose(0, 2, 1).reshape(Y.shape)
    np.testing.assert_allclose(got, Y, atol=1e-12)
    assert (cols == 2.5).any()


def test_dtypes():
    X = np.arange(16, dtype=np.uint8).reshape(4, 4)
    assert im2col(X, 2).dtype == np.float32
    assert im2col(X.astype(np.float64), 2).dtype == np.float64
    assert toeplitz(np.ones((2, 2), np.float32), (4, 4)).dtype == np.float32
    assert toeplitz(np.ones((2, 2)), (4, 4)).dtype == np.float64


def test_zero_taps_are_not_stored():
    T = toeplitz([[1.0, 0.0, -1.0]], (4, 5))
    assert T.nnz == 2 * 4 * 3


def test_bad_kernel_shape_for_im2col():
    with pytest.raises(ValueError, match="`kernel_shape`"):
        im2col(np.zeros((4, 4)), (0, 2))


def test_kernel_shape_type():
    with pytest.raises(TypeError, match="`kernel_shape`"):
        im2col(np.zeros((4, 4)), "3x3")


def test_kernel_too_big():
    with pytest.raises(ValueError, match="does not fit"):
        im2col(np.zeros((4, 4)), 5)
    with pytest.raises(ValueError, match="does not fit"):
        toeplitz(np.ones((5, 5)), (4, 4))


def test_im2col_bad_dtype():
    with pytest.raises(TypeError, match="`X`"):
        im2col(np.zeros((4, 4), complex), 2)


def test_im2col_bad_ndim():
    with pytest.raises(ValueError, match="`X`"):
        im2col(np.zeros(4), 2)


def test_toeplitz_bad_kernel():
    with pytest.raises(ValueError, match="`K`"):
        toeplitz(np.ones((1, 2, 2)), (4, 4))


def test_toeplitz_bad_input_shape():
    with pytest.raises(TypeError, match="`input_shape`"):
        toeplitz(np.ones((2, 2)), (4, 4, 3))


def test_bad_stride():
    with pytest.raises(ValueError, match="`stride`"):
        toeplitz(np.ones((2, 2)), (4, 4), stride=0)
    with pytest.raises(ValueError, match="`stride`"):
        im2col(np.ones((4, 4)), 2, stride=-1)


def test_bad_boundary():
    with pytest.raises(ValueError, match="`boundary`"):
        toeplitz(np.ones((2, 2)), (4, 4), boundary="mirror")
