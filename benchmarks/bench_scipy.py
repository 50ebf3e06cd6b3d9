"""convlens.ndimage against scipy.ndimage on common calls, same data, same process.

Each case runs both libraries alternately (A, B, A, B, ...) after one warm-up call each, so
slow drifts of a shared machine hit both; it prints the median of each and the ratio
convlens / scipy (below 1: convlens is faster). Results are checked equal first. Not run
by CI. Usage: python benchmarks/bench_scipy.py [--size 2048] [--repeat 7]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable

import numpy as np
import scipy.ndimage as sp

from convlens import ndimage as cl


def interleaved(a: Callable, b: Callable, repeat: int) -> tuple[float, float]:
    a(), b()  # warm-up: JIT, plan cache, thread pools
    ta, tb = [], []
    for _ in range(repeat):
        for fn, acc in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return float(np.median(ta)), float(np.median(tb))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    u8 = rng.integers(0, 256, (args.size, args.size), dtype=np.uint8)
    f32 = u8.astype(np.float32)
    f64 = u8.astype(np.float64)
    w3 = rng.standard_normal((3, 3))
    w15 = rng.standard_normal((15, 15))
    cases: dict[str, tuple[str, tuple, dict]] = {
        "gaussian_filter f32 s=2": ("gaussian_filter", (f32, 2.0), {}),
        "gaussian_filter u8 s=2": ("gaussian_filter", (u8, 2.0), {}),
        "correlate f32 3x3": ("correlate", (f32, w3), {}),
        "correlate f64 3x3": ("correlate", (f64, w3), {}),
        "correlate f32 15x15": ("correlate", (f32, w15), {}),
        "uniform_filter f32 5": ("uniform_filter", (f32, 5), {}),
        "uniform_filter u8 5": ("uniform_filter", (u8, 5), {}),
        "sobel f32": ("sobel", (f32,), {}),
        "sobel u8": ("sobel", (u8,), {}),
    }
    print(f"image {args.size}x{args.size}, mode='reflect', medians of {args.repeat} runs")
    print(f"{'call':<26}{'convlens ms':>12}{'scipy ms':>10}{'ratio':>8}")
    for label, (name, a, kw) in cases.items():
        ours, theirs = getattr(cl, name), getattr(sp, name)
        got, want = ours(*a, **kw), theirs(*a, **kw)
        assert got.dtype == want.dtype
        tol = 1 if want.dtype.kind in "iu" else 1e-4 * float(np.abs(want).max())
        assert np.abs(got.astype(np.float64) - want).max() <= tol, label
        tc, ts = interleaved(
            functools.partial(ours, *a, **kw), functools.partial(theirs, *a, **kw), args.repeat
        )
        print(f"{label:<26}{tc * 1e3:>12.2f}{ts * 1e3:>10.2f}{tc / ts:>8.2f}")


if __name__ == "__main__":
    main()
