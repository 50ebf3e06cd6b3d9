"""Options shared by ``convlens filter`` and its streaming path (``cli/_stream.py``).

Kept apart so that neither module imports the other.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from . import CLIError


def finite_float(text: str) -> float:
    """argparse ``type=`` for a finite real number (``--value``): not nan, inf or 1e400."""
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"must be a finite number; got {text!r}")
    return x


def parse_padding(text: str) -> Any:
    """``same``/``valid``/``full``, ``P``, ``P_H,P_W`` or ``TOP,BOTTOM,LEFT,RIGHT``."""
    text = text.strip()
    if text in ("same", "valid", "full"):
        return text
    try:
        nums = [int(t) for t in text.split(",")]
    except ValueError:
        nums = []
    if len(nums) == 1:
        return nums[0]
    if len(nums) == 2:
        return (nums[0], nums[1])
    if len(nums) == 4:
        return ((nums[0], nums[1]), (nums[2], nums[3]))
    raise CLIError(
        f"--padding must be same, valid, full, P, P_H,P_W or TOP,BOTTOM,LEFT,RIGHT; got {text!r}"
    )


def compute_dtype(image_dtype: np.dtype, choice: str) -> np.dtype:
    """The precision to filter in: ``--dtype``, or for ``auto`` float64 only for float64 input.

    The bank builds kernels in float64, and by the contract's dtype rule that would make an
    8-bit image compute in float64: twice the memory and time, for no visible gain (float32's
    24-bit mantissa holds any 8- or 16-bit image exactly).
    """
    if choice != "auto":
        return np.dtype(choice)
    return np.dtype(np.float64 if np.dtype(image_dtype) == np.float64 else np.float32)


def to_precision(image: Any, Ks: list[np.ndarray], choice: str) -> tuple[Any, list]:
    """Cast the kernels, and a wider float image, to :func:`compute_dtype`."""
    dt = compute_dtype(image.dtype, choice)
    if np.dtype(image.dtype).kind == "f" and np.dtype(image.dtype).itemsize > dt.itemsize:
        image = image.astype(dt)
    return image, [K.astype(dt) for K in Ks]


def filter_options(args: argparse.Namespace, padding: Any) -> dict:
    """The keyword arguments of ``filter_image`` that ``convlens filter`` sets, in memory or
    streamed."""
    return dict(
        conv=args.conv,
        padding=padding,
        boundary=args.boundary,
        value=args.value,
        method=args.method,
        nan_policy=args.nan,
        min_weight=args.min_weight,
    )


def unit_float(text: str) -> float:
    """argparse ``type=`` for a share in [0, 1] (``--min-weight``)."""
    try:
        x = float(text)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1; got {text!r}")
    return x
