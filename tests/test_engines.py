"""Every engine against the float64 reference engine, with the accuracy bounds of DESIGN.md.

Bounds (``eps`` of the compute dtype; ``S = max|Xp| * max_o sum|K[o]|``, the largest sum of
absolute terms of one output):

- direct, box, numpy, torch: ``2 * (terms + 1) * eps * S`` with ``terms = C_in/g * kh * kw``,
  the worst case of a summation of that many products;
- separable: the same with the terms of the passes, ``rank * (kh + kw)``, and ``S`` computed
  from the factors (``sum_r sum|u_r| * sum|v_r|``), which is what their rounding scales with;
- fft: ``1e-5 * max|Y|`` in float32 on images (the contract), and in the property test
  ``1e-5 * max|Y| + 64 * eps * S`` so that outputs which cancel to nearly zero do not fail
  on round-off the contract does not promise to remove.
"""

import sys

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from convlens import _checks
from convlens.contract import make_problem, normalize
from convlens.engines import ENGINES, box, direct, fft, reference, separable

BOUNDARIES = list(_checks.BOUNDARIES)


def make(X, K, *, padding="valid", boundary="constant", value=0.0, stride=1, dilation=1, groups=1):
    spec = normalize(
        X.shape,
        K.shape,
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    return make_problem(X, K, spec, _checks.result_dtype(X.dtype, K.dtype))


def scale(p, K=None):
    """max|Xp| * the largest sum of absolute terms of one output."""
    K = np.abs(p.K if K is None else K).astype(np.float64)
    xmax = float(np.abs(p.X).max(initial=0))
    if p.boundary == "constant" and sum(map(sum, p.pads)):
        xmax = max(xmax, abs(p.value))
    return xmax * float(K.reshape(K.shape[0], -1).sum(axis=1).max()) + 1e-300


def bound(p, engine):
    eps = np.finfo(p.X.dtype).eps
    o, cg, kh, kw = p.K.shape
    if engine == "separable":
        _, U, V = separable.factorize(p.K)
        r = U.shape[2]
        S = np.abs(U).sum(-1) * np.abs(V).sum(-1)  # (O, Cg, R)
        s = float(np.abs(p.X).max(initial=0))
        if p.boundary == "constant":
            s = max(s, abs(p.value))
        return 2 * (cg * r * (kh + kw) + 1) * eps * s * float(S.sum(axis=(1, 2)).max()) + 1e-300
    if engine == "fft":
        return None
    return 2 * (cg * kh * kw + 1) * eps * scale(p)


def check(p, engine):
    Y = ENGINES[engine].run(p)
    R = reference.run(p)
    assert Y.shape == R.shape == (p.X.shape[0], p.K.shape[0], *p.out_shape)
    assert Y.dtype == p.X.dtype
    err = float(np.abs(Y.astype(np.float64) - R.astype(np.float64)).max(initial=0))
    if engine == "fft":
        if p.X.dtype == np.float32:
            tol = 1e-5 * float(np.abs(R).max(initial=0)) + 64 * 1.2e-7 * scale(p)
        else:
            tol = 1e-12 * float(np.abs(R).max(initial=0)) + 64 * 2.3e-16 * scale(p)
    else:
        tol = bound(p, engine)
    assert err <= tol, (engine, err, tol)


# ---------------------------------------------------------------------------- strategies

paddings = st.one_of(
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 3),
    st.tuples(
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
        st.tuples(st.integers(0, 4), st.integers(0, 4)),
    ),
)
pairs = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))


@st.composite
def problems(draw, kinds=("random", "rank1", "rank2", "constant"), max_k=6, multichannel=True):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(kinds))
    x_dtype = draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    k_dtype = draw(st.sampled_from([np.float32, np.float64]))
    kh, kw = draw(st.integers(1, max_k)), draw(st.integers(1, max_k))
    if multichannel and draw(st.booleans()):
        groups = draw(st.integers(1, 2))
        n, cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
        x_shape = (n, groups * cg, draw(st.integers(1, 14)), draw(st.integers(1, 14)))
        k_lead = (groups * og, cg)
    else:
        groups, x_shape, k_lead = 1, (draw(st.integers(1, 18)), draw(st.integers(1, 18))), ()
    if x_dtype == np.uint8:
        X = rng.integers(0, 256, x_shape).astype(np.uint8)
    else:
        X = rng.standard_normal(x_shape) * 3 + draw(st.sampled_from([0.0, 50.0]))
        X = X.astype(x_dtype)
    if kind == "random":
        K = rng.standard_normal((*k_lead, kh, kw))
    elif kind == "constant":
        K = np.broadcast_to(rng.standard_normal((*k_lead, 1, 1)), (*k_lead, kh, kw)).copy()
    else:
        r = 1 if kind == "rank1" else 2
        u, v = rng.standard_normal((*k_lead, kh, r)), rng.standard_normal((*k_lead, r, kw))
        K = u @ v
    K = K.astype(k_dtype)
    opts = dict(
        padding=draw(paddings),
        boundary=draw(st.sampled_from(BOUNDARIES)),
        value=draw(st.sampled_from([0.0, 1.5, -7.0])),
        stride=draw(pairs),
        dilation=draw(pairs),
        groups=groups,
    )
    reach = [d * (k - 1) for d, k in zip(_checks.as_pair(opts["dilation"], "d"), (kh, kw))]
    pads = _checks.normalize_padding(opts["padding"], reach)
    fits = all(
        _checks.output_size(nn, sum(pp), k, s, d) >= 1
        for nn, pp, k, s, d in zip(
            X.shape[-2:],
            pads,
            (kh, kw),
            _checks.as_pair(opts["stride"], "s"),
            _checks.as_pair(opts["dilation"], "d"),
        )
    )
    if not fits:
        opts["padding"] = "full"
        opts["stride"] = 1
    p = make(X, K, **opts)
    return p


