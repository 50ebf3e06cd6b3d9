"""Memory bound (issue 13): no call allocates more than :func:`convlens.memory.corr2d_peak`.

Measured with ``tracemalloc`` (NumPy registers its buffers with it) on small problems, after
a warm-up call so that JIT compilation and plan caches are not counted. The estimate leaves
out small bookkeeping (index maps, plan objects): 64 KiB is allowed for it.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import memory
from convlens.contract import normalize

SLACK = 64 * 1024
METHODS = ["direct", "separable", "fft", "numpy", "auto"]


def measured_peak(X, K, method, **opts) -> int:
    convlens.corr2d(X, K, method=method, **opts)  # warm: JIT, plan and SVD caches
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        convlens.corr2d(X, K, method=method, **opts)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def documented_peak(X, K, method, padding, stride=1, dilation=1) -> int:
    spec = normalize(
        X.shape, K.shape, padding=padding, boundary="reflect", value=0.0,
        stride=stride, dilation=dilation, groups=1,
    )  # fmt: skip
    x4 = (1, 1, *X.shape) if X.ndim == 2 else X.shape
    k4 = (1, 1, *K.shape) if K.ndim == 2 else K.shape
    y4 = (x4[0], k4[0], *spec.out_shape)
    dtype = np.result_type(X, K, np.float32)
    return memory.corr2d_peak(x4, X.dtype, k4, y4, spec.pads, dtype, method)


@settings(max_examples=12, derandomize=True, deadline=None)
@given(
    size=st.tuples(st.integers(24, 160), st.integers(24, 160)),
    k=st.sampled_from([1, 3, 5, 9, 15]),
    dtype=st.sampled_from([np.uint8, np.float32, np.float64]),
    padding=st.sampled_from(["valid", "same", "full"]),
    stride=st.sampled_from([1, 2]),
    method=st.sampled_from(METHODS),
)
def test_single_image_stays_under_its_estimate(size, k, dtype, padding, stride, method):
    rng = np.random.default_rng(0)
    X = (rng.random(size) * 100).astype(dtype)
    K = rng.random((k, k)).astype(np.float32)
    peak = measured_peak(X, K, method, padding=padding, boundary="reflect", stride=stride)
    assert peak <= documented_peak(X, K, method, padding, stride) + SLACK


@pytest.mark.parametrize("method", METHODS)
def test_batches_and_channels_stay_under_their_estimate(method):
    rng = np.random.default_rng(1)
    X = rng.random((2, 3, 64, 64))
    K = rng.random((4, 3, 5, 5)).astype(np.float32)
    peak = measured_peak(X, K, method, padding="same", boundary="reflect")
    assert peak <= documented_peak(X, K, method, "same") + SLACK


def test_a_big_problem_stays_under_its_estimate():
    # Large enough that the slack is noise: the estimate itself must hold.
    X = (np.random.default_rng(2).random((512, 512)) * 255).astype(np.uint8)
    K = np.ones((21, 21), np.float32) / 441
    for method in ("direct", "fft", "numpy"):
        peak = measured_peak(X, K, method, padding="same", boundary="reflect")
        assert peak <= documented_peak(X, K, method, "same"), method
