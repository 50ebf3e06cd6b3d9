"""Forward + backward of one conv layer: convlens.Conv2D vs torch.nn.Conv2d, on the CPU.

A single-channel 1024 x 1024 float32 image, one output channel, "valid" padding, kernels
3 .. 63. Each step is ``y = layer(x); y.backward(g)`` with gradients for the input, the
weight and the bias. Both layers hold the same parameters (``load_state_dict``) and run in
the same process on the same data; the results are checked to agree before timing.
Prints one table of medians and the ratio torch / convlens (> 1: convlens is faster).

    python benchmarks/bench_layer.py [--size 1024] [--kernels 3,5,...] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from convlens.nn import Conv2D


def step(layer: torch.nn.Module, x: torch.Tensor, g: torch.Tensor) -> None:
    layer.zero_grad(set_to_none=True)
    x.grad = None
    layer(x).backward(g)


def median_time(fn, repeats: int, budget_s: float) -> tuple[float, int]:
    fn()  # warm-up: JIT compilation, FFT plans, allocator
    times: list[float] = []
    while len(times) < repeats:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        # Slow points get fewer repeats (at least 3) so the sweep finishes.
        if len(times) >= 3 and sum(times) > budget_s:
            break
    return statistics.median(times), len(times)


def check_agreement(ours, ref, x, g) -> float:
    xa, xb = x.detach().clone().requires_grad_(True), x.detach().clone().requires_grad_(True)
    ya, yb = ref(xa), ours(xb)
    ya.backward(g)
    yb.backward(g)
    ya, yb = ya.detach(), yb.detach()
    scale = float(ya.abs().max())
    errs = [float((ya - yb).abs().max()) / scale]
    for a, b in ((xa.grad, xb.grad), (ref.weight.grad, ours.weight.grad)):
        errs.append(float((a - b).abs().max() / a.abs().max()))
    ours.zero_grad()
    ref.zero_grad()
    return max(errs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--kernels", default="3,5,7,11,15,21,31,45,63")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per point, soft")
    args = ap.parse_args()
    n = args.size
    print(f"forward + backward, 1x1x{n}x{n} float32, valid padding, "
          f"torch {torch.__version__}, {torch.get_num_threads()} torch threads")  # fmt: skip
    header = (
        f"{'k':>4} {'torch.nn.Conv2d':>16} {'convlens.Conv2D':>16} {'ratio':>8} {'rel.err':>9}"
    )
    print(header)
    print("-" * len(header))
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 1, n, n, generator=gen).requires_grad_(True)
    for k in (int(v) for v in args.kernels.split(",")):
        torch.manual_seed(k)
        ref = torch.nn.Conv2d(1, 1, k)
        ours = Conv2D(k, in_channels=1, out_channels=1)
        ours.load_state_dict(ref.state_dict())
        g = torch.randn(1, 1, n - k + 1, n - k + 1, generator=gen)
        err = check_agreement(ours, ref, x, g)
        t_ref, r1 = median_time(lambda: step(ref, x, g), args.repeats, args.budget)  # noqa: B023
        t_our, r2 = median_time(lambda: step(ours, x, g), args.repeats, args.budget)  # noqa: B023
        print(
            f"{k:>4} {t_ref * 1e3:>13.1f} ms {t_our * 1e3:>13.1f} ms {t_ref / t_our:>7.1f}x "
            f"{err:>9.1e}   (runs {r1}/{r2})",
            flush=True,
        )


if __name__ == "__main__":
    main()
