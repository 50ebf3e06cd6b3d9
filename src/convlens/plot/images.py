"""Pictures of filtered images: display mappings for PNG output, kernel heatmaps, comparisons.

A filtered image is float and may be signed, so writing it as a PNG needs a mapping to
0..255. The mappings (``mode``):

- ``"clip"``: for image-like results (kernels that sum to 1: blur, sharpen): round and clip
  to the source's range (uint8 0..255, uint16 0..65535, float taken as 0..1) and keep the
  source's integer dtype, so a blurred photo looks like a photo.
- ``"diverging"``: for signed responses (kernels that sum to 0: edges, derivatives). One
  channel goes through the ``RdBu_r`` colour map centred on zero: white is 0, red positive,
  blue negative, saturating at ``+-s`` with ``s`` the 99.5th percentile of ``|Y|`` (so a few
  extreme pixels do not wash the picture out). Several channels cannot share one colour map,
  so each is mapped to grey around the middle: ``128 + 127 Y / s``.
- ``"abs"``: ``255 |Y| / s``, clipped; black is 0. For magnitudes.
- ``"rescale"``: linear from ``[min Y, max Y]`` to ``[0, 255]``.

Alpha, when present, is converted to uint8 and appended unchanged. matplotlib is imported
only by the functions that draw.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

MODES = ("clip", "diverging", "abs", "rescale")
CMAP = "RdBu_r"
PERCENTILE = 99.5


def _scale(Y: np.ndarray) -> float:
    s = float(np.percentile(np.abs(Y), PERCENTILE)) if Y.size else 0.0
    if s == 0.0:
        s = float(np.abs(Y).max()) if Y.size else 0.0
    return s if s > 0 else 1.0


def _to_uint8(unit: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(unit * 255.0), 0, 255).astype(np.uint8)


def _alpha_uint8(A: np.ndarray, source_dtype: np.dtype) -> np.ndarray:
    if np.issubdtype(source_dtype, np.integer):
        return _to_uint8(A / np.iinfo(source_dtype).max)
    return _to_uint8(A)


def diverging(Y: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Map a 2-D signed array to RGB uint8 with ``RdBu_r`` centred on zero.

    Examples
    --------
    >>> import numpy as np
    >>> diverging(np.array([[-1.0, 0.0, 1.0]]), scale=1.0)[0].tolist()
    [[5, 48, 97], [247, 246, 246], [103, 0, 31]]
    """
    import matplotlib

    s = _scale(Y) if scale is None else scale
    rgba = matplotlib.colormaps[CMAP](np.clip(0.5 + 0.5 * np.asarray(Y) / s, 0.0, 1.0))
    return _to_uint8(rgba[..., :3])


def to_display(
    Y: np.ndarray,
    mode: str,
    *,
    source_dtype: Any = np.uint8,
    alpha: bool = False,
) -> np.ndarray:
    """Map a filtered image ``(H, W)`` or ``(H, W, C)`` to an array a PNG can hold.

    Parameters
    ----------
    Y : ndarray
        The filter's output, with alpha as its last channel if ``alpha``.
    mode : {"clip", "diverging", "abs", "rescale"}
        The mapping; see the module docstring.
    source_dtype : dtype
        The input image's dtype: sets the range for ``"clip"`` and the alpha scale.
    alpha : bool
        Whether the last channel is alpha (appended unchanged, as uint8).

    Returns
    -------
    img : ndarray
        uint8 (uint16 for ``"clip"`` of a uint16 source); RGB for ``"diverging"`` of one
        channel.

    Examples
    --------
    >>> import numpy as np
    >>> to_display(np.array([[-3.0, 0.0, 300.0]]), "clip")
    array([[  0,   0, 255]], dtype=uint8)
    >>> to_display(np.array([[-2.0, 0.0, 2.0]]), "rescale")
    array([[  0, 128, 255]], dtype=uint8)
    """
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {MODES}; got {mode!r}")
    source_dtype = np.dtype(source_dtype)
    Y = np.asarray(Y, dtype=np.float64)
    A = None
    if alpha:
        Y, A = Y[..., :-1], Y[..., -1:]
        if Y.shape[-1] == 1:
            Y = Y[..., 0]
    if mode == "clip":
        if np.issubdtype(source_dtype, np.integer):
            info = np.iinfo(source_dtype)
            out = np.clip(np.rint(Y), info.min, info.max).astype(source_dtype)
            if A is not None:
                out = np.concatenate(
                    [out if out.ndim == 3 else out[..., None], A.astype(source_dtype)], axis=-1
                )
            return out
        out = _to_uint8(Y)
    elif mode == "diverging":
        s = _scale(Y)
        out = diverging(Y, s) if Y.ndim == 2 else _to_uint8(0.5 + 0.5 * Y / s)
    elif mode == "abs":
        out = _to_uint8(np.abs(Y) / _scale(Y))
    else:
        lo, hi = float(Y.min()), float(Y.max())
        out = _to_uint8((Y - lo) / (hi - lo) if hi > lo else np.zeros_like(Y))
    if A is None:
        return out
    if out.ndim == 2:
        out = out[..., None]
    return np.concatenate([out, _alpha_uint8(A, source_dtype)], axis=-1)


