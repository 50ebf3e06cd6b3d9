"""Argument normalisation and validation, in one place.

Every public entry point funnels its options through these helpers, so each error message
names the argument, the allowed values and the value received, the same way everywhere.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

BOUNDARIES = ("constant", "reflect", "symmetric", "edge", "wrap")
PADDING_MODES = ("valid", "same", "full")

Pair = tuple[int, int]
Pads = tuple[Pair, Pair]

# Sizes, strides, dilations and paddings beyond this are refused as such: no image axis is
# longer, and the compiled engines index with 64-bit ints that larger values would overflow.
MAX_INT = 2**40


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def as_pair(value: Any, name: str, *, minimum: int = 1) -> Pair:
    """Normalise an int-or-pair argument (PyTorch's ``_pair``) and check its range."""
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"`{name}` must be an int or a pair of ints; got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"`{name}` must be >= {minimum} on both axes; got {value!r}")
    if max(pair) > MAX_INT:
        raise ValueError(f"`{name}` must be at most 2**40 on both axes; got {value!r}")
    return pair


# Boundary names that other libraries use, with the library and the convlens (numpy.pad)
# equivalent: an alien name is refused, never guessed, because two of them ("reflect" in
# scipy.ndimage and in numpy) mean different things; the error says what to write instead.
FOREIGN_BOUNDARIES: dict[str, tuple[str, str]] = {
    "mirror": ("scipy.ndimage", "reflect"),
    "grid-mirror": ("scipy.ndimage", "symmetric"),
    "nearest": ("scipy.ndimage", "edge"),
    "grid-wrap": ("scipy.ndimage", "wrap"),
    "grid-constant": ("scipy.ndimage", "constant"),
    "fill": ("scipy.signal", "constant"),
    "symm": ("scipy.signal", "symmetric"),
    "circular": ("torch", "wrap"),
    "replicate": ("torch and OpenCV", "edge"),
    "zeros": ("torch", "constant"),
    "border": ("torch", "edge"),
    "extend": ("astropy", "edge"),
    "periodic": ("astropy and scikit-image", "wrap"),
    "BORDER_CONSTANT": ("OpenCV", "constant"),
    "BORDER_REPLICATE": ("OpenCV", "edge"),
    "BORDER_REFLECT": ("OpenCV", "symmetric"),
    "BORDER_REFLECT_101": ("OpenCV", "reflect"),
    "BORDER_REFLECT101": ("OpenCV", "reflect"),
    "BORDER_DEFAULT": ("OpenCV", "reflect"),
    "BORDER_WRAP": ("OpenCV", "wrap"),
}


def check_boundary(boundary: Any) -> str:
    """Return ``boundary`` if it is a convlens (numpy.pad) name; else raise, naming the
    convlens equivalent of another library's name.

    Examples
    --------
    >>> check_boundary("edge")
    'edge'
    >>> check_boundary("mirror")
    Traceback (most recent call last):
    ...
    ValueError: `boundary` must be one of ('constant', 'reflect', 'symmetric', 'edge', \
'wrap'); got 'mirror': scipy.ndimage's 'mirror' is convlens's 'reflect'
    """
    if isinstance(boundary, str) and boundary in BOUNDARIES:
        return boundary
    msg = f"`boundary` must be one of {BOUNDARIES}; got {boundary!r}"
    if isinstance(boundary, str):
        key = boundary.upper() if boundary.upper().startswith("BORDER_") else boundary
        if key in FOREIGN_BOUNDARIES:
            lib, ours = FOREIGN_BOUNDARIES[key]
            extra = " with `value=`" if ours == "constant" else ""
            msg += f": {lib}'s {boundary!r} is convlens's {ours!r}{extra}"
    raise ValueError(msg)


def check_value(value: Any) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"`value` must be a real number; got {value!r}")
    return float(value)


def check_groups(groups: Any, c_in: int, c_out: int) -> int:
    if not _is_int(groups) or groups < 1:
        raise ValueError(f"`groups` must be a positive int; got {groups!r}")
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"`groups`={groups} must divide both input channels ({c_in}) and "
            f"output channels ({c_out})"
        )
    return int(groups)


def normalize_padding(padding: Any, reach: Pair) -> Pads:
    """Turn any accepted ``padding`` into ``((top, bottom), (left, right))``.

    ``reach`` is the dilated kernel extent minus one, ``d * (k - 1)``, per axis.
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "full":
            return ((reach[0], reach[0]), (reach[1], reach[1]))
        if padding == "same":
            # The odd extra row/column goes bottom/right, as in PyTorch and TensorFlow.
            return tuple((r // 2, r - r // 2) for r in reach)  # type: ignore[return-value]
        raise ValueError(
            f"`padding` must be one of {PADDING_MODES}, an int or pairs; got {padding!r}"
        )
    if _is_int(padding):
        p = int(padding)
        pads: Pads = ((p, p), (p, p))
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        if all(_is_int(v) for v in padding):
            pads = ((int(padding[0]),) * 2, (int(padding[1]),) * 2)  # type: ignore[assignment]
        elif all(
            isinstance(v, (tuple, list)) and len(v) == 2 and all(_is_int(u) for u in v)
            for v in padding
        ):
            pads = tuple((int(v[0]), int(v[1])) for v in padding)  # type: ignore[assignment]
        else:
            raise TypeError(
                "`padding` must be an int, a pair (p_h, p_w), pairs ((top, bottom), "
                f"(left, right)) or one of {PADDING_MODES}; got {padding!r}"
            )
    else:
        raise TypeError(
            "`padding` must be an int, a pair (p_h, p_w), pairs ((top, bottom), "
            f"(left, right)) or one of {PADDING_MODES}; got {padding!r}"
        )
    if min(min(p) for p in pads) < 0:
        raise ValueError(f"`padding` must be non-negative; got {padding!r}")
    if max(max(p) for p in pads) > MAX_INT:
        raise ValueError(f"`padding` must be at most 2**40 on every side; got {padding!r}")
    return pads


def output_size(n: int, pad_total: int, k: int, stride: int, dilation: int) -> int:
    """The contract's output-size law for one axis: ``floor((n + p - d(k-1) - 1) / s) + 1``."""
    return (n + pad_total - dilation * (k - 1) - 1) // stride + 1


def check_dtype(dtype: np.dtype, name: str) -> None:
    """Allow bool, integers and real floats; refuse complex, objects, strings, times."""
    if dtype.kind not in "biuf":
        raise TypeError(
            f"`{name}` must have a real numeric dtype (bool, int, uint or float); got {dtype}"
        )
    if dtype.kind == "f" and dtype.itemsize > 8:
        raise TypeError(
            f"`{name}` must be float16, float32 or float64 (the engines compute in at most "
            f"float64); got {dtype}: cast it with .astype(np.float64)"
        )


def result_dtype(x_dtype: np.dtype, k_dtype: np.dtype) -> np.dtype:
    """The contract's dtype rule: ``np.result_type(X, K, np.float32)``."""
    return np.result_type(x_dtype, k_dtype, np.float32)


def check_finite(arr: np.ndarray, name: str) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"`{name}` holds NaN or infinity (check_finite=True)")
