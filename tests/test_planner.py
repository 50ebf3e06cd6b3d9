"""The planner: forcing, errors, explanations, switch points, and calibrate() -> choose()."""

import dataclasses
import json
import re
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import planner
from convlens.contract import make_problem, normalize
from convlens.engines import ENGINES, direct


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """Every test sees an empty user cache, so the shipped model applies unless written."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def warm(monkeypatch):
    """Tests of the cost model see a warm process: numba and scipy.fft already imported."""
    monkeypatch.setattr(planner, "COLD_IMPORTS", dict.fromkeys(planner.COLD_IMPORTS, 0.0))
    monkeypatch.setattr(planner, "_REGRET", {})
    planner.clear_plans()
    yield
    planner.clear_plans()


def spec_of(X, K, **opts):
    base = dict(padding="same", boundary="reflect", value=0.0, stride=1, dilation=1, groups=1)
    base.update(opts)
    return normalize(X.shape, K.shape, **base)


def make(X, K, **opts):
    spec = spec_of(X, K, **opts)
    return make_problem(X, K, spec, np.result_type(X, K, np.float32))


def gauss(k):
    g = np.exp(-0.5 * (np.linspace(-2.5, 2.5, k)) ** 2)
    return (np.outer(g, g) / np.outer(g, g).sum()).astype(np.float32)


RNG = np.random.default_rng(0)
IMG = RNG.random((512, 512)).astype(np.float32)


@pytest.mark.parametrize(
    ("X", "K", "want", "words"),
    [
        (IMG, RNG.standard_normal((3, 3)).astype(np.float32), "direct", "rank-3 kernel 3x3"),
        (IMG, gauss(15), "separable", "rank-1 kernel 15x15"),
        (IMG, RNG.standard_normal((63, 63)).astype(np.float32), "fft", "rank-63"),
        (
            RNG.random((8, 64, 56, 56)).astype(np.float32),
            RNG.standard_normal((64, 64, 3, 3)).astype(np.float32),
            "torch",
            "N=8 64->64 channels",
        ),
    ],
)
def test_shipped_model_choices_and_reasons(X, K, want, words):
    plan = convlens.plan(X, K, padding="same")
    assert plan.engine == want
    assert words in plan.reason
    assert f"est {planner._ms(plan.estimates[want])}" in plan.reason
    assert plan.estimates[want] == min(plan.estimates.values())
    assert "reference" not in plan.estimates


@pytest.mark.parametrize("name", ["numpy", "direct", "separable", "fft", "box", "torch"])
def test_method_forces_the_engine(name):
    X = RNG.random((20, 20)).astype(np.float32)
    K = np.full((5, 5), 0.04, np.float32)
    plan = convlens.plan(X, K, method=name)
    assert plan.engine == name and "forced" in plan.reason
    want = convlens.corr2d(X.astype(np.float64), K.astype(np.float64), method="reference")
    got = convlens.corr2d(X, K, method=name)
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="`method` must be one of"):
        convlens.corr2d(np.ones((4, 4)), np.ones((2, 2)), method="winograd")


def test_method_that_cannot_run_is_refused():
    with pytest.raises(ValueError, match="`method`='box' cannot run"):
        convlens.corr2d(np.ones((4, 4)), np.eye(2), method="box")


def test_choose_is_cheap_and_cached():
    """The SVD of a kernel is cached by its bytes, so re-planning does not redo it."""
    p = make(IMG, gauss(9))
    first = planner.choose(p)
    assert planner.choose(p) == first
    from convlens.engines import separable

    key = (p.K.shape, p.K.dtype.str, p.K.tobytes())
    assert key in separable._CACHE


def test_results_agree_across_switch_points():
    """Kernel and image sizes around the switches: every choice meets its engine's bound."""
    from test_engines import bound

    chosen = set()
    rng = np.random.default_rng(5)
    for size in (24, 96, 300):
        X = (rng.random((size, size + 5)) * 100).astype(np.float32)
        for k in (1, 2, 3, 5, 8, 15, 16, 31):
            if k > size:
                continue
            for K in (gauss(k), rng.standard_normal((k, k)).astype(np.float32)):
                p = make(X, K, boundary="symmetric")
                plan = planner.choose(p)
                chosen.add(plan.engine)
                got = ENGINES[plan.engine].run(p).astype(np.float64)
                want = direct.run(
                    make(X.astype(np.float64), K.astype(np.float64), boundary="symmetric")
                )
                err = np.abs(got - want).max()
                tol = bound(p, plan.engine)
                if tol is None:  # fft
                    tol = 1e-5 * np.abs(want).max()
                assert err <= tol, (size, k, plan)
                for forced in ("direct", "separable", "fft"):
                    other = ENGINES[forced].run(p).astype(np.float64)
                    assert np.abs(other - want).max() <= (
                        bound(p, forced) or 1e-5 * np.abs(want).max()
                    )
    # The sweep really crosses the switch points.
    assert {"direct", "separable", "fft"} <= chosen, chosen