def kernel_heatmap(ax: Any, K: np.ndarray, *, title: str | None = None) -> Any:
    """Draw ``K`` on ``ax`` as a diverging heatmap centred on zero, values written in the cells.

    Returns the image artist (for a colour bar).
    """
    K = np.asarray(K, dtype=float)
    m = float(np.abs(K).max()) or 1.0
    im = ax.imshow(K, cmap=CMAP, vmin=-m, vmax=m, interpolation="nearest")
    kh, kw = K.shape
    if kh * kw <= 121:
        size = 10 if max(kh, kw) <= 5 else 7 if max(kh, kw) <= 9 else 5
        for (a, b), v in np.ndenumerate(K):
            colour = "white" if abs(v) > 0.6 * m else "black"
            ax.text(b, a, f"{v:.3g}", ha="center", va="center", fontsize=size, color=colour)
    ax.set_xticks(range(kw))
    ax.set_yticks(range(kh))
    ax.set_title(title or f"kernel {kh} x {kw}")
    return im


def _save(fig: Any, path: str | os.PathLike) -> None:
    from ..io import atomic_write

    fmt = os.path.splitext(os.fspath(path))[1].lstrip(".").lower() or "png"
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=100, bbox_inches="tight"))


def kernel_figure(K: np.ndarray, path: str | os.PathLike, *, title: str | None = None) -> None:
    """Write a picture of one kernel (heatmap with values, colour bar) to ``path``, atomically.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.png"
    >>> kernel_figure(np.array([[1.0, -1.0]]), p)
    >>> p.read_bytes()[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    K = np.asarray(K, dtype=float)
    side = min(8.0, 1.2 + 0.6 * max(K.shape))
    fig = Figure(figsize=(side + 1.0, side))
    ax = fig.add_subplot()
    im = kernel_heatmap(ax, K, title=title)
    fig.colorbar(im, ax=ax, shrink=0.8)
    _save(fig, path)


def compare_figure(
    image: np.ndarray,
    K: np.ndarray,
    shown: np.ndarray,
    path: str | os.PathLike,
    *,
    title: str = "",
    output_title: str = "output",
) -> None:
    """Write one figure: the input, the kernel as a heatmap with its values, and the output.

    Parameters
    ----------
    image : ndarray
        The input, as read (grey, RGB or RGBA, any dtype).
    K : ndarray
        The kernel applied (2-D).
    shown : ndarray
        The output as displayed (from :func:`to_display`).
    path : path
        Where to write the figure (PNG, SVG, PDF by suffix); atomic.
    title, output_title : str
        The figure's and the output panel's titles.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cmp.png"
    >>> X = np.zeros((8, 8), np.uint8)
    >>> compare_figure(X, np.ones((3, 3)) / 9, X, p)
    >>> p.stat().st_size > 0
    True
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13.0, 4.6))
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.0, 0.8, 1.0]})
    src = np.asarray(image)
    if np.issubdtype(src.dtype, np.floating):
        src = _to_uint8(src)
    for ax, img, name in ((axes[0], src, "input"), (axes[2], shown, output_title)):
        if img.ndim == 2:
            ax.imshow(img, cmap="gray", interpolation="nearest")
        else:
            ax.imshow(img, interpolation="nearest")
        ax.set_title(name)
        ax.set_axis_off()
    im = kernel_heatmap(axes[1], K)
    fig.colorbar(im, ax=axes[1], shrink=0.7)
    if title:
        fig.suptitle(title)
    _save(fig, path)
