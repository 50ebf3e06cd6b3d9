"""The benchmark harness: convlens against its peers, in one process, on the same data.

Both ``benchmarks/run.py`` (the full sweep, written to ``docs/benchmark-results.md``) and
``convlens bench`` (a small sweep from the command line) use this module, so there is one
definition of the peers, of the timing rule and of the table.

Method, in short (``docs/benchmarks.md`` has the long form):

- every peer runs on the very array that convlens gets, in the same process;
- the first call of each peer is its untimed warm-up, and its result is compared with
  convlens's result; a peer that disagrees is reported as a mismatch and never counts as "best";
- the time is the median of ``repeat`` calls measured with ``time.perf_counter``;
- the ratio convlens / best peer is the number that matters, because the machine is shared
  and noisy: a ratio taken over the same seconds cancels most of the noise;
- the floor is the time ``np.copyto`` takes to copy the same array.

Peers that would take absurdly long (a direct 63x63 filter on 4096x4096) are not run: a
call over the per-call budget is timed once (after its warm-up), not ``repeat`` times; once a
direct method (ndimage, torch) has been over the budget, its calls with at least as many
pixels and kernel taps are skipped.

This module is a harness, not numeric core: it imports the peers (SciPy, OpenCV, torch) only
when a peer is prepared, so importing it is cheap.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

SIZES: tuple[tuple[int, int], ...] = (
    (256, 256),
    (512, 512),
    (2048, 2048),
    (4096, 4096),
    (1536, 2560),
)
KERNEL_SIZES: tuple[int, ...] = (3, 5, 7, 11, 15, 31, 63)
KINDS: tuple[str, ...] = ("gaussian", "random", "log")
ALL_KINDS: tuple[str, ...] = (*KINDS, "sobel")
DTYPES: tuple[str, ...] = ("float32", "float64")
# uint8 images are filtered into float32 (convlens's result dtype); each peer's own output
# dtype is recorded in its note.
ALL_DTYPES: tuple[str, ...] = (*DTYPES, "uint8")
BOUNDARIES: tuple[str, ...] = ("constant", "reflect")
ALL_BOUNDARIES: tuple[str, ...] = ("constant", "reflect", "symmetric", "edge", "wrap")

# Relative tolerance (of max|Y|) for "this peer computed the same thing". Semantic slips
# (a flipped kernel, a shifted window, a different border) are off by O(1); rounding of
# float32 FFT or long float32 sums is far below this.
AGREE_RTOL = {"float32": 2e-4, "float64": 1e-9, "uint8": 2e-4}

# Statuses of one measurement.
OK = "ok"  # median of `repeat` calls
SLOW = "slow"  # over the per-call budget: one timed call, after the warm-up
SKIPPED = "skipped"  # estimated over the budget: not run
NA = "n/a"  # the peer cannot do this boundary, or is not installed
MISMATCH = "mismatch"  # ran, but its result differs from convlens's
ERROR = "error"  # raised


@dataclass(frozen=True)
class Point:
    """One point of the sweep: a random image, a square odd kernel, "same" padding.

    ``batch > 1``: that many images of ``shape`` filtered in one call, ``X`` of shape
    ``(batch, 1, H, W)`` for convlens and torch; peers without batches loop or stack.
    """

    shape: tuple[int, int]
    ksize: int
    kind: str
    dtype: str
    boundary: str
    batch: int = 1

    @property
    def size_label(self) -> str:
        h, w = self.shape
        size = f"{h}²" if h == w else f"{h}x{w}"
        return size if self.batch == 1 else f"{self.batch}x{size}"

    @property
    def pixels(self) -> int:
        """Pixels of one image (the "512² and smaller" summary uses this)."""
        return self.shape[0] * self.shape[1]

    @property
    def kernel_dtype(self) -> str:
        return "float32" if self.dtype == "uint8" else self.dtype

    @property
    def label(self) -> str:
        return f"{self.size_label} k={self.ksize} {self.kind} {self.dtype} {self.boundary}"


@dataclass
class Measure:
    """The time of one callable at one point, and whether its answer agreed."""

    status: str
    median_ms: float | None = None
    runs: int = 0
    error: float | None = None  # max|Y_peer - Y_convlens| / max|Y_convlens|
    note: str = ""

    @property
    def counts(self) -> bool:
        """Whether this is a valid time of an agreeing result (can be the best peer)."""
        return self.status in (OK, SLOW) and self.median_ms is not None


@dataclass
class Row:
    """The result at one point: convlens, the floor and every peer."""

    point: Point
    engine: str
    reason: str
    convlens: Measure
    floor_ms: float
    peers: dict[str, Measure] = field(default_factory=dict)

    @property
    def best_peer(self) -> str | None:
        timed = {n: m.median_ms for n, m in self.peers.items() if m.counts}
        return min(timed, key=timed.__getitem__) if timed else None

    @property
    def ratio(self) -> float | None:
        """convlens time / best peer time: below 1 means convlens is faster."""
        best = self.best_peer
        if best is None or not self.convlens.counts:
            return None
        return self.convlens.median_ms / self.peers[best].median_ms

    @property
    def floor_ratio(self) -> float | None:
        """convlens time / memory-copy time of the same array."""
        if not self.convlens.counts or self.floor_ms <= 0:
            return None
        return self.convlens.median_ms / self.floor_ms


# --------------------------------------------------------------------------- data


def make_image(shape: tuple[int, int], dtype: str = "float32", seed: int = 0) -> np.ndarray:
    """A reproducible uniform-random image in ``[0, 1)`` (``uint8``: in ``0..255``).

    Examples
    --------
    >>> make_image((2, 3), "float64").shape, make_image((2, 3), "uint8").dtype
    ((2, 3), dtype('uint8'))
    """
    rng = np.random.default_rng(seed)
    if np.dtype(dtype) == np.uint8:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape, dtype=np.dtype(dtype))


def make_kernel(kind: str, k: int, dtype: str = "float64") -> np.ndarray:
    """A ``k x k`` kernel of a known numerical rank.

    Parameters
    ----------
    kind : {"gaussian", "random", "log", "sobel"}
        ``"gaussian"``: rank 1, normalised to sum 1, with OpenCV's default
        ``sigma = 0.3 * ((k - 1) / 2 - 1) + 0.8``. ``"log"``: the Laplacian of that Gaussian,
        ``g''(y) g(x) + g(y) g''(x)``, rank 2. ``"random"``: standard normal / k, full rank.
        ``"sobel"``: the x-derivative, binomial smoothing times a binomial difference
        (rank 1; Sobel's ``[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]`` at ``k = 3``).
    k : int
        The side, odd and positive.
    dtype : str
        The dtype of the result.

    Examples
    --------
    >>> K = make_kernel("gaussian", 5)
    >>> K.shape, round(float(K.sum()), 12), int(np.linalg.matrix_rank(K))
    ((5, 5), 1.0, 1)
    >>> int(np.linalg.matrix_rank(make_kernel("log", 7)))
    2
    """
    if kind not in ALL_KINDS:
        raise ValueError(f"`kind` must be one of {ALL_KINDS}; got {kind!r}")
    check_ksize(k)
    if kind == "sobel":
        from math import comb

        smooth = np.array([comb(k - 1, i) for i in range(k)], dtype=np.float64)
        base = np.array([comb(max(k - 2, 0), i) for i in range(max(k - 1, 1))], np.float64)
        diff = np.convolve(base, [-1.0, 1.0])[:k] if k > 1 else np.zeros(1)
        K = np.outer(smooth, diff)
    elif kind == "random":
        K = np.random.default_rng(k).standard_normal((k, k)) / k
    else:
        sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8
        x = np.arange(k) - (k - 1) / 2
        g = np.exp(-(x**2) / (2 * sigma**2))
        g /= g.sum()
        if kind == "gaussian":
            K = np.outer(g, g)
        else:
            d2 = (x**2 / sigma**4 - 1 / sigma**2) * g
            K = np.outer(d2, g) + np.outer(g, d2)
    return K.astype(dtype)


def check_ksize(k: Any) -> int:
    """Validate a benchmark kernel side: a positive odd int (so "same" is centred)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1 or k % 2 == 0:
        raise ValueError(f"`--kernel` must be a positive odd int (3, 5, 7, ...); got {k!r}")
    return int(k)


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"512"`` (square) or ``"1536x2560"`` (height x width).

    Examples
    --------
    >>> parse_size("512"), parse_size("1536x2560")
    ((512, 512), (1536, 2560))
    """
    parts = str(text).lower().split("x")
    try:
        dims = tuple(int(p) for p in parts)
    except ValueError:
        dims = ()
    if len(dims) == 1:
        dims = dims * 2
    if len(dims) != 2 or min(dims) < 1:
        raise ValueError(f"`--size` must be N or HxW with positive ints; got {text!r}")
    return dims  # type: ignore[return-value]


def sweep_points(
    sizes: Iterable[tuple[int, int]] = SIZES,
    kernel_sizes: Iterable[int] = KERNEL_SIZES,
    kinds: Iterable[str] = KINDS,
    dtypes: Iterable[str] = DTYPES,
    boundaries: Iterable[str] = BOUNDARIES,
) -> list[Point]:
    """Every combination, small images and small kernels first.

    That order lets the budget rule learn each peer's cost on cheap calls before it meets
    the expensive ones.

    Examples
    --------
    >>> pts = sweep_points([(64, 64)], [5, 3], ["gaussian"], ["float32"], ["constant"])
    >>> [p.ksize for p in pts]
    [3, 5]
    """
    sizes = sorted({tuple(s) for s in sizes}, key=lambda s: (s[0] * s[1], s))
    ks = sorted({check_ksize(k) for k in kernel_sizes})
    for name, values, allowed in (
        ("kind", kinds, ALL_KINDS),
        ("dtype", dtypes, ALL_DTYPES),
        ("boundary", boundaries, ALL_BOUNDARIES),
    ):
        for v in values:
            if v not in allowed:
                raise ValueError(f"`{name}` must be one of {allowed}; got {v!r}")
    return [
        Point(s, k, kind, dt, b)
        for s, dt, b, kind, k in product(sizes, dtypes, boundaries, kinds, ks)
    ]


# The rows of issue 10's table (where users call), in its order.
ISSUE_POINTS: tuple[Point, ...] = (
    Point((512, 512), 3, "random", "float32", "reflect"),
    Point((512, 512), 5, "random", "float32", "constant"),
    Point((480, 640), 3, "sobel", "uint8", "reflect"),
    Point((2048, 2048), 3, "gaussian", "float32", "reflect"),
    Point((2048, 2048), 45, "random", "float32", "constant"),
    Point((1000, 1500), 31, "log", "float64", "reflect"),
    Point((128, 128), 3, "gaussian", "float32", "reflect", batch=64),
)


def user_points(quick: bool = False) -> list[Point]:
    """Where users call: the issue's table, 640x480 uint8 images and a batch of 64 128²
    images in one call; small calls first (see :func:`sweep_points`).

    Examples
    --------
    >>> pts = user_points(quick=True)
    >>> set(pts) == set(ISSUE_POINTS), pts[0].pixels <= pts[-1].pixels
    (True, True)
    """
    pts = list(ISSUE_POINTS)
    if not quick:
        for b in BOUNDARIES:
            for k in (3, 5, 7):
                for kind in ("sobel", "gaussian", "random"):
                    pts.append(Point((480, 640), k, kind, "uint8", b))
                for kind in ("gaussian", "random"):
                    pts.append(Point((128, 128), k, kind, "float32", b, batch=64))
    unique = list(dict.fromkeys(pts))
    return sorted(unique, key=lambda p: (p.pixels * p.batch, p.ksize))


# --------------------------------------------------------------------------- peers

Call = Callable[[], np.ndarray]


@dataclass(frozen=True)
class Peer:
    """A competing implementation.

    ``prepare(X, K, boundary)`` does the untimed set-up (imports, kernel flips, zero-copy
    views) and returns the timed zero-argument call, or a string saying why it cannot run.
    ``per_tap`` marks direct methods, whose cost grows with pixels x kernel taps.
    """

    name: str
    prepare: Callable[[np.ndarray, np.ndarray, str], Call | str]
    per_tap: bool = False


def _cv2(X: np.ndarray, K: np.ndarray, boundary: str) -> Call | str:
    try:
        import cv2
    except ImportError:
        return "cv2 is not installed"
    border = {
        "constant": cv2.BORDER_CONSTANT,
        "reflect": cv2.BORDER_REFLECT_101,
        "symmetric": cv2.BORDER_REFLECT,
        "edge": cv2.BORDER_REPLICATE,
    }.get(boundary)
    if border is None:
        return f"cv2.filter2D has no {boundary!r} border"
    depth = cv2.CV_32F if X.dtype == np.uint8 else -1  # uint8 in, float32 out
    if X.ndim == 3:  # no batches in OpenCV: one call per image, as a user would loop
        return lambda: np.stack([cv2.filter2D(x, depth, K, borderType=border) for x in X])
    return lambda: cv2.filter2D(X, depth, K, borderType=border)


def _ndimage(X: np.ndarray, K: np.ndarray, boundary: str) -> Call:
    from scipy import ndimage

    # scipy.ndimage names numpy's "reflect" "mirror" and numpy's "symmetric" "reflect".
    mode = {
        "constant": "constant",
        "reflect": "mirror",
        "symmetric": "reflect",
        "edge": "nearest",
        "wrap": "grid-wrap",
    }[boundary]
    out = np.float32 if X.dtype == np.uint8 else None
    Kn = K[None] if X.ndim == 3 else K  # a batch: a 1-deep kernel along the image axis
    return lambda: ndimage.correlate(X, Kn, output=out, mode=mode, cval=0.0)


def _scipy_fft(func: str) -> Callable[[np.ndarray, np.ndarray, str], Call]:
    def prepare(X: np.ndarray, K: np.ndarray, boundary: str) -> Call:
        from scipy import signal

        conv = getattr(signal, func)
        Kf = np.ascontiguousarray(K[::-1, ::-1])  # convolution with the flip = correlation
        axes = (-2, -1)
        if X.ndim == 3:
            Kf = Kf[None]
        if boundary == "constant":
            return lambda: conv(X, Kf, mode="same", axes=axes)
        # The FFT has only zero padding: any other border is padded first, and that pad
        # is part of the timed call, as it would be for a user.
        r = K.shape[0] // 2
        width = ((0, 0),) * (X.ndim - 2) + ((r, r), (r, r))
        return lambda: conv(np.pad(X, width, mode=boundary), Kf, mode="valid", axes=axes)

    return prepare


def _torch(X: np.ndarray, K: np.ndarray, boundary: str) -> Call:
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(X)[:, None] if X.ndim == 3 else torch.from_numpy(X)[None, None]
    w = torch.from_numpy(np.ascontiguousarray(K))[None, None]
    r = K.shape[0] // 2
    mode = {"reflect": "reflect", "edge": "replicate", "wrap": "circular"}.get(boundary)
    width = ((0, 0),) * (X.ndim - 2) + ((r, r), (r, r))

    def call() -> np.ndarray:
        with torch.inference_mode():
            # torch has no integer convolution: uint8 is converted in the call, to float32.
            xi = x.float() if X.dtype == np.uint8 else x
            if boundary == "constant":
                y = F.conv2d(xi, w, padding=r)
            elif mode is not None:
                y = F.conv2d(F.pad(xi, (r, r, r, r), mode=mode), w)
            else:  # torch has no "symmetric" pad
                xp = torch.from_numpy(np.pad(X, width, mode=boundary))
                xp = xp[:, None] if X.ndim == 3 else xp[None, None]
                y = F.conv2d(xp.float() if X.dtype == np.uint8 else xp, w)
        return y[:, 0].numpy() if X.ndim == 3 else y[0, 0].numpy()

    return call


PEERS: tuple[Peer, ...] = (
    Peer("cv2.filter2D", _cv2),
    Peer("ndimage", _ndimage, per_tap=True),
    Peer("fftconvolve", _scipy_fft("fftconvolve")),
    Peer("oaconvolve", _scipy_fft("oaconvolve")),
    Peer("torch", _torch, per_tap=True),
)


# --------------------------------------------------------------------------- timing


MAX_CALLS = 2000  # timed calls per median, at most


def _more(done: int, repeat: int, start: float, min_s: float) -> bool:
    """Whether to time another call: fewer than ``repeat`` so far, or fewer than
    ``MAX_CALLS`` while less than ``min_s`` seconds have passed since ``start``."""
    if done < repeat:
        return True
    return done < MAX_CALLS and time.perf_counter() - start < min_s


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection inside: one in the middle of a call would be charged to it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Seconds of timed calls per median, at least (benchmarks/run.py: --min-time). 0: exactly
# ``repeat`` calls, as `convlens bench --repeat` says.
MIN_S = 0.0


def time_call(
    fn: Callable[[], Any], repeat: int = 5, budget_s: float = 1.0, min_s: float | None = None
) -> tuple[Any, Measure]:
    """Warm up once (untimed), then return that result and the median of at least
    ``repeat`` calls, and of as many more as fit in ``min_s`` seconds (at most 2000;
    default ``MIN_S``).

    The warm-up pays one-off costs (loading numba's cache, oneDNN's primitive set-up), so it
    is never timed. If the first timed call takes longer than ``budget_s``, it is the only
    one: its time is reported with status ``"slow"`` and ``runs=1``. Calls of tens of
    microseconds are timed hundreds of times: a median of five such calls moved by 2x
    between runs (a thread's wake-up, a timer interrupt).

    Examples
    --------
    >>> out, m = time_call(lambda: 42, repeat=3, min_s=0.0)
    >>> out, m.status, m.runs, m.median_ms >= 0
    (42, 'ok', 3, True)
    >>> time_call(lambda: 42, repeat=3, min_s=0.05)[1].runs  # instant: 2000 in 0.05 s
    2000
    """
    out = fn()
    min_s = MIN_S if min_s is None else min_s
    times: list[float] = []
    with _gc_paused():
        start = time.perf_counter()
        while _more(len(times), repeat, start, min_s):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            if times[0] > budget_s:
                note = f"one call, over the {budget_s:g} s budget"
                return out, Measure(SLOW, times[0] * 1e3, 1, note=note)
    return out, Measure(OK, statistics.median(times) * 1e3, len(times))


def time_in_turns(
    fa: Callable[[], Any], fb: Callable[[], Any], repeat: int = 5, min_s: float | None = None
) -> tuple[Any, Measure, Any, Measure]:
    """Both results and medians of ``fa`` and ``fb`` timed in turns (a, b, b, a, ...).

    One warm-up call each, untimed; then at least ``repeat`` calls each, and as many more
    as fit in ``min_s`` seconds (default ``MIN_S``; at most 2000). In turns, a change of
    the machine's load or of the allocator's state hits both alike.

    Examples
    --------
    >>> a, ma, b, mb = time_in_turns(lambda: 1, lambda: 2, repeat=4, min_s=0.0)
    >>> (a, b, ma.runs, mb.runs, ma.status)
    (1, 2, 4, 4, 'ok')
    """
    out_a, out_b = fa(), fb()
    min_s = MIN_S if min_s is None else min_s
    times: tuple[list[float], list[float]] = ([], [])
    order = [0, 1]
    calls = (fa, fb)
    with _gc_paused():
        start = time.perf_counter()
        while _more(len(times[0]), repeat, start, 2 * min_s):
            for i in order:
                t0 = time.perf_counter()
                calls[i]()
                times[i].append(time.perf_counter() - t0)
            order.reverse()
    ma, mb = (Measure(OK, statistics.median(t) * 1e3, len(t)) for t in times)
    return out_a, ma, out_b, mb


class Budget:
    """Skips direct-method calls that would take absurdly long, from calls already seen.

    A direct method (``Peer.per_tap``) does at least as much work on more pixels and more
    kernel taps. Once such a peer has been over the per-call budget at some point, every
    bigger point of the same dtype (at least as many pixels and taps, more of one) is
    skipped: it cannot be faster. Its estimate scales the slow call by pixels x taps.
    """

    def __init__(self, budget_s: float) -> None:
        self.budget_s = budget_s
        # (peer, dtype) -> [(pixels, taps, seconds)] of calls that were over the budget
        self.slow: dict[tuple[str, str], list[tuple[int, int, float]]] = {}

    @staticmethod
    def _size(p: Point) -> tuple[int, int]:
        return p.pixels * p.batch, p.ksize**2

    def estimate(self, peer: Peer, p: Point) -> float | None:
        """Seconds this call would at least take, if a smaller call was already too slow."""
        if not peer.per_tap:
            return None
        pixels, taps = self._size(p)
        seen = [
            t * (pixels * taps) / (px * tp)
            for px, tp, t in self.slow.get((peer.name, p.dtype), ())
            if px <= pixels and tp <= taps and (px, tp) != (pixels, taps)
        ]
        return max(seen) if seen else None

    def observe(self, peer: Peer, p: Point, seconds: float) -> None:
        if peer.per_tap and seconds > self.budget_s:
            self.slow.setdefault((peer.name, p.dtype), []).append((*self._size(p), seconds))


def _disagreement(Y: np.ndarray, Yp: Any) -> float:
    Yp = np.asarray(Yp)
    if Yp.shape != Y.shape:
        return math.inf
    scale = float(np.max(np.abs(Y))) or 1.0
    return float(np.max(np.abs(Yp.astype(Y.dtype, copy=False) - Y))) / scale


def measure_peer(
    peer: Peer,
    X: np.ndarray,
    K: np.ndarray,
    Y: np.ndarray,
    p: Point,
    *,
    repeat: int = 5,
    budget: Budget | None = None,
) -> Measure:
    """Time one peer at one point, after checking that it computes what convlens computed."""
    budget = budget or Budget(math.inf)
    est = budget.estimate(peer, p)
    if est is not None:
        return Measure(SKIPPED, est * 1e3, 0, note=f"estimated {est:.3g} s, not run")
    try:
        call = peer.prepare(X, K, p.boundary)
        if isinstance(call, str):
            return Measure(NA, note=call)
        # The check runs on the warm-up result, so it costs no extra call.
        Yp, m = time_call(call, repeat, budget.budget_s)
    except Exception as exc:  # a peer's own failure is reported, not fatal to the sweep
        return Measure(ERROR, note=f"{type(exc).__name__}: {exc}".splitlines()[0])
    budget.observe(peer, p, m.median_ms / 1e3)
    if p.dtype == "uint8":
        m.note = f"output {np.asarray(Yp).dtype}"
    m.error = _disagreement(Y, Yp)
    if not m.error <= AGREE_RTOL[p.dtype]:
        m.status = MISMATCH
        m.note = f"max|diff| = {m.error:.3g} of max|Y| (tolerance {AGREE_RTOL[p.dtype]:g})"
    return m


def run_point(
    p: Point,
    peers: Sequence[Peer] = PEERS,
    *,
    repeat: int = 5,
    budget: Budget | None = None,
) -> Row:
    """Measure convlens, the copy floor and every peer at one point, on the same arrays;
    then convlens and the best peer again, in turns, for the ratio."""
    import convlens

    budget = budget or Budget(math.inf)
    X = make_image((p.batch, *p.shape) if p.batch > 1 else p.shape, p.dtype)
    K = make_kernel(p.kind, p.ksize, p.kernel_dtype)
    opts = dict(padding="same", boundary=p.boundary)
    # A batch goes through convlens in one call, as (N, 1, H, W) with a (1, 1, k, k) kernel.
    Xc, Kc = (X[:, None], K[None, None]) if p.batch > 1 else (X, K)
    plan = convlens.plan(Xc, Kc, **opts)
    Y, mine = time_call(lambda: convlens.corr2d(Xc, Kc, **opts), repeat, budget.budget_s)
    if p.batch > 1:
        Y = Y[:, 0]
    dst = np.empty_like(X)
    _, floor = time_call(lambda: np.copyto(dst, X), max(repeat, 5), math.inf)
    row = Row(p, plan.engine, plan.reason, mine, floor.median_ms)
    for peer in peers:
        row.peers[peer.name] = measure_peer(peer, X, K, Y, p, repeat=repeat, budget=budget)
    _pair_with_best(row, lambda: convlens.corr2d(Xc, Kc, **opts), peers, X, K, repeat)
    return row


def _pair_with_best(
    row: Row, mine: Call, peers: Sequence[Peer], X: np.ndarray, K: np.ndarray, repeat: int
) -> None:
    """Time convlens and the best peer again, in turns, for the row's ratio.

    Each call was first timed on its own, one after the other: a change of the shared
    machine's load between the two windows moved single points by 1.3x and more (stop 19's
    sweep: two 256² points at 12x and 35x, which took 0.7-1.2 ms on their own). In turns
    (a, b, b, a, ...), a change hits both. Calls over the per-call budget (timed once) are
    left as they are.
    """
    best = row.best_peer
    if best is None or row.convlens.status != OK or row.peers[best].status != OK:
        return
    call = next(q for q in peers if q.name == best).prepare(X, K, row.point.boundary)
    if isinstance(call, str):
        return
    _, a, _, b = time_in_turns(mine, call, repeat)
    theirs = row.peers[best]
    row.convlens = Measure(OK, a.median_ms, a.runs)
    theirs.median_ms, theirs.runs = b.median_ms, b.runs
    theirs.note = "; ".join(filter(None, (theirs.note, "timed in turns with convlens")))


def _warm() -> None:
    """Import what the engines load on first use, as a long-running process has.

    In a fresh process the planner keeps calls off engines whose first call imports numba
    or scipy.fft, and the FFT keeps tiles off torch, until the calls have lost as much as
    the import costs (``planner.COLD_IMPORTS``, ``engines.fft.TORCH_IMPORT_MS``); the
    sweep measures the warm library, the cold start is timed apart (:func:`run_cold`).
    """
    import importlib.util

    import scipy.fft  # noqa: F401

    import convlens

    if importlib.util.find_spec("torch") is not None:
        import torch  # noqa: F401
    convlens.corr2d(np.zeros((8, 8), np.float32), np.ones((3, 3), np.float32), method="direct")


def run_sweep(
    points: Sequence[Point],
    peers: Sequence[Peer] = PEERS,
    *,
    repeat: int = 5,
    budget_s: float = 1.0,
    progress: Callable[[int, int, Point], None] | None = None,
) -> list[Row]:
    """Run :func:`run_point` over ``points``; ``progress(done, total, point)`` after each.

    Examples
    --------
    >>> pts = sweep_points([(32, 32)], [3], ["gaussian"], ["float64"], ["reflect"])
    >>> [row] = run_sweep(pts, [p for p in PEERS if p.name == "ndimage"], repeat=1)
    >>> row.peers["ndimage"].status, row.ratio > 0
    ('ok', True)
    """
    if not isinstance(repeat, int) or repeat < 1:
        raise ValueError(f"`repeat` must be a positive int; got {repeat!r}")
    if not budget_s > 0:
        raise ValueError(f"`budget_s` must be positive; got {budget_s!r}")
    budget = Budget(budget_s)
    _warm()
    rows = []
    for i, p in enumerate(points):
        rows.append(run_point(p, peers, repeat=repeat, budget=budget))
        gc.collect()  # the big arrays of this point must not linger into the next
        if progress is not None:
            progress(i + 1, len(points), p)
    return rows


# --------------------------------------------------------------------------- summary


# Images of at most this many pixels count as "small" in the summary (issue 10's <= 512²).
SMALL_PIXELS = 512 * 512


@dataclass
class Summary:
    """The numbers the issue's targets are stated in."""

    points: int
    compared: int  # points with a ratio
    geomean_ratio: float | None
    worst: Row | None
    slower: list[Row]  # ratio > 1
    problems: list[str]  # mismatches and errors, one line each
    floor_rows: list[Row]  # 3x3 on 4096² float32
    geomean_small: float | None = None  # over images of SMALL_PIXELS or fewer
    worst_rows: list[Row] = field(default_factory=list)  # the five highest ratios


def _geomean(values: Sequence[float]) -> float | None:
    return math.exp(statistics.fmean(math.log(v) for v in values)) if values else None


def summarize(rows: Sequence[Row]) -> Summary:
    """Geometric mean of the ratio, the worst point, the points slower than the best peer."""
    with_ratio = [r for r in rows if r.ratio is not None]
    geo = _geomean([r.ratio for r in with_ratio])
    small = _geomean([r.ratio for r in with_ratio if r.point.pixels <= SMALL_PIXELS])
    worst = max(with_ratio, key=lambda r: r.ratio) if with_ratio else None
    problems = []
    for r in rows:
        if r.convlens.status == ERROR:
            problems.append(f"{r.point.label}: convlens failed: {r.convlens.note}")
        for name, m in r.peers.items():
            if m.status in (MISMATCH, ERROR):
                problems.append(f"{r.point.label}: {name} {m.status.upper()}: {m.note}")
    floor_rows = [
        r
        for r in rows
        if r.point.ksize == 3 and r.point.shape == (4096, 4096) and r.point.dtype == "float32"
    ]
    return Summary(
        len(rows),
        len(with_ratio),
        geo,
        worst,
        [r for r in with_ratio if r.ratio > 1],
        problems,
        floor_rows,
        small,
        sorted(with_ratio, key=lambda r: r.ratio, reverse=True)[:5],
    )


def summary_lines(s: Summary) -> list[str]:
    """The summary as plain lines of text (for the console and for Markdown)."""
    lines = [f"points: {s.points}, with a ratio: {s.compared}"]
    if s.geomean_ratio is not None:
        g = s.geomean_ratio
        verdict = f"{1 / g:.2f}x faster" if g <= 1 else f"{g:.2f}x slower"
        lines.append(
            f"geometric mean of convlens / best peer: {g:.3f} ({verdict} than the best peer)"
        )
    if s.geomean_small is not None:
        lines.append(
            f"geometric mean over images of 512² and smaller: {s.geomean_small:.3f} "
            "(target <= 0.8; whole sweep: <= 0.6)"
        )
    if s.worst is not None:
        w = s.worst
        lines.append(
            f"worst point: {w.point.label}: ratio {w.ratio:.2f} "
            f"(convlens {_ms(w.convlens.median_ms)} ms via {w.engine}, "
            f"{w.best_peer} {_ms(w.peers[w.best_peer].median_ms)} ms)"
        )
    for w in s.worst_rows[1:]:
        lines.append(
            f"next worst: {w.point.label}: ratio {w.ratio:.2f} "
            f"(convlens {_ms(w.convlens.median_ms)} ms via {w.engine}, "
            f"{w.best_peer} {_ms(w.peers[w.best_peer].median_ms)} ms)"
        )
    lines.append(f"points slower than the best peer: {len(s.slower)} of {s.compared}")
    for r in s.floor_rows:
        lines.append(
            f"3x3 on 4096² float32 vs copy floor ({r.point.kind}, {r.point.boundary}): "
            f"{r.floor_ratio:.2f}x the floor ({_ms(r.convlens.median_ms)} ms vs "
            f"{_ms(r.floor_ms)} ms)"
            if r.floor_ratio is not None
            else f"3x3 on 4096² float32 ({r.point.kind}, {r.point.boundary}): no time"
        )
    for line in s.problems:
        lines.append(f"PROBLEM: {line}")
    return lines


# --------------------------------------------------------------------------- rendering


def _ms(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 1:
        return f"{x:.3f}"
    if x < 10:
        return f"{x:.2f}"
    if x < 100:
        return f"{x:.1f}"
    return f"{x:,.0f}"


def cell(m: Measure) -> str:
    """The text of one table cell (see ``docs/benchmarks.md`` for the markers).

    Examples
    --------
    >>> cell(Measure("ok", 12.345, 5)), cell(Measure("slow", 2500.0, 1))
    ('12.3', '2,500*')
    """
    if m.status == OK:
        return _ms(m.median_ms)
    if m.status == SLOW:
        return _ms(m.median_ms) + "*"
    if m.status == SKIPPED:
        return f"~{_ms(m.median_ms)}†"
    if m.status == MISMATCH:
        return "MISMATCH"
    if m.status == ERROR:
        return "ERROR"
    return "n/a"


COLUMNS_HEAD = ("size", "k", "kernel", "dtype", "boundary", "engine", "convlens", "floor")
COLUMNS_TAIL = ("best", "ratio")


def columns(peers: Iterable[str]) -> list[str]:
    """The table's header: the point, convlens, the floor, each peer, best peer, ratio."""
    return [*COLUMNS_HEAD, *peers, *COLUMNS_TAIL]


def row_cells(r: Row) -> list[str]:
    p = r.point
    ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
    return [
        p.size_label,
        str(p.ksize),
        p.kind,
        p.dtype,
        p.boundary,
        r.engine,
        cell(r.convlens),
        _ms(r.floor_ms),
        *(cell(m) for m in r.peers.values()),
        r.best_peer or "–",
        ratio,
    ]


def to_rich_table(rows: Sequence[Row], title: str = "convlens vs peers (median ms)") -> Any:
    """A :class:`rich.table.Table`: the best peer in bold, ratios > 1 and mismatches in red."""
    from rich.table import Table

    peers = list(rows[0].peers) if rows else [p.name for p in PEERS]
    table = Table(title=title, title_justify="left")
    for name in columns(peers):
        table.add_column(name, justify="left" if name in ("kernel", "engine", "best") else "right")
    for r in rows:
        cells = row_cells(r)
        offset = len(COLUMNS_HEAD)
        for i, (name, m) in enumerate(r.peers.items()):
            if name == r.best_peer:
                cells[offset + i] = f"[bold]{cells[offset + i]}[/bold]"
            elif m.status in (MISMATCH, ERROR):
                cells[offset + i] = f"[bold red]{cells[offset + i]}[/bold red]"
        if r.ratio is not None:
            colour = "red" if r.ratio > 1 else "green"
            cells[-1] = f"[{colour}]{cells[-1]}[/{colour}]"
        table.add_row(*cells)
    return table


def to_markdown(rows: Sequence[Row]) -> str:
    """The same table in GitHub Markdown.

    Examples
    --------
    >>> print(to_markdown([]).splitlines()[0][:40])
    | size | k | kernel | dtype | boundary |
    """
    peers = list(rows[0].peers) if rows else [p.name for p in PEERS]
    head = columns(peers)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(row_cells(r)) + " |")
    return "\n".join(lines)


LEGEND = (
    "Times are medians in ms. `*`: one call only (over the per-call budget). "
    "`~t†`: not run, since a smaller call was already over the budget; t is that call's "
    "time scaled by pixels x taps. "
    "n/a: the peer has no such boundary. ratio = convlens / best peer (< 1: convlens faster). "
    "floor = `np.copyto` of the same array."
)


def environment() -> dict[str, Any]:
    """Cores, library versions and thread counts, for the header of a report."""
    import numpy
    import scipy

    env: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }
    for mod in ("cv2", "torch", "numba"):
        try:
            m = __import__(mod)
        except ImportError:
            env[mod] = None
            continue
        env[mod] = m.__version__
    if env.get("torch"):
        import torch

        env["torch_threads"] = torch.get_num_threads()
    if env.get("cv2"):
        import cv2

        env["cv2_threads"] = cv2.getNumThreads()
    import convlens

    env["convlens"] = convlens.__version__
    if hasattr(os, "getloadavg"):
        # Other work on a shared machine shows up here; the ratios are meant to survive it.
        env["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return env


def environment_line(env: dict[str, Any]) -> str:
    keys = ("cpu_count", "numpy", "scipy", "cv2", "torch", "numba", "torch_threads", "cv2_threads")
    line = ", ".join(f"{k} {env.get(k)}" for k in keys) + f", python {env.get('python')}"
    return line + (f", load average {env['loadavg']}" if "loadavg" in env else "")


def row_to_dict(r: Row) -> dict[str, Any]:
    """A JSON-ready record of one row."""

    def m(x: Measure) -> dict[str, Any]:
        return {
            "status": x.status,
            "median_ms": x.median_ms,
            "runs": x.runs,
            "error": None if x.error is None or math.isinf(x.error) else x.error,
            "note": x.note,
        }

    p = r.point
    return {
        "shape": list(p.shape),
        "ksize": p.ksize,
        "kind": p.kind,
        "dtype": p.dtype,
        "boundary": p.boundary,
        "engine": r.engine,
        "reason": r.reason,
        "convlens": m(r.convlens),
        "floor_ms": r.floor_ms,
        "peers": {k: m(v) for k, v in r.peers.items()},
        "best_peer": r.best_peer,
        "ratio": r.ratio,
    }


def report(
    rows: Sequence[Row],
    env: dict[str, Any] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """Everything in one JSON-ready dict: environment, rows, summary, extra sections."""
    return {
        "environment": env if env is not None else environment(),
        "rows": [row_to_dict(r) for r in rows],
        "summary": summary_lines(summarize(rows)),
        **sections,
    }


def write_json(path: str | os.PathLike, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON, atomically (a temporary file beside ``path``, then rename)."""
    write_text(path, json.dumps(data, indent=1, default=str) + "\n")


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` atomically."""
    from .io import atomic_write

    atomic_write(path, lambda tmp: tmp.write_text(text))


def print_sweep(console: Any, rows: Sequence[Row]) -> Summary:
    """Print the table, the legend and the summary (problems in red) on a rich console."""
    summary = summarize(rows)
    console.print(to_rich_table(rows))
    console.print(LEGEND)
    for line in summary_lines(summary):
        console.print(f"[bold red]{line}[/]" if line.startswith("PROBLEM") else line)
    return summary


@contextlib.contextmanager
def progress_bar(console: Any, total: int, what: str) -> Iterator[Callable[..., None]]:
    """A transient rich progress bar; yields ``progress(done, total, point=None)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=total)

        def progress(done: int, total: int, point: Point | None = None) -> None:
            label = f"{what} {point.label}" if point is not None else what
            bar.update(task, completed=done, total=total, description=label)
            if not console.is_terminal:
                # Redirected to a log, a live bar shows nothing: one line per step instead.
                console.print(f"[{done}/{total}] {label}")

        yield progress


# --------------------------------------------------------------------------- CNN shapes


@dataclass(frozen=True)
class CnnCase:
    """A batched multi-channel call, "same" padding with zeros, float32."""

    n: int
    c_in: int
    c_out: int
    size: int
    ksize: int
    tensors: bool = False  # convlens gets torch tensors (and returns one), else NumPy arrays

    @property
    def label(self) -> str:
        text = f"N={self.n} {self.c_in}->{self.c_out} {self.size}² {self.ksize}x{self.ksize}"
        return text + (" (torch tensors)" if self.tensors else "")


CNN_CASES: tuple[CnnCase, ...] = (
    CnnCase(16, 3, 32, 128, 3, tensors=True),
    CnnCase(8, 64, 64, 56, 3),
    CnnCase(8, 64, 64, 56, 3, tensors=True),
    CnnCase(1, 3, 8, 512, 15),
    CnnCase(1, 3, 8, 512, 31),
)


@dataclass
class CnnRow:
    case: CnnCase
    engine: str
    convlens: Measure
    torch: Measure

    @property
    def ratio(self) -> float | None:
        if not (self.convlens.counts and self.torch.counts):
            return None
        return self.convlens.median_ms / self.torch.median_ms


def run_cnn(
    cases: Sequence[CnnCase] = CNN_CASES, *, repeat: int = 5, budget_s: float = 10.0
) -> list[CnnRow]:
    """convlens against ``torch.nn.functional.conv2d`` on CNN-layer shapes.

    Examples
    --------
    >>> [row] = run_cnn([CnnCase(1, 2, 3, 8, 3)], repeat=1)
    >>> row.torch.status, row.ratio > 0
    ('ok', True)
    """
    _warm()
    return [_cnn_row(c, repeat, budget_s) for c in cases]


def _cnn_row(c: CnnCase, repeat: int, budget_s: float) -> CnnRow:
    import torch
    import torch.nn.functional as F

    import convlens

    rng = np.random.default_rng(0)
    X = rng.random((c.n, c.c_in, c.size, c.size), dtype=np.float32)
    K = (rng.standard_normal((c.c_out, c.c_in, c.ksize, c.ksize)) / c.ksize).astype("f4")
    plan = convlens.plan(X, K, padding="same")
    x, w, r = torch.from_numpy(X), torch.from_numpy(K), c.ksize // 2
    a, b = (x, w) if c.tensors else (X, K)

    def call() -> np.ndarray:
        with torch.inference_mode():
            return F.conv2d(x, w, padding=r).numpy()

    # In turns: timed one after the other, the allocator's state and the load differed
    # between the two (1.00 to 1.08 for one and the same oneDNN call).
    Y, mine, Yt, theirs = time_in_turns(
        lambda: convlens.corr2d(a, b, padding="same"), call, repeat
    )
    Y = Y.numpy() if c.tensors else Y
    theirs.error = _disagreement(Y, Yt)
    if not theirs.error <= AGREE_RTOL["float32"]:
        theirs.status = MISMATCH
        theirs.note = f"max|diff| = {theirs.error:.3g} of max|Y|"
    return CnnRow(c, plan.engine, mine, theirs)


def cnn_markdown(rows: Sequence[CnnRow]) -> str:
    lines = [
        "| shape | engine | convlens ms | torch ms | ratio |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
        lines.append(
            f"| {r.case.label} | {r.engine} | {cell(r.convlens)} | {cell(r.torch)} | {ratio} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- overhead


@dataclass
class OverheadRow:
    """The fixed cost of a call: ``corr2d`` against the engine it runs, timed in turns."""

    label: str
    engine: str
    call_us: float  # corr2d, method="auto"
    forced_us: float  # corr2d, method=<the engine the planner chose>
    engine_us: float  # that engine's own run on the prepared problem

    @property
    def overhead_us(self) -> float:
        return self.call_us - self.engine_us


OVERHEAD_CASES: tuple[tuple[str, tuple[int, int], int, str], ...] = (
    ("8x8, 3x3, valid", (8, 8), 3, "constant"),
    ("64², 3x3, same reflect", (64, 64), 3, "reflect"),
    ("512², 3x3, same reflect", (512, 512), 3, "reflect"),
)


def run_overhead(repeat: int = 300) -> list[OverheadRow]:
    """Per-call overhead: ``corr2d`` (auto and forced) against its engine's own run.

    The three calls are timed in turns, ``repeat`` rounds, and each reports its median, so
    that the machine's load weighs on all three alike.

    Examples
    --------
    >>> [row] = run_overhead(repeat=3)[:1]
    >>> row.engine in ("direct", "numpy", "separable", "box"), row.call_us > 0
    (True, True)
    """
    import convlens
    from convlens import engines
    from convlens.contract import make_problem, normalize

    _warm()
    out = []
    for label, shape, k, boundary in OVERHEAD_CASES:
        X = make_image(shape, "float32")
        K = make_kernel("random", k, "float32")
        opts = dict(padding="valid" if label.endswith("valid") else "same", boundary=boundary)
        engine = convlens.plan(X, K, **opts).engine
        spec = normalize(
            X.shape, K.shape, value=0.0, stride=1, dilation=1, groups=1, **opts
        )  # fmt: skip
        p = make_problem(X, K, spec, np.dtype(np.float32))
        calls = (
            lambda: convlens.corr2d(X, K, **opts),  # noqa: B023
            lambda: convlens.corr2d(X, K, method=engine, **opts),  # noqa: B023
            lambda: engines.run(engine, p),  # noqa: B023
        )
        times: list[list[float]] = [[], [], []]
        for fn in calls:
            fn()
        for _ in range(repeat):
            for i, fn in enumerate(calls):
                t0 = time.perf_counter()
                fn()
                times[i].append(time.perf_counter() - t0)
        call, forced, own = (statistics.median(t) * 1e6 for t in times)
        out.append(OverheadRow(label, engine, call, forced, own))
    return out


def overhead_markdown(rows: Sequence[OverheadRow]) -> str:
    lines = [
        "| call | engine | corr2d us | corr2d forced us | engine's run us | overhead us |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.label} | {r.engine} | {r.call_us:.1f} | {r.forced_us:.1f} | "
            f"{r.engine_us:.1f} | {r.overhead_us:.1f} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- cold start


@dataclass
class ColdResult:
    """Wall time of fresh processes, median over ``runs`` after one warming run."""

    command: str
    median_s: float
    times_s: list[float]
    baseline_s: float  # ``python -c "import numpy"``: the interpreter's own share


def cold_command(workdir: str, size: int = 512) -> tuple[list[str], str]:
    """The fresh-process command to time: ``convlens filter`` if it exists, else ``corr2d``.

    Writes the input image into ``workdir``. Returns the argv and a readable description.
    """
    from convlens.cli import SUBCOMMANDS

    src = os.path.join(workdir, "in.npy")
    np.save(src, make_image((size, size), "float32"))
    if "filter" in SUBCOMMANDS:
        out = os.path.join(workdir, "out.npy")
        argv = [sys.executable, "-m", "convlens", "filter", src, "-k", "gaussian:1", "-o", out]
        # --force: every run after the first finds the previous output in place.
        return [*argv, "--force"], f"convlens filter in.npy -k gaussian:1 -o out.npy ({size}²)"
    code = (
        "import numpy as np, convlens; "
        f"X = np.load({src!r}); "
        "convlens.corr2d(X, np.full((3, 3), 1 / 9, np.float32), padding='same')"
    )
    return [sys.executable, "-c", code], f"python -c 'import convlens; corr2d(...)' ({size}²)"


def _wall(argv: Sequence[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    t = time.perf_counter() - t0
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"{' '.join(argv[:5])} ... exited {done.returncode}: {tail[0]}")
    return t


def run_cold(runs: int = 5, size: int = 512, argv: Sequence[str] | None = None) -> ColdResult:
    """Time a cold command-line call: a new Python process each time.

    The first, untimed run fills the on-disk caches (numba's ``cache=True``, the OS page
    cache), as a user's second invocation would find them.
    """
    with tempfile.TemporaryDirectory() as tmp:
        if argv is None:
            argv, desc = cold_command(tmp, size)
        else:
            desc = " ".join(argv)
        _wall(argv)
        times = [_wall(argv) for _ in range(runs)]
        base = [_wall([sys.executable, "-c", "import numpy"]) for _ in range(runs)]
    return ColdResult(desc, statistics.median(times), times, statistics.median(base))
