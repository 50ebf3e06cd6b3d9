"""Training steps: convlens.Conv2D against torch.nn.Conv2d, in one process, interleaved.

Each timed step is a whole step of a training loop: forward, MSE loss against a target,
``backward()``, ``optimizer.step()`` (SGD) and ``zero_grad``. The target is drawn afresh
before every step (outside the timing), so every step has a new output gradient: nothing
that depends on it can be reused from an earlier step. The two layers start from the same
parameters and alternate in runs of ``--block`` steps (A A A A, B B B B, B B B B, A A A A,
...), so load on the machine hits both alike; the table gives each side's median and the
ratio of the medians. The first step of each run is not timed: right after the other
side's step, caches and torch's thread pool are in that side's state (a 24 ms torch step
before a 3 ms convlens step made it 4.9 ms instead of 3.4 ms, and its loss and optimizer
step twice as slow), which no user's loop of one layer sees. ``--block 1`` gives the old
step-by-step alternation.

Points: one channel (1x1xn^2, "valid" padding) at k = 3, 7, 15, 31 for n = 512 and 1024,
and a small CNN (3 -> 16 -> 32 channels, 3x3, padding 1, ReLU, batch 16 of 64^2).
Before timing, one step of each is checked to agree (largest relative error of the loss
and of every parameter's gradient).

The last two columns count minor page faults per step on each side. With glibc's default
malloc, a step's large tensors may come from fresh ``mmap`` s (zeroed pages, faulted in)
or from reused heap, depending on the allocation history of the process: that moved the
small CNN's ratio between 0.74x and 1.0x with identical kernels on both sides.
``--steady-malloc`` fixes glibc's thresholds (``mallopt``: large blocks from the heap, no
trimming) for both sides alike, as PyTorch's CPU tuning guide's jemalloc/tcmalloc advice
does, so that the ratio compares the convolutions rather than the allocator's history.

    python benchmarks/bench_layer.py                 # everything
    python benchmarks/bench_layer.py --sizes 512 --kernels 3,31 --repeats 24 --block 1
    python benchmarks/bench_layer.py --threads 1 --steady-malloc
    python benchmarks/bench_layer.py --floor --no-cnn    # the FFT floor against torch

``--floor`` times, in convlens's place, the same three full-size transforms, two spectral
products and two DFT-matrix products as bare torch calls in an ``autograd.Function``
(``FloorConv``): no checks, no planning, no NumPy. It is the speed-up that any
implementation of this FFT method can reach inside the same loop.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import time
from collections.abc import Callable

import torch

from convlens import Conv2D


def single(n: int, k: int, conv_cls) -> torch.nn.Module:
    return conv_cls(1, 1, k)


class FloorConv(torch.nn.Module):
    """The FFT arithmetic of a one-channel "valid" training step as bare torch calls, with
    nothing else: the floor of any implementation that transforms X, the output and the
    output gradient at full size (``--floor``). Built like the other layers, from
    ``(1, 1, k)``; the transform length is the input's size (a power of two here)."""

    def __init__(self, c_in: int, c_out: int, k: int):
        super().__init__()
        ref = torch.nn.Conv2d(c_in, c_out, k)
        self.weight, self.bias = ref.weight, ref.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, k = x.shape[-1], self.weight.shape[-1]
        if getattr(self, "dft", None) is None or self.dft.shape != (n, k):  # once per shape
            u = torch.arange(n, dtype=torch.float64)[:, None] * torch.arange(k)[None, :]
            one = torch.ones((), dtype=torch.float64)
            self.dft = torch.polar(one, (2 * math.pi / n) * (u % n)).to(torch.complex64)
        return _Floor.apply(x, self.weight, self.bias, self.dft)


class _Floor(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b, dft):
        n, k = x.shape[-1], w.shape[-1]
        o = n - k + 1
        fx = torch.fft.rfft2(x[0, 0])
        fk = dft @ torch.fft.rfft(w[0, 0], n=n, dim=-1).conj()
        ctx.save_for_backward(fx, dft)
        return torch.add(torch.fft.irfft2(fx * fk, s=(n, n))[:o, :o], b)[None, None]

    @staticmethod
    def backward(ctx, g):
        fx, dft = ctx.saved_tensors
        n, k = fx.shape[0], dft.shape[1]
        fg = torch.fft.rfft2(g[0, 0], s=(n, n)).conj_physical_()
        fg *= fx
        gw = torch.fft.irfft((dft.mT @ fg) / n, n=n, dim=-1)[:, :k]
        return None, gw[None, None], g.sum().reshape(1), None


def small_cnn(conv_cls) -> torch.nn.Module:
    return torch.nn.Sequential(
        conv_cls(3, 16, 3, padding=1),
        torch.nn.ReLU(),
        conv_cls(16, 32, 3, padding=1),
    )


def make_step(model: torch.nn.Module, x: torch.Tensor) -> Callable[[torch.Tensor], float]:
    opt = torch.optim.SGD(model.parameters(), lr=1e-4)

    def step(target: torch.Tensor) -> float:
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        opt.step()
        return float(loss.detach())

    return step


