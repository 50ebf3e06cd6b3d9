"""filter_image on a real RGB photo against OpenCV and scipy.ndimage (same data, same process).

Prints the median of several runs for each peer and the ratio to convlens. Not run by CI.
Usage: python benchmarks/bench_filter.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import time

import cv2
import numpy as np
import scipy.ndimage as ndi
import skimage.data

from convlens import filter_image
from convlens import kernels as kb


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up: JIT, caches, thread pools
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    rgb = skimage.data.astronaut()  # 512 x 512 x 3 uint8
    cases = {
        "sobel 3x3": kb.sobel().astype(np.float32),
        "gaussian:2 17x17": kb.gaussian(2.0).astype(np.float32),
        "box:7 7x7": kb.box(7).astype(np.float32),
    }
    print(f"image {rgb.shape} {rgb.dtype}, float32 kernels, boundary reflect, same size")
    print(f"{'kernel':<18}{'peer':<22}{'median ms':>10}{'vs convlens':>13}")
    Xf = rgb.astype(np.float32)
    for name, K in cases.items():
        peers = {
            "convlens": lambda K=K: filter_image(rgb, K),
            "cv2.filter2D": lambda K=K: cv2.filter2D(Xf, -1, K, borderType=cv2.BORDER_REFLECT_101),
            "ndimage.correlate": lambda K=K: np.stack(
                [ndi.correlate(Xf[..., c], K, mode="mirror") for c in range(3)], axis=-1
            ),
        }
        ref = peers["convlens"]()
        for fn in peers.values():
            np.testing.assert_allclose(fn(), ref, rtol=1e-4, atol=1e-2)
        base = median_time(peers["convlens"], args.repeat)
        for peer, fn in peers.items():
            t = base if peer == "convlens" else median_time(fn, args.repeat)
            print(f"{name:<18}{peer:<22}{t * 1e3:>10.2f}{t / base:>12.2f}x")


if __name__ == "__main__":
    main()