def _tiny_problems(quick):
    X = RNG.random((64, 64)).astype(np.float32)
    return [
        ("random", make(X, RNG.standard_normal((3, 3)).astype(np.float32))),
        ("gauss", make(X, gauss(9))),
        ("box", make(X, np.full((5, 5), 0.04, np.float32))),
        ("random", make(X.astype(np.float64), RNG.standard_normal((7, 7)))),
    ]


def test_calibrate_writes_a_model_that_choose_uses(cache_dir, monkeypatch):
    monkeypatch.setattr(planner, "_calibration_problems", _tiny_problems)
    calls = []
    path = planner.calibrate(quick=True, progress=lambda d, t: calls.append((d, t)))
    assert path == cache_dir / "convlens" / planner.MODEL_FILE and path.is_file()
    model = json.loads(path.read_text())
    assert planner._valid(model) and "quick=True" in model["source"]
    assert calls and calls[-1][0] == calls[-1][1] == len(calls)
    assert planner.load_model() == model

    # choose() follows the file: make every engine but fft prohibitively expensive.
    for dt in ("float32", "float64"):
        for name, coefs in model["coefficients"][dt].items():
            coefs[0] = 0.0 if name == "fft" else 1e9
    path.write_text(json.dumps(model))
    p = make(IMG, RNG.standard_normal((3, 3)).astype(np.float32))
    assert planner.choose(p).engine != "fft"  # read once per process: no stat per call
    planner.reload_model()
    assert planner.choose(p).engine == "fft"


def test_full_calibration_fits_float64_separately(monkeypatch):
    monkeypatch.setattr(planner, "_calibration_problems", _tiny_problems)
    model = json.loads(planner.calibrate(quick=False).read_text())
    assert "quick=False" in model["source"]
    assert planner._valid(model)


def test_invalid_model_file_falls_back_to_defaults(cache_dir):
    path = planner.model_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "coefficients": {"float32": {}}}')
    assert planner.load_model() is planner.DEFAULT_MODEL
    path.write_text("not json")
    assert planner.load_model() is planner.DEFAULT_MODEL


def test_single_channel_never_goes_to_torch_automatically(monkeypatch):
    """Even with a model that calls torch free, one channel stays off torch (oneDNN is
    20-40x slower there than the model's batched fit says); batches still get it."""
    import copy

    model = copy.deepcopy(planner.DEFAULT_MODEL)
    for dt in ("float32", "float64"):
        model["coefficients"][dt]["torch"] = [0.0] * len(planner.FEATURES["torch"])
    monkeypatch.setattr(planner, "load_model", lambda: model)
    K = np.random.default_rng(0).standard_normal((3, 3))
    assert convlens.plan(np.zeros((64, 64)), K, padding="same").engine != "torch"
    K4 = np.random.default_rng(0).standard_normal((4, 4, 3, 3))
    assert convlens.plan(np.zeros((2, 4, 16, 16)), K4, padding="same").engine == "torch"


