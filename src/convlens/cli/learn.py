"""``convlens learn``: recover the kernel that turned one image into another.

``convlens learn INPUT OUTPUT --size 3x3`` reads both images, fits ``OUTPUT = corr2d(INPUT,
K) (+ b)`` on the valid region, prints the kernel and the final loss, and can write the
kernel as JSON (``-o``, readable by ``convlens filter -k``) and the loss curve (``--plot``).
Colour images are converted to grey (Rec. 709 luma, alpha dropped) before fitting: the
conversion is linear, so a kernel applied to every channel is the kernel of the grey images.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import numpy as np

from .. import io
from . import CLIError, positive_int

# Rec. 709 luma, as skimage.color.rgb2gray.
LUMA = np.array([0.2125, 0.7154, 0.0721])
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def parse_size(text: str) -> tuple[int, int]:
    """``"3x3"``, ``"1x2"`` or ``"5"`` -> ``(kh, kw)``."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[xX,]\s*(\d+))?\s*", text)
    if not m or int(m.group(1)) < 1 or (m.group(2) is not None and int(m.group(2)) < 1):
        raise argparse.ArgumentTypeError(f"must be KHxKW or K with positive ints; got {text!r}")
    kh = int(m.group(1))
    return kh, int(m.group(2)) if m.group(2) is not None else kh


