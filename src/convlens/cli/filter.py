"""``convlens filter``: apply a kernel to an image file and write the result.

The steps are separate functions so that another input/output path (a chunked Zarr or big
TIFF reader, say) can replace :func:`read_input` / :func:`write_output` and keep the rest::

    kernel(s) -> check outputs -> read_input -> compute -> write_output -> compare figure

How a float result becomes a PNG/JPEG (``--abs``, ``--rescale`` or the automatic choice) is
documented in :mod:`convlens.plot.images` and ``docs/filtering.md``; ``.tif``/``.npy``
outputs keep the exact float values.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

from .. import io, kernels
from .._checks import BOUNDARIES
from . import CLIError
from ._options import filter_options, finite_float, parse_padding, to_precision, unit_float
from ._stream import add_stream_options, run_stream, wants_stream

DISPLAY_SUFFIXES = (".png", ".jpg", ".jpeg")
EXACT_SUFFIXES = (".tif", ".tiff", ".npy")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
SHOWN = {
    "clip": "output",
    "diverging": "output (red > 0 > blue)",
    "abs": "output |Y|",
    "rescale": "output, min..max rescaled",
}


def resolve_kernels(spec: str, magnitude: bool) -> list[np.ndarray]:
    """The kernel, or the x and y kernels for ``--magnitude``.

    ``spec`` is a ``.json``/``.npy`` file, a JSON list, or ``NAME[:ARGS]`` from the bank. For
    ``--magnitude`` a bank kernel with an ``axis`` is built for ``x`` and ``y``; a kernel given
    by its values is paired with its transpose.
    """
    path = Path(spec)
    if path.suffix.lower() in (".json", ".npy") or (path.is_file() and not spec.startswith("[")):
        K = io.read_kernel(path)
        return [K, K.T.copy()] if magnitude else [K]
    if not magnitude or spec.lstrip().startswith("["):
        K = kernels.from_spec(spec)
        return [K, K.T.copy()] if magnitude else [K]
    name = spec.partition(":")[0].strip()
    if not kernels.has_axis(name):
        with_axis = [n for n in kernels.names() if kernels.has_axis(n)]
        raise CLIError(f"--magnitude needs a kernel with an x/y pair {with_axis}; got {name!r}")
    return [kernels.from_spec(spec, axis=a) for a in ("x", "y")]


def display_mode(args: argparse.Namespace, K: np.ndarray) -> str:
    """The PNG mapping: ``--abs``/``--rescale`` if given, else chosen from the kernel."""
    if args.abs:
        return "abs"
    if args.rescale:
        return "rescale"
    if args.magnitude:
        return "abs"
    # A kernel summing to 1 keeps the image's brightness: show it as an image.
    return "clip" if abs(float(K.sum()) - 1.0) < 1e-6 else "diverging"


def check_outputs(args: argparse.Namespace) -> bool:
    """Refuse bad or clashing outputs; return whether ``-o`` already exists (``--force``)."""
    out = Path(args.output)
    if out.suffix.lower() not in DISPLAY_SUFFIXES + EXACT_SUFFIXES:
        raise CLIError(
            f"-o/--output must end in one of {DISPLAY_SUFFIXES + EXACT_SUFFIXES}; got {out.name}"
        )
    io.check_output(out, inputs=[args.input], force=args.force)
    if args.compare:
        cmp = Path(args.compare)
        if cmp.suffix.lower() not in FIGURE_SUFFIXES:
            raise CLIError(f"--compare must end in one of {FIGURE_SUFFIXES}; got {cmp.name}")
        if cmp.resolve() == out.resolve():
            raise CLIError(f"--compare and -o/--output are the same file: {cmp}")
        io.check_output(cmp, inputs=[args.input], force=args.force)
    return os.path.lexists(out)


def read_input(path: str) -> np.ndarray:
    """Read the input image (PNG/JPEG/TIFF/.npy) into memory."""
    return io.read_image(path)


def compute(image: Any, Ks: list[np.ndarray], args: argparse.Namespace) -> tuple[Any, bool]:
    """Filter, or the gradient magnitude of an x/y pair; returns ``(Y, has_alpha)``."""
    from ..image import filter_image

    c = image.shape[-1] if image.ndim == 3 else 0
    alpha = c in (2, 4)
    opts = filter_options(args, parse_padding(args.padding))
    if len(Ks) == 1:
        return filter_image(image, Ks[0], **opts), alpha
    gx, gy = (filter_image(image, K, **opts) for K in Ks)
    if not alpha:
        return np.hypot(gx, gy), alpha
    mag = np.hypot(gx[..., :-1], gy[..., :-1])
    return np.concatenate([mag, gx[..., -1:]], axis=-1), alpha


def write_output(
    path: str,
    Y: Any,
    shown: np.ndarray | None,
    replace: bool | None = None,
    mode: str | None = None,
) -> None:
    """Exact values for ``.tif``/``.npy``, else the display mapping ``shown``.

    ``replace``: whether an existing ``path`` may be replaced (see :func:`io.atomic_write`);
    ``mode``: the display mapping, recorded in a PNG so that it is not read back as data.
    """
    if Path(path).suffix.lower() in EXACT_SUFFIXES:
        io.write_array(path, np.asarray(Y), replace=replace)
        return
    assert shown is not None
    if Path(path).suffix.lower() in (".jpg", ".jpeg"):
        # JPEG holds neither alpha nor 16 bits.
        if shown.ndim == 3 and shown.shape[-1] in (2, 4):
            shown = shown[..., :-1]
        if shown.dtype == np.uint16:
            shown = (shown // 257).astype(np.uint8)
        if shown.ndim == 3 and shown.shape[-1] == 1:
            shown = shown[..., 0]
    io.write_image(path, shown, replace=replace, display=mode)


def run(args: argparse.Namespace) -> int:
    Ks = resolve_kernels(args.kernel, args.magnitude)
    if wants_stream(args, Ks):  # Zarr / big TIFF: chunk by chunk (cli/_stream.py)
        return run_stream(args, Ks)
    replace = check_outputs(args)
    image = read_input(args.input)
    image, Ks = to_precision(image, Ks, args.dtype)
    Y, alpha = compute(image, Ks, args)
    needs_display = args.compare or Path(args.output).suffix.lower() in DISPLAY_SUFFIXES
    shown = None
    mode = "exact"
    if needs_display:
        from ..plot.images import to_display

        mode = display_mode(args, Ks[0])
        shown = to_display(np.asarray(Y), mode, source_dtype=image.dtype, alpha=alpha)
    write_output(args.output, Y, shown, replace, mode)
    if args.compare:
        from ..plot.images import compare_figure

        title = f"{'conv2d' if args.conv else 'corr2d'} with {args.kernel}"
        if args.magnitude:
            title += " (gradient magnitude; x kernel shown)"
        compare_figure(image, Ks[0], shown, args.compare, title=title, output_title=SHOWN[mode])
    shape = "x".join(str(n) for n in np.shape(Y))
    print(f"wrote {args.output} ({shape}, {np.asarray(Y).dtype}, {mode})")
    if args.compare:
        print(f"wrote {args.compare}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "filter",
        help="apply a kernel to an image file",
        description=(
            "Filter an image (PNG/JPEG/TIFF/.npy) with a kernel from the bank (NAME[:ARGS], "
            "see `convlens kernels`), a JSON file, or literal values such as '[[1,-1]]'. "
            "Defaults: same-size output, reflect boundary, cross-correlation. PNG/JPEG "
            "outputs are mapped for viewing (signed results: a diverging colour map centred "
            "on zero); .tif/.npy keep the exact float values."
        ),
    )
    p.add_argument("input", help="input image: PNG, JPEG, TIFF or .npy")
    p.add_argument(
        "-k",
        "--kernel",
        required=True,
        help="NAME[:ARGS] (e.g. sobel:y, gaussian:2, gaussian:sigma=2,size=9), "
        "a .json/.npy file, or a JSON list such as '[[1,-1]]'",
    )
    p.add_argument("-o", "--output", required=True, help="output: .png/.jpg, .tif or .npy")
    p.add_argument("--conv", action="store_true", help="strict convolution (flip the kernel)")
    p.add_argument(
        "--dtype",
        choices=("auto", "float32", "float64"),
        default="auto",
        help="precision of the kernel and result (default: float64 only for float64 input)",
    )
    p.add_argument(
        "--padding",
        default="same",
        help="same (default), valid, full, P, P_H,P_W or TOP,BOTTOM,LEFT,RIGHT",
    )
    p.add_argument(
        "--boundary", default="reflect", choices=BOUNDARIES, help="padding fill (numpy.pad)"
    )
    p.add_argument("--value", type=finite_float, default=0.0, help="fill for --boundary constant")
    p.add_argument(
        "--nan",
        default="propagate",
        choices=("propagate", "omit", "fill"),
        help="NaN pixels: spread (propagate), left out by normalised convolution (omit), "
        "or counted as --value (fill)",
    )
    p.add_argument(
        "--min-weight",
        type=unit_float,
        default=0.0,
        help="with --nan omit: NaN where less of the kernel's mass saw valid pixels",
    )
    p.add_argument(
        "--magnitude",
        action="store_true",
        help="gradient magnitude sqrt(gx^2 + gy^2) of the kernel's x/y pair",
    )
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--abs", action="store_true", help="PNG shows |Y| (black is 0)")
    shown.add_argument(
        "--rescale", action="store_true", help="PNG maps [min, max] linearly to [0, 255]"
    )
    p.add_argument("--compare", metavar="FIG", help="also write input | kernel | output figure")
    p.add_argument("--method", default="auto", help="engine (default: the planner chooses)")
    p.add_argument("--force", action="store_true", help="overwrite existing outputs")
    add_stream_options(p)
    p.set_defaults(func=run)
