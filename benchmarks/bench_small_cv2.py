"""Small images against cv2.filter2D: paired, interleaved timings (issue 10, second pass).

Usage: ``python benchmarks/bench_small_cv2.py [CV2_THREADS]`` (default: cv2's own thread count).
Prints one Markdown row per point (median us of convlens, of cv2, and their ratio) and the
geometric mean of the ratios. Every result is checked against cv2's before timing.
"""

from __future__ import annotations

import sys
import time

import cv2
import numpy as np

import convlens
from convlens import planner
from convlens.contract import make_problem, normalize

BORDER = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101}


def median_us(fn, reps: int, times: list[float]) -> None:
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    times.append((time.perf_counter() - t) / reps * 1e6)


def main() -> None:
    if len(sys.argv) > 1:
        cv2.setNumThreads(int(sys.argv[1]))
    # A warm process: numba loaded (the planner's cold-start rule would keep it off).
    convlens.corr2d(np.ones((8, 8), np.float32), np.ones((3, 3), np.float32), method="direct")
    rng = np.random.default_rng(0)
    ratios = []
    for n in (256, 512):
        for k in (3, 5, 7):
            for dt in (np.float32, np.float64):
                for b in ("constant", "reflect"):
                    X = rng.random((n, n)).astype(dt)
                    K = rng.standard_normal((k, k)).astype(dt)

                    def mine(X=X, K=K, b=b):
                        return convlens.corr2d(X, K, padding="same", boundary=b)

                    def peer(X=X, K=K, b=b):
                        return cv2.filter2D(X, -1, K, borderType=BORDER[b])

                    Y, Yp = mine(), peer()
                    assert Y.dtype == Yp.dtype
                    assert np.allclose(Y, Yp, rtol=1e-4, atol=1e-4 * np.abs(Yp).max())
                    reps = max(3, int(2e6 / (n * n)))
                    ta: list[float] = []
                    tc: list[float] = []
                    for _ in range(9):
                        median_us(mine, reps, ta)
                        median_us(peer, reps, tc)
                    a, c = float(np.median(ta)), float(np.median(tc))
                    spec = normalize(
                        X.shape, K.shape, padding="same", boundary=b, value=0.0, stride=1,
                        dilation=1, groups=1,
                    )  # fmt: skip
                    engine = planner.choose(make_problem(X, K, spec, np.dtype(dt))).engine
                    ratios.append(a / c)
                    name = np.dtype(dt).name
                    cells = (f"{n}²", f"{k}x{k}", name, b, engine, f"{a:.0f}", f"{c:.0f}")
                    print("| " + " | ".join(cells) + f" | {a / c:.2f} |")
    print(
        f"geometric mean {np.exp(np.mean(np.log(ratios))):.2f}, cv2 threads {cv2.getNumThreads()}"
    )


if __name__ == "__main__":
    main()