def test_huge_wide_multichannel_problem_does_not_go_to_torch():
    """Issue 13 item 7: X (1, 64, 1024, 1024) with K (64, 64, 31, 31) ran > 400 s on torch
    (estimated 2.4 s) and 24 s on fft. Only planned here (a broadcast X, nothing runs)."""
    from convlens.engines import Problem

    X = np.broadcast_to(np.float32(0), (1, 64, 1024, 1024))
    K = RNG.standard_normal((64, 64, 31, 31)).astype(np.float32)
    p = Problem(X, K, ((15, 15), (15, 15)), "constant", 0.0, (1, 1), (1, 1), 1, (1024, 1024))
    plan = planner.choose(p)
    assert plan.engine == "fft", plan
    assert plan.estimates["torch"] > 60_000  # ms: at least a minute, as measured
    # The wide-kernel term stays out of the CNN shapes torch is good at.
    cnn = make(RNG.random((8, 64, 56, 56)).astype(np.float32),
               RNG.standard_normal((64, 64, 3, 3)).astype(np.float32))  # fmt: skip
    assert planner.features("torch", cnn)[-1] == 0.0
    assert planner.choose(cnn).engine == "torch"


def test_repeated_call_reuses_its_plan_without_touching_files(monkeypatch):
    p = make(IMG, gauss(3))
    first = planner.choose(p)
    monkeypatch.setattr(planner, "_facts", lambda p: pytest.fail("re-planned a cached call"))
    import pathlib

    monkeypatch.setattr(pathlib.Path, "stat", lambda *a, **k: pytest.fail("stat on hot path"))
    monkeypatch.setattr(pathlib.Path, "read_text", lambda *a, **k: pytest.fail("read on hot path"))
    again = make(IMG.copy(), gauss(3))  # equal arrays, new objects
    assert planner.choose(again) is first


def _fresh(p, method="auto"):
    return planner._choose(p, method, planner.load_model())


@pytest.mark.parametrize(
    "change",
    [
        dict(stride=2),
        dict(dilation=2),
        dict(boundary="constant"),
        dict(padding="valid"),
        dict(dtype=np.float64),
        dict(kernel="rank3"),
        dict(kernel="box"),
        dict(kernel="5x5"),
        dict(shape=(300, 300)),
    ],
)
def test_cached_plan_is_never_reused_for_a_call_it_does_not_fit(change):
    """Each variation of a planned call gets the plan a fresh planner gives it."""
    base = make(IMG, gauss(3))
    planner.choose(base)
    X = RNG.random(change.get("shape", IMG.shape)).astype(change.get("dtype", np.float32))
    K = {
        "rank3": RNG.standard_normal((3, 3)),
        "box": np.full((3, 3), 1 / 9),
        "5x5": gauss(5),
    }.get(change.get("kernel"), gauss(3)).astype(X.dtype)
    opts = {k: v for k, v in change.items() if k not in ("dtype", "kernel", "shape")}
    p = make(X, K, **opts)
    plan = planner.choose(p)
    assert plan == _fresh(p) and plan.estimates == _fresh(p).estimates
    assert planner._plan_key(p, "auto") != planner._plan_key(base, "auto")


def test_sampled_fingerprint_never_runs_an_engine_that_cannot(monkeypatch):
    """Big kernels are keyed by a sample of their values: a kernel that matches the sample
    but not the engine (box needs equal taps) is planned afresh."""
    X = RNG.random((64, 64)).astype(np.float32)
    K = np.full((33, 33), 1 / 33**2, np.float32)
    p = make(X, K)
    assert planner.choose(p, "box").engine == "box"
    K2 = K.copy()
    K2[1, 1] = 0.5  # not in the sample
    q = make(X, K2)
    assert planner._fingerprint(q.K) == planner._fingerprint(p.K)
    with pytest.raises(ValueError, match="cannot run"):
        planner.choose(q, "box")
    assert planner.choose(q).engine != "box"


def test_plan_cache_is_bounded_and_follows_the_model(monkeypatch):
    import copy

    monkeypatch.setattr(planner, "_PLANS_SIZE", 4)
    for k in range(1, 10):
        planner.choose(make(IMG[:64, :64], gauss(k)))
    assert len(planner._PLANS) <= 4
    p = make(IMG, RNG.standard_normal((3, 3)).astype(np.float32))
    assert planner.choose(p).engine == "direct"
    model = copy.deepcopy(planner.DEFAULT_MODEL)
    for dt in ("float32", "float64"):
        for name, coefs in model["coefficients"][dt].items():
            coefs[0] = 0.0 if name == "fft" else 1e9
    monkeypatch.setattr(planner, "load_model", lambda: model)
    assert planner.choose(p).engine == "fft"


