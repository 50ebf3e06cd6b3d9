"""Streaming options of ``convlens filter``: Zarr stores and big TIFFs, chunk by chunk.

``convlens filter`` calls :func:`add_stream_options` on its parser and, when
:func:`wants_stream` says so, hands the run to :func:`run_stream` instead of reading the
whole image into memory. Streaming is chosen when the input or the output is a ``.zarr``
store, when ``--chunks``, ``--scheduler`` or ``--address`` is given, or when a TIFF input
is larger than :data:`STREAM_BYTES`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from . import CLIError, positive_int

# A TIFF bigger than this on disk is streamed even without --chunks: it may not fit in memory.
STREAM_BYTES = 512 * 2**20


def add_stream_options(p: argparse.ArgumentParser) -> None:
    """Add ``--chunks``, ``--scheduler`` and ``--address`` to a subcommand's parser."""
    g = p.add_argument_group(
        "large images (Zarr / big TIFF, streamed chunk by chunk with Dask)",
        "Used when the input or output is a .zarr store, when any option below is given, or "
        f"for a TIFF input over {STREAM_BYTES // 2**20} MiB. Outputs: .zarr or tiled .tif.",
    )
    g.add_argument(
        "--chunks",
        type=positive_int,
        metavar="N",
        help="spatial chunk size in pixels (default: the Zarr store's chunks, else 4096)",
    )
    g.add_argument(
        "--scheduler",
        choices=("threads", "processes", "distributed"),
        help="where the chunks run (default: threads)",
    )
    g.add_argument(
        "--address",
        metavar="tcp://HOST:PORT",
        help="a running dask.distributed scheduler (implies --scheduler distributed)",
    )


def wants_stream(args: argparse.Namespace) -> bool:
    """Whether this ``convlens filter`` run should stream rather than load the image."""
    from ..stream import is_tiff, is_zarr

    if getattr(args, "chunks", None) or getattr(args, "scheduler", None):
        return True
    if getattr(args, "address", None):
        return True
    src, dst = Path(args.input), Path(args.output)
    if is_zarr(src) or dst.suffix.lower() == ".zarr":
        return True
    return is_tiff(src) and src.is_file() and os.path.getsize(src) > STREAM_BYTES


def run_stream(args: argparse.Namespace, kernels: list[np.ndarray]) -> int:
    """Filter ``args.input`` into ``args.output`` chunk by chunk; print one summary line.

    ``kernels`` is one kernel, or the x and y kernels of ``--magnitude`` (their gradient
    magnitude ``hypot(gx, gy)`` is computed lazily, block by block).
    """
    from .. import stream
    from .filter import parse_padding, to_precision

    scheduler = args.scheduler or ("distributed" if args.address else "threads")
    stream.check_scheduler(scheduler, args.address)
    if getattr(args, "compare", None):
        raise CLIError("--compare needs the whole image in memory; it cannot be streamed")
    if getattr(args, "abs", False) or getattr(args, "rescale", False):
        raise CLIError("--abs/--rescale map to PNG; streamed outputs keep exact values")
    stream.check_stream_output(args.output, [args.input], args.force)
    chunks = args.chunks
    if stream.is_tiff(args.output) and chunks is not None:
        chunks = -(-chunks // 16) * 16  # TIFF tiles are multiples of 16
    X = stream.open_lazy(args.input, chunks)
    X, kernels = to_precision(X, kernels, args.dtype)
    Y = _filtered(X, kernels, args, parse_padding(args.padding))
    try:
        result = stream.write_lazy(
            Y,
            args.output,
            inputs=[args.input],
            scheduler=scheduler,
            address=args.address,
            progress=True,
            force=args.force,
        )
    except (ValueError, TypeError, OSError, CLIError):
        raise
    except Exception as exc:  # a corrupt chunk decoded on a worker, say: one line, exit 2
        raise CLIError(
            f"failed while filtering {args.input}: {type(exc).__name__}: {exc}"
        ) from exc
    shape = "x".join(str(n) for n in result.shape)
    chunk = "x".join(str(n) for n in result.chunks[:2])
    print(
        f"wrote {result.path} ({shape}, {result.dtype}, {result.blocks} blocks of {chunk}, "
        f"scheduler {scheduler})"
    )
    sys.stdout.flush()
    return 0


def _filtered(X: Any, kernels: list[np.ndarray], args: argparse.Namespace, padding: Any) -> Any:
    import dask.array as da

    from ..image import filter_image

    opts = dict(
        conv=args.conv,
        padding=padding,
        boundary=args.boundary,
        value=args.value,
        method=args.method,
    )
    if len(kernels) == 1:
        return filter_image(X, kernels[0], **opts)
    gx, gy = (filter_image(X, K, **opts) for K in kernels)
    alpha = X.ndim == 3 and X.shape[-1] in (2, 4)
    if not alpha:
        return da.hypot(gx, gy)
    return da.concatenate([da.hypot(gx[..., :-1], gy[..., :-1]), gx[..., -1:]], axis=-1)
