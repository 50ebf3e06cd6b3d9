"""convlens.signal against scipy.signal: the same results and dtypes.

scipy's own test_signaltools.py cases run against the drop-in in ``tests/scipy_suite``;
these are property tests over modes (with the "valid" swap), boundaries, fill values,
dtypes and shapes, plus checks that convlens's engines are what runs.
"""

from __future__ import annotations

import inspect
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import signal

DTYPES = [np.uint8, np.int16, np.int64, np.float32, np.float64]


@st.composite
def arrays_2d(draw: Any, dtype: Any, max_side: int = 9) -> np.ndarray:
    shape = draw(st.tuples(st.integers(1, max_side), st.integers(1, max_side)))
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        elems = st.integers(-20, 20).map(float) | st.floats(-10, 10, width=dtype.itemsize * 8)
    else:
        info = np.iinfo(dtype)
        elems = st.integers(max(info.min, -100), min(info.max, 100))
    return draw(hnp.arrays(dtype, shape, elements=elems))


def _close(got: np.ndarray, want: np.ndarray, single: bool = False) -> None:
    """Equal for integers; else within float rounding, float32's when ``single`` (scipy.fft
    transforms a float32 input in float32 even when the other input is float64)."""
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    if want.dtype.kind in "iu":
        np.testing.assert_array_equal(got, want)
    else:
        tol = 2e-5 if want.dtype == np.float32 or single else 1e-11
        scale = max(float(np.abs(want).max(initial=0)), 1.0)
        np.testing.assert_allclose(got, want, rtol=0, atol=tol * scale)


@settings(max_examples=150)
@given(data=st.data())
def test_correlate2d_and_convolve2d_match_scipy(data: Any) -> None:
    d1, d2 = data.draw(st.sampled_from(DTYPES)), data.draw(st.sampled_from(DTYPES))
    in1, in2 = data.draw(arrays_2d(d1)), data.draw(arrays_2d(d2, max_side=5))
    mode = data.draw(st.sampled_from(["full", "same", "valid"]))
    if data.draw(st.booleans()):
        in1, in2 = in2, in1  # "valid" with the larger second: scipy's swap rule
    boundary = data.draw(st.sampled_from(["fill", "wrap", "symm"]))
    fillvalue = data.draw(st.sampled_from([0, 1, -3]))
    if fillvalue < 0 and np.result_type(in1, in2).kind == "u":
        fillvalue = 0  # scipy warns and wraps a fill that does not fit (tested below)
    for name in ("correlate2d", "convolve2d"):
        try:
            want = getattr(scipy.signal, name)(in1, in2, mode, boundary, fillvalue)
        except ValueError as exc:  # neither input fits the other in "valid" mode
            with pytest.raises(ValueError, match="must be at least as large"):
                getattr(signal, name)(in1, in2, mode, boundary, fillvalue)
            assert "at least as large" in str(exc)
            continue
        _close(getattr(signal, name)(in1, in2, mode, boundary, fillvalue), want)


@settings(max_examples=100)
@given(data=st.data())
def test_fftconvolve_and_oaconvolve_match_scipy(data: Any) -> None:
    d1, d2 = data.draw(st.sampled_from(DTYPES)), data.draw(st.sampled_from(DTYPES))
    one_d = data.draw(st.booleans())
    in1 = data.draw(arrays_2d(d1, max_side=12))
    in2 = data.draw(arrays_2d(d2, max_side=6))
    if one_d:
        in1, in2 = in1.ravel(), in2.ravel()
    if data.draw(st.booleans()):
        in1, in2 = in2, in1
    mode = data.draw(st.sampled_from(["full", "same", "valid"]))
    for name in ("fftconvolve", "oaconvolve"):
        try:
            want = getattr(scipy.signal, name)(in1, in2, mode=mode)
        except ValueError:
            with pytest.raises(ValueError):
                getattr(signal, name)(in1, in2, mode=mode)
            continue
        single = np.float32 in (in1.dtype, in2.dtype)
        _close(getattr(signal, name)(in1, in2, mode=mode), want, single)


@pytest.mark.filterwarnings("ignore:Casting complex values to real")
def test_unsigned_fill_that_does_not_fit_is_scipys() -> None:
    a, k = np.arange(9, dtype=np.uint8).reshape(3, 3), np.ones((2, 2), np.uint8)
    with pytest.raises(ValueError) as theirs:
        scipy.signal.correlate2d(a, k, fillvalue=-3)
    with pytest.raises(ValueError) as ours:
        signal.correlate2d(a, k, fillvalue=-3)
    assert str(ours.value) == str(theirs.value)


