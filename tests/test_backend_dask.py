"""The Dask path: chunked results equal in-memory results exactly, in bounded reads."""

from __future__ import annotations

import re

import dask
import dask.array as da
import numpy as np
import pytest
import scipy.ndimage as ndi
from dask.core import get_dependencies
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from _oracles import NDIMAGE_MODE
from convlens.backends.dask import correlate_chunked

BOUNDARIES = ["constant", "reflect", "symmetric", "edge", "wrap"]


@st.composite
def chunking(draw, n: int) -> tuple[int, ...]:
    """Any split of ``n`` into positive parts: tiny, odd and irregular chunks included."""
    sizes = []
    left = n
    while left:
        c = draw(st.integers(1, max(1, min(left, 9))))
        sizes.append(c)
        left -= c
    return tuple(sizes)


padding_st = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 4),
    st.tuples(st.integers(0, 4), st.integers(0, 4)),
    st.tuples(
        st.tuples(st.integers(0, 5), st.integers(0, 5)),
        st.tuples(st.integers(0, 5), st.integers(0, 5)),
    ),
)


def _same(a, b) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_chunked_equals_in_memory_exactly_2d(data) -> None:
    H = data.draw(st.integers(1, 20), label="H")
    W = data.draw(st.integers(1, 20), label="W")
    kh = data.draw(st.integers(1, 5), label="kh")
    kw = data.draw(st.integers(1, 5), label="kw")
    seed = data.draw(st.integers(0, 2**16), label="seed")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((H, W)).astype(np.float32)
    K = rng.standard_normal((kh, kw)).astype(np.float32)
    opts = dict(
        padding=data.draw(padding_st, label="padding"),
        boundary=data.draw(st.sampled_from(BOUNDARIES), label="boundary"),
        value=data.draw(st.sampled_from([0.0, -2.5]), label="value"),
        stride=data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3)), label="stride"),
        dilation=data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3)), label="dilation"),
        method="numpy",
    )
    op = data.draw(st.sampled_from([convlens.corr2d, convlens.conv2d]), label="op")
    chunks = (data.draw(chunking(H), label="row chunks"), data.draw(chunking(W), label="cols"))
    Xd = da.from_array(X, chunks=chunks)
    try:
        expected = op(X, K, **opts)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            op(Xd, K, **opts)
        return
    Y = op(Xd, K, **opts)
    assert isinstance(Y, da.Array)
    assert _same(Y.compute(), expected)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_chunked_equals_in_memory_exactly_batched(data) -> None:
    N = data.draw(st.integers(1, 3), label="N")
    groups = data.draw(st.sampled_from([1, 2]), label="groups")
    c_in = groups * data.draw(st.integers(1, 2), label="cin/g")
    c_out = groups * data.draw(st.integers(1, 2), label="cout/g")
    H = data.draw(st.integers(3, 14), label="H")
    W = data.draw(st.integers(3, 14), label="W")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    X = rng.standard_normal((N, c_in, H, W))
    K = rng.standard_normal((c_out, c_in // groups, 3, 2))
    opts = dict(
        padding="same",
        boundary=data.draw(st.sampled_from(BOUNDARIES), label="boundary"),
        stride=data.draw(st.integers(1, 2), label="stride"),
        dilation=data.draw(st.integers(1, 2), label="dilation"),
        groups=groups,
        method="numpy",
    )
    chunks = (
        data.draw(chunking(N), label="batch chunks"),
        data.draw(chunking(c_in), label="channel chunks"),
        data.draw(chunking(H), label="row chunks"),
        data.draw(chunking(W), label="col chunks"),
    )
    Y = convlens.corr2d(da.from_array(X, chunks=chunks), K, **opts)
    # The batch axis keeps its chunks; the channel axis is one chunk.
    assert Y.chunks[0] == chunks[0] and Y.chunks[1] == (c_out,)
    got, expected = Y.compute(), convlens.corr2d(X, K, **opts)
    if c_in == c_out == groups:
        assert _same(got, expected)  # depthwise: per-pixel arithmetic, bitwise equal
    else:
        # The numpy engine contracts channels with einsum (BLAS), whose summation order may
        # depend on the block width: equal within float64 rounding, not always bitwise.
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_three_d_input_gives_three_d_output() -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 9, 11))
    K = rng.standard_normal((3, 2, 3, 3))
    Y = convlens.corr2d(da.from_array(X, chunks=(1, 4, 4)), K, padding=1, method="numpy")
    assert Y.ndim == 3
    assert _same(Y.compute(), convlens.corr2d(X, K, padding=1, method="numpy"))


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_boundaries_at_chunk_seams_match_scipy(boundary: str) -> None:
    # dask-image #242: wrap was wrong at chunk seams. A 7x7 kernel on 4x4 chunks makes every
    # block's halo cross seams and, for the border blocks, the far side of the image.
    rng = np.random.default_rng(2)
    X = rng.standard_normal((16, 18))
    K = rng.standard_normal((7, 7))
    Y = convlens.corr2d(
        da.from_array(X, chunks=4), K, padding="same", boundary=boundary, value=1.25
    ).compute()
    expected = ndi.correlate(X, K, mode=NDIMAGE_MODE[boundary], cval=1.25)
    np.testing.assert_allclose(Y, expected, rtol=1e-12, atol=1e-12)


