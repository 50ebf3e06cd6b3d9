"""The planner: forcing, errors, explanations, switch points, and calibrate() -> choose()."""

import json

import numpy as np
import pytest

import convlens
from convlens import planner
from convlens.contract import make_problem, normalize
from convlens.engines import ENGINES, direct


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """Every test sees an empty user cache, so the shipped model applies unless written."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def make(X, K, **opts):
    base = dict(padding="same", boundary="reflect", value=0.0, stride=1, dilation=1, groups=1)
    base.update(opts)
    spec = normalize(X.shape, K.shape, **base)
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
        model["coefficients"][dt]["torch"] = [0.0, 0.0, 0.0, 0.0]
    monkeypatch.setattr(planner, "load_model", lambda: model)
    K = np.random.default_rng(0).standard_normal((3, 3))
    assert convlens.plan(np.zeros((64, 64)), K, padding="same").engine != "torch"
    K4 = np.random.default_rng(0).standard_normal((4, 4, 3, 3))
    assert convlens.plan(np.zeros((2, 4, 16, 16)), K4, padding="same").engine == "torch"
