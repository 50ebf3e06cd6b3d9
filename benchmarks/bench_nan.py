"""NaN-aware smoothing: convlens ``nan_policy="omit"`` vs astropy and vs scipy done by hand.

Each peer computes normalised convolution of a float64 image with 10% of its pixels (and
one large hole) set to NaN, with a Gaussian kernel and the "edge" boundary:

- ``astropy``: ``astropy.convolution.convolve(..., nan_treatment="interpolate",
  normalize_kernel=False, boundary="extend")`` (direct, single-threaded; float64 only);
- ``astropy_fft``: ``convolve_fft`` with the same options (its FFT path);
- ``scipy_2x``: what a scipy user writes: ``ndimage.correlate`` of the zero-filled data and of
  the validity mask, then a division;
- ``convlens``: ``conv2d(X, K, padding="same", boundary="edge", nan_policy="omit")``.

Every result is checked against convlens before timing. Each timed iteration gets a new
image (the NaN pattern moves), as a user filtering a stack of frames would. Times are
interleaved medians; the ratio is convlens / peer (below 1: convlens is faster).

    python benchmarks/bench_nan.py [--size 1024] [--sigmas 1,3] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
import scipy.ndimage as ndi

import convlens


def frames(size: int, n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        X = rng.random((size, size))
        X[rng.random(X.shape) < 0.1] = np.nan
        X[size // 3 + i : size // 3 + i + size // 20, size // 2 : size // 2 + size // 16] = np.nan
        out.append(X)
    return out


def peers(K: np.ndarray, big: bool) -> dict:
    from astropy.convolution import convolve, convolve_fft

    def astropy_direct(X):
        return convolve(
            X, K, boundary="extend", nan_treatment="interpolate", normalize_kernel=False,
            preserve_nan=False,
        )  # fmt: skip

    def astropy_fft(X):
        # convolve_fft has no "extend": pad by hand, then crop, so the answer is the same.
        r = K.shape[0] // 2
        Xp = np.pad(X, r, mode="edge")
        Y = convolve_fft(
            Xp, K, boundary="fill", nan_treatment="interpolate", normalize_kernel=False,
            preserve_nan=False, allow_huge=True,
        )  # fmt: skip
        return Y[r:-r, r:-r]

    def scipy_2x(X):
        M = ~np.isnan(X)
        Kf = K[::-1, ::-1]
        num = ndi.correlate(np.where(M, X, 0.0), Kf, mode="nearest")
        den = ndi.correlate(M.astype(np.float64), Kf, mode="nearest")
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / den * K.sum()

    def ours(X):
        return convlens.conv2d(X, K, padding="same", boundary="edge", nan_policy="omit")

    out = {"convlens": ours, "scipy_2x": scipy_2x, "astropy_fft": astropy_fft}
    if not big:  # astropy's direct path takes minutes on large kernels
        out["astropy"] = astropy_direct
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--sigmas", default="1,3,8")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # astropy warns each time it interpolates NaN
    print(f"{args.size}^2 float64, 10% NaN + a hole, Gaussian, boundary edge; ms (ratio)")
    for sigma in (float(s) for s in args.sigmas.split(",")):
        K = convlens.kernels.gaussian(sigma)
        fns = peers(K, big=K.shape[0] > 25)
        data = frames(args.size, args.repeats + 1)
        ref = fns["convlens"](data[0])
        seen = np.isfinite(ref)  # inside the hole astropy's FFT path gives rounding noise
        for name, fn in fns.items():
            Y = fn(data[0])
            np.testing.assert_allclose(Y[seen], ref[seen], rtol=1e-7, atol=1e-9, err_msg=name)
        times: dict[str, list[float]] = {n: [] for n in fns}
        for X in data[1:]:
            for name, fn in fns.items():
                t0 = time.perf_counter()
                fn(X)
                times[name].append(time.perf_counter() - t0)
        med = {n: statistics.median(t) * 1e3 for n, t in times.items()}
        row = "  ".join(
            f"{n} {m:.1f}" + ("" if n == "convlens" else f" ({med['convlens'] / m:.2f})")
            for n, m in med.items()
        )
        print(f"sigma {sigma:g} ({K.shape[0]}x{K.shape[1]}): {row}")


if __name__ == "__main__":
    main()
