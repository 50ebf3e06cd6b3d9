"""Large outputs in recycled memory (convlens.engines.outputs): reused only when free."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import scipy.ndimage

import convlens
from convlens.engines import outputs

BIG = (2100, 2100)  # float32: 17.6 MB, above MIN_BYTES


@pytest.fixture(autouse=True)
def empty_pool():
    gc.collect()
    outputs.release()
    yield
    gc.collect()
    outputs.release()


def test_small_arrays_are_plain_numpy():
    a = outputs.empty((100, 100), np.float64)
    assert a.flags.owndata and a.shape == (100, 100) and a.dtype == np.float64
    assert outputs._POOL == []


def test_memory_is_reused_only_once_every_array_on_it_is_gone():
    a = outputs.empty(BIG, np.float32)
    assert a.shape == BIG and a.dtype == np.float32 and a.flags.c_contiguous
    a[:] = 1.0
    view = a[::3, 5:]  # a view keeps the memory in use after `a` is gone
    del a
    b = outputs.empty(BIG, np.float32)
    assert not np.shares_memory(b, view)
    assert np.all(view == 1.0)
    del view
    c = outputs.empty(BIG, np.float32)
    assert len(outputs._POOL) == 2  # c took the first mapping back
    assert not np.shares_memory(c, b)
    del b
    d = outputs.empty((2000, 2200), np.float32)  # a little smaller: same size class
    assert len(outputs._POOL) == 2 and not np.shares_memory(c, d)


def test_the_pool_is_bounded_and_in_use_memory_is_never_taken(monkeypatch):
    monkeypatch.setattr(outputs, "KEEP", 2)
    kept = [outputs.empty(BIG, np.float32) for _ in range(4)]
    assert len(outputs._POOL) == 2
    assert kept[2].flags.owndata and kept[3].flags.owndata  # plain memory past KEEP
    for i, a in enumerate(kept):
        a[:] = i
    assert [float(a[7, 7]) for a in kept] == [0.0, 1.0, 2.0, 3.0]
    del kept[0]
    e = outputs.empty((3000, 3000), np.float32)  # another size: evicts the free mapping
    assert len(outputs._POOL) == 2 and not any(np.shares_memory(e, a) for a in kept)
    outputs.release()
    assert len(outputs._POOL) == 2  # both still in use


def test_results_of_a_filtering_loop_stay_intact():
    """Through the public call: each result keeps its values while later calls reuse the
    memory of results that were dropped."""
    rng = np.random.default_rng(0)
    K = rng.standard_normal((3, 3)).astype(np.float32)
    images = [rng.random(BIG, dtype=np.float32) for _ in range(3)]
    kept = convlens.corr2d(images[0], K, padding="same", boundary="reflect")
    snapshot = kept.copy()
    Y = None
    for X in images * 2:
        Y = convlens.corr2d(X, K, padding="same", boundary="reflect")
        assert not np.shares_memory(Y, kept)
    np.testing.assert_array_equal(kept, snapshot)
    # numpy.pad's "reflect" is scipy.ndimage's "mirror".
    ref = scipy.ndimage.correlate(
        images[0].astype(np.float64), K.astype(np.float64), mode="mirror"
    )
    np.testing.assert_allclose(kept, ref, rtol=1e-5, atol=1e-5)
    assert Y.shape == BIG


def test_a_memory_check_gives_the_pool_back_before_refusing(monkeypatch):
    from convlens import memory

    a = outputs.empty(BIG, np.float32)
    del a  # the mapping is kept, unused
    assert len(outputs._POOL) == 1
    avail = iter([100, 100 + BIG[0] * BIG[1] * 4])  # before and after the release
    monkeypatch.setattr(memory, "_read_available", lambda: next(avail))
    monkeypatch.setattr(memory, "_cache", [-float("inf"), 0.0])
    memory.check(100 + 1000, "a test", "X")  # fits once the pool's mapping is back
    assert outputs._POOL == []
    with pytest.raises(MemoryError, match="argument `X`"):
        memory.check(10**15, "a test", "X")
