"""``convlens kernels``: list the kernel bank, or show one kernel's values (and a picture)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import io, kernels
from . import CLIError


def run(args: argparse.Namespace) -> int:
    if args.show is None:
        if args.plot:
            raise CLIError("--plot needs --show NAME[:ARGS]")
        width = max(len(n) for n in kernels.names())
        for name in kernels.names():
            sig, _, doc = kernels.describe(name).partition(": ")
            print(f"{name:<{width}}  {doc}")
            print(f"{'':<{width}}    {sig}")
        print("\nUse NAME[:ARGS], e.g. gaussian:2, sobel:y, gaussian:sigma=2,size=9.")
        return 0
    K = kernels.from_spec(args.show)
    if args.plot:
        if Path(args.plot).suffix.lower() not in (".png", ".svg", ".pdf"):
            raise CLIError(f"--plot must end in .png, .svg or .pdf; got {args.plot}")
        io.check_output(args.plot, force=args.force)
    print(f"{args.show}: shape {K.shape[0]} x {K.shape[1]}, sum {K.sum():.6g}")
    print(np.array2string(K, precision=4, suppress_small=True, max_line_width=99))
    if args.plot:
        from ..plot.images import kernel_figure

        kernel_figure(K, args.plot, title=args.show)
        print(f"wrote {args.plot}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kernels", help="list the kernel bank, or show one kernel")
    p.add_argument("--show", metavar="NAME[:ARGS]", help="print this kernel's values")
    p.add_argument("--plot", metavar="FIG", help="with --show: write a heatmap (.png/.svg/.pdf)")
    p.add_argument("--force", action="store_true", help="overwrite an existing --plot file")
    p.set_defaults(func=run)