@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(
        st.tuples(
            st.integers(5, 40),  # image side
            st.sampled_from([(1, 1), (2, 2), (3, 3), (3, 5), (5, 5), (7, 7), (9, 9), (16, 16)]),
            st.sampled_from(["gauss", "random", "box", "rank2"]),
            st.sampled_from([np.float32, np.float64]),
            st.sampled_from(["same", "valid", "full"]),
            st.sampled_from(["constant", "reflect", "symmetric", "edge", "wrap"]),
            st.integers(1, 3),  # stride
            st.integers(1, 2),  # dilation
        ),
        min_size=2,
        max_size=8,
    )
)
def test_plan_cache_property(calls):
    """Over any sequence of calls (repeats included) the cached plan equals a fresh plan,
    and the chosen engine's answer matches the reference engine within its bound."""
    from convlens.engines import reference
    from test_engines import bound

    rng = np.random.default_rng(len(calls))
    for size, (kh, kw), kind, dtype, padding, boundary, s, d in calls * 2:
        if padding == "valid" and (size < d * (kh - 1) + 1 or size < d * (kw - 1) + 1):
            continue
        if boundary != "constant" and padding != "valid" and size <= d * max(kh, kw):
            boundary = "constant"  # reflect needs the image to be wider than the padding
        X = rng.random((size, size + 3)).astype(dtype)
        g = np.exp(-(np.linspace(-1, 1, kh) ** 2))[:, None] * np.exp(
            -(np.linspace(-1, 1, kw) ** 2)
        )
        K = {
            "gauss": g,
            "random": rng.standard_normal((kh, kw)),
            "box": np.ones((kh, kw)),
            "rank2": g + np.outer(np.arange(kh), np.ones(kw)),
        }[kind].astype(dtype)
        p = make(X, K, padding=padding, boundary=boundary, stride=s, dilation=d)
        plan = planner.choose(p)
        assert plan == _fresh(p)
        got = ENGINES[plan.engine].run(p).astype(np.float64)
        want = reference.run(p).astype(np.float64)
        tol = bound(p, plan.engine) or 1e-5 * np.abs(want).max() + 1e-12
        assert np.abs(got - want).max(initial=0) <= tol, plan


def test_cached_plan_follows_groups_channels_and_kernel_dimensions():
    """4-D calls: another grouping, channel count or batch is planned afresh, and a 2-D
    call equals its 4-D form (the same problem, so the same plan)."""
    X = RNG.random((2, 4, 24, 24)).astype(np.float32)
    calls = [
        (X, RNG.standard_normal((4, 1, 3, 3)).astype(np.float32), 4),
        (X, RNG.standard_normal((4, 4, 3, 3)).astype(np.float32), 1),
        (X[:1], RNG.standard_normal((4, 4, 3, 3)).astype(np.float32), 1),
        (X, RNG.standard_normal((8, 2, 3, 3)).astype(np.float32), 2),
    ]
    keys = set()
    for Xc, K, g in calls * 2:
        p = make(Xc, K, groups=g)
        plan = planner.choose(p)
        assert plan == _fresh(p) and plan.estimates == _fresh(p).estimates
        keys.add(planner._plan_key(p, "auto"))
    assert len(keys) == len(calls)
    K2 = gauss(5)
    flat, four = make(IMG, K2), make(IMG[None, None], K2[None, None])
    assert planner._plan_key(flat, "auto") == planner._plan_key(four, "auto")
    assert planner.choose(flat) is planner.choose(four)


def without_numba(monkeypatch, numba_ms):
    """The planner sees a fresh process without numba (the real one keeps its modules),
    whose import costs ``numba_ms``; scipy.fft and torch cost too much to ever pay."""
    monkeypatch.setattr(
        planner, "COLD_IMPORTS", {"numba.np.arraymath": numba_ms, "scipy.fft": 1e9, "torch": 1e9}
    )
    modules = {k: v for k, v in sys.modules.items() if k != "numba.np.arraymath"}
    monkeypatch.setattr(planner, "sys", types.SimpleNamespace(modules=modules))
    monkeypatch.setattr(planner, "_REGRET", {})
    planner.clear_plans()


