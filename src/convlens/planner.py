"""The planner: chooses an engine for each call with a cost model, and says why.

``choose(problem, method)`` returns a :class:`Plan`. ``method="auto"`` estimates the time of
every engine that can run the problem and takes the cheapest; any engine name forces that
engine (an error if it cannot run the problem). The reference engine is never chosen
automatically.

The cost model
--------------
Each engine's time is linear in a few work counts of the problem (its *features*), with
non-negative coefficients in milliseconds per unit, one set per compute dtype:

========== ==============================================================================
engine     features
========== ==============================================================================
numpy      1, kernel taps (one NumPy pass each), multiply-adds
direct     1, multiply-adds, output pixels, multiply-adds run one kernel row per pass
separable  1, multiply-adds of the 1-D passes (rank x (kh + kw) per output), pixels
fft        1, transform work (L log2 L summed over transforms), spectral products, pixels
box        1, running-sum steps (rows + columns), output pixels
torch      1, multiply-adds, multiply-adds / input channels per group, padded pixels,
           multiply-adds of wide kernels (over 7x7) with 8 or more input channels per group
========== ==============================================================================

The torch feature ``MACs / C_in_per_group`` captures why oneDNN shines on wide channel
counts and crawls on single-channel images. Its fast paths stop at about 7x7: beyond that,
with many channels, it runs at 20-50 GMAC/s (measured: 16->16 128^2 31x31 in 216 ms,
64->64 64^2 31x31 in 324 ms, where the first three features predict 10 ms), hence the last
feature; without it X (1, 64, 1024, 1024) with K (64, 64, 31, 31) was estimated at 2.4 s
and ran for more than 400 s. The shipped coefficients were fitted on the
development machine (2 cores); :func:`calibrate` refits them on the user's machine and
stores them as JSON in ``platformdirs.user_cache_dir("convlens")``, which :func:`choose`
then prefers.

Cold start
----------
An engine whose first call imports numba, scipy.fft or torch carries that import's cost
(``COLD_IMPORTS``) until the process has it; the calls sent elsewhere meanwhile add up
what they lost, and once that equals the import's cost the import is paid (ski rental).
A one-shot ``convlens filter`` thus stays on NumPy, and a long loop of small calls loses at
most about a second before it runs on the usual engine.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .engines import ENGINES, Problem
from .engines import box as _box
from .engines import direct as _direct
from .engines import fft as _fft
from .engines import separable as _separable

MODEL_VERSION = 2
MODEL_FILE = "planner-model.json"
# Engines the planner may pick on its own; "reference" exists for tests only.
AUTO = ("numpy", "direct", "separable", "fft", "box", "torch")

FEATURES = {
    "numpy": ("const", "taps", "macs"),
    "direct": ("const", "macs", "pixels", "slow_macs"),
    "separable": ("const", "sep_macs", "pixels"),
    "fft": ("const", "fft_work", "fft_products", "pixels"),
    "box": ("const", "box_steps", "pixels"),
    "torch": ("const", "macs", "macs_per_cin", "padded_pixels", "wide_macs"),
}

# float64 fft transform slope raised from 3.8e-7 to 5.0e-7 after the tile-cost change:
# 1000x1500 31x31 LoG tied with separable in the model but ran 1.34x slower (77 vs 57 ms,
# paired). direct (both dtypes): refitted after issue 10's loops (blocks of 16 rows, first pass
# assigning) from 45 one-thread timings, 128^2-2048^2, k = 3-15 (load 5-6 on 2 CPUs, lower
# quartile of each), intercept = the 8x8 call (5 us); its slow_macs slope from 15x15.
# ms per unit, fitted by weighted NNLS (as calibrate() does) after the performance pass,
# intercepts floored at 0.03 ms (separable's set to 0.05: its SVD lookup costs more per
# call, and a tie must not send a tiny full-rank kernel through its inexact factors).
# float32 direct / separable / fft: 63 interleaved timings of the benchmark's own
# problems (512^2, 2048^2, 1536x2560; k = 3..63; random, Gaussian, LoG), taken in one run
# so that the machine's load is the same for all three; on them the model's choice is
# within 0.9% of the fastest engine in geometric mean. float64: an earlier run of the
# same problems (206 timings); its FFT is float32's fit with twice the transform slope
# (too noisy to fit). The FFT's spectral-product slope (5 / 10 ns) and float32 torch
# come from 10 batched / multi-channel problems (N=1-8, 3-64 channels, 32^2-512^2,
# k = 3-31) plus 8 single-channel torch timings of the benchmark; its wide-kernel slope
# (1 / 40 GMAC/s) from 6 problems with 16-64 channels and 15x15 / 31x31 kernels.
# numpy / box / float64 torch: calibrate() on the development machine (2 shared cores,
# 485 runs), intercepts set by hand to the per-call overhead (the fit absorbs other
# processes' noise). The FFT's intercept (1.51 / 1.74 ms from the fit, which had only
# 512^2 and larger images) is set to 0.3 ms (stop 17): a whole FFT call on 32^2 takes 0.15
# ms, 256^2 with 63x63 1.2 ms, and the fitted figure kept 256^2 63x63 LoG float64 on
# separable (3.7 ms, 5x cv2) for an FFT estimated at 3.8 ms.
DEFAULT_MODEL: dict[str, Any] = {
    "version": MODEL_VERSION,
    "source": "shipped defaults",
    "coefficients": {
        "float32": {
            "numpy": [0.03, 0.00215, 2.74e-07],
            "direct": [0.005, 4.7e-08, 0.0, 1.15e-07],
            "separable": [0.05, 6.89e-08, 7.85e-07],
            "fft": [0.3, 1.81e-07, 5e-06, 0.0],
            "box": [0.05, 5.0e-07, 7.34e-06],
            "torch": [0.1, 0.0, 3.36e-08, 3.34e-06, 2.5e-08],
        },
        "float64": {
            "numpy": [0.03, 0.00501, 3.49e-07],
            "direct": [0.005, 9.0e-08, 0.0, 8.0e-08],
            "separable": [0.05, 1.66e-07, 1.42e-06],
            "fft": [0.3, 5.0e-07, 1e-05, 0.0],
            "box": [0.05, 1.0e-06, 3.86e-06],
            "torch": [0.2, 2.0e-09, 4.28e-06, 5.74e-05, 5.0e-08],
        },
    },
}


@dataclass(frozen=True)
class Plan:
    """Which engine runs a call, and why.

    ``estimates`` holds the cost model's time in ms for each engine it considered (empty
    when ``method=`` forced the engine).
    """

    engine: str
    reason: str
    estimates: dict[str, float] = field(default_factory=dict, compare=False)
    # ms this plan loses per call against an engine kept off because its first call would
    # import ``avoided`` (see COLD_IMPORTS); 0 for every other plan.
    regret: float = field(default=0.0, compare=False)
    avoided: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.engine}: {self.reason}"


# ------------------------------------------------------------------------------ cold start

# What an engine's first call in a fresh process imports, and about what that costs (ms,
# fresh-process `convlens filter` on 512^2, load 5 on 2 CPUs). numba: its import (0.47 s)
# and, on the first cached call, its typing registries, which import scipy.linalg through
# numba.np.arraymath (0.86 s). scipy.fft: 0.4-0.5 s (scipy.special, scipy._lib). torch:
# 1-3 s. Against a few ms for a whole 512^2 filter on NumPy, a one-call process should not
# pay them.
COLD_IMPORTS = {"numba.np.arraymath": 1000.0, "scipy.fft": 400.0, "torch": 1500.0}
NEEDS = {
    "direct": "numba.np.arraymath",
    "separable": "numba.np.arraymath",
    "box": "numba.np.arraymath",
    "fft": "scipy.fft",
    "torch": "torch",
}
# ms lost so far, per import, by calls kept off the engines that need it (ski rental):
# once they add up to the import's cost, it is worth paying, so the total stays within
# twice the best choice in hindsight.
_REGRET: dict[str, float] = {}


def _to_pay(module: str) -> float:
    """The part of ``module``'s import cost (ms) that calls still carry in this process."""
    if module in sys.modules:
        return 0.0
    return max(0.0, COLD_IMPORTS.get(module, 0.0) - _REGRET.get(module, 0.0))