# ------------------------------------------------------------------------------ properties


@pytest.mark.parametrize("engine", ["direct", "separable", "fft", "numpy"])
@settings(max_examples=40)
@given(p=problems())
def test_engine_matches_reference(engine, p):
    assert ENGINES[engine].supports(p)
    check(p, engine)


@pytest.mark.parametrize("engine", ["direct", "separable"])
@settings(max_examples=40, deadline=None)
@given(p=problems(kinds=("random", "rank1", "rank2"), max_k=21))
def test_long_kernels_match_reference(engine, p):
    """Kernels of 8 to 21 taps, where the row and column passes take eight taps at a time
    and finish with four, three, two or one (with any stride and dilation)."""
    check(p, engine)


@pytest.mark.parametrize("library", ["scipy", "torch"])
@settings(max_examples=25)
@given(p=problems())
def test_fft_engine_matches_reference_on_either_fft_library(library, p):
    """The FFT engine transforms on torch.fft once torch is imported, else on scipy.fft
    (fft.FFTs): both give the reference's numbers."""
    fft._BACKEND[:] = [library]
    try:
        check(p, "fft")
    finally:
        fft._BACKEND.clear()


def test_fft_threads_follow_the_load_or_torchs_setting(monkeypatch):
    """The engine's transforms take the CPUs the load leaves idle (torch's count restored
    afterwards); the layer's (``torch_threads``) run on torch's own setting."""
    import torch

    from convlens.engines import base

    before = torch.get_num_threads()
    monkeypatch.setattr(base, "_others_load", lambda: float(base.cpu_count()))  # busy
    with fft.FFTs("torch", 1 << 22) as f:
        assert f.workers == 1 and torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with fft.FFTs("torch", 1 << 22, torch_threads=True) as f:
        assert f.workers == before and torch.get_num_threads() == before


@pytest.mark.parametrize("library", ["scipy", "torch"])
def test_fft_tiles_of_many_channels_on_either_fft_library(library, monkeypatch):
    """The general tiled path (channels, groups, stride) on both FFT libraries."""
    monkeypatch.setattr(fft, "_BACKEND", [library])
    rng = np.random.default_rng(3)
    X = rng.random((1, 4, 600, 590)).astype(np.float32)
    K = rng.standard_normal((6, 2, 9, 7)).astype(np.float32)
    p = make(X, K, padding="same", boundary="reflect", groups=2, stride=(2, 1))
    assert fft.plan_tiles(p.padded().shape[-2:], (9, 7)) is not None
    check(p, "fft")


@settings(max_examples=40)
@given(p=problems(kinds=("constant",)))
def test_box_matches_reference(p):
    if p.dilation != (1, 1):
        assert not box.supports(p)
        return
    assert box.supports(p)
    check(p, "box")


@settings(max_examples=15)
@given(p=problems(max_k=4))
def test_torch_engine_matches_reference(p):
    check(p, "torch")


# --------------------------------------------------------------------------- known cases


@pytest.mark.parametrize("engine", ["direct", "separable", "fft", "box"])
@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_every_boundary_on_a_box_kernel(engine, boundary):
    rng = np.random.default_rng(3)
    X = rng.random((23, 19)).astype(np.float32)
    p = make(X, np.full((5, 4), 0.05, np.float32), padding="same", boundary=boundary, value=2.0)
    check(p, engine)


@pytest.mark.parametrize("engine", ["direct", "separable", "fft", "box"])
def test_stride_and_padding_value_are_used(engine):
    X = np.arange(1.0, 50.0).reshape(7, 7)
    K = np.ones((3, 3))
    p = make(X, K, padding=1, value=10.0, stride=2)
    Y = ENGINES[engine].run(p)[0, 0]
    # Top-left window: 5 padding cells of 10 plus X[0:2, 0:2] = 1 + 2 + 8 + 9.
    assert Y.shape == (4, 4)
    assert Y[0, 0] == pytest.approx(50.0 + 20.0)
    assert Y[1, 1] == pytest.approx(X[1:4, 1:4].sum())


def test_dilation_is_used():
    X = np.arange(64.0).reshape(8, 8)
    K = np.array([[1.0, 0.0], [0.0, -1.0]])
    for engine in ("direct", "separable", "fft"):
        Y = ENGINES[engine].run(make(X, K, dilation=(2, 3)))[0, 0]
        # X[i, j] - X[i + 2, j + 3] = -(2 * 8 + 3) everywhere.
        np.testing.assert_allclose(Y, np.full((6, 5), -19.0), atol=1e-9)


def test_groups_are_used():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1, 4, 9, 9))
    K = rng.standard_normal((4, 2, 3, 3))
    for engine in ("direct", "separable", "fft"):
        p = make(X, K, groups=2)
        Y = ENGINES[engine].run(p)
        ref = np.concatenate(
            [
                reference.run(make(X[:, :2], K[:2])),
                reference.run(make(X[:, 2:], K[2:])),
            ],
            axis=1,
        )
        np.testing.assert_allclose(Y, ref, atol=1e-10)


def test_large_image_against_scipy_oracle():
    """Real image, real kernels, 'same' + symmetric: scipy.signal.correlate2d agrees."""
    from skimage import data

    X = data.camera()[::2, ::2].astype(np.float32)
    g = np.exp(-0.5 * (np.arange(-7, 8) / 2.5) ** 2)
    rng = np.random.default_rng(1)
    for K in (np.outer(g, g) / np.outer(g, g).sum(), rng.standard_normal((15, 15))):
        K = K.astype(np.float32)
        want = scipy.signal.correlate2d(
            X.astype(np.float64), K.astype(np.float64), mode="same", boundary="symm"
        )
        p = make(X, K, padding="same", boundary="symmetric")
        for engine in ("direct", "separable", "fft"):
            Y = ENGINES[engine].run(p)[0, 0].astype(np.float64)
            err = np.abs(Y - want).max()
            if engine == "fft":
                assert err <= 1e-5 * np.abs(want).max()
            else:
                assert err <= bound(p, engine)