def test_a_fresh_process_keeps_small_calls_off_numba_until_it_pays(monkeypatch):
    """Ski rental: while numba is not imported, a call whose best engine needs it goes to the
    next best engine, and the ms lost add up until they reach numba's import cost."""
    without_numba(monkeypatch, numba_ms=1.0)
    K = np.array([[1.0, -2.0, 0.5], [0.3, 2.0, -1.0], [0.7, 0.1, 0.2]], dtype=np.float32)
    p = make(IMG, K, boundary="constant")
    warm_best = min(
        (c, n)
        for n, c in ((n, planner.estimate(n, p)) for n in planner.AUTO[:5])
        if ENGINES[n].supports(p)
    )[1]
    assert warm_best in {"direct", "separable", "box"}
    first = planner.choose(p)
    assert first.engine not in {"direct", "separable", "box"}, first
    assert "would first import numba" in first.reason and first.regret > 0
    calls = 1
    while planner.choose(p).engine != warm_best:
        calls += 1
        assert calls * first.regret < 2.0 + first.regret  # stops once 1 ms is lost
    assert planner._REGRET["numba.np.arraymath"] >= 1.0
    # the cold choice computes the same correlation
    got = ENGINES[first.engine].run(p)
    want = ENGINES["reference"].run(
        make(IMG.astype(np.float64), K.astype(np.float64), boundary="constant")
    )
    assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max()


def test_a_cold_call_is_charged_what_it_really_cost(monkeypatch):
    """The rental's account adds the measured time of a cold-start call beyond its estimate,
    so an engine that runs slower than estimated does not make a loop lose many seconds."""
    import convlens

    without_numba(monkeypatch, numba_ms=1e9)
    X = IMG[:128, :128].copy()
    K = RNG.standard_normal((3, 3)).astype(np.float32)
    plan = convlens.plan(X, K, padding="same", boundary="reflect")
    assert plan.regret > 0 and plan.engine == "numpy", plan
    slow = ENGINES["numpy"]
    import time

    def sleepy(p):
        time.sleep(0.05)  # 50 ms: far over the estimate
        return slow.run(p)

    monkeypatch.setitem(ENGINES, "numpy", dataclasses.replace(slow, run=sleepy))
    planner._REGRET.clear()
    convlens.corr2d(X, K, padding="same", boundary="reflect")
    charged = planner._REGRET["numba.np.arraymath"]
    assert charged >= 50.0 - 1e-9  # the estimate's regret plus the measured excess
    planner.charge_run(planner.Plan("numpy", "warm"), 1e6)  # a warm plan charges nothing
    assert planner._REGRET["numba.np.arraymath"] == charged


def test_an_imported_module_costs_nothing_more(monkeypatch):
    monkeypatch.setattr(
        planner, "COLD_IMPORTS", {"numba.np.arraymath": 1e9, "scipy.fft": 1e9, "torch": 1e9}
    )
    modules = {"numba.np.arraymath": np}
    monkeypatch.setattr(planner, "sys", types.SimpleNamespace(modules=modules))
    assert planner._cold_cost("direct") == 0.0
    assert planner._cold_cost("numpy") == 0.0
    monkeypatch.setattr(planner._fft, "_BACKEND", ["scipy"])
    assert planner._cold_cost("fft") == 1e9
    # Once torch is imported the FFT engine runs on torch.fft and needs no scipy.fft.
    monkeypatch.setattr(planner._fft, "_BACKEND", ["torch"])
    assert planner._cold_cost("fft") == 0.0


# --------------------------------------------------------------- whole-call fast path


