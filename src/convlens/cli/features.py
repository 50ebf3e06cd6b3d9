"""``convlens features IMAGE -o grid.png``: draw the feature maps of a network on an image.

The default network is :func:`convlens.zoo.edge_stack`: four fixed edge detectors (Sobel x
and y, the Laplacian, the chapter's ``[1, -1]``), ReLU, 2x2 max pool, then eight seeded
random 3x3 filters, so the first row is interpretable and the second shows how features
combine. ``--model package.module:factory`` uses your own network instead. The image is
scaled to 0..1 (integers by their dtype's maximum) and converted to the channels the first
convolution expects (grey via Rec. 709 luma, or grey repeated to RGB).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .. import io
from . import CLIError
from .rf import FIGURE_SUFFIXES, load_model

LUMA = np.array([0.2125, 0.7154, 0.0721])


def prepare(img: np.ndarray, channels: int, path: str) -> np.ndarray:
    """``(H, W)`` or ``(H, W, C)`` float32 in 0..1 with ``channels`` channels."""
    a = np.asarray(img)
    if a.dtype.kind not in "biuf":
        raise CLIError(f"{path}: not a numeric image (dtype {a.dtype})")
    scale = float(np.iinfo(a.dtype).max) if a.dtype.kind in "iu" else 1.0
    a = a.astype(np.float64) / scale
    if a.ndim == 3 and a.shape[-1] in (2, 4):  # drop alpha
        a = a[..., :-1]
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[-1] != 3):
        raise CLIError(f"{path}: expected a grey or RGB image; got shape {np.shape(img)}")
    if channels == 1 and a.ndim == 3:
        a = a @ LUMA
    elif channels == 3 and a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=-1)
    elif channels not in (1, 3):
        raise CLIError(f"the model's first convolution takes {channels} channels; need 1 or 3")
    return a.astype(np.float32)


def run(args: argparse.Namespace) -> int:
    from ..plot.receptive import plot_feature_maps
    from ..receptive import feature_maps

    if Path(args.output).suffix.lower() not in FIGURE_SUFFIXES:
        raise CLIError(f"-o must end in one of {FIGURE_SUFFIXES}; got {args.output}")
    io.check_output(args.output, inputs=[args.image], force=args.force)
    if args.max_maps < 1:
        raise CLIError(f"--max-maps must be >= 1; got {args.max_maps}")
    if args.model is None:
        from ..zoo import edge_stack

        model: Any = edge_stack(args.seed).eval()
    else:
        model = load_model(args.model)
    x = prepare(io.read_image(args.image), _in_channels(model), args.image)
    layers = [n.strip() for n in args.layers.split(",")] if args.layers else None
    try:
        maps = feature_maps(model, x, layers=layers)
    except RuntimeError as exc:  # torch: e.g. a 1x1 image that a pooling layer cannot shrink
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        size = "x".join(str(n) for n in x.shape[:2])
        raise CLIError(f"the network cannot run on this {size} image: {first}") from exc
    if not maps:
        raise CLIError("the model has no Conv2d layer; pick layers with --layers")
    shown = x if x.ndim == 2 else np.clip(x, 0, 1)
    plot_feature_maps(
        maps, args.output, max_maps=args.max_maps, image=shown, title=Path(args.image).name
    )
    for name, m in maps.items():
        print(f"{name}: {tuple(m.shape[1:])}")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _in_channels(model: Any) -> int:
    import torch.nn as nn

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            return int(m.in_channels)
    raise CLIError("the model has no convolution, so it has no feature maps to draw")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "features",
        help="draw the feature maps of a network on an image",
        description=(
            "Run IMAGE through a network and draw its conv layers' outputs as a grid. "
            "Default network: fixed edge detectors then seeded random filters (zoo.edge_stack)."
        ),
    )
    p.add_argument("image", help="input image (PNG/JPEG/TIFF/.npy)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.png", help="the grid figure")
    p.add_argument("--model", metavar="PKG.MOD:FACTORY", help="a torch network (default: edges)")
    p.add_argument("--layers", metavar="A,B", help="submodule names to draw (default: convs)")
    p.add_argument("--max-maps", type=int, default=8, help="channels drawn per layer (8)")
    p.add_argument("--seed", type=int, default=0, help="seed of the default model's filters (0)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output")
    p.set_defaults(func=run)
