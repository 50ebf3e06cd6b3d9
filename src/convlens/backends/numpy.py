"""The NumPy family: plan, run the chosen engine, write ``out=`` if given."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .. import engines, memory
from ..contract import Spec, _validate_key, as_4d, empty_out_shape, from_4d, make_problem
from ..planner import (
    EXACT_KERNEL,
    Plan,
    _fingerprint,
    charge_run,
    choose,
    methods,
    recall,
    remember,
)

# Calls whose memory peak is below this skip the memory check when repeated: what they
# need is a small share of any machine, and a failed allocation still raises MemoryError.
SMALL_PEAK = 64 << 20


def check_out(out: Any, X: Any, K: Any, spec: Spec, dtype: np.dtype) -> np.ndarray:
    """Validate ``out=``: a writeable, C-contiguous NumPy array of the result's shape and
    dtype that shares no memory with ``X`` or ``K`` (engines read those while writing)."""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"`out` must be a numpy.ndarray; got {type(out).__name__}")
    x_shape = np.shape(X)
    c_out = np.shape(K)[0] if spec.x_ndim > 2 else None
    lead = {2: (), 3: (c_out,), 4: (x_shape[0], c_out)}[spec.x_ndim]
    want = (*lead, *spec.out_shape)
    if out.shape != want:
        raise ValueError(f"`out` must have shape {want}; got {out.shape}")
    if out.dtype != dtype:
        raise ValueError(f"`out` must have dtype {dtype}; got {out.dtype}")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("`out` must be a writeable, C-contiguous array; got one that is not")
    for arr, name in ((X, "X"), (K, "K")):
        if isinstance(arr, np.ndarray) and np.shares_memory(out, arr):
            raise ValueError(f"`out` must not share memory with `{name}`; got one that does")
    return out


def _shapes_4d(x_shape: tuple, k_shape: tuple, spec: Spec) -> tuple:
    nd = len(x_shape)
    n, c = (1, 1) if nd == 2 else ((1, x_shape[0]) if nd == 3 else tuple(x_shape[:2]))
    x4, c_out = (n, c, x_shape[-2], x_shape[-1]), 1 if len(k_shape) == 2 else k_shape[0]
    return x4, (c_out, 1, k_shape[-2], k_shape[-1]), (n, c_out, *spec.out_shape)


def check_fits(
    x_shape: tuple, x_dtype: np.dtype, k_shape: tuple, spec: Spec, dtype: np.dtype, method: str
) -> None:
    """Before any copy: refuse what cannot fit, naming the size and the way out."""
    x4, k4, y4 = _shapes_4d(x_shape, k_shape, spec)
    memory.check_corr2d(x4, x_dtype, k4, y4, spec.pads, dtype, method)


def _peak(x_shape: tuple, x_dtype, k_shape: tuple, spec: Spec, dtype, method: str) -> int:
    x4, k4, y4 = _shapes_4d(x_shape, k_shape, spec)
    return memory.corr2d_peak(x4, x_dtype, k4, y4, spec.pads, dtype, method)


def plan(X: np.ndarray, K: np.ndarray, spec: Spec, dtype: np.dtype, method: str) -> Plan:
    """The engine :func:`correlate` would run, and why."""
    return choose(make_problem(X, K, spec, dtype), method)


def call_key(X: Any, K: Any, flip: bool, method: Any, opts: dict) -> tuple | None:
    """The fast path's key for a call on NumPy arrays (None: not eligible).

    It holds what the checks and the plan depend on: shapes, dtypes, the options with the
    type of every part (as the validation cache keys them), ``flip``, the method and the
    kernel's values: its bytes, or for more than ``EXACT_KERNEL`` values the planner's
    sampled fingerprint (a CNN layer's 64x64x3x3 kernel took 180 us of checks and
    planning a call). Only C-contiguous ``X`` qualifies.
    """
    if type(X) is not np.ndarray or type(K) is not np.ndarray:
        return None
    if not X.flags.c_contiguous or type(method) is not str:
        return None
    vkey = _validate_key(X.shape, X.dtype, K.shape, K.dtype, opts)
    if vkey is None:
        return None
    return (vkey, flip, method, K.tobytes() if K.size <= EXACT_KERNEL else _fingerprint(K))


def fast(X: np.ndarray, K: np.ndarray, key: tuple) -> np.ndarray | None:
    """The result of a call seen before under ``key`` (None if it was not): the checks and
    the plan are reused, so only the engine's own run is left (issue 10's overhead)."""
    hit = recall(key)
    if hit is None:
        return None
    spec, dtype, back, engine, runner = hit
    if runner is not None:  # the engine's own run, prepared for this signature
        Y = from_4d(runner(as_4d(X, spec.x_ndim, False)), spec.x_ndim)
        return Y if back == dtype else Y.astype(back)
    if key[1]:
        K = K[..., ::-1, ::-1]
    p = make_problem(X, K, spec, dtype, narrow=True)
    if K.size > EXACT_KERNEL and not engines.ENGINES[engine].supports(p):
        return None  # a sampled fingerprint matched a kernel this engine cannot run
    Y = from_4d(engines.run(engine, p), spec.x_ndim)
    return Y if back == dtype else Y.astype(back)


def _runner(name: str, p: Any, X: np.ndarray) -> Any:
    """The engine's prepared run for calls like this one, if it has one and ``X`` reaches
    it as it is (``make_problem`` converted nothing: the runner is handed the caller's
    C-contiguous X, which :func:`call_key` requires)."""
    prepare = engines.ENGINES[name].prepare
    if prepare is None or p.X.dtype != X.dtype or not X.flags.c_contiguous:
        return None
    if p.K.size > EXACT_KERNEL:  # keyed by a sample of its values: it must not be kept
        return None
    return prepare(p)


def correlate(
    X: Any,
    K: Any,
    spec: Spec,
    dtype: np.dtype,
    method: str,
    out: np.ndarray | None = None,
    memo: tuple | None = None,
) -> np.ndarray:
    """``corr2d`` on NumPy arrays already checked against ``spec``, computed in ``dtype``.

    ``memo``, ``(key, returned dtype)`` from :func:`call_key`, stores this call's checks and
    plan for :func:`fast`.
    """
    X, K = np.asarray(X), np.asarray(K)
    shape = empty_out_shape(X.shape, K.shape, spec)
    if shape is not None:
        if not isinstance(method, str) or method not in methods():
            raise ValueError(f"`method` must be one of {methods()}; got {method!r}")
        Y = np.zeros(shape, dtype)
    else:
        check_fits(X.shape, X.dtype, K.shape, spec, dtype, method)
        p = make_problem(X, K, spec, dtype, out, narrow=True)
        plan = choose(p, method)
        if memo is not None and _peak(X.shape, X.dtype, K.shape, spec, dtype, method) < SMALL_PEAK:
            runner = _runner(plan.engine, p, X)
            remember(memo[0], plan, (spec, dtype, memo[1], plan.engine, runner))
        if plan.regret:  # kept off an engine by the cold-start rule: charge what it cost
            t0 = time.perf_counter()
            Y = engines.run(plan.engine, p)
            charge_run(plan, (time.perf_counter() - t0) * 1e3)
        else:
            Y = engines.run(plan.engine, p)
        if out is not None and Y is p.out:
            return out
    if out is None:
        return from_4d(Y, spec.x_ndim)
    # An engine that allocates its own result (numpy, torch, ...), or an empty problem.
    np.copyto(out, from_4d(Y, spec.x_ndim))
    return out
