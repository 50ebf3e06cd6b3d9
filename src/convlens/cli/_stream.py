"""Streaming options of ``convlens filter``: Zarr stores and big TIFFs, chunk by chunk.

``convlens filter`` calls :func:`add_stream_options` on its parser and, when
:func:`wants_stream` says so, hands the run to :func:`run_stream` instead of reading the
whole image into memory. Streaming is chosen when the input or the output is a ``.zarr``
store, when ``--chunks``, ``--scheduler`` or ``--address`` is given, or when filtering the
decoded image in memory would not fit in the available memory (see :func:`wants_stream`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .. import io, memory
from . import CLIError, positive_int
from ._options import compute_dtype, filter_options, parse_padding, to_precision


def add_stream_options(p: argparse.ArgumentParser) -> None:
    """Add ``--chunks``, ``--scheduler`` and ``--address`` to a subcommand's parser."""
    g = p.add_argument_group(
        "large images (Zarr / big TIFF, streamed chunk by chunk with Dask)",
        "Used when the input or output is a .zarr store, when any option below is given, or "
        "when a TIFF/.npy input would not fit in memory. Outputs: .zarr or tiled .tif.",
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


def wants_stream(args: argparse.Namespace, kernels: list[np.ndarray] | None = None) -> bool:
    """Whether this ``convlens filter`` run should stream rather than load the image.

    Yes for a Zarr input or output and with ``--chunks``/``--scheduler``/``--address``.
    Otherwise by the *decoded* size (the header's shape x dtype, not the bytes on disk: a
    small compressed TIFF can decode to tens of GiB): when filtering in memory would not fit
    in the available memory, a TIFF or ``.npy`` input streams into a ``.tif``/``.zarr``
    output, and anything else is refused with a ``MemoryError`` that says what to do.
    """
    from ..stream import is_tiff, is_zarr

    if getattr(args, "chunks", None) or getattr(args, "scheduler", None):
        return True
    if getattr(args, "address", None):
        return True
    src, dst = Path(args.input), Path(args.output)
    if is_zarr(src) or dst.suffix.lower() == ".zarr":
        return True
    if not src.is_file():
        return False
    info = io.decoded_shape(src)
    if info is None:
        return False
    shape, dtype = info
    need = in_memory_bytes(shape, dtype, kernels or [], args)
    if need <= memory.available_bytes():
        return False
    streamable_in = is_tiff(src) or src.suffix.lower() == ".npy"
    if streamable_in and is_tiff(dst):
        return True
    size = "x".join(str(n) for n in shape)
    way_out = (
        "write a .tif or .zarr output (-o out.tif), which streams chunk by chunk (--chunks)"
        if streamable_in
        else "convert it to a tiled TIFF or Zarr store first, then use --chunks"
    )
    memory.check(need, f"filtering {src} ({size} {dtype}) in memory", "input", way_out)
    return False


def in_memory_bytes(
    shape: tuple[int, ...], dtype: np.dtype, kernels: list[np.ndarray], args: argparse.Namespace
) -> int:
    """Peak bytes of ``convlens filter`` in memory: the decoded image, then per kernel the
    filter's own peak (:func:`convlens.memory.corr2d_peak`), plus the display copy."""
    h, w = shape[0], shape[1]
    c = shape[2] if len(shape) == 3 else 1
    work = compute_dtype(dtype, getattr(args, "dtype", "auto"))
    kh, kw = max((K.shape for K in kernels), default=(1, 1))
    x4, k4, pads = (1, c, h, w), (1, 1, kh, kw), ((kh, kh), (kw, kw))
    method = getattr(args, "method", "auto")
    peak = memory.corr2d_peak(x4, np.dtype(dtype), k4, x4, pads, work, method)
    # Each kernel's result is kept (the magnitude combines two), and a display image is made.
    extra = (len(kernels) - 1 + 1) * h * w * c * work.itemsize
    return memory.nbytes(shape, dtype) + peak + extra


def run_stream(args: argparse.Namespace, kernels: list[np.ndarray]) -> int:
    """Filter ``args.input`` into ``args.output`` chunk by chunk; print one summary line.

    ``kernels`` is one kernel, or the x and y kernels of ``--magnitude`` (their gradient
    magnitude ``hypot(gx, gy)`` is computed lazily, block by block).
    """
    from .. import stream

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
            # A bar on a terminal only, erased when done: a log gets nothing but results.
            progress="transient" if sys.stderr.isatty() else False,
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

    opts = filter_options(args, padding)
    if len(kernels) == 1:
        return filter_image(X, kernels[0], **opts)
    gx, gy = (filter_image(X, K, **opts) for K in kernels)
    alpha = X.ndim == 3 and X.shape[-1] in (2, 4)
    if not alpha:
        return da.hypot(gx, gy)
    return da.concatenate([da.hypot(gx[..., :-1], gy[..., :-1]), gx[..., -1:]], axis=-1)
