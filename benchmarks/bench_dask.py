"""convlens vs dask-image on a chunked Zarr image: throughput (MPix/s) and peak RSS.

Each measurement runs in its own process under ``/usr/bin/time -v`` (its "Maximum resident
set size" is the peak RSS), so one peer's memory never counts against another. Both peers
read the same Zarr store with the same chunking, and the result goes to a sink that drops
each block (``da.store`` into a null target), so the timings measure reading + filtering,
not the speed of a disk writer. Reported: the median of ``--repeats`` runs, and ratios.

Usage::

    python benchmarks/bench_dask.py                  # 16384^2 float32 (1 GiB), chunks 4096
    python benchmarks/bench_dask.py --size 8192 --repeats 3

The store is created once under /tmp and reused.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SIGMA = 3.0


def kernels() -> dict[str, np.ndarray]:
    from convlens import kernels as bank

    rng = np.random.default_rng(0)
    return {
        # scipy's truncate=4: radius 12, a 25x25 kernel, the same taps for both peers.
        f"gaussian sigma={SIGMA:g} (25x25)": bank.gaussian(sigma=SIGMA, size=25).astype(
            np.float32
        ),
        "random 15x15": rng.standard_normal((15, 15)).astype(np.float32),
    }


def make_store(path: Path, size: int, chunk: int) -> None:
    import zarr

    if (path / "zarr.json").is_file():
        z = zarr.open_array(str(path), mode="r")
        if z.shape == (size, size) and z.chunks == (chunk, chunk):
            return
    z = zarr.create_array(
        str(path),
        shape=(size, size),
        chunks=(chunk, chunk),
        dtype="float32",
        compressors=None,  # raw chunks: measure filtering, not zstd
        overwrite=True,
    )
    rng = np.random.default_rng(1)
    for i in range(0, size, chunk):
        z[i : i + chunk, :] = rng.random((min(chunk, size - i), size), dtype=np.float32)


class _Null:
    """A ``da.store`` target that drops every block."""

    def __setitem__(self, key, value) -> None:
        pass


def worker(store: str, peer: str, kernel_name: str, threads: int) -> None:
    import dask
    import dask.array as da

    X = da.from_zarr(store)
    K = kernels()[kernel_name]
    if peer == "convlens":
        import convlens

        Y = convlens.corr2d(X, K, padding="same", boundary="reflect")
    elif peer == "dask-image correlate":
        from dask_image import ndfilters

        Y = ndfilters.correlate(X, K, mode="mirror")
    elif peer == "dask-image gaussian_filter":
        from dask_image import ndfilters

        Y = ndfilters.gaussian_filter(X, SIGMA, mode="mirror")
    else:
        raise SystemExit(f"unknown peer {peer!r}")
    t0 = time.perf_counter()
    with dask.config.set(scheduler="threads", num_workers=threads):
        da.store(Y, _Null(), lock=False)
    dt = time.perf_counter() - t0
    print(f"SECONDS {dt:.4f}")


def measure(store: Path, peer: str, kernel_name: str, threads: int) -> tuple[float, float]:
    cmd = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        __file__,
        "--worker",
        peer,
        "--kernel",
        kernel_name,
        "--store",
        str(store),
        "--threads",
        str(threads),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, check=True)
    seconds = float(re.search(r"SECONDS ([\d.]+)", r.stdout).group(1))
    kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return seconds, kib / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=16384)
    ap.add_argument("--chunk", type=int, default=4096)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="0: one per core")
    ap.add_argument("--worker")
    ap.add_argument("--kernel")
    ap.add_argument("--store")
    args = ap.parse_args()
    import os

    threads = args.threads or os.cpu_count() or 1
    if args.worker:
        worker(args.store, args.worker, args.kernel, threads)
        return
    store = Path(f"/tmp/convlens-bench-{args.size}-{args.chunk}.zarr")
    make_store(store, args.size, args.chunk)
    mpix = args.size**2 / 1e6
    print(
        f"{args.size}x{args.size} float32 ({args.size**2 * 4 / 2**30:.2f} GiB) Zarr, "
        f"chunks {args.chunk}^2, {threads} threads, median of {args.repeats}"
    )
    print("| kernel | peer | MPix/s | seconds | peak RSS GiB | convlens speed-up |")
    print("|---|---|---:|---:|---:|---:|")
    for kname in kernels():
        peers = ["convlens", "dask-image correlate"]
        if kname.startswith("gaussian"):
            peers.append("dask-image gaussian_filter")
        rows = {}
        for peer in peers:
            runs = [measure(store, peer, kname, threads) for _ in range(args.repeats)]
            rows[peer] = (
                statistics.median(r[0] for r in runs),
                max(r[1] for r in runs),
            )
        base = rows["convlens"][0]
        for peer, (sec, rss) in rows.items():
            ratio = "" if peer == "convlens" else f"{sec / base:.1f}x"
            print(f"| {kname} | {peer} | {mpix / sec:.1f} | {sec:.2f} | {rss:.2f} | {ratio} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