def _cold_cost(engine: str) -> float:
    module = NEEDS.get(engine)
    if module == "scipy.fft" and _fft.backend() == "torch":
        return 0.0  # the FFT engine runs on torch.fft once torch is imported (fft.FFTs)
    return 0.0 if module is None else _to_pay(module)


def _charge(plan: Plan) -> None:
    if plan.regret:
        _REGRET[plan.avoided] = _REGRET.get(plan.avoided, 0.0) + plan.regret


def charge_run(plan: Plan, ms: float) -> None:
    """Add what running a cold-start plan actually cost beyond its estimate.

    The engine a plan falls back to can run far slower than its estimate (NumPy on a
    reflect border: 6.3 ms a call at 512^2 float64, estimated at 0.9 ms), and charging only
    the estimate made a loop of such calls lose 9 s instead of about one before paying
    numba's import. Only the excess is added: ``choose`` has charged the estimate.
    """
    if plan.regret and plan.avoided:
        excess = ms - plan.estimates.get(plan.engine, ms)
        if excess > 0:
            _REGRET[plan.avoided] = _REGRET.get(plan.avoided, 0.0) + excess


def methods() -> tuple[str, ...]:
    return ("auto", *ENGINES)


# ----------------------------------------------------------------------------------- model


_paths: dict[tuple[str | None, str | None], Path] = {}


