"""The engine interface: one frozen problem in, one array out.

An engine is a pure function over contiguous NumPy arrays. It receives a :class:`Problem`
whose arrays are in PyTorch's layout, ``K`` in the compute dtype, and returns
``(N, C_out, H', W')`` in that dtype. ``X`` is in the compute dtype too, except for
engines that declare ``int_input``: they may get 8-bit integer images as they are
and widen each value inside their loops, so that no full-size float copy is made. Engines
know nothing of the CLI, I/O or torch modules.
Engines that handle borders themselves read ``pads``/``boundary``; the rest call
:meth:`Problem.padded`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .._checks import Pads, Pair
from . import outputs


@dataclass(frozen=True, eq=False)
class Problem:
    """A normalised cross-correlation: ``Y = corr(pad(X), K)`` with stride and dilation."""

    X: np.ndarray  # (N, C_in, H, W), compute dtype (or an 8-bit integer type, see above)
    K: np.ndarray  # (C_out, C_in // groups, kh, kw), compute dtype
    pads: Pads  # ((top, bottom), (left, right))
    boundary: str  # numpy.pad mode name
    value: float  # fill for boundary="constant"
    stride: Pair
    dilation: Pair
    groups: int
    out_shape: Pair  # (H', W'), from the contract's output-size law
    out: np.ndarray | None = None  # caller's (N, C_out, H', W') output buffer, C-contiguous

    @property
    def kernel_shape(self) -> Pair:
        return self.K.shape[-2], self.K.shape[-1]

    @property
    def dtype(self) -> np.dtype:
        """The compute dtype, that of the result: ``K``'s."""
        return self.K.dtype

    @property
    def narrow_input(self) -> bool:
        """Whether ``X`` is an integer image still to be widened to the compute dtype."""
        return self.X.dtype != self.K.dtype

    def widened(self) -> Problem:
        """This problem with ``X`` converted to the compute dtype (a copy if it was not)."""
        if not self.narrow_input:
            return self
        return dataclasses.replace(self, X=np.ascontiguousarray(self.X, dtype=self.K.dtype))

    @property
    def single_channel(self) -> bool:
        return self.X.shape[1] == 1 and self.K.shape[0] == 1

    def output(self) -> np.ndarray:
        """The array an engine writes its result into: ``out`` if given, else a new one."""
        if self.out is not None:
            return self.out
        shape = (self.X.shape[0], self.K.shape[0], *self.out_shape)
        return outputs.empty(shape, self.K.dtype)  # large ones in recycled memory

    def padded(self) -> np.ndarray:
        """X with the padding filled according to ``boundary`` (numpy.pad's semantics)."""
        return pad(self.X, self.pads, self.boundary, self.value)


def pad(X: np.ndarray, pads: Pads, boundary: str, value: float = 0.0) -> np.ndarray:
    """Pad the last two axes of ``X`` with numpy.pad's mode ``boundary``."""
    if pads == ((0, 0), (0, 0)):
        return X
    width = ((0, 0),) * (X.ndim - 2) + tuple(pads)
    if boundary == "constant":
        return np.pad(X, width, mode="constant", constant_values=value)
    return np.pad(X, width, mode=boundary)


@dataclass(frozen=True)
class Engine:
    """A named algorithm. ``supports`` says whether it can run a problem at all."""

    name: str
    run: Callable[[Problem], np.ndarray]
    supports: Callable[[Problem], bool] = lambda p: True
    description: str = ""
    int_input: bool = False  # runs on 8/16-bit integer X directly (see the module docstring)
    requires: str | None = None  # a package outside the core install that it needs
    # ``prepare(p)``: a function of X alone that runs problems like ``p`` (same shapes,
    # dtypes, options and kernel values) with everything else worked out once; None where
    # the engine has none. Repeated calls use it (``backends.numpy.fast``).
    prepare: Callable[[Problem], Callable[[np.ndarray], np.ndarray] | None] | None = None

    def available(self) -> bool:
        """Whether the package this engine needs is installed (``convlens[torch]``, ...)."""
        return self.requires is None or has_package(self.requires)


_PACKAGES: dict[str, bool] = {}


def has_package(name: str) -> bool:
    """Whether ``name`` can be imported, without importing it (asked once per process)."""
    if name not in _PACKAGES:
        import importlib.util

        try:
            _PACKAGES[name] = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            _PACKAGES[name] = False
    return _PACKAGES[name]


# Integer image types that int_input engines read as they are. 16-bit images are widened
# first: numba computes float32 x uint16 in float64, which made a 3x3 pass 1.5x slower than
# widening the whole image (8-bit stays in float32: 3x3 on 640x480, 136 us vs 161 us).
NARROW_INTS = (np.dtype(np.uint8), np.dtype(np.int8))


_CPUS: list[int] = []


def cpu_count() -> int:
    """CPUs this process may run on (asked once per process, like OpenMP's thread count)."""
    if not _CPUS:
        try:
            _CPUS.append(len(os.sched_getaffinity(0)))
        except (AttributeError, OSError):  # pragma: no cover - not Linux
            _CPUS.append(os.cpu_count() or 1)
    return _CPUS[0]


def threads_for(work: float, serial_below: float = 2e6) -> int:
    """Threads worth using for ``work`` multiply-adds, given the machine's current load.

    Like OpenMP's dynamic adjustment (``OMP_DYNAMIC``, which libgomp bases on the load
    average), a parallel region gets only the CPUs that are not already busy: when the
    machine is oversubscribed, a second thread mostly waits for a time slice, and the call
    lasts as long as its slowest thread (measured: a 3x3 filter on 2048^2 took 16 ms on
    two threads and 2 ms on one with a load average of 6 on 2 CPUs). Work below
    ``serial_below`` runs on one thread, since waking the pool costs more than it saves.

    Examples
    --------
    >>> threads_for(10.0)
    1
    >>> 1 <= threads_for(1e12) <= cpu_count()
    True
    """
    if work < serial_below:
        return 1
    ncpu = cpu_count()
    if ncpu == 1:
        return 1
    return max(1, min(ncpu, int(ncpu - _others_load() + 0.5)))