def test_integer_sums_wrap_like_c() -> None:
    a = np.full((4, 4), 200, np.uint8)
    got = signal.correlate2d(a, np.ones((2, 2), np.uint8))
    np.testing.assert_array_equal(got, scipy.signal.correlate2d(a, np.ones((2, 2), np.uint8)))
    assert got.dtype == np.uint8


def test_even_kernel_same_mode_anchors() -> None:
    x = np.arange(30.0).reshape(5, 6)
    k = np.array([[1.0, 2.0], [3.0, 5.0]])
    for name in ("correlate2d", "convolve2d"):
        np.testing.assert_array_equal(
            getattr(signal, name)(x, k, "same"), getattr(scipy.signal, name)(x, k, "same")
        )
    np.testing.assert_allclose(
        signal.fftconvolve(x, k, "same"), scipy.signal.fftconvolve(x, k, "same"), atol=1e-12
    )


class _Spy:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, dict]] = []
        monkeypatch.setattr(signal, "corr2d", self.wrap("corr2d", convlens.corr2d))
        monkeypatch.setattr(signal, "conv2d", self.wrap("conv2d", convlens.conv2d))

    def wrap(self, name: str, func: Any) -> Any:
        def call(X: Any, K: Any, **kw: Any) -> Any:
            self.calls.append((name, kw))
            return func(X, K, **kw)

        return call


def test_fast_paths_run_on_convlens(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    x = np.random.default_rng(0).standard_normal((40, 50))
    signal.correlate2d(x, np.ones((3, 3)), "same", "symm")
    signal.convolve2d(x, np.full((3, 3), 0.3), "full", "wrap")
    signal.fftconvolve(x, np.ones((9, 9)), "valid")
    names = [name for name, _ in spy.calls]
    assert names == ["corr2d", "conv2d", "conv2d"]
    assert spy.calls[0][1]["boundary"] == "symmetric"
    assert spy.calls[0][1]["method"] == "direct"  # integer weights: exact sums
    assert spy.calls[1][1]["method"] == "auto"
    assert spy.calls[2][1]["method"] == "fft"


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.correlate2d(np.ones((3, 3)) + 1j, np.ones((2, 2))),
        lambda m: m.convolve2d(np.ones((3, 3)), np.ones((2, 2)) * 1j),
        lambda m: m.fftconvolve(np.ones((3, 4, 5)), np.ones((2, 4, 2)), axes=(0, 2)),
        lambda m: m.oaconvolve(np.ones(7, np.longdouble), np.ones(3)),
    ],
)
def test_handed_to_scipy(monkeypatch: pytest.MonkeyPatch, call: Any) -> None:
    spy = _Spy(monkeypatch)
    np.testing.assert_array_equal(call(signal), call(scipy.signal))
    assert spy.calls == []


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.correlate2d(np.ones(3), np.ones((2, 2))),
        lambda m: m.convolve2d(np.ones((3, 3)), np.ones((2, 2)), mode="bogus"),
        lambda m: m.convolve2d(np.ones((3, 3)), np.ones((2, 2)), boundary="mirror"),
        lambda m: m.correlate2d(np.ones((3, 5)), np.ones((5, 3)), mode="valid"),
        lambda m: m.fftconvolve(np.ones((3, 3)), np.ones(3)),
    ],
)
def test_errors_are_scipys(call: Any) -> None:
    with pytest.raises(Exception) as theirs:
        call(scipy.signal)
    with pytest.raises(theirs.type) as ours:
        call(signal)
    assert str(ours.value) == str(theirs.value)


def test_lazy_attribute_and_signatures() -> None:
    assert convlens.signal is signal
    for name in signal.__all__:
        ours = inspect.signature(getattr(signal, name))
        theirs = inspect.signature(getattr(scipy.signal, name))
        assert list(ours.parameters) == list(theirs.parameters), name


def test_memory_error_hands_the_call_to_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("the float copy would not fit")

    monkeypatch.setattr(signal, "corr2d", refuse)
    monkeypatch.setattr(signal, "conv2d", refuse)
    a, k = np.arange(20).reshape(4, 5), np.array([[1, -1]])
    np.testing.assert_array_equal(signal.convolve2d(a, k), scipy.signal.convolve2d(a, k))
    np.testing.assert_array_equal(signal.fftconvolve(a, k), scipy.signal.fftconvolve(a, k))
