"""``convlens rf``: the receptive field of every layer, as a table (and pictures).

``convlens rf "conv3,conv3,pool2,conv3:d2"`` prints the table for a layer list (grammar in
:func:`convlens.receptive.parse_spec`); ``convlens rf --model package.module:factory`` does
the same for a user's network (a module-level ``torch.nn.Module`` or a callable that returns
one, called without arguments). ``--plot rf.png`` draws the field of one output unit over an
image (``skimage.data.camera()`` unless ``--image``), ``--erf erf.png`` the effective field
(Luo et al. 2016) with the theoretical one outlined, and ``--json`` prints the rows as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .. import io, memory
from . import CLIError

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def parse_ints(text: str) -> tuple[int, ...]:
    """``"1,3,224,224"`` -> ``(1, 3, 224, 224)``."""
    if not re.fullmatch(r"\s*\d+(\s*,\s*\d+)*\s*", text):
        raise argparse.ArgumentTypeError(
            f"must be comma-separated non-negative ints; got {text!r}"
        )
    return tuple(int(v) for v in text.split(","))


def load_model(ref: str) -> Any:
    """Import ``package.module:name``; call ``name`` if it is not already a module."""
    import torch

    mod_name, sep, attr = ref.partition(":")
    if not sep or not mod_name or not attr:
        raise CLIError(f"--model must look like package.module:factory; got {ref!r}")
    try:
        module = importlib.import_module(mod_name)
    except ImportError as exc:
        raise CLIError(f"--model: cannot import {mod_name!r}: {exc}") from exc
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise CLIError(f"--model: {mod_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not isinstance(obj, torch.nn.Module):
        if not callable(obj):
            raise CLIError(f"--model: {ref} is neither a torch.nn.Module nor callable")
        try:
            obj = obj()
        except Exception as exc:  # user code: report, do not crash
            raise CLIError(f"--model: calling {ref}() failed: {exc}") from exc
    if not isinstance(obj, torch.nn.Module):
        raise CLIError(f"--model: {ref} gave a {type(obj).__name__}, not a torch.nn.Module")
    return obj.eval()


def load_picture(path: str | None) -> np.ndarray:
    """The image to draw on: ``path``, or the camera man from scikit-image."""
    if path is not None:
        return io.read_image(path)
    try:
        from skimage import data
    except ImportError as exc:
        raise CLIError("--plot without --image needs scikit-image; pass --image FILE") from exc
    return data.camera()


def _outputs(args: argparse.Namespace) -> None:
    inputs = [args.image] if args.image else []
    outs = [p for p in (args.plot, args.erf) if p is not None]
    if len(outs) == 2 and Path(outs[0]).resolve() == Path(outs[1]).resolve():
        raise CLIError(f"--plot and --erf are the same file: {outs[0]}")
    for p in outs:
        if Path(p).suffix.lower() not in FIGURE_SUFFIXES:
            raise CLIError(f"figure outputs must end in one of {FIGURE_SUFFIXES}; got {p}")
        io.check_output(p, inputs=inputs, force=args.force)


def run(args: argparse.Namespace) -> int:
    from ..receptive import effective_field, parse_spec, receptive_field

    if (args.spec is None) == (args.model is None):
        raise CLIError("give a layer SPEC or --model package.module:factory (exactly one)")
    _outputs(args)
    if args.input_size is not None and len(args.input_size) not in (2, 4):
        raise CLIError(f"--input-size must be N,C,H,W or H,W; got {args.input_size}")
    source: Any = parse_spec(args.spec) if args.spec is not None else load_model(args.model)
    picture = load_picture(args.image) if args.plot else None
    size = args.input_size
    if size is None and picture is not None:
        size = picture.shape[:2]
    if size is not None and len(size) == 2:
        channels = 1 if args.spec is not None else _in_channels(source)
        size = (1, channels, *size)
    table = receptive_field(source, size)
    if not len(table):
        raise CLIError("the network has no spatial layer before it stops: " + str(table.note))
    if args.erf and size is not None:
        # The gradient pass holds the input, its gradient and every layer's output: bound
        # it before torch tries (and fails with a multi-line allocator error).
        memory.check(
            16 * math.prod(size) * max(len(table), 1),
            f"--erf on an input of size {','.join(map(str, size))}",
            "--input-size",
            "pick a smaller --input-size",
        )
    if args.json:
        print(json.dumps({"layers": table.to_dicts(), "note": table.note}))
    else:
        from rich.console import Console

        width = max(shutil.get_terminal_size((120, 24)).columns, 120)
        console = Console(width=width, highlight=False)
        console.print(table)
        console.print(table.LEGEND, style="dim")
    row = table[-1]
    if args.unit is not None and len(args.unit) != 2:
        raise CLIError(f"--unit must be I,J; got {args.unit}")
    if args.plot:
        from ..plot.receptive import plot_field_on_image

        _check_unit(args.unit, row)
        plot_field_on_image(picture, row, args.plot, unit=args.unit)
        print(f"wrote {args.plot}", file=sys.stderr)
    if args.erf:
        if size is None:
            raise CLIError("--erf needs --input-size (or --plot's image) for the input shape")
        from ..plot.receptive import plot_effective_field

        _check_unit(args.unit, row)
        model = source if args.spec is None else args.spec
        erf = effective_field(model, size, unit=args.unit, samples=args.samples, seed=args.seed)
        plot_effective_field(erf, row, args.erf, unit=args.unit)
        print(f"wrote {args.erf}", file=sys.stderr)
    return 0


def _check_unit(unit: tuple[int, ...] | None, row: Any) -> None:
    if unit is not None and row.shape is not None:
        if unit[0] >= row.shape[0] or unit[1] >= row.shape[1]:
            raise CLIError(f"--unit {unit} is outside the {row.shape[0]}x{row.shape[1]} output")


def _in_channels(model: Any) -> int:
    import torch.nn as nn

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            return int(m.in_channels)
    return 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rf",
        help="receptive field of every layer (size, effective stride/padding, centre)",
        description=(
            "Print the receptive field of every layer of a layer list or a torch network. "
            "SPEC: comma-separated conv<K>, pool<K>, tconv<K>, pad<P> (K: N or HxW) with "
            "options :s<stride> :p<padding>|:psame :d<dilation>, e.g. "
            "'conv3,conv3:s2:p1,pool2,conv3x1:d2'."
        ),
    )
    p.add_argument("spec", nargs="?", help="layer list, e.g. 'conv3,conv3,pool2,conv3:d2'")
    p.add_argument("--model", metavar="PKG.MOD:FACTORY", help="a torch network to analyse")
    p.add_argument(
        "--input-size",
        type=parse_ints,
        metavar="N,C,H,W",
        help="input shape (adds each layer's output size; default for --erf)",
    )
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="draw one unit's field over an image")
    p.add_argument("--image", metavar="FILE", help="image for --plot (default: camera)")
    p.add_argument("--erf", metavar="FILE.png", help="draw the effective receptive field")
    p.add_argument("--unit", type=parse_ints, metavar="I,J", help="output unit (default centre)")
    p.add_argument("--samples", type=int, default=16, help="--erf: random draws averaged (16)")
    p.add_argument("--seed", type=int, default=0, help="--erf: random seed (0)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=run)