# (wall time, this process's CPU time, its CPU use averaged like the load average, the
# load of everyone else), refreshed at most every _LOAD_EVERY seconds.
_LOAD = [0.0, 0.0, 0.0, 0.0]
_LOAD_EVERY = 0.25


def _others_load() -> float:
    """The load average without this process's own threads (CPUs busy with other work).

    The load average counts this process too: a loop of two-thread calls keeps about two
    threads running, and subtracting a flat 1 would then see the machine as full and fall
    back to one thread, flip-flopping every minute. Instead this process's CPU use is
    averaged with the load average's own one-minute exponential decay and taken out.
    """
    import math
    import time

    now = time.monotonic()
    last, cpu0, own, others = _LOAD
    if now - last < _LOAD_EVERY:
        return others
    t = os.times()
    cpu = t.user + t.system
    if last:
        rate = (cpu - cpu0) / (now - last)
        own += (1.0 - math.exp(-(now - last) / 60.0)) * (rate - own)
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        load = 0.0
    # At least this thread, which is about to run the work, is ours.
    others = max(load - max(own, 1.0), 0.0)
    running = _runnable_now()
    if running is not None:
        # The load average trails by about a minute: a process that has just ended still
        # counts (a fresh process after a two-thread benchmark saw 1.5 and ran 2048^2 3x3
        # on one thread, 2.1-2.3 ms against 1.4). Tasks runnable right now, this thread
        # included, show CPUs that are idle now; they can only add threads, never take any.
        others = min(others, max(running - 1.0, 0.0))
    _LOAD[:] = [now, cpu, own, others]
    return others


def _runnable_now(path: str = "/proc/loadavg") -> float | None:
    """Tasks runnable on the whole machine at this instant (Linux's ``/proc/loadavg``,
    fourth field), or None where there is no such count."""
    try:
        with open(path) as f:
            return float(f.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return None


@contextmanager
def numba_threads(n: int) -> Iterator[None]:
    """Run numba parallel regions launched from this thread on ``n`` threads, then restore."""
    import numba

    before = numba.get_num_threads()
    n = max(1, min(n, numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(before)


_POOL: list = []
# Set in a child made by fork(): GNU OpenMP's thread pool does not survive fork(), and
# numba's OpenMP layer may end such a child that starts a parallel region ("fork() called
# from a process already using GNU OpenMP"), so run_rows keeps it on one thread.
_FORKED = False


def _forked() -> None:
    global _FORKED
    _FORKED = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


# Multiply-adds from which numba's threads share a ``par`` driver's chunks. 256^2 3x3
# (0.6e6) gained little (whole calls 42 -> 38 us) and a call after a pause paid for waking
# the threads (up to 0.3 ms after 10 ms idle), so it stays on one thread; 512^2 3x3 (2.4e6)
# went from 120 to 77 us.
PARALLEL_BELOW = 1e6


def _pool():
    if not _POOL:
        from concurrent.futures import ThreadPoolExecutor

        _POOL.append(ThreadPoolExecutor(max(cpu_count() - 1, 1), "convlens"))
    return _POOL[0]


def run_rows(
    fn: Callable[..., None],
    args: tuple,
    total: int,
    work: float,
    par: Callable[..., None] | None = None,
) -> None:
    """Call ``fn(*args, t0, t1)`` over ``[0, total)`` in chunks, on this thread and helpers.

    ``fn`` must release the GIL (numba ``nogil=True``).

    ``par(*args, counter, total, chunk, workers)``, when given, runs the chunks on
    ``workers`` of numba's OpenMP threads, each claiming chunks with an atomic add on
    ``counter[0]`` (``_jit.fetch_add``), so a thread that starts late does less instead of
    holding the others up; only a thread preempted in the middle of a chunk is waited for.
    OpenMP threads spin between calls, so they start in microseconds: Python threads woken
    through a lock cost 50 us each way on this VM (a halted CPU) plus a GIL hand-off, as
    much as a whole 512^2 3x3 filter. Helpers are used only when ``threads_for`` finds
    idle CPUs, from ``PARALLEL_BELOW`` multiply-adds.

    Otherwise chunks are handed out from a Python counter to this thread and pool threads
    (for ``fn`` that are not numba, such as the FFT's strips): a helper the OS does not
    schedule in time costs nothing, since this thread takes the remaining chunks.
    """
    if par is not None:
        n = min(threads_for(work, serial_below=PARALLEL_BELOW), total)
        if n <= 1 or _FORKED:
            fn(*args, 0, total)
            return
        counter = np.zeros(2, np.int64)
        chunk = max(1, -(-total // (4 * n)))
        with numba_threads(n):
            par(*args, counter, total, chunk, n)
        return
    n = min(threads_for(work, serial_below=1e7), total)
    if n <= 1:
        fn(*args, 0, total)
        return
    import itertools

    chunk = max(1, -(-total // (8 * n)))
    counter = itertools.count()  # next() is atomic under the GIL

    def worker() -> None:
        while True:
            t0 = next(counter) * chunk
            if t0 >= total:
                return
            fn(*args, t0, min(total, t0 + chunk))

    helpers = [_pool().submit(worker) for _ in range(n - 1)]
    worker()
    for h in helpers:
        if not h.cancel():
            h.result()