def test_wrap_seam_known_answer() -> None:
    # A one-hot at the last column: with wrap, a [1, 0, 0] kernel (looking one column left
    # of centre... right) must see it from column 0, which lives in another chunk.
    X = np.zeros((4, 9))
    X[:, -1] = 1.0
    K = np.array([[1.0, 0.0, 0.0]])  # output j reads input j - 1
    Y = convlens.corr2d(da.from_array(X, chunks=(2, 3)), K, padding="same", boundary="wrap")
    expected = np.zeros((4, 9))
    expected[:, 0] = 1.0
    assert np.array_equal(Y.compute(), expected)


class _CountingSource:
    """A huge virtual image that records which regions are read (for da.from_array)."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.shape = shape
        self.dtype = np.dtype(np.float32)
        self.ndim = 2
        self.reads: list[tuple[slice, slice]] = []

    def __getitem__(self, key):
        if key[0].stop > key[0].start:  # dask reads an empty slice for the meta
            self.reads.append(key)
        rows, cols = key
        return np.ones((rows.stop - rows.start, cols.stop - cols.start), np.float32)


@pytest.mark.parametrize("boundary", ["reflect", "wrap"])
def test_one_block_reads_only_its_neighbours(boundary: str) -> None:
    # dask-image #386 allocated the whole array. A 16 GB virtual image: computing one block
    # must read only the chunks its halo touches (the opposite side, for wrap), not the rest.
    n, c = 64_000, 1000
    src = _CountingSource((n, n))
    X = da.from_array(src, chunks=c, asarray=False)
    Y = convlens.corr2d(X, np.ones((7, 7)) / 49, padding="same", boundary=boundary)
    assert not src.reads  # building the graph reads nothing
    with dask.config.set(scheduler="sync"):
        top_left = Y.blocks[0, 0].compute()
        middle = Y.blocks[5, 7].compute()
    np.testing.assert_allclose(top_left, 1.0, rtol=1e-6)
    np.testing.assert_allclose(middle, 1.0, rtol=1e-6)
    read = {(k[0].start // c, k[1].start // c) for k in src.reads}
    last = n // c - 1
    near = {(i, j) for i in (0, 1) for j in (0, 1)}
    if boundary == "wrap":
        near |= {(i, j) for i in (0, 1, last) for j in (0, 1, last)}
    near |= {(i, j) for i in (4, 5, 6) for j in (6, 7, 8)}
    assert read <= near


def test_graph_fan_in_is_bounded() -> None:
    X = da.zeros((60, 60), chunks=10)
    Y = convlens.corr2d(X, np.ones((5, 5)), padding="same", boundary="wrap")
    # Each output block depends on at most 3 x 3 pieces when chunks are at least the halo.
    graph = dict(Y.__dask_graph__())
    blocks = [k for k in graph if isinstance(k, tuple) and k[0].startswith("convlens-corr2d")]
    fan_in = [len(get_dependencies(graph, k)) for k in blocks]
    assert len(blocks) == 36 and set(fan_in) == {10}  # 9 pieces + the kernel


def test_chunks_smaller_than_halo_are_rechunked() -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 25))
    K = rng.standard_normal((7, 9))
    Y = convlens.corr2d(da.from_array(X, chunks=(2, 3)), K, padding="same", method="numpy")
    # Chunks grow to the reach (6 rows, 8 columns), so the output blocks do too.
    assert Y.chunks[0][0] == 6 and Y.chunks[1][0] == 8
    assert _same(Y.compute(), convlens.corr2d(X, K, padding="same", method="numpy"))


def test_stride_output_grid_is_regular_and_aligned() -> None:
    rng = np.random.default_rng(4)
    X = rng.standard_normal((41, 37))
    Y = convlens.corr2d(da.from_array(X, chunks=10), np.ones((3, 3)), stride=3, padding=1)
    assert Y.chunks == ((4, 4, 4, 2), (4, 4, 4, 1))
    assert _same(Y.compute(), convlens.corr2d(X, np.ones((3, 3)), stride=3, padding=1))


def test_out_chunks_sets_the_output_blocks() -> None:
    X = da.from_array(np.arange(100.0).reshape(10, 10), chunks=5)
    Y = correlate_chunked(X, np.ones((1, 1)), out_chunks=(3, 4))
    assert Y.chunks == ((3, 3, 3, 1), (4, 4, 2))
    assert np.array_equal(Y.compute(), np.arange(100.0).reshape(10, 10).astype(np.float32))


def test_result_is_lazy_and_typed() -> None:
    X = da.from_array((np.arange(64) % 251).astype(np.uint8).reshape(8, 8), chunks=3)
    Y = convlens.corr2d(X, np.ones((2, 2), np.float32))
    assert isinstance(Y, da.Array) and Y.dtype == np.float32
    Y64 = convlens.corr2d(X.astype(np.float64), np.ones((2, 2), np.float32))
    assert Y64.dtype == np.float64 and Y64.compute().dtype == np.float64


def test_auto_method_agrees_within_contract() -> None:
    rng = np.random.default_rng(5)
    X = rng.standard_normal((70, 64)).astype(np.float32)
    K = rng.standard_normal((9, 9)).astype(np.float32)
    Y = convlens.corr2d(da.from_array(X, chunks=(17, 20)), K, padding="same", boundary="edge")
    expected = convlens.corr2d(X, K, padding="same", boundary="edge")
    np.testing.assert_allclose(Y.compute(), expected, atol=1e-5 * np.abs(expected).max())


def test_forced_method_is_used_for_every_block() -> None:
    X = da.from_array(np.arange(36.0).reshape(6, 6), chunks=3)
    with pytest.raises(ValueError, match="method"):
        convlens.corr2d(X, np.ones((2, 2)), method="no-such-engine")
    Y_ref = convlens.corr2d(X, np.ones((2, 2)), method="reference").compute()
    assert np.array_equal(Y_ref, convlens.corr2d(X.compute(), np.ones((2, 2))))


def test_kernel_may_be_dask_or_torch() -> None:
    torch = pytest.importorskip("torch")
    X = np.arange(30.0).reshape(5, 6)
    K = np.array([[1.0, -2.0], [0.5, 3.0]])
    expected = convlens.conv2d(X, K)
    Xd = da.from_array(X, chunks=2)
    assert _same(convlens.conv2d(Xd, da.from_array(K)).compute(), expected)
    assert _same(convlens.conv2d(Xd, torch.from_numpy(K)).compute(), expected)


def test_conv2d_is_corr2d_with_flipped_kernel() -> None:
    rng = np.random.default_rng(6)
    X = da.from_array(rng.standard_normal((12, 13)), chunks=5)
    K = rng.standard_normal((3, 4))
    a = convlens.conv2d(X, K, padding="same", boundary="reflect").compute()
    b = convlens.corr2d(X, K[::-1, ::-1], padding="same", boundary="reflect").compute()
    assert np.array_equal(a, b)
    assert not np.array_equal(a, convlens.corr2d(X, K, padding="same").compute())


def test_check_finite_kernel_eager_and_image_at_compute() -> None:
    X = np.ones((8, 8))
    X[6, 6] = np.nan
    Xd = da.from_array(X, chunks=4)
    with pytest.raises(ValueError, match="`K`"):
        convlens.corr2d(Xd, np.array([[np.nan]]), check_finite=True)
    Y = convlens.corr2d(Xd, np.ones((2, 2)), check_finite=True)
    with pytest.raises(ValueError, match="`X`"):
        Y.compute()
    assert np.isnan(convlens.corr2d(Xd, np.ones((2, 2))).compute()[6, 6])


def test_bad_dask_inputs_name_the_argument() -> None:
    X = da.ones((8, 8), chunks=4)
    with pytest.raises(ValueError, match="`X` must be 2-D"):
        convlens.corr2d(da.ones(8, chunks=4), np.ones((2, 2)))
    with pytest.raises(ValueError, match="`boundary`"):
        convlens.corr2d(X, np.ones((2, 2)), boundary="mirror")
    with pytest.raises(ValueError, match="`stride`"):
        convlens.corr2d(X, np.ones((2, 2)), stride=0)
    with pytest.raises(TypeError, match="`X` must have a real numeric dtype"):
        convlens.corr2d(X.astype(complex), np.ones((2, 2)))
    with pytest.raises(ValueError, match="does not fit"):
        convlens.corr2d(X, np.ones((9, 9)))


def test_unknown_chunk_sizes_are_refused() -> None:
    X = da.ones((8, 8), chunks=4)
    Xu = X[X[:, 0] > 0]  # boolean mask: row chunks become unknown
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        convlens.corr2d(Xu, np.ones((2, 2)))


def test_bad_out_chunks_and_non_dask() -> None:
    with pytest.raises(TypeError, match="`X` must be a dask"):
        correlate_chunked(np.ones((4, 4)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="`out_chunks`"):
        correlate_chunked(da.ones((4, 4), chunks=2), np.ones((2, 2)), out_chunks=0)


def test_filter_image_takes_dask_rgba() -> None:
    rng = np.random.default_rng(7)
    img = (rng.random((21, 17, 4)) * 255).astype(np.uint8)
    K = rng.standard_normal((3, 5)).astype(np.float32)
    Y = convlens.filter_image(da.from_array(img, chunks=(8, 6, 4)), K, method="numpy")
    assert isinstance(Y, da.Array)
    expected = convlens.filter_image(img, K, method="numpy")
    assert _same(Y.compute(), expected)
    assert np.array_equal(Y[..., 3].compute(), img[..., 3].astype(np.float32))  # alpha kept