@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(
        st.tuples(
            st.sampled_from([(6, 9), (16, 16), (2, 16, 16), (2, 2, 12, 12)]),
            st.sampled_from([(1, 1), (2, 3), (3, 3), (5, 5)]),
            st.sampled_from(["gauss", "random", "box"]),
            st.sampled_from([np.float32, np.float64, np.uint8, np.float16]),
            st.sampled_from(["same", "valid", 1]),
            st.sampled_from(["constant", "reflect", "wrap"]),
            st.sampled_from([0, 0.0, 2.5]),  # value: the int and the float 0 are keyed apart
            st.integers(1, 2),  # stride
            st.integers(1, 2),  # dilation
            st.booleans(),  # conv2d (flipped) or corr2d
        ),
        min_size=2,
        max_size=10,
    )
)
def test_repeated_calls_equal_fresh_ones(calls):
    """Over any sequence of calls, each repeated twice, the fast path's answer (dtype and
    values) equals a call with every cache emptied: a remembered call is never reused for
    one it does not fit (another stride, dtype, kernel, flip, boundary or value)."""
    import convlens

    rng = np.random.default_rng(len(calls))
    for call in calls * 2:
        shape, (kh, kw), kind, dtype, padding, boundary, value, s, d, flip = call
        if shape[-1] <= d * max(kh, kw):
            boundary = "constant"  # reflect needs the image wider than the padding
        X = (rng.random(shape) * 200).astype(dtype)
        K2 = {
            "gauss": np.outer(np.hanning(kh + 2)[1:-1], np.hanning(kw + 2)[1:-1]),
            "random": rng.standard_normal((kh, kw)),
            "box": np.ones((kh, kw)),
        }[kind]
        K = K2 if len(shape) == 2 else np.broadcast_to(K2, (3, shape[-3], kh, kw)).copy()
        K = K.astype(np.float16 if dtype == np.float16 else np.float32)
        fn = convlens.conv2d if flip else convlens.corr2d
        opts = dict(padding=padding, boundary=boundary, value=value, stride=s, dilation=d)
        if padding == "same" and s > 1:
            opts["padding"] = 1
        try:
            got = fn(X, K, **opts)
        except ValueError as e:  # e.g. a kernel larger than the image with "valid"
            planner.clear_plans()
            with pytest.raises(ValueError, match=re.escape(str(e))):
                fn(X, K, **opts)
            continue
        planner.clear_plans()
        want = fn(X, K, **opts)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(
            got.astype(np.float64), want.astype(np.float64), rtol=1e-3, atol=1e-3
        )


def test_a_repeated_call_skips_the_checks_and_the_planner(monkeypatch):
    import convlens
    from convlens import contract

    X = RNG.random((32, 40)).astype(np.float32)
    K = RNG.standard_normal((3, 3)).astype(np.float32)
    first = convlens.corr2d(X, K, padding="same", boundary="reflect")
    for name in ("_choose", "choose"):
        monkeypatch.setattr(planner, name, lambda *a, **k: pytest.fail("planned again"))
    monkeypatch.setattr(contract, "normalize", lambda *a, **k: pytest.fail("normalised again"))
    again = convlens.corr2d(X.copy(), K.copy(), padding="same", boundary="reflect")
    np.testing.assert_array_equal(again, first)
    # A changed kernel, or the model changing, is planned afresh.
    with pytest.raises(pytest.fail.Exception, match="planned again"):
        convlens.corr2d(X, K * 2, padding="same", boundary="reflect")
    monkeypatch.setattr(planner, "load_model", lambda: dict(planner.DEFAULT_MODEL))
    with pytest.raises(pytest.fail.Exception, match="planned again"):
        convlens.corr2d(X, K, padding="same", boundary="reflect")


