"""The benchmark of issues 3 and 10: convlens against cv2, scipy and torch, in one process.

    python benchmarks/run.py                      # everything, unattended (~40 min, 2 cores)
    python benchmarks/run.py --quick              # issue 10's table and sections, ~5 min
    python benchmarks/run.py --sizes 2048 --kernels 3 15 63 --dtypes float32
    python benchmarks/run.py --sizes 512 --cnn --cold   # a chosen sweep plus sections
    python benchmarks/run.py --no-sweep --cold    # only the cold start
    python benchmarks/run.py --markdown docs/benchmark-results.md --json benchmarks/results.json

Without ``--sizes`` (and with ``--quick``) every section runs: the sweep, the points where
users call (issue 10's table, 640x480 uint8 images, a batch of 64 128² images in one call),
the CNN shapes, the per-call overhead and the cold start; the run ends with the summary
that issue 10's targets are stated in.

The peers, the timing rule and the table live in ``convlens.bench`` (shared with
``convlens bench``); ``docs/benchmarks.md`` explains the method and every column.
Exit status 1 if any peer disagreed with convlens or anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from rich.console import Console

from convlens import bench

QUICK = dict(
    sizes=["256", "512"],
    kernels=[3, 5],
    kinds=["gaussian", "random"],
    dtypes=["float32"],
    boundaries=["reflect"],
    repeat=3,
    budget=0.25,
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="benchmarks/run.py", description=__doc__.split("\n\n")[0].strip()
    )
    p.add_argument("--quick", action="store_true", help="issue 10's table, about 5 minutes")
    p.add_argument("--sizes", nargs="+", metavar="N|HxW", help="default: 512 2048 4096 1536x2560")
    p.add_argument("--kernels", nargs="+", type=int, help="default: 3 5 7 11 15 31 63")
    p.add_argument("--kinds", nargs="+", choices=bench.ALL_KINDS, help="default: all but sobel")
    p.add_argument(
        "--dtypes", nargs="+", choices=bench.ALL_DTYPES, help="default: float32 float64"
    )
    p.add_argument(
        "--boundaries", nargs="+", choices=bench.ALL_BOUNDARIES, help="default: constant reflect"
    )
    p.add_argument("--repeat", type=int, help="timed calls per median, at least (default 5)")
    p.add_argument(
        "--min-time",
        type=float,
        default=0.05,
        help="seconds of timed calls per median, at least (default 0.05; up to 2000 calls)",
    )
    p.add_argument("--budget", type=float, help="per-call budget in seconds (default 1)")
    p.add_argument("--json", metavar="PATH", help="write rows, summary and sections as JSON")
    p.add_argument("--markdown", metavar="PATH", help="write the report as Markdown")
    p.add_argument("--cnn", action="store_true", help="add batched CNN shapes vs torch")
    p.add_argument("--cold", action="store_true", help="add the cold-process CLI time")
    p.add_argument("--overhead", action="store_true", help="add the per-call overhead")
    p.add_argument(
        "--user-points", action="store_true", help="add issue 10's points (uint8, batches)"
    )
    p.add_argument("--cold-runs", type=int, help="fresh processes (default 7, quick 3)")
    p.add_argument("--no-sweep", action="store_true", help="skip the sweep (with --cnn/--cold)")
    args = p.parse_args(argv)
    if args.sizes is None and not args.no_sweep:
        # The unattended run: every section.
        args.cnn = args.cold = args.overhead = args.user_points = True
    if args.cold_runs is None:
        args.cold_runs = 3 if args.quick else 7
    preset = QUICK if args.quick else {}
    defaults = dict(
        sizes=[f"{h}x{w}" for h, w in bench.SIZES],
        kernels=list(bench.KERNEL_SIZES),
        kinds=list(bench.KINDS),
        dtypes=list(bench.DTYPES),
        boundaries=list(bench.BOUNDARIES),
        repeat=5,
        budget=1.0,
    )
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, preset.get(key, value))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    before, bench.MIN_S = bench.MIN_S, args.min_time  # for this run only
    try:
        return _run(args, argv)
    finally:
        bench.MIN_S = before


def _run(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    out = Console(highlight=False, width=None if Console().is_terminal else 240)
    err = Console(stderr=True, highlight=False)
    env = bench.environment()
    stamp = time.strftime("%Y-%m-%d %H:%M")
    out.print(f"convlens benchmark, {stamp}\n{bench.environment_line(env)}")
    md = [
        "# convlens benchmark results",
        "",
        f"Measured {stamp} with `python benchmarks/run.py {' '.join(argv or sys.argv[1:])}`.",
        "",
        f"Environment: {bench.environment_line(env)}.",
        "",
    ]
    data: dict = {"environment": env}
    problems = 0

    targets: list[str] = []
    if not args.no_sweep:
        sizes = [bench.parse_size(s) for s in args.sizes]
        points = bench.sweep_points(sizes, args.kernels, args.kinds, args.dtypes, args.boundaries)
        if args.user_points:
            extra = [p for p in bench.user_points(quick=args.quick) if p not in points]
            points = sorted(points + extra, key=lambda p: (p.pixels * p.batch, p.ksize))
        t0 = time.perf_counter()
        with bench.progress_bar(err, len(points), "sweep") as progress:
            rows = bench.run_sweep(
                points, repeat=args.repeat, budget_s=args.budget, progress=progress
            )
        took = time.perf_counter() - t0
        summary = bench.print_sweep(out, rows)
        lines = bench.summary_lines(summary)
        targets += [line for line in lines if not line.startswith("PROBLEM")]
        targets += [
            f"slower than the best peer: {r.point.label} ({r.ratio:.2f})" for r in summary.slower
        ][:20]
        uint8 = [r for r in rows if r.point.dtype == "uint8"]
        for r in uint8[:1]:
            outs = ", ".join(
                f"{n}: {m.note.removeprefix('output ')}" for n, m in r.peers.items() if m.note
            )
            targets.append(f"uint8 points: convlens gives float32; peers give {outs}")
        problems += len(summary.problems)
        out.print(f"sweep took {took:.0f} s (repeat {args.repeat}, budget {args.budget:g} s)")
        data.update(bench.report(rows, env))
        md += [
            "## Sweep: median ms, ratio = convlens / best peer",
            "",
            bench.LEGEND,
            "",
            bench.to_markdown(rows),
            "",
            "## Summary",
            "",
            *(f"- {line}" for line in lines),
            f"- sweep took {took:.0f} s (repeat {args.repeat}, budget {args.budget:g} s)",
            "",
        ]

    if args.cnn:
        cases = bench.CNN_CASES[:3] if args.quick else bench.CNN_CASES
        cnn = bench.run_cnn(cases, repeat=args.repeat)
        table = bench.cnn_markdown(cnn)
        out.print("\nCNN shapes vs torch.nn.functional.conv2d (float32, 'same', median ms)")
        out.print(table)
        problems += sum(r.torch.status == bench.MISMATCH for r in cnn)
        data["cnn"] = [
            {
                "case": r.case.label,
                "engine": r.engine,
                "convlens_ms": r.convlens.median_ms,
                "torch_ms": r.torch.median_ms,
                "torch_status": r.torch.status,
                "ratio": r.ratio,
            }
            for r in cnn
        ]
        md += [
            "## CNN shapes vs torch.nn.functional.conv2d (float32, 'same', median ms)",
            "",
            table,
            "",
        ]
        for r in cnn:
            if r.ratio is not None:
                targets.append(f"CNN {r.case.label}: {r.ratio:.2f} x F.conv2d via {r.engine}")

    if args.overhead:
        over = bench.run_overhead(repeat=100 if args.quick else 300)
        table = bench.overhead_markdown(over)
        out.print("\nPer-call overhead (float32, median us of calls timed in turns)")
        out.print(table)
        data["overhead"] = [vars(r) | {"overhead_us": r.overhead_us} for r in over]
        md += ["## Per-call overhead (float32, median us)", "", table, ""]
        for r in over:
            targets.append(
                f"overhead {r.label}: corr2d {r.call_us:.1f} us, {r.engine}'s own run "
                f"{r.engine_us:.1f} us: +{r.overhead_us:.1f} us (target <= 15 us on 8x8); "
                f"auto / forced {r.call_us / r.forced_us:.2f}"
            )

    if args.cold:
        cold = bench.run_cold(runs=args.cold_runs)
        line = (
            f"cold process: {cold.command}: median {cold.median_s:.3f} s over "
            f"{len(cold.times_s)} fresh processes (python -c 'import numpy' alone: "
            f"{cold.baseline_s:.3f} s)"
        )
        out.print("\n" + line)
        data["cold"] = {
            "command": cold.command,
            "median_s": cold.median_s,
            "times_s": cold.times_s,
            "baseline_s": cold.baseline_s,
        }
        md += ["## Cold start", "", f"- {line}", ""]
        targets.append(f"cold CLI: {cold.median_s:.3f} s (target < 0.6 s)")

    if targets:
        out.print("\n[bold]Summary against issue 10's targets[/bold]")
        for line in targets:
            out.print(f"- {line}")
        md += ["## Summary against issue 10's targets", "", *(f"- {t}" for t in targets), ""]
        data["targets"] = targets

    if args.json:
        bench.write_json(args.json, data)
    if args.markdown:
        bench.write_text(args.markdown, "\n".join(md))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