def model_path() -> Path:
    """Where :func:`calibrate` stores the fitted model (the user cache directory)."""
    # Resolving the directory costs tens of microseconds, paid on every call of corr2d;
    # it depends only on these two variables.
    key = (os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    if key not in _paths:
        try:
            import platformdirs

            where = Path(platformdirs.user_cache_dir("convlens"))
        except ImportError:  # the core install: the XDG rule that platformdirs applies on Linux
            base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
            where = Path(base) / "convlens"
        _paths[key] = where / MODEL_FILE
    return _paths[key]


_loaded: dict[str, Any] = {"path": None, "env": None, "model": DEFAULT_MODEL}
# Plans of recent calls, keyed by everything the choice depends on (see _plan_key).
_PLANS: OrderedDict[tuple, Plan] = OrderedDict()
_PLANS_SIZE = 256
_PLANS_MODEL: list[Any] = [None]


def _valid(model: Any) -> bool:
    try:
        coefs = model["coefficients"]
        return model["version"] == MODEL_VERSION and all(
            len(coefs[dt][name]) == len(FEATURES[name]) and min(coefs[dt][name]) >= 0
            for dt in ("float32", "float64")
            for name in FEATURES
        )
    except (KeyError, TypeError, ValueError):
        return False


def load_model() -> dict[str, Any]:
    """The calibrated model from the user cache if there is a valid one, else the defaults.

    The file is read once per process (and again only if the cache directory changes, or
    after :func:`reload_model` or :func:`calibrate`): ``corr2d`` calls this every time, and
    a ``stat`` of the file cost more than filtering a small image. A model calibrated by
    another process applies from the next process on.
    """
    # Compared as the two variables rather than as Paths: 0.4 us instead of 3 (8x8 call).
    env = (os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    if _loaded["path"] is not None and _loaded["env"] == env:
        return _loaded["model"]
    path = model_path()
    if _loaded["path"] != path:
        try:
            model = json.loads(path.read_text())
        except (OSError, ValueError):
            model = None
        _loaded["path"] = path
        _loaded["model"] = model if _valid(model) else DEFAULT_MODEL
    _loaded["env"] = env
    return _loaded["model"]


def reload_model() -> dict[str, Any]:
    """Read the model file again (after it was written by hand or by another process).

    Examples
    --------
    >>> reload_model() is load_model()
    True
    """
    _loaded["path"] = None
    clear_plans()
    return load_model()


# -------------------------------------------------------------------------------- features


@dataclass(frozen=True)
class _Facts:
    rank: int | None  # largest numerical rank of K's 2-D kernels; None if not analysed
    box: bool  # every 2-D kernel of K has equal taps


def _facts(p: Problem) -> _Facts:
    rank = None
    if _separable.supports(p):
        rank = _separable.rank(p.K)
    return _Facts(rank, _box.supports(p))


def features(name: str, p: Problem, facts: _Facts | None = None) -> np.ndarray:
    """The work counts of ``FEATURES[name]`` for problem ``p``."""
    facts = facts or _facts(p)
    n, c_in, H, W = p.X.shape
    o, cg, kh, kw = p.K.shape
    Ho, Wo = p.out_shape
    (t, b), (l, r) = p.pads
    pixels = n * o * Ho * Wo
    macs = pixels * cg * kh * kw
    values = {"const": 1.0, "pixels": pixels, "macs": macs}
    if name == "numpy":
        values["taps"] = kh * kw
    elif name == "direct":
        # Kernels wider than 12 (one kernel row per pass) and the generic loop (stride,
        # dilation) run at about a third of the speed per multiply-add (512^2 15x15 float32:
        # 16 ns per 100 MACs against 4.7 for 3x3 to 9x9).
        values["slow_macs"] = macs if _direct.one_row_per_pass(p) else 0.0
    elif name == "separable":
        rank = facts.rank or min(kh, kw)
        rows = Ho * p.stride[0] + (kh - 1) * p.dilation[0]
        values["sep_macs"] = n * o * cg * rank * (rows * Wo * kw + Ho * Wo * kh)
    elif name == "fft":
        values["fft_work"], values["fft_products"] = _fft.work(p)
    elif name == "box":
        rows = Ho * p.stride[0] + kh - 1
        values["box_steps"] = n * o * cg * (rows * Wo * p.stride[1] + Ho * Wo)
    elif name == "torch":
        values["macs_per_cin"] = macs / cg
        values["padded_pixels"] = n * c_in * (H + t + b) * (W + l + r)
        values["wide_macs"] = macs if kh * kw > 49 and cg >= 8 else 0.0
    return np.array([values[f] for f in FEATURES[name]], dtype=np.float64)


def estimate(name: str, p: Problem, model: dict | None = None, facts=None) -> float:
    """The cost model's time for engine ``name`` on ``p``, in milliseconds."""
    model = model or load_model()
    dtype = "float64" if p.dtype == np.float64 else "float32"
    coefs = np.asarray(model["coefficients"][dtype][name], dtype=np.float64)
    return float(features(name, p, facts) @ coefs)


# -------------------------------------------------------------------------------- choosing


def _describe(p: Problem, facts: _Facts) -> str:
    n, c_in, H, W = p.X.shape
    o, _, kh, kw = p.K.shape
    if facts.box:
        kind = "constant"
    elif facts.rank is not None:
        kind = f"rank-{facts.rank}"
    else:
        kind = "multi-channel"
    parts = [f"{kind} kernel {kh}x{kw}", f"image {H}x{W}"]
    if n > 1 or c_in > 1 or o > 1:
        parts.append(f"N={n} {c_in}->{o} channels")
    if p.stride != (1, 1):
        parts.append(f"stride {p.stride}")
    if p.dilation != (1, 1):
        parts.append(f"dilation {p.dilation}")
    return ", ".join(parts) + f", {p.X.dtype}"


def _ms(t: float) -> str:
    return f"{t:.3g} ms" if t >= 0.01 else f"{t * 1e3:.2g} us"


# Kernels up to this many values are part of the key byte for byte; larger ones by a sample.
EXACT_KERNEL = 1024


def _fingerprint(K: np.ndarray) -> bytes:
    """Cheap identity of a kernel's values: all its bytes when small, else ~256 of them.

    A sampled fingerprint can match a different kernel of the same shape; a plan found
    that way is used only if its engine supports the new kernel (so never a wrong answer,
    at worst a slower engine).
    """
    if K.size <= EXACT_KERNEL:
        return K.tobytes()
    flat = K.reshape(-1)
    return flat[:: max(1, flat.size // 256)].tobytes() + flat[-1:].tobytes()


def _plan_key(p: Problem, method: str) -> tuple:
    return (
        method,
        p.X.shape,
        p.X.dtype.str,
        p.K.shape,
        p.K.dtype.str,
        p.pads,
        p.boundary,
        p.value,
        p.stride,
        p.dilation,
        p.groups,
        _fingerprint(p.K),
    )


def clear_plans() -> None:
    """Forget every cached plan (they are also dropped when the model changes)."""
    _PLANS.clear()
    _CALLS.clear()


# Whole calls seen before, for the NumPy family's fast path (backends.numpy): a key made
# of everything the checks and the choice depend on -> (model, what they produced). A
# repeated call then skips normalising, the memory check and the plan lookup.
_CALLS: dict[tuple, tuple] = {}
_CALLS_SIZE = 256


def recall(key: tuple) -> Any:
    """What :func:`remember` stored under ``key``, if the model has not changed since."""
    hit = _CALLS.get(key)
    if hit is None or hit[0] is not load_model():
        return None
    return hit[1]


def remember(key: tuple, plan: Plan, what: Any) -> None:
    """Store ``what`` for the call ``key`` planned as ``plan``; plans kept off an engine
    by the cold-start rule are not stored, since they change as the rule's account fills."""
    if plan.regret:
        return
    if len(_CALLS) >= _CALLS_SIZE:
        _CALLS.pop(next(iter(_CALLS)))
    _CALLS[key] = (load_model(), what)


def choose(p: Problem, method: str = "auto") -> Plan:
    """Pick the engine for ``p``: forced by ``method``, or the cheapest by the cost model.

    Plans are cached per call signature: shapes, dtypes, options, the method and a
    fingerprint of the kernel's values (its bytes when it has at most ``EXACT_KERNEL``
    values). A repeated call costs a dictionary lookup instead of a rank analysis and
    six cost estimates, and no file is touched.

    Examples
    --------
    >>> import numpy as np
    >>> from convlens.contract import make_problem, normalize
    >>> X, K = np.zeros((512, 512)), np.ones((3, 3)) / 9
    >>> spec = normalize(X.shape, K.shape, padding="same", boundary="reflect", value=0.0,
    ...                  stride=1, dilation=1, groups=1)
    >>> choose(make_problem(X, K, spec, np.float64), "fft").engine
    'fft'
    >>> choose(make_problem(X, K, spec, np.float64)).engine in AUTO
    True
    """
    model = load_model()
    if _PLANS_MODEL[0] is not model:
        _PLANS.clear()
        _CALLS.clear()
        _PLANS_MODEL[0] = model
    try:
        key = _plan_key(p, method)
        plan = _PLANS.get(key)
    except TypeError:  # an unhashable method: refused below
        key, plan = None, None
    if plan is not None and (p.K.size <= EXACT_KERNEL or ENGINES[plan.engine].supports(p)):
        if not plan.regret:
            _PLANS.move_to_end(key)
            return plan
        _charge(plan)
        if _to_pay(plan.avoided) > 0:
            _PLANS.move_to_end(key)
            return plan
    plan = _choose(p, method, model)
    _charge(plan)
    if key is not None:
        _PLANS[key] = plan
        while len(_PLANS) > _PLANS_SIZE:
            _PLANS.popitem(last=False)
    return plan


def _choose(p: Problem, method: str, model: dict) -> Plan:
    if not isinstance(method, str) or method not in methods():
        raise ValueError(f"`method` must be one of {methods()}; got {method!r}")
    if p.narrow_input:
        # An 8-bit image that int_input engines read as it is: the others run on it
        # widened (engines.run), so plan as if it were in the compute dtype. A broadcast
        # zero costs nothing; the planner looks at shapes and the kernel, not at X.
        p = dataclasses.replace(p, X=np.broadcast_to(np.zeros((), p.dtype), p.X.shape))
    if method != "auto":
        engine = ENGINES[method]
        if not engine.available():
            raise ImportError(
                f"`method`={method!r} needs {engine.requires}, which is not installed: "
                f"pip install 'convlens[{engine.requires}]'"
            )
        if not engine.supports(p):
            raise ValueError(
                f"`method`={method!r} cannot run this problem "
                f"({ENGINES[method].description}); use method='auto'"
            )
        return Plan(method, "forced by method=")
    facts = _facts(p)
    # oneDNN vectorises over channels: on one channel torch is 20-40x slower than direct
    # (2048^2 3x3: 83 ms vs 2-4 ms), a regime the linear model, fitted mostly on batched
    # problems, underestimates; so single-channel problems never go to torch automatically.
    candidates = [
        n for n in AUTO if ENGINES[n].available() and not (n == "torch" and p.single_channel)
    ]
    costs = {n: estimate(n, p, model, facts) for n in candidates if ENGINES[n].supports(p)}
    best = min(costs, key=costs.__getitem__)
    others = sorted((c, n) for n, c in costs.items() if n != best)[:3]
    versus = ", ".join(f"{n} {_ms(c)}" for c, n in others)
    reason = f"{_describe(p, facts)}; est {_ms(costs[best])}" + (f" vs {versus}" if versus else "")
    first = _cold_cost(best)
    if first:
        cold = {n: c + _cold_cost(n) for n, c in costs.items()}
        cold_best = min(cold, key=cold.__getitem__)
        if cold_best != best:
            reason = (
                f"{_describe(p, facts)}; est {_ms(costs[cold_best])}, as {best} "
                f"({_ms(costs[best])}) would first import {NEEDS[best]} (~{_ms(first)})"
            )
            regret = costs[cold_best] - costs[best]
            return Plan(cold_best, reason, costs, regret, NEEDS[best])
    return Plan(best, reason, costs)


# ------------------------------------------------------------------------------ calibration


def _calibration_problems(quick: bool) -> list[tuple[str, Problem]]:
    from .contract import make_problem, normalize

    rng = np.random.default_rng(0)
    out: list[tuple[str, Problem]] = []

    def add(x_shape, k, dtype, kind, padding="same", groups=1, c_out=None):
        if len(x_shape) == 2:
            X = rng.random(x_shape)
            shape = (k, k)
        else:
            X = rng.random(x_shape)
            shape = (c_out, x_shape[1] // groups, k, k)
        if kind == "box":
            K = np.ones(shape) / (k * k)
        elif kind == "gauss":
            g = np.exp(-(np.linspace(-2, 2, k) ** 2))
            K = np.broadcast_to(np.outer(g, g) / np.outer(g, g).sum(), shape).copy()
        else:
            K = rng.standard_normal(shape)
        spec = normalize(
            X.shape,
            K.shape,
            padding=padding,
            boundary="reflect",
            value=0.0,
            stride=1,
            dilation=1,
            groups=groups,
        )
        out.append((kind, make_problem(X, K, spec, np.dtype(dtype))))

    sizes = (256, 1024) if quick else (128, 512, 1536)
    ks = (3, 9, 25) if quick else (3, 5, 9, 15, 31)
    dtypes = ("float32",) if quick else ("float32", "float64")
    for dtype in dtypes:
        for s in sizes:
            for k in ks:
                for kind in ("gauss", "random", "box"):
                    add((s, s + 8), k, dtype, kind)
        add((2, 16, 32, 32), 3, dtype, "random", c_out=16)
        add((4, 32, 56, 56), 3, dtype, "random", c_out=32)
        add((1, 3, 256, 256), 7, dtype, "random", c_out=8)
        add((1, 8, 128, 128), 5, dtype, "random", groups=8, c_out=8)
        if not quick:
            add((8, 64, 56, 56), 3, dtype, "random", c_out=64)
            add((2, 4, 512, 512), 15, dtype, "random", c_out=4)
    return out


def _worth_timing(name: str, kind: str, p: Problem, model: dict) -> bool:
    """Skip runs that the shipped model says would take far too long to be informative."""
    if not ENGINES[name].supports(p):
        return False
    if name == "box" and kind != "box":
        return False
    limit = 400.0 if name in ("numpy", "torch") else 1500.0
    return estimate(name, p, model) < limit


def _time(run: Callable[[], Any], repeats: int) -> float:
    run()  # compile / warm caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e3


def _fit(rows: list[tuple[np.ndarray, float]], fallback: list[float]) -> list[float]:
    from scipy.optimize import nnls

    if len(rows) < 2:
        return list(fallback)
    A = np.array([f for f, _ in rows])
    t = np.array([t for _, t in rows])
    # Relative error matters (a 1 ms call mispredicted by 1 ms is as bad as 100 ms by 100):
    # weight each row by 1 / t, and scale columns so that NNLS is well conditioned.
    w = 1.0 / np.maximum(t, 1e-3)
    scale = np.maximum(np.abs(A).max(axis=0), 1e-30)
    coef, _ = nnls(A / scale * w[:, None], t * w)
    return (coef / scale).tolist()


def calibrate(*, quick: bool = False, progress: Callable[[int, int], Any] | None = None) -> Path:
    """Time the engines on this machine, fit the cost model, and store it in the user cache.

    Parameters
    ----------
    quick : bool
        Fewer, smaller problems and float32 only (float64 coefficients are scaled from the
        float32 fit by the ratio in the shipped model); a few seconds instead of a minute.
    progress : callable, optional
        Called as ``progress(done, total)`` after each timed run.

    Returns
    -------
    pathlib.Path
        The JSON file written (``model_path()``); :func:`choose` uses it from then on.
    """
    base = DEFAULT_MODEL
    problems = _calibration_problems(quick)
    jobs = [
        (name, kind, p)
        for kind, p in problems
        for name in AUTO
        if ENGINES[name].available() and _worth_timing(name, kind, p, base)
    ]
    repeats = 2 if quick else 3
    rows: dict[tuple[str, str], list] = {}
    for done, (name, _, p) in enumerate(jobs, start=1):
        ms = _time(lambda: ENGINES[name].run(p), repeats)  # noqa: B023
        dtype = "float64" if p.dtype == np.float64 else "float32"
        rows.setdefault((dtype, name), []).append((features(name, p), ms))
        if progress is not None:
            progress(done, len(jobs))
    coefs: dict[str, dict[str, list[float]]] = {"float32": {}, "float64": {}}
    for name in FEATURES:
        f32 = _fit(rows.get(("float32", name), []), base["coefficients"]["float32"][name])
        coefs["float32"][name] = f32
        if quick:
            ratio = np.divide(
                base["coefficients"]["float64"][name],
                base["coefficients"]["float32"][name],
                out=np.ones(len(f32)),
                where=np.asarray(base["coefficients"]["float32"][name]) > 0,
            )
            coefs["float64"][name] = (np.asarray(f32) * ratio).tolist()
        else:
            fallback = base["coefficients"]["float64"][name]
            coefs["float64"][name] = _fit(rows.get(("float64", name), []), fallback)
    model = {
        "version": MODEL_VERSION,
        "source": f"calibrate(quick={quick}) on {os.cpu_count()} CPUs, {len(jobs)} runs",
        "coefficients": coefs,
    }
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".planner-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(model, fh, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    reload_model()
    return path