def agreement(ref: torch.nn.Module, ours: torch.nn.Module, x, target) -> float:
    errs = []
    losses = []
    for m in (ref, ours):
        m.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(m(x), target)
        loss.backward()
        losses.append(loss.detach())
    errs.append(float((losses[0] - losses[1]).abs() / losses[0].abs()))
    for pa, pb in zip(ref.parameters(), ours.parameters(), strict=True):
        errs.append(float((pa.grad - pb.grad).abs().max() / pa.grad.abs().max()))
    ref.zero_grad(set_to_none=True)
    ours.zero_grad(set_to_none=True)
    return max(errs)


def compare(
    build: Callable, x: torch.Tensor, out_shape: tuple, repeats: int, seed: int, block: int = 1
) -> tuple[float, float, float, float, float]:
    torch.manual_seed(seed)
    ref = build(torch.nn.Conv2d)
    ours = build(Conv2D)
    ours.load_state_dict(ref.state_dict())
    gen = torch.Generator().manual_seed(seed)
    err = agreement(ref, ours, x, torch.randn(out_shape, generator=gen))
    steps = {"torch": make_step(ref, x), "convlens": make_step(ours, x)}
    times: dict[str, list[float]] = {"torch": [], "convlens": []}
    faults = {"torch": 0, "convlens": 0}
    for name in steps:  # warm-up: JIT compilation, FFT plans, allocator
        steps[name](torch.randn(out_shape, generator=gen))
    order = ["torch", "convlens"]
    for _ in range(-(-repeats // block)):
        for name in order:
            if block > 1:  # untimed: the first step after the other side's
                steps[name](torch.randn(out_shape, generator=gen))
            for _ in range(block):
                target = torch.randn(out_shape, generator=gen)  # a fresh output gradient
                f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                t0 = time.perf_counter()
                steps[name](target)
                times[name].append(time.perf_counter() - t0)
                faults[name] += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        order.reverse()
    t_ref, t_our = statistics.median(times["torch"]), statistics.median(times["convlens"])
    f_ref, f_our = faults["torch"] / len(times["torch"]), faults["convlens"] / len(times["torch"])
    return t_ref, t_our, err, f_ref, f_our


def steady_malloc() -> None:
    """Stop glibc's malloc from mapping and unmapping large blocks at every step."""
    import ctypes

    libc = ctypes.CDLL("libc.so.6")
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    ok = libc.mallopt(m_mmap_threshold, 32 << 20) and libc.mallopt(m_trim_threshold, 1 << 30)
    if not ok:
        raise SystemExit("mallopt refused the settings (not glibc?)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="512,1024")
    ap.add_argument("--kernels", default="3,7,15,31")
    ap.add_argument("--repeats", type=int, default=12)
    ap.add_argument("--no-cnn", action="store_true")
    ap.add_argument(
        "--block", type=int, default=4, help="steps in a row per side (1: alternate every step)"
    )
    ap.add_argument(
        "--floor",
        action="store_true",
        help="one-channel rows: time the bare-torch FFT floor (FloorConv) instead of convlens",
    )
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument(
        "--steady-malloc",
        action="store_true",
        help="glibc: serve large blocks from the heap and never trim it (both sides alike)",
    )
    args = ap.parse_args()
    if args.steady_malloc:
        steady_malloc()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(
        f"training steps (forward, MSE, backward, SGD step), fresh target each step; "
        f"torch {torch.__version__}, {torch.get_num_threads()} torch threads, "
        f"medians of {args.repeats} steps in runs of {args.block}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        + ("; steady malloc" if args.steady_malloc else "")
    )
    header = (
        f"{'problem':>24} {'torch.nn.Conv2d':>16} "
        f"{'FFT floor' if args.floor else 'convlens.Conv2D':>16} {'speed-up':>9} "
        f"{'rel.err':>8} {'faults/step':>13}"
    )
    print(header)
    print("-" * len(header))

    def row(name, t_ref, t_our, err, f_ref, f_our):
        print(
            f"{name:>24} {t_ref * 1e3:>13.2f} ms {t_our * 1e3:>13.2f} ms "
            f"{t_ref / t_our:>8.2f}x {err:>8.1e} {f_ref:>6.0f} {f_our:>6.0f}",
            flush=True,
        )

    for n in (int(v) for v in args.sizes.split(",")):
        x = torch.rand(1, 1, n, n, generator=torch.Generator().manual_seed(n))
        for k in (int(v) for v in args.kernels.split(",")):
            out = (1, 1, n - k + 1, n - k + 1)
            res = compare(
                lambda cls, k=k, n=n: single(n, k, FloorConv if args.floor and cls is Conv2D
                                             else cls),
                x, out, args.repeats, k, args.block,
            )  # fmt: skip
            row(f"1x1x{n}^2, k={k}" + (" floor" if args.floor else ""), *res)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if not args.no_cnn:
        x = torch.rand(16, 3, 64, 64, generator=torch.Generator().manual_seed(1))
        cnn = compare(small_cnn, x, (16, 32, 64, 64), args.repeats, 1, args.block)
        row("CNN 3-16-32, 16x3x64^2", *cnn)


if __name__ == "__main__":
    main()