def test_a_repeated_direct_call_runs_the_prepared_loop(monkeypatch):
    """A repeated stride-1 call on the direct engine runs its prepared loop (no Problem,
    no engines.run); the prepared kernel is a copy, so changing the caller's kernel in
    place afterwards changes nothing for calls with the old values, and each call gets a
    result of its own."""
    import convlens
    from convlens import engines

    rng = np.random.default_rng(3)
    X1, X2 = (rng.random((40, 48)).astype(np.float32) for _ in range(2))
    K = rng.standard_normal((5, 5)).astype(np.float32)
    K0 = K.copy()
    opts = dict(padding="same", boundary="reflect", method="direct")
    Y1 = convlens.corr2d(X1, K, **opts)
    monkeypatch.setattr(engines, "run", lambda *a: pytest.fail("not the prepared loop"))
    Y2 = convlens.corr2d(X2, K, **opts)
    monkeypatch.undo()
    Kc = K[::-1, ::-1].copy()
    convlens.conv2d(X1, Kc, **opts)  # conv2d flips it back: a signature of its own
    monkeypatch.setattr(engines, "run", lambda *a: pytest.fail("not the prepared loop"))
    Y2c = convlens.conv2d(X2, Kc, **opts)
    monkeypatch.undo()
    K *= -3.0  # the caller's array, changed in place; a call with it is planned afresh
    Y2k = convlens.corr2d(X2, K, **opts)
    Y2again = convlens.corr2d(X2, K0.copy(), **opts)  # the old values: the prepared loop
    planner.clear_plans()
    want1, want2 = (convlens.corr2d(x, K0, **opts) for x in (X1, X2))
    np.testing.assert_array_equal(Y1, want1)  # not overwritten by the later calls
    np.testing.assert_array_equal(Y2, want2)
    np.testing.assert_array_equal(Y2again, want2)
    np.testing.assert_allclose(Y2c, want2, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(Y2k, -3.0 * want2, rtol=1e-5, atol=1e-5)


def test_repeated_calls_with_large_kernels_take_the_fast_path_safely(monkeypatch):
    """Kernels of more than EXACT_KERNEL values are keyed by the planner's sampled
    fingerprint: a repeated call skips the checks and the planner, and a kernel whose
    sample matches but which the remembered engine cannot run (here: box, remembered for
    a constant kernel, and a kernel no longer constant) is planned afresh."""
    import convlens
    from convlens import contract
    from convlens.backends import numpy as numpy_backend

    rng = np.random.default_rng(4)
    X = rng.random((2, 40, 44)).astype(np.float32)
    K = np.ones((3, 2, 23, 23), np.float32)  # 3174 values: sampled every 12th
    assert K.size > planner.EXACT_KERNEL
    choose = numpy_backend.choose
    monkeypatch.setattr(numpy_backend, "choose", lambda p, method: choose(p, "box"))
    Y = convlens.corr2d(X, K, padding="same")  # auto, planned (and remembered) as box
    monkeypatch.setattr(numpy_backend, "choose", lambda *a: pytest.fail("planned again"))
    monkeypatch.setattr(contract, "normalize", lambda *a, **k: pytest.fail("checked again"))
    np.testing.assert_array_equal(convlens.corr2d(X, K.copy(), padding="same"), Y)
    monkeypatch.undo()
    K2 = K.copy()
    K2[0, 0, 0, 1] = 5.0  # not in the sample: the same fingerprint
    assert planner._fingerprint(K2) == planner._fingerprint(K)
    got = convlens.corr2d(X, K2, padding="same")  # box would refuse it
    want = convlens.corr2d(X, K2, padding="same", method="direct")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)


def test_a_repeated_large_call_is_still_checked_for_memory(monkeypatch):
    """Only calls whose peak is small skip the memory check when repeated."""
    import convlens
    from convlens import memory
    from convlens.backends import numpy as numpy_backend

    K = np.ones((3, 3), np.float32)
    small = np.zeros((64, 64), np.float32)
    big = np.zeros((4200, 4200), np.float32)  # 70 MB in, more out
    assert numpy_backend._peak(
        big.shape,
        big.dtype,
        K.shape,
        spec_of(big, K, padding="valid", boundary="constant"),
        big.dtype,
        "auto",
    ) > (numpy_backend.SMALL_PEAK)
    convlens.corr2d(small, K)
    convlens.corr2d(big, K)
    monkeypatch.setattr(memory, "available_bytes", lambda: 1 << 20)
    monkeypatch.setattr(memory, "_cache", [float("-inf"), 0.0])
    convlens.corr2d(small, K)  # remembered: no check
    with pytest.raises(MemoryError, match="argument `X`"):
        convlens.corr2d(big, K)


def test_fast_path_keeps_the_contract_for_odd_arguments():
    """Calls the fast path does not take (lists, views, unhashable options, bad values)
    give the same answers and errors as before."""
    import convlens

    X = RNG.random((12, 12)).astype(np.float32)
    K = RNG.standard_normal((3, 3)).astype(np.float32)
    want = convlens.corr2d(X, K, padding=1)
    np.testing.assert_allclose(convlens.corr2d(X, K, padding=1), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        convlens.corr2d(X.tolist(), K, padding=1), want, rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(convlens.corr2d(X, K, padding=[1, 1]), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        convlens.corr2d(np.asfortranarray(X), K, padding=1), want, rtol=1e-6
    )
    for bad in (dict(nan_policy="nope"), dict(min_weight=False), dict(method="nope")):
        with pytest.raises((ValueError, TypeError)):
            convlens.corr2d(X, K, padding=1, **bad)
        with pytest.raises((ValueError, TypeError)):
            convlens.corr2d(X, K, padding=1, **bad)
