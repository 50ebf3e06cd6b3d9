"""``convlens bench``: convlens against OpenCV, SciPy and torch on this machine, or calibrate.

A thin layer over :mod:`convlens.bench` (the same harness as ``benchmarks/run.py``). The
harness, and with it SciPy, OpenCV and torch, is imported only when the command runs, so
``convlens --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os

import numpy as np

from .. import io, memory
from . import CLIError, positive_int

DEFAULT_SIZES = ("512",)
DEFAULT_KERNELS = (3, 15, 63)
KINDS = ("gaussian", "random", "log")
DTYPES = ("float32", "float64")
BOUNDARIES = ("constant", "reflect", "symmetric", "edge", "wrap")


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = 0.0
    if not x > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds; got {text!r}")
    return x


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="time convlens against cv2, scipy and torch; or calibrate the planner",
        description=(
            "Run convlens and its peers (cv2.filter2D, scipy.ndimage.correlate, "
            "scipy.signal.fftconvolve and oaconvolve, torch conv2d) in this process on the "
            "same random image with 'same' padding, and print one table of median times and "
            "the ratio convlens / best peer (below 1: convlens is faster)."
        ),
    )
    p.add_argument(
        "--size",
        nargs="+",
        default=list(DEFAULT_SIZES),
        metavar="N|HxW",
        help="image sizes, e.g. 2048 or 1536x2560 (default: 512)",
    )
    p.add_argument(
        "--kernel",
        nargs="+",
        type=int,
        default=list(DEFAULT_KERNELS),
        metavar="K",
        help="odd kernel sides (default: 3 15 63)",
    )
    p.add_argument(
        "--kind", nargs="+", choices=KINDS, default=list(KINDS), help="kernel kinds (default: all)"
    )
    p.add_argument(
        "--dtype", nargs="+", choices=DTYPES, default=["float32"], help="(default: float32)"
    )
    p.add_argument(
        "--boundary",
        nargs="+",
        choices=BOUNDARIES,
        default=["constant"],
        help="what fills the 'same' padding (default: constant)",
    )
    p.add_argument(
        "--repeat", type=positive_int, default=5, help="timed calls per median (default: 5)"
    )
    p.add_argument(
        "--budget",
        type=_positive_float,
        default=1.0,
        metavar="SECONDS",
        help="per-call budget: slower calls run once, hopeless ones are skipped (default: 1)",
    )
    p.add_argument("--json", metavar="PATH", help="also write the rows and summary as JSON")
    p.add_argument("--force", action="store_true", help="overwrite an existing --json file")
    p.add_argument(
        "--calibrate",
        action="store_true",
        help="instead of the table, fit the planner's cost model to this machine and store it",
    )
    p.add_argument("--quick", action="store_true", help="with --calibrate: a short calibration")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        # Piped or captured: a wide table beats one squeezed into 80 columns.
        out = Console(highlight=False, width=240)
    err = Console(stderr=True, highlight=False)
    if args.calibrate:
        return _calibrate(args, out, err)
    if args.quick:
        raise CLIError("`--quick` only applies with `--calibrate`")

    from .. import bench

    replace = False
    if args.json:
        # Checked before the sweep, so that minutes of timing are not lost at the end.
        io.check_output(args.json, force=args.force)
        replace = os.path.lexists(args.json)
    sizes = [bench.parse_size(s) for s in args.size]
    _check_sizes(sizes, args.dtype)
    from ..kernels import MAX_SIDE

    if max(args.kernel) > MAX_SIDE:
        raise CLIError(f"`--kernel` sides must be at most {MAX_SIDE}; got {max(args.kernel)}")
    points = bench.sweep_points(sizes, args.kernel, args.kind, args.dtype, args.boundary)
    with bench.progress_bar(err, len(points), "bench") as progress:
        rows = bench.run_sweep(points, repeat=args.repeat, budget_s=args.budget, progress=progress)
    env = bench.environment()
    out.print(bench.environment_line(env))
    summary = bench.print_sweep(out, rows)
    if args.json:
        text = json.dumps(bench.report(rows, env), indent=1, default=str) + "\n"
        io.atomic_write(args.json, lambda tmp: tmp.write_text(text), replace=replace)
    return 1 if summary.problems else 0


def _check_sizes(sizes: list[tuple[int, int]], dtypes: list[str]) -> None:
    """Refuse an image size whose arrays cannot fit, before any timing starts.

    Each point holds the image, the peers' outputs and a padded copy at once: about six
    images' worth of bytes.
    """
    item = max(np.dtype(d).itemsize for d in dtypes)
    for h, w in sizes:
        memory.check(6 * h * w * item, f"bench at size {h}x{w}", "--size", "pick a smaller size")


def _calibrate(args: argparse.Namespace, out, err) -> int:  # noqa: ANN001
    from .. import planner

    calibrate = getattr(planner, "calibrate", None)
    if calibrate is None:
        raise CLIError("this convlens has no planner.calibrate; cannot calibrate")
    from ..bench import progress_bar

    with progress_bar(err, 1, "calibrating") as progress:
        path = calibrate(quick=args.quick, progress=progress)
    out.print(f"calibrated cost model stored in {path}")
    return 0