@pytest.mark.parametrize(
    ("kh", "kw", "dtype", "boundary"),
    [
        (7, 7, np.float32, "constant"),  # 3 + 3 + 1 kernel rows per output row
        (11, 11, np.float32, "reflect"),  # 2-row passes and a 1-row remainder
        (5, 16, np.float64, "symmetric"),  # the widest specialised kernel
        (3, 17, np.float32, "wrap"),  # beyond the specialised widths: the generic loop
    ],
)
def test_direct_wide_kernels_and_borders(kh, kw, dtype, boundary):
    """Widths the hypothesis property does not draw, with interior and border columns."""
    rng = np.random.default_rng(kh * kw)
    X = (rng.standard_normal((2, 29, 41)) * 3 + 20).astype(dtype)
    K = rng.standard_normal((1, 1, kh, kw)).astype(dtype)
    X = X[:, None]
    check(make(X, K, padding="same", boundary=boundary, value=-3.0), "direct")
    check(make(X, K, padding=((kh, 1), (0, kw + 2)), boundary=boundary, value=-3.0), "direct")


@settings(max_examples=40, deadline=None)
@given(
    kh=st.integers(1, 9),
    kw=st.sampled_from([1, 3, 4, 5, 7, 11, 16]),  # each width compiles its own kernels
    h=st.integers(1, 40),
    w=st.integers(1, 40),
    channels=st.sampled_from([(1, 1, 1), (2, 3, 1), (2, 4, 2)]),  # (N, C_in, groups)
    boundary=st.sampled_from(["constant", "reflect", "edge", "wrap"]),
    dtype=st.sampled_from([np.float32, np.float64, np.uint8]),
)
def test_direct_two_row_passes_match_the_reference(kh, kw, h, w, channels, boundary, dtype):
    """Generated widths, including the two-output-rows passes (16 taps a pass and up),
    over odd and even row counts per block, several passes, channels and groups."""
    from convlens.engines import reference

    n, c, g = channels
    if dtype == np.uint8 and kw not in (3, 5):
        kw = 5  # 8-bit images compile their own kernels per width: two widths are enough
    if boundary != "constant" and (h <= kh or w <= kw):
        boundary = "constant"  # reflect needs the image to be larger than the padding
    rng = np.random.default_rng(kh * 100 + kw)
    X = (rng.random((n, c, h + kh - 1, w + kw - 1)) * 200).astype(dtype)
    ktype = np.float64 if dtype == np.float64 else np.float32
    K = rng.standard_normal((2 * g, c // g, kh, kw)).astype(ktype)
    p = make(X, K, padding="same", boundary=boundary, value=-3.0, groups=g)
    if dtype == np.uint8:  # read as it is, widened inside the loop
        spec = normalize(
            X.shape,
            K.shape,
            padding="same",
            boundary=boundary,
            value=3.0,
            stride=1,
            dilation=1,
            groups=g,
        )
        p = make_problem(X, K, spec, np.dtype(ktype), narrow=True)
        assert p.narrow_input
    got = ENGINES["direct"].run(p).astype(np.float64)
    want = reference.run(p.widened()).astype(np.float64)
    tol = 1e-4 * (np.abs(want).max(initial=0) + 1) if ktype == np.float32 else 1e-10
    assert np.abs(got - want).max(initial=0) <= tol


def test_threads_follow_the_load(monkeypatch):
    from convlens.engines import base

    def threads(load: float, work: float = 1e9) -> int:
        monkeypatch.setattr(base.os, "getloadavg", lambda: (load, 1.0, 1.0))
        monkeypatch.setattr(base, "_LOAD", [0.0] * 4)  # a fresh reading
        return base.threads_for(work)

    monkeypatch.setattr(base, "cpu_count", lambda: 4)
    assert threads(1.0) == 4  # only this process is running
    assert threads(1.0, 1e3) == 1  # too little work to wake the pool
    assert threads(3.0) == 2
    assert threads(9.0) == 1


def test_threads_follow_the_tasks_runnable_now(monkeypatch):
    """The load average trails by a minute; a live count of runnable tasks that shows idle
    CPUs wins over it, but never takes threads away."""
    from convlens.engines import base

    monkeypatch.setattr(base, "cpu_count", lambda: 2)
    monkeypatch.setattr(base.os, "getloadavg", lambda: (1.6, 1.4, 1.2))  # a job just ended

    def threads(running):
        monkeypatch.setattr(base, "_runnable_now", lambda: running)
        monkeypatch.setattr(base, "_LOAD", [0.0] * 4)  # a fresh reading
        return base.threads_for(1e9)

    assert threads(None) == 1  # the load average alone: someone seems busy
    assert threads(1.0) == 2  # only this thread runs now
    assert threads(3.0) == 1  # busy now too
    monkeypatch.setattr(base.os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert threads(5.0) == 2  # a burst right now does not take threads away


# Taken at import: the autouse fixture in conftest.py replaces base's name in every test.
from convlens.engines.base import _runnable_now as _live_runnable_now  # noqa: E402


def test_runnable_now_reads_the_kernel_count(tmp_path):
    f = tmp_path / "loadavg"
    f.write_text("0.52 0.41 0.30 3/120 9999\n")
    assert _live_runnable_now(str(f)) == 3.0
    f.write_text("garbage\n")
    assert _live_runnable_now(str(f)) is None
    assert _live_runnable_now(str(tmp_path / "missing")) is None


def test_threads_discount_this_process(monkeypatch):
    """A loop of two-thread calls keeps the load at 2 on 2 CPUs: that load is its own, so
    it keeps both threads (subtracting a flat 1 saw a full machine and fell back to one)."""
    import time

    from convlens.engines import base

    clock = {"wall": 1000.0, "cpu": 0.0}

    class Times:
        def __init__(self) -> None:
            self.user, self.system = clock["cpu"], 0.0

    monkeypatch.setattr(base, "cpu_count", lambda: 2)
    monkeypatch.setattr(base, "_LOAD", [0.0] * 4)
    monkeypatch.setattr(time, "monotonic", lambda: clock["wall"])
    monkeypatch.setattr(base.os, "times", Times)
    monkeypatch.setattr(base.os, "getloadavg", lambda: (2.0, 2.0, 2.0))
    assert base.threads_for(1e9) == 1  # no history yet: the load might be someone else's
    for _ in range(60):  # two minutes of this process using both CPUs
        clock["wall"] += 2.0
        clock["cpu"] += 4.0
        base.threads_for(1e9)
    assert base.threads_for(1e9) == 2
    monkeypatch.setattr(base.os, "getloadavg", lambda: (3.0, 3.0, 3.0))  # another job starts
    clock["wall"] += 2.0
    clock["cpu"] += 4.0
    assert base.threads_for(1e9) == 1


@pytest.mark.parametrize("total", [1, 7, 100, 1000])
def test_run_rows_covers_every_row_once(total, monkeypatch):
    import threading

    from convlens.engines import base

    monkeypatch.setattr(base, "cpu_count", lambda: 3)
    seen, lock = [], threading.Lock()

    def fn(tag, t0, t1):
        assert tag == "x"
        with lock:
            seen.extend(range(t0, t1))

    base.run_rows(fn, ("x",), total, work=1e9)
    assert sorted(seen) == list(range(total))
    seen.clear()
    base.run_rows(fn, ("x",), total, work=10.0)  # too little work: one call on this thread
    assert seen == list(range(total))


@pytest.mark.parametrize("engine", ["direct", "separable"])
@pytest.mark.parametrize(
    ("shape", "k", "boundary"),
    [
        ((1, 1, 97, 131), 3, "reflect"),
        ((2, 3, 40, 33), 5, "constant"),
        ((1, 1, 300, 64), 7, "wrap"),
    ],
)
def test_stealing_threads_cover_every_row_once(engine, shape, k, boundary, monkeypatch):
    """With helpers forced on, the chunks claimed through the atomic counter write every
    output row exactly once: the result equals the reference engine's."""
    from convlens.engines import base, reference

    monkeypatch.setattr(base, "threads_for", lambda work, serial_below=0: 2)
    rng = np.random.default_rng(k)
    X = rng.random(shape).astype(np.float32)
    g = np.hanning(k + 2)[1:-1]
    K2 = np.outer(g, g) if engine == "separable" else rng.standard_normal((k, k))
    K = np.broadcast_to(K2, (2, shape[1], k, k)).astype(np.float32).copy()
    p = make(X, K, padding="same", boundary=boundary)
    for _ in range(5):  # helpers join at different points of the run
        got = ENGINES[engine].run(p)
        np.testing.assert_allclose(got, reference.run(p), rtol=1e-4, atol=1e-4)


def test_a_late_thread_finds_no_chunk_and_writes_nothing():
    """Chunks are claimed with an atomic add: once one thread has claimed them all, a
    thread that starts late claims none and leaves the output alone."""
    from convlens.engines import _jit_direct, reference

    X = np.random.default_rng(1).random((1, 1, 200, 150)).astype(np.float32)
    K = np.ones((1, 1, 3, 3), np.float32)
    p = make(X, K, padding="same", boundary="reflect")
    rowmap, colmap = direct.maps(p)
    j_lo, j_hi = direct.interior(150, p.pads, 1, 3, 1, 1, 150)
    crow = direct._fill_row(150, 0.0, X.dtype)
    Y = p.output()
    args = (p.X, p.K, rowmap, colmap, 0.0, 1, 1, j_lo, j_hi, crow, Y)
    total = -(-200 // direct.BLOCK)
    counter = np.zeros(2, np.int64)
    _jit_direct.sdirect_w3(*args, counter, total, 3)
    assert counter[0] >= total and counter[1] == total  # every block claimed and done once
    np.testing.assert_allclose(Y, reference.run(p), rtol=1e-5)
    Y[...] = -7.0
    _jit_direct.sdirect_w3(*args, counter, total, 3)  # the late thread
    assert (Y == -7.0).all() and counter[1] == total


def test_a_forked_child_filters_on_one_thread():
    """After the parent used numba's OpenMP threads, a fork()ed child still filters, on
    one thread (GNU OpenMP's thread pool does not survive fork)."""
    import os

    import convlens

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    X = np.random.default_rng(2).random((512, 512)).astype(np.float32)
    K = np.random.default_rng(3).random((3, 3)).astype(np.float32)
    want = convlens.corr2d(X, K, padding="same")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        from convlens.engines import base

        ok = base._FORKED and np.allclose(convlens.corr2d(X, K, padding="same"), want)
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_numba_threads_are_restored():
    import numba

    from convlens.engines.base import numba_threads

    before = numba.get_num_threads()
    with numba_threads(1):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before


@pytest.mark.parametrize("k", [7, 13])
def test_fft_tiles_meet_the_float32_bound(k):
    rng = np.random.default_rng(k)
    X = (rng.random((1, 2, 812, 850)) * 255).astype(np.float32)
    K = rng.standard_normal((3, 2, k, k)).astype(np.float32)
    p = make(X, K, padding="same", boundary="reflect", stride=(1, 2))
    assert fft.plan_tiles(p.padded().shape[-2:], (k, k)) is not None  # the tiled path runs
    Y = fft.run(p).astype(np.float64)
    p64 = make(
        X.astype(np.float64),
        K.astype(np.float64),
        padding="same",
        boundary="reflect",
        stride=(1, 2),
    )
    want = direct.run(p64)
    assert np.abs(Y - want).max() <= 1e-5 * np.abs(want).max()


@pytest.mark.parametrize("backend", ["torch", "scipy"])
@pytest.mark.parametrize("boundary", ["constant", "reflect", "wrap"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_single_channel_tiles(boundary, dtype, backend, monkeypatch):
    """The strip path: batch of 2, non-square, partial last tiles on both axes; the oracle
    is scipy.ndimage.correlate in float64 (numpy's reflect is ndimage's "mirror")."""
    import scipy.ndimage

    monkeypatch.setattr(fft, "_BACKEND", [backend])
    rng = np.random.default_rng(5)
    X = (rng.random((2, 1, 813, 850)) * 255 + 100).astype(dtype)
    K = rng.standard_normal((1, 1, 13, 9)).astype(dtype)
    p = make(X, K, padding="same", boundary=boundary, value=-20.0)
    L = fft.plan_tiles((813 + 12, 850 + 8), (13, 9))
    assert L is not None and (813 % (L[0] - 12)) and (850 % (L[1] - 8))
    Y = fft.run(p).astype(np.float64)
    mode = {"constant": "constant", "reflect": "mirror", "wrap": "grid-wrap"}[boundary]
    for n in range(2):
        want = scipy.ndimage.correlate(
            X[n, 0].astype(np.float64), K[0, 0].astype(np.float64), mode=mode, cval=-20.0
        )
        tol = 1e-5 if dtype == np.float32 else 1e-12
        assert np.abs(Y[n, 0] - want).max() <= tol * np.abs(want).max()


def test_fft_whole_image_path():
    rng = np.random.default_rng(2)
    X = rng.random((40, 50)).astype(np.float32)
    K = rng.standard_normal((31, 9)).astype(np.float32)
    p = make(X, K, padding="same", boundary="wrap")
    assert fft.plan_tiles(p.padded().shape[-2:], (31, 9)) is None
    check(p, "fft")


# ---------------------------------------------------------------------------- NaN and inf


@pytest.mark.parametrize("engine", ["direct", "separable", "fft", "box"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_pixels_stay_local(engine, bad):
    X = np.ones((12, 13), np.float32)
    X[5, 6] = bad
    p = make(X, np.full((3, 3), 1 / 9, np.float32), padding="same")
    Y = ENGINES[engine].run(p)[0, 0]
    R = reference.run(p)[0, 0]
    np.testing.assert_array_equal(np.isnan(Y), np.isnan(R))
    np.testing.assert_array_equal(np.isinf(Y), np.isinf(R))
    finite = np.isfinite(R)
    assert finite.sum() == 12 * 13 - 9
    np.testing.assert_allclose(Y[finite], R[finite], rtol=1e-5)


@pytest.mark.parametrize("library", ["scipy", "torch"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("shape", [(2, 1, 1200, 1100), (1, 1, 40, 50)])
def test_fft_finds_a_non_finite_pixel_in_any_tile(library, bad, shape, monkeypatch):
    """The single-channel path checks each tile's DC term instead of summing the image
    first: one bad pixel in the last image's last tile (or in a whole-image tile) still
    hands the call to the direct engine, so it stays local."""
    monkeypatch.setattr(fft, "_BACKEND", [library])
    rng = np.random.default_rng(7)
    X = rng.random(shape).astype(np.float32)
    X[-1, 0, -3, -5] = bad
    p = make(X, rng.standard_normal((1, 1, 9, 7)).astype(np.float32), padding="same")
    padded = p.padded().shape[-2:]
    tiled = fft.plan_tiles(padded, (9, 7), fft._whole_speed(padded))
    assert (tiled is not None) == (shape[-1] == 1100)
    Y, R = fft.run(p), direct.run(p)
    np.testing.assert_array_equal(np.isfinite(Y), np.isfinite(R))
    assert not np.isfinite(R).all() and np.isfinite(R[0]).all() == (shape[0] == 2)
    ok = np.isfinite(R)
    np.testing.assert_allclose(Y[ok], R[ok], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("batch_tiles", [2, 4, 6])
@pytest.mark.parametrize("width", [340, 400, 700])
def test_fft_packed_tile_pairs_match_the_reference(batch_tiles, width, monkeypatch):
    """On torch, tiles go through the transforms in pairs, one as the real part and one as
    the imaginary part of a complex tile. Strips of 3, 4 and 7 tiles of 128^2 cut into
    batches of 2, 4 or 6 give odd last batches (one tile paired with itself, or tile
    h - 1 twice); every output still matches the float64 reference."""
    import scipy.ndimage

    pytest.importorskip("torch")
    monkeypatch.setattr(fft, "_BACKEND", ["torch"])
    monkeypatch.setattr(fft, "plan_tiles", lambda *args: (128, 128))
    # Packed batches hold twice the tiles of BATCH_BYTES (float32: 4 bytes a value).
    monkeypatch.setattr(fft, "BATCH_BYTES", batch_tiles * 128 * 128 * 4 // 2)
    rng = np.random.default_rng(width)
    X = (rng.random((1, 1, 300, width)) * 50 + 20).astype(np.float32)
    K = rng.standard_normal((1, 1, 11, 13)).astype(np.float32)
    Y = fft.run(make(X, K, padding="same", boundary="symmetric"))[0, 0].astype(np.float64)
    want = scipy.ndimage.correlate(X[0, 0].astype(np.float64), K[0, 0].astype(np.float64))
    assert np.abs(Y - want).max() <= 1e-5 * np.abs(want).max()


# ------------------------------------------------------------------------ ranks and declines


def test_factorize_finds_the_numerical_rank():
    g = np.exp(-0.5 * np.linspace(-3, 3, 9) ** 2)
    x = np.linspace(-3, 3, 9)
    log = np.outer(x**2 - 1, np.ones(9)) * np.outer(g, g) + np.outer(
        np.ones(9), x**2 - 1
    ) * np.outer(g, g)
    sobel = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    rng = np.random.default_rng(0)
    cases = {
        "gauss": (np.outer(g, g), 1),
        "sobel": (sobel, 1),
        "log": (log, 2),
        "random": (rng.standard_normal((5, 5)), 5),
        "zero": (np.zeros((3, 3)), 0),
        # A perturbation far above the tolerance must not be truncated away.
        "near-rank-1": (np.outer(g, g) + 1e-4 * rng.standard_normal((9, 9)), 9),
    }
    for name, (K, want) in cases.items():
        ranks, U, V = separable.factorize(K[None, None])
        assert int(ranks[0, 0]) == want, name
        np.testing.assert_allclose(np.einsum("rk,rl->kl", U[0, 0], V[0, 0]), K, atol=1e-12)


def test_box_declines_non_constant_kernels_and_dilation():
    X = np.ones((8, 8), np.float32)
    assert not box.supports(make(X, np.eye(3, dtype=np.float32)))
    assert not box.supports(make(X, np.ones((3, 3), np.float32), dilation=2))
    assert box.supports(make(X, np.ones((3, 3), np.float32)))
    with pytest.raises(ValueError, match="box"):
        box.run(make(X, np.eye(3, dtype=np.float32)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("shape", [(14, 15), (600, 560)])
def test_separable_hands_non_finite_images_to_direct(bad, shape):
    """With factors of both signs, a row pass then a column pass would turn one inf into
    inf - inf = NaN where the direct sum is +-inf. The row pass's sums of the rows it read
    find it (one tile, or many on numba's threads when a CPU is idle), and the direct
    engine answers."""
    rng = np.random.default_rng(3)
    X = rng.random(shape)
    X[5, 7] = bad
    K = np.outer([1.0, -2.0, 1.0], [1.0, 2.0, 1.0]) + np.outer([1.0, 1.0, 1.0], [1.0, 0.0, -1.0])
    p = make(X, K, padding="same", boundary="symmetric")
    assert separable.rank(p.K) == 2
    Y = separable.run(p)[0, 0]
    with np.errstate(invalid="ignore"):  # inf * 0 is NaN in the reference, as it should be
        R = reference.run(p)[0, 0]
    for test in (np.isnan, np.isposinf, np.isneginf):
        np.testing.assert_array_equal(test(Y), test(R))
    ok = np.isfinite(R)
    assert not ok.all()
    np.testing.assert_allclose(Y[ok], R[ok], rtol=1e-12, atol=1e-12)


def test_separable_declines_non_finite_kernels():
    K = np.ones((3, 3))
    K[1, 1] = np.nan
    assert not separable.supports(make(np.ones((5, 5)), K))


def test_index_map_matches_numpy_pad():
    for boundary in ("reflect", "symmetric", "edge", "wrap"):
        for n in (1, 2, 5):
            got = direct.index_map(n, 7, 3, boundary)
            np.testing.assert_array_equal(got, np.pad(np.arange(n), (7, 3), mode=boundary))


@settings(max_examples=80, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 3), st.integers(1, 9), st.integers(1, 9)),
    pads=st.tuples(*[st.integers(0, 12)] * 4),
    boundary=st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_fft_input_is_numpy_pad_minus_the_level(shape, pads, boundary, dtype):
    """The FFT's one-pass input (fft._shifted) holds exactly numpy.pad's values minus each
    image's level, rounded in X's dtype, pads wider than the image included; memory from
    the output pool is filled whatever it held."""
    from convlens.engines import outputs

    n, h, w = shape
    X = np.random.default_rng(sum(shape)).standard_normal((n, 1, h, w)).astype(dtype)
    level = fft._level(X)
    assert level.dtype == dtype and level.shape == (n,)
    t, b, l, r = pads
    outputs.empty((n, h + t + b, w + l + r), dtype).fill(np.nan)
    got = fft._shifted(X, ((t, b), (l, r)), boundary, -3.5, level)
    kw = {"constant_values": -3.5} if boundary == "constant" else {}
    want = np.pad(X[:, 0], ((0, 0), (t, b), (l, r)), mode=boundary, **kw)
    np.testing.assert_array_equal(got, want - level[:, None, None])


@settings(max_examples=80, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    pads=st.tuples(*[st.integers(0, 12)] * 4),
    tile=st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 4)),
    m=st.integers(1, 5),
    boundary=st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_fft_tile_pairs_are_the_padded_image_minus_the_level(
    shape, pads, tile, m, boundary, dtype
):
    """The tiles that go through the transforms in complex pairs (_jit.pack_tile_pairs)
    are exactly those of numpy.pad's image minus the level, pads wider than the image
    included: tile s as real part, tile m - h + s as imaginary part (tile h - 1 twice when
    m is odd). unpack_tile_pairs writes each tile's part back to its own columns, clipped
    at the output's edge."""
    from convlens.engines import _jit
    from convlens.engines.direct import _shared_map

    h, w = shape
    L0, L1, step = tile
    step = min(step, L1)  # a tile's outputs are its first L - k + 1 columns
    t, b, l, r = pads
    X = np.random.default_rng(h * w + t).standard_normal((h, w)).astype(dtype)
    # Enough padded columns for m tiles, and rows for one, whatever the pads asked.
    r = max(r, (m - 1) * step + L1 - w - l)
    b = max(b, L0 - h - t)
    level, fill = dtype(0.25), dtype(-3.5) - dtype(0.25)
    rowmap, colmap = _shared_map(h, t, b, boundary), _shared_map(w, l, r, boundary)
    hp = (m + 1) // 2
    buf = np.full((hp, L0, L1, 2), np.nan, dtype)
    _jit.pack_tile_pairs(X, rowmap, colmap, fill, level, 0, 0, step, m, buf)
    kw = {"constant_values": -3.5} if boundary == "constant" else {}
    padded = np.pad(X, ((t, b), (l, r)), mode=boundary, **kw) - level
    tiles = [padded[:L0, j * step : j * step + L1] for j in range(m)]
    for s in range(hp):
        np.testing.assert_array_equal(buf[s, ..., 0], tiles[s])
        np.testing.assert_array_equal(buf[s, ..., 1], tiles[m - hp + s])
    # Back: tile j's first `step` columns land at column j * step of a narrower output.
    width = max(1, (m - 1) * step + 1)
    Y = np.full((L0, width), np.nan, dtype)
    _jit.unpack_tile_pairs(buf, m, 0, L0, 0, step, dtype(0.25), Y)
    want = np.concatenate([tile[:, :step] for tile in tiles], axis=1)[:, :width] + level
    np.testing.assert_array_equal(Y, want)


def test_fft_level_is_a_sample_mean_and_zero_when_not_finite():
    X = np.random.default_rng(1).random((2, 1, 300, 200)) + 7.0
    X[1, 0, 0, 0] = np.nan
    level = fft._level(X)
    assert abs(level[0] - X[0].mean()) < 0.05 and level[1] == 0.0


@pytest.mark.parametrize("engine", ["direct", "separable", "fft", "box"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_inputs_are_never_written(engine, padding):
    X = np.random.default_rng(0).random((1, 1, 30, 30)) + 5
    K = np.full((1, 1, 3, 3), 0.5)
    X0, K0 = X.copy(), K.copy()
    p = make(X, K, padding=padding)
    ENGINES[engine].run(p)
    np.testing.assert_array_equal(p.X, X0)
    np.testing.assert_array_equal(p.K, K0)


# ---------------------------------------------------------------------------------- out=


@pytest.mark.parametrize("method", ["direct", "separable", "fft", "box", "numpy", "torch"])
def test_out_receives_the_result(method):
    import convlens

    rng = np.random.default_rng(9)
    X = rng.random((2, 3, 140, 150)).astype(np.float32)
    K = np.full((4, 3, 5, 5), 0.04, np.float32)  # box-able, rank 1
    want = convlens.corr2d(X, K, padding="same", boundary="reflect", method=method)
    out = np.full_like(want, np.nan)
    got = convlens.corr2d(X, K, padding="same", boundary="reflect", method=method, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)


def test_out_on_2d_and_conv2d():
    import convlens

    X = np.arange(30.0).reshape(5, 6)
    K = np.array([[1.0, 2.0], [3.0, 5.0]])
    out = np.zeros((4, 5))
    assert convlens.conv2d(X, K, out=out) is out
    np.testing.assert_allclose(out, scipy.signal.convolve2d(X, K, mode="valid"), rtol=1e-13)


@pytest.mark.parametrize(
    ("make_out", "error", "words"),
    [
        (lambda X: np.zeros((5, 5)), ValueError, "shape (4, 5)"),
        (lambda X: np.zeros((4, 5), np.float32), ValueError, "dtype float64"),
        (lambda X: np.zeros((5, 4)).T, ValueError, "C-contiguous"),
        (lambda X: X.reshape(-1)[:20].reshape(4, 5), ValueError, "share memory with `X`"),
        (lambda X: [[0.0] * 5] * 4, TypeError, "numpy.ndarray"),
    ],
)
def test_bad_out_is_refused(make_out, error, words):
    import convlens

    X = np.arange(30.0).reshape(5, 6)
    with pytest.raises(error, match="`out`") as info:
        convlens.corr2d(X, np.ones((2, 2)), out=make_out(X))
    assert words in str(info.value)


def test_out_refuses_a_read_only_array_and_torch_inputs():
    import torch

    import convlens

    out = np.zeros((4, 5))
    out.flags.writeable = False
    with pytest.raises(ValueError, match="`out`.*writeable"):
        convlens.corr2d(np.ones((5, 6)), np.ones((2, 2)), out=out)
    with pytest.raises(ValueError, match="`out`.*NumPy inputs"):
        convlens.corr2d(torch.ones(5, 6), np.ones((2, 2)), out=np.zeros((4, 5), np.float32))


# ------------------------------------------------------------------------ 8-bit images


@settings(max_examples=60, deadline=None)
@given(p=problems(max_k=9), signed=st.booleans(), value=st.sampled_from([0.0, 3.0, 1.5, -300.0]))
def test_direct_reads_8bit_images_as_they_are(p, signed, value):
    """An 8-bit X goes to the direct loops unconverted (every width, border and shape) and
    gives what the reference gives on the widened image; other engines get it widened."""
    import dataclasses

    from convlens import engines

    rng = np.random.default_rng(p.X.size)
    dt = np.int8 if signed else np.uint8
    info = np.iinfo(dt)
    X8 = rng.integers(info.min, info.max + 1, p.X.shape).astype(dt)
    q = dataclasses.replace(p, X=X8, value=value)
    assert q.narrow_input and direct.supports(q)
    wide = q.widened()
    assert wide.X.dtype == q.dtype and not wide.narrow_input
    Y = engines.run("direct", q)
    assert Y.dtype == q.dtype
    R = reference.run(wide).astype(np.float64)
    assert np.abs(Y.astype(np.float64) - R).max(initial=0) <= bound(wide, "direct")
    if q.K.shape[:2] == (1, 1):
        Ys = engines.run("separable", q)
        assert np.abs(Ys.astype(np.float64) - R).max(initial=0) <= bound(wide, "separable")


def test_16bit_images_are_widened_first():
    import dataclasses

    X = (np.arange(12 * 13) * 97 % 65536).astype(np.uint16).reshape(12, 13)
    p = make(X.astype(np.float32), np.ones((3, 3), np.float32), padding="same")
    q = dataclasses.replace(p, X=X[None, None])
    np.testing.assert_array_equal(direct.run(q), direct.run(p))


def test_fft_kernel_spectrum_is_reused_only_for_the_same_kernel():
    """The tiled path caches a kernel's spectrum by its bytes: a new image with the same
    kernel reuses it, another kernel of the same shape does not."""
    rng = np.random.default_rng(11)
    fft._SPECTRA.clear()
    K1 = rng.standard_normal((9, 9)).astype(np.float32)
    K2 = K1.copy()
    K2[4, 4] += 1.0
    for K, cached in ((K1, 0), (K1, 1), (K2, 1)):
        X = rng.random((600, 560)).astype(np.float32)  # a new image every call
        p = make(X, K, padding="same", boundary="reflect")
        assert fft.plan_tiles((608, 568), (9, 9)) is not None  # the tiled, cached path
        assert len(fft._SPECTRA) == cached
        check(p, "fft")
    assert len(fft._SPECTRA) == 2


@settings(max_examples=40, deadline=None)
@given(p=problems(max_k=7), method=st.sampled_from(["auto", "direct", "fft", "separable"]))
def test_corr2d_on_8bit_images_matches_the_widened_image(p, method):
    """Through the public call: an 8-bit image (kept narrow for direct, widened for the
    others) gives what its float copy gives, with the result in the compute dtype."""
    import convlens

    rng = np.random.default_rng(p.X.size)
    X8 = rng.integers(0, 256, p.X.shape).astype(np.uint8)
    K = p.K if p.X.ndim == 4 and p.K.shape[:2] != (1, 1) else p.K[0, 0]
    X8 = X8 if K.ndim == 4 else X8[0, 0]
    if method == "separable" and K.ndim == 4 and K.shape[0] * K.shape[1] > 64:
        return
    opts = dict(
        padding=p.pads, boundary=p.boundary, value=p.value, stride=p.stride,
        dilation=p.dilation, groups=p.groups,
    )  # fmt: skip
    Y = convlens.corr2d(X8, K, method=method, **opts)
    R = convlens.corr2d(X8.astype(K.dtype), K, method="reference", **opts)
    assert Y.dtype == np.result_type(X8, K, np.float32) and Y.shape == R.shape
    wide = make(X8.astype(K.dtype), K, **opts)
    tol = bound(wide, "direct") if method in ("auto", "direct") else None
    if method == "separable":
        tol = bound(wide, "separable")
    if tol is None or method == "auto":
        tol = max(tol or 0.0, 1e-5 * float(np.abs(R).max(initial=0)) + 64 * 1.2e-7 * scale(wide))
    assert np.abs(Y.astype(np.float64) - R).max(initial=0) <= tol


def test_fft_tiles_stay_on_scipy_until_torch_would_have_paid_its_import(monkeypatch):
    """Ski rental: with torch installed but not imported, tiles go to scipy.fft while the
    time torch would save adds up; once it reaches TORCH_IMPORT_MS torch takes over."""
    monkeypatch.setattr(fft, "_BACKEND", [])
    monkeypatch.setattr(fft, "_TORCH_LOST", [0.0])
    monkeypatch.setattr(fft, "TORCH_IMPORT_MS", 5.0)
    monkeypatch.setattr(fft, "has_package", lambda name: True)
    modules = dict(sys.modules)
    modules.pop("torch", None)
    monkeypatch.setattr(sys, "modules", modules)
    assert [fft.backend(2.0) for _ in range(3)] == ["scipy", "scipy", "torch"]
    assert fft.backend() == "torch"  # decided for the rest of the process
    monkeypatch.setattr(fft, "_BACKEND", [])
    modules["torch"] = object()
    assert fft.backend(0.0) == "torch"  # someone else paid the import
    assert fft._torch_saving_ms((768, 768), 10) == pytest.approx(10 * 768 * 768 * 3.2e-6)


def test_fft_whole_image_kernel_spectrum_is_reused_only_for_the_same_kernel(monkeypatch):
    """The whole-image FFT keeps a kernel's spectrum for later calls with the same bytes:
    a kernel of the same shape with other values gets its own, and big spectra are not
    kept."""
    from convlens.engines import reference

    monkeypatch.setattr(fft, "_SPECTRA", {})
    rng = np.random.default_rng(5)
    X = rng.random((1, 1, 40, 50))
    K1, K2 = rng.standard_normal((2, 1, 1, 9, 9))
    for K in (K1, K2, K1):
        p = make(X, K, padding="same", boundary="reflect")
        assert fft.plan_tiles((48, 58), (9, 9)) is None  # the whole-image path
        np.testing.assert_allclose(fft.run(p), reference.run(p), atol=1e-9)
    assert len(fft._SPECTRA) == 2
    assert not any(v.flags.writeable for v in fft._SPECTRA.values())
    monkeypatch.setattr(fft, "SPECTRUM_CACHE_BYTES", 0)
    p = make(X, K1 * 2, padding="same", boundary="reflect")
    np.testing.assert_allclose(fft.run(p), reference.run(p), atol=1e-9)
    assert len(fft._SPECTRA) == 2


def test_fft_work_counts_torch_fft_as_faster_on_whole_images(monkeypatch):
    """Whole images transform on torch.fft once torch is imported (2x pocketfft's speed
    at 256^2): the planner's transform work says so; tiles keep their fitted figures."""
    rng = np.random.default_rng(4)
    whole = make(rng.random((256, 256)), rng.random((15, 15)), padding="same")
    tiled = make(rng.random((2048, 2048)), rng.random((15, 15)), padding="same")
    work = {}
    for library in ("scipy", "torch"):
        monkeypatch.setattr(fft, "_BACKEND", [library])
        work[library] = (fft.work(whole)[0], fft.work(tiled)[0])
    L = fft.next_fast_len(270)
    assert work["torch"][0] == pytest.approx(work["scipy"][0] * fft.torch_speed(L * L))
    assert fft.torch_speed(L * L) == 0.5
    assert work["torch"][1] == work["scipy"][1]
