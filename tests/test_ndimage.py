"""convlens.ndimage against scipy.ndimage: the same results, dtypes and errors.

scipy's own test_filters.py runs against the drop-in in ``tests/scipy_suite``; these are
property tests over modes, origins, axes, dtypes and shapes (1-D to 3-D), plus checks that
the fast path (convlens's engines) is what runs.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import ndimage

MODES = list(ndimage.MODES)
DTYPES = [np.uint8, np.int16, np.int32, np.float32, np.float64]


def _check(got: np.ndarray, want: np.ndarray, exact: bool) -> None:
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    if exact or want.dtype.kind in "iu":
        # Integer outputs are always scipy's exactly (non-dyadic weights go to scipy).
        np.testing.assert_array_equal(got, want)
    else:
        rtol = 1e-5 if want.dtype == np.float32 else 1e-11
        scale = max(float(np.abs(want).max(initial=0)), 1.0)
        np.testing.assert_allclose(got, want, rtol=0, atol=rtol * scale)


def _integer_valued(x: np.ndarray) -> bool:
    """Data whose sums with integer weights scipy forms exactly (float64 or integers)."""
    return x.dtype.kind in "iu" or (x.dtype == np.float64 and bool(np.all(x == np.round(x))))


@st.composite
def images(draw: Any, min_ndim: int = 1, max_ndim: int = 3) -> np.ndarray:
    ndim = draw(st.integers(min_ndim, max_ndim))
    shape = draw(st.tuples(*[st.integers(1, 9)] * ndim))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    if dtype.kind == "f":
        elems = st.integers(-50, 50).map(float) | st.floats(-100, 100, width=dtype.itemsize * 8)
    else:
        info = np.iinfo(dtype)
        elems = st.integers(max(info.min, -1000), min(info.max, 1000))
    return draw(hnp.arrays(dtype, shape, elements=elems))


def _origin(draw: Any, k: int) -> int:
    return draw(st.integers(-(k // 2), (k - 1) // 2))


@settings(max_examples=150)
@given(data=st.data(), x=images())
def test_correlate_and_convolve_match_scipy(data: Any, x: np.ndarray) -> None:
    naxes = data.draw(st.integers(1, min(2, x.ndim)))
    axes = data.draw(st.permutations(range(x.ndim)))[:naxes]
    integer_weights = data.draw(st.booleans())
    wshape = data.draw(st.tuples(*[st.integers(1, 5)] * naxes))
    if integer_weights:
        w = data.draw(hnp.arrays(np.int64, wshape, elements=st.integers(-3, 3)))
    else:
        w = data.draw(hnp.arrays(np.float64, wshape, elements=st.floats(-2, 2)))
    # scipy's rule: when some axes are left out, the weight axes follow the input's axis
    # order while origins follow `axes`; with every axis, `axes`' order plays no part.
    k_of = dict(zip(sorted(axes), wshape) if naxes < x.ndim else enumerate(wshape))
    origin = [_origin(data.draw, k_of[ax]) for ax in (axes if naxes < x.ndim else k_of)]
    mode = data.draw(st.sampled_from(MODES))
    cval = data.draw(st.sampled_from([0.0, 1.0, -2.5]))
    func = data.draw(st.sampled_from(["correlate", "convolve"]))
    use_axes = naxes < x.ndim or data.draw(st.booleans())
    kw = dict(mode=mode, cval=cval, origin=origin)
    if use_axes:
        kw["axes"] = tuple(axes)
    else:
        w = w.reshape(w.shape + (1,) * (x.ndim - naxes))
        kw["origin"] = [_origin(data.draw, k) for k in w.shape]
    got = getattr(ndimage, func)(x, w, **kw)
    want = getattr(scipy.ndimage, func)(x, w, **kw)
    # Integer weights on integer data: scipy's sums are exact, so ours must be equal.
    exact = integer_weights and _integer_valued(x)
    _check(got, want, exact)


@settings(max_examples=100)
@given(data=st.data(), x=images())
def test_correlate1d_and_convolve1d_match_scipy(data: Any, x: np.ndarray) -> None:
    k = data.draw(st.integers(1, 7))
    w = data.draw(hnp.arrays(np.int64, (k,), elements=st.integers(-4, 4)))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    kw = dict(
        axis=axis,
        mode=data.draw(st.sampled_from(MODES)),
        cval=data.draw(st.sampled_from([0.0, 3.0])),
        origin=_origin(data.draw, k),
    )
    for func in ("correlate1d", "convolve1d"):
        got = getattr(ndimage, func)(x, w, **kw)
        want = getattr(scipy.ndimage, func)(x, w, **kw)
        _check(got, want, exact=_integer_valued(x))


@settings(max_examples=100)
@given(data=st.data(), x=images())
def test_separable_filters_match_scipy(data: Any, x: np.ndarray) -> None:
    modes = data.draw(
        st.sampled_from(MODES) | st.lists(st.sampled_from(MODES), min_size=x.ndim, max_size=x.ndim)
    )
    cval = data.draw(st.sampled_from([0.0, 2.0]))
    name = data.draw(
        st.sampled_from(["uniform_filter", "sobel", "prewitt", "laplace", "gaussian_filter"])
    )
    if name == "uniform_filter":
        size = data.draw(st.lists(st.integers(1, 6), min_size=x.ndim, max_size=x.ndim))
        origin = [_origin(data.draw, s) for s in size]
        args, kw = (), dict(size=size, origin=origin, mode=modes, cval=cval)
    elif name in ("sobel", "prewitt"):
        args, kw = (), dict(axis=data.draw(st.integers(0, x.ndim - 1)), mode=modes, cval=cval)
    elif name == "laplace":
        args, kw = (), dict(mode=modes, cval=cval)
    else:
        sigma = data.draw(
            st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.7]), min_size=x.ndim, max_size=x.ndim)
        )
        order = data.draw(st.lists(st.integers(0, 2), min_size=x.ndim, max_size=x.ndim))
        args, kw = (sigma,), dict(order=order, mode=modes, cval=cval)
    got = getattr(ndimage, name)(x, *args, **kw)
    want = getattr(scipy.ndimage, name)(x, *args, **kw)
    exact = name != "gaussian_filter" and _integer_valued(x)
    _check(got, want, exact)


@settings(max_examples=40)
@given(data=st.data(), x=images(min_ndim=2))
def test_gaussian_derivative_filters_match_scipy(data: Any, x: np.ndarray) -> None:
    sigma = data.draw(st.sampled_from([0.7, 1.0, 2.0]))
    mode = data.draw(st.sampled_from(MODES))
    axes = data.draw(st.sampled_from([None, (0, 1), (-1,)]))
    # Integer outputs would wrap around when squared: garbage in scipy, garbage here.
    out = np.float64 if x.dtype.kind in "iu" else data.draw(st.sampled_from([None, np.float64]))
    for name in ("gaussian_laplace", "gaussian_gradient_magnitude"):
        kw = dict(mode=mode, axes=axes, output=out, truncate=3.0)
        got = getattr(ndimage, name)(x, sigma, **kw)
        want = getattr(scipy.ndimage, name)(x, sigma, **kw)
        _check(got, want, exact=False)


@pytest.mark.parametrize("radius", [None, 2])
def test_gaussian_filter1d_radius_and_truncate(radius: int | None) -> None:
    x = np.random.default_rng(0).standard_normal((5, 40))
    for order in range(4):
        kw = dict(order=order, truncate=2.5, radius=radius, mode="mirror")
        got = ndimage.gaussian_filter1d(x, 1.3, **kw)
        np.testing.assert_allclose(got, scipy.ndimage.gaussian_filter1d(x, 1.3, **kw), atol=1e-13)


def test_output_as_dtype_array_and_in_place() -> None:
    x = np.random.default_rng(1).integers(0, 255, (20, 30)).astype(np.uint8)
    w = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
    want = scipy.ndimage.correlate(x, w, output=np.int16)
    np.testing.assert_array_equal(ndimage.correlate(x, w, output=np.int16), want)
    np.testing.assert_array_equal(ndimage.correlate(x, w, output="int16"), want)
    out = np.empty(x.shape, np.int16)
    assert ndimage.correlate(x, w, output=out) is out
    np.testing.assert_array_equal(out, want)
    # output is input: the result must not read what it has already written.
    y = x.astype(np.float64)
    ndimage.uniform_filter(y, 5, output=y)
    np.testing.assert_allclose(y, scipy.ndimage.uniform_filter(x.astype(np.float64), 5))
    # Float output arrays, contiguous (the engine writes into them) or strided (it cannot).
    xf = x.astype(np.float64)
    for out in (np.empty(x.shape), np.empty((20, 60))[:, ::2]):
        assert ndimage.correlate(xf, w, output=out, mode="wrap") is out
        np.testing.assert_array_equal(out, scipy.ndimage.correlate(xf, w, mode="wrap"))
        assert ndimage.correlate1d(xf, [1, 2], axis=0, output=out) is out
        np.testing.assert_array_equal(out, scipy.ndimage.correlate1d(xf, [1, 2], axis=0))
    # uint8 in, uint8 out, with scipy's wrap-around of negative values.
    np.testing.assert_array_equal(ndimage.sobel(x), scipy.ndimage.sobel(x))


def test_integer_valued_results_are_exact() -> None:
    # Large integer-valued float64 data: a separable or FFT engine gives 4.999... for 5.
    rng = np.random.default_rng(2)
    x = rng.integers(-(2**20), 2**20, (64, 64)).astype(np.float64)
    w = rng.integers(-9, 9, (7, 7)).astype(np.float64)
    np.testing.assert_array_equal(ndimage.correlate(x, w), scipy.ndimage.correlate(x, w))
    # 8- and 16-bit integers compute in float32 (every sum below 2**24): still exact, and a
    # mean truncates as scipy's float64 one does. Full-range int16 is the hardest case.
    for xi in (
        rng.integers(0, 256, (64, 64)).astype(np.uint8),
        rng.integers(-(2**15), 2**15, (64, 64)).astype(np.int16),
        np.full((40, 40), 2**15 - 1, np.int16),
    ):
        for size in (3, 6, 17, 40):  # 17 and 40 take the running-sum (box) engine
            np.testing.assert_array_equal(
                ndimage.uniform_filter(xi, size), scipy.ndimage.uniform_filter(xi, size)
            )
        for name in ("sobel", "prewitt", "laplace"):
            np.testing.assert_array_equal(
                getattr(ndimage, name)(xi), getattr(scipy.ndimage, name)(xi)
            )


class _Spy:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[dict] = []
        monkeypatch.setattr(ndimage, "corr2d", self)

    def __call__(self, X: Any, K: Any, **kw: Any) -> Any:
        self.calls.append(dict(kw, x_shape=np.shape(X), k_shape=np.shape(K)))
        return convlens.corr2d(X, K, **kw)


def test_fast_path_runs_on_convlens(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    x = np.random.default_rng(3).standard_normal((4, 30, 40)).astype(np.float32)
    ndimage.correlate(x, np.ones((3, 3)), axes=(1, 2))
    ndimage.gaussian_filter(x, 2.0)
    ndimage.sobel(x[0])
    ndimage.gaussian_filter(x[0], 2.0)
    ndimage.sobel(x[0].astype(np.int16))
    assert len(spy.calls) == 1 + 3 + 1 + 1 + 2
    # One call over all four planes; integer weights take the direct engine.
    assert spy.calls[0]["x_shape"] == (4, 1, 30, 40)
    assert spy.calls[0]["method"] == "direct"
    assert spy.calls[1]["method"] == "auto"
    # A float output fuses two 1-D passes into one 2-D call; an integer one cannot (scipy
    # truncates the intermediate result).
    assert spy.calls[4]["k_shape"] == (1, 1, 3, 3) and spy.calls[4]["method"] == "direct"
    assert spy.calls[5]["k_shape"] == (1, 1, 17, 17)
    assert [c["k_shape"] for c in spy.calls[6:]] == [(1, 3), (1, 1, 3, 1)]


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((np.ones((4, 5, 6)), np.ones((2, 2, 2))), {}),  # weights along 3 axes
        ((np.ones((4, 5)) + 1j, np.ones((3, 3))), {}),  # complex data
        ((np.ones((4, 5), np.float16), np.ones((3, 3))), {}),
        ((np.ones((4, 5)), np.ones((3, 3))), dict(cval=1j, mode="constant")),
    ],
)
def test_handed_to_scipy_with_scipy_result(
    monkeypatch: pytest.MonkeyPatch, args: tuple, kwargs: dict
) -> None:
    spy = _Spy(monkeypatch)
    try:
        want = scipy.ndimage.correlate(*args, **kwargs)
    except Exception as exc:  # scipy's own error, raised by the drop-in too
        with pytest.raises(type(exc)):
            ndimage.correlate(*args, **kwargs)
    else:
        np.testing.assert_array_equal(ndimage.correlate(*args, **kwargs), want)
    assert spy.calls == []


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.correlate(np.ones((4, 4)), np.ones((3, 3)), origin=2),
        lambda m: m.correlate(np.ones((4, 4)), np.ones((3, 3)), mode="bogus"),
        lambda m: m.correlate1d(np.ones((4, 4)), np.ones((3, 3))),
        lambda m: m.correlate(np.ones((4, 4)), np.ones(3), axes=(0, 0)),
        lambda m: m.uniform_filter(np.ones((4, 4)), 3, output=np.ones((3, 3))),
        lambda m: m.gaussian_filter1d(np.ones(5), 1.0, radius=-1),
    ],
)
def test_errors_are_scipys(call: Any) -> None:
    with pytest.raises(Exception) as theirs:
        call(scipy.ndimage)
    with pytest.raises(theirs.type, match=None) as ours:
        call(ndimage)
    assert str(ours.value) == str(theirs.value)


def test_lazy_attribute_and_signatures() -> None:
    import inspect

    assert convlens.ndimage is ndimage
    for name in ndimage.__all__:
        ours = inspect.signature(getattr(ndimage, name))
        theirs = inspect.signature(getattr(scipy.ndimage, name))
        # scipy's parameters, in scipy's order, with convlens's keyword-only NaN options
        # before any **kwargs.
        want = [p for p in theirs.parameters if p != "kwargs"] + ["nan_policy", "min_weight"]
        want += ["kwargs"] if "kwargs" in theirs.parameters else []
        assert list(ours.parameters) == want, name


def test_memory_error_hands_the_call_to_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("the float copy would not fit")

    monkeypatch.setattr(ndimage, "corr2d", refuse)
    x = np.arange(48, dtype=np.uint8).reshape(6, 8)
    out = np.zeros(x.shape, np.uint8)
    assert ndimage.sobel(x, output=out) is out
    np.testing.assert_array_equal(out, scipy.ndimage.sobel(x))
    np.testing.assert_array_equal(
        ndimage.gaussian_filter(x, 1.0), scipy.ndimage.gaussian_filter(x, 1.0)
    )