def parse_lr(text: str) -> float | str:
    if text == "auto":
        return text
    try:
        lr = float(text)
    except ValueError:
        lr = -1.0
    if not (math.isfinite(lr) and lr > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number or 'auto'; got {text!r}")
    return lr


def to_grey(img: np.ndarray, path: str) -> np.ndarray:
    """A 2-D float64 image: grey as is, RGB/RGBA through Rec. 709 luma (alpha dropped)."""
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        return img.astype(np.float64)
    if img.ndim == 3 and img.shape[-1] in (3, 4):
        return img[..., :3].astype(np.float64) @ LUMA
    raise CLIError(
        f"{path}: expected a grey (H, W) or colour (H, W, 3|4) image; got shape {img.shape}"
    )


def check_outputs(args: argparse.Namespace) -> None:
    inputs = [args.input, args.output]
    outs = [p for p in (args.kernel_json, args.plot) if p is not None]
    if len(outs) == 2 and Path(outs[0]).resolve() == Path(outs[1]).resolve():
        raise CLIError(f"-o/--kernel-json and --plot are the same file: {outs[0]}")
    if args.kernel_json is not None:
        if Path(args.kernel_json).suffix.lower() != ".json":
            raise CLIError(f"-o/--kernel-json must end in .json; got {args.kernel_json}")
        io.check_output(args.kernel_json, inputs=inputs, force=args.force)
    if args.plot is not None:
        if args.method != "gd":
            raise CLIError("--plot draws the loss per epoch, so it needs --method gd")
        if Path(args.plot).suffix.lower() not in FIGURE_SUFFIXES:
            raise CLIError(f"--plot must end in one of {FIGURE_SUFFIXES}; got {args.plot}")
        io.check_output(args.plot, inputs=inputs, force=args.force)


def run(args: argparse.Namespace) -> int:
    from ..learn import learn_kernel

    check_outputs(args)
    X = to_grey(io.read_image(args.input), args.input)
    Y = to_grey(io.read_image(args.output), args.output)
    opts = dict(
        method=args.method,
        bias=args.bias,
        reduction="mean" if args.method == "gd" else "sum",
        allow_underdetermined=args.allow_underdetermined,
    )
    if args.method == "gd":
        opts.update(lr=args.lr, num_epochs=args.epochs, seed=args.seed, optimizer=args.optimizer)
        fit = _fit_with_progress(learn_kernel, X, Y, args.size, opts, args.epochs)
    else:
        fit = learn_kernel(X, Y, args.size, **opts)
    _report(fit, args)
    if args.kernel_json is not None:
        _write_json(fit, args)
    if args.plot is not None:
        from ..plot.loss import plot_loss

        plot_loss(
            fit.losses, args.plot, title=f"convlens learn: {fit.kernel.shape} kernel",
            ylabel="mean squared error",
        )  # fmt: skip
    return 0


def _fit_with_progress(learn_kernel, X, Y, size, opts, epochs):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("gradient descent"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("gd", total=epochs, loss="-")
        return learn_kernel(
            X,
            Y,
            size,
            progress=lambda epoch, loss: bar.update(task, completed=epoch, loss=f"{loss:.4g}"),
            **opts,
        )


def _report(fit, args: argparse.Namespace) -> None:
    kh, kw = fit.kernel.shape
    print(f"recovered {kh}x{kw} kernel ({fit.method}):")
    print(np.array2string(fit.kernel, precision=6, suppress_small=True, max_line_width=99))
    if args.bias:
        print(f"bias: {fit.bias:.6g}")
    if fit.method == "gd":
        print(f"epochs: {len(fit.losses)}, lr: {fit.lr:.4g}")
    rank = "not measured" if fit.rank is None else f"{fit.rank} of {fit.n_unknowns}"
    print(f"rank: {rank}" + (" (underdetermined)" if fit.underdetermined else ""))
    mse = fit.residual / fit.n_equations
    print(f"final loss: {mse:.6g} (mean squared error over {fit.n_equations} valid pixels)")
    print(f"relative residual: {fit.relative_residual:.3g}")
    for warning in poor_fit_warnings(fit):
        print(f"convlens learn: warning: {warning}", file=sys.stderr)


# A kernel that explains less than this share of OUTPUT is not the filter that made it.
POOR_FIT = 0.05


def poor_fit_warnings(fit) -> list[str]:
    """Why ``fit`` should not be trusted, in words (none for a good fit).

    Examples
    --------
    >>> import numpy as np
    >>> from convlens.learn import KernelFit
    >>> fit = KernelFit(np.zeros((1, 2)), 0.0, np.array([4.0, 5.0]), 5.0, "gd", 10, 2, 2,
    ...                 False, target_energy=5.0)
    >>> poor_fit_warnings(fit)  # doctest: +NORMALIZE_WHITESPACE
    ['the fit is poor: relative residual 1 (above 0.05); OUTPUT may not be a linear filter
      of INPUT (a colour-mapped PNG, a crop, a non-linear filter) or the kernel size is
      wrong', 'gradient descent did not converge (the loss rose over the last epochs); try
      a smaller --lr, more --epochs, or --method lstsq']
    """
    out = []
    if fit.relative_residual > POOR_FIT:
        out.append(
            f"the fit is poor: relative residual {fit.relative_residual:.3g} (above "
            f"{POOR_FIT}); OUTPUT may not be a linear filter of INPUT (a colour-mapped PNG, "
            "a crop, a non-linear filter) or the kernel size is wrong"
        )
    losses = np.asarray(fit.losses)
    tail = losses[-max(2, len(losses) // 10) :]
    if fit.method == "gd" and (not np.all(np.isfinite(tail)) or tail[-1] > tail[0]):
        out.append(
            "gradient descent did not converge (the loss rose over the last epochs); try a "
            "smaller --lr, more --epochs, or --method lstsq"
        )
    return out


def _write_json(fit, args: argparse.Namespace) -> None:
    doc = {
        "kernel": fit.kernel.tolist(),
        "bias": fit.bias,
        "method": fit.method,
        "loss": fit.residual / fit.n_equations,
        "residual": fit.residual,
        "rank": fit.rank,
        "n_unknowns": fit.n_unknowns,
        "underdetermined": fit.underdetermined,
        "input": str(args.input),
        "output": str(args.output),
        "losses": fit.losses.tolist(),
    }
    text = json.dumps(doc, indent=2) + "\n"
    io.atomic_write(args.kernel_json, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "learn",
        help="recover the kernel that turned INPUT into OUTPUT",
        description=(
            "Fit OUTPUT = corr2d(INPUT, K) (+ bias) on the valid region and print K. OUTPUT "
            "has the valid shape or INPUT's shape (made with padding 'same'); colour images "
            "are converted to grey (Rec. 709 luma)."
        ),
    )
    p.add_argument("input", help="the original image (PNG/JPEG/TIFF/.npy)")
    p.add_argument("output", help="the filtered image (PNG/JPEG/TIFF/.npy)")
    p.add_argument("--size", type=parse_size, required=True, help="kernel size KHxKW, e.g. 3x3")
    p.add_argument(
        "--method",
        choices=("lstsq", "gd"),
        default="lstsq",
        help="lstsq: exact least squares (default); gd: gradient descent as in the chapter",
    )
    p.add_argument("--epochs", type=positive_int, default=100, help="gd: number of epochs (100)")
    p.add_argument(
        "--lr",
        type=parse_lr,
        default="auto",
        help="gd: learning rate on the mean squared error, or 'auto' (the default)",
    )
    p.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd", help="gd: optimizer")
    p.add_argument("--seed", type=int, default=0, help="gd: seed of the initial kernel (0)")
    p.add_argument("--bias", action="store_true", help="also fit an additive bias")
    p.add_argument(
        "--allow-underdetermined",
        action="store_true",
        help="return a kernel even when the images cannot determine it uniquely",
    )
    p.add_argument("-o", "--kernel-json", metavar="FILE.json", help="write the kernel as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="gd: write the loss curve (log y-axis)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=run)
