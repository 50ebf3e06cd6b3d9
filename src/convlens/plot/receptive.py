"""Pictures of receptive fields and feature maps.

- :func:`plot_feature_maps`: one row per layer, one panel per channel (the first
  ``max_maps``); signed maps use ``RdBu_r`` centred on zero, non-negative maps (after a ReLU)
  use ``gray``.
- :func:`plot_effective_field`: the effective receptive field (Luo et al. 2016) as a heatmap,
  with the theoretical field outlined: the ERF fills only its centre.
- :func:`plot_field_on_image`: the exact input box of one output unit drawn over an image
  (solid), with the unclipped Araujo interval dashed.

matplotlib is imported only when drawing; each function can save its figure atomically.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._checks import Pair


def _figure(figsize: tuple[float, float]) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def _save(fig: Any, path: str | os.PathLike | None) -> None:
    if path is None:
        return
    from ..io import atomic_write

    fmt = os.path.splitext(os.fspath(path))[1].lstrip(".").lower() or "png"
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=100))


def _show(ax: Any, img: np.ndarray) -> Any:
    img = np.asarray(img, dtype=np.float64)
    # Saturate at the 99.5th percentile of |x| so that a few strong edges do not wash out
    # the rest of the map.
    s = float(np.percentile(np.abs(img), 99.5)) or float(np.abs(img).max()) or 1.0
    if img.min() < 0:  # signed: diverging map centred on zero
        im = ax.imshow(img, cmap="RdBu_r", vmin=-s, vmax=s)
    else:
        im = ax.imshow(img, cmap="gray", vmin=0.0, vmax=s)
    ax.set_xticks([])
    ax.set_yticks([])
    return im


def plot_feature_maps(
    maps: Mapping[str, Any],
    path: str | os.PathLike | None = None,
    *,
    max_maps: int = 8,
    image: np.ndarray | None = None,
    title: str | None = None,
) -> Any:
    """Draw feature maps as a grid: a row per layer, a column per channel.

    Parameters
    ----------
    maps : dict of name to array
        As returned by :func:`convlens.feature_maps`: ``(N, C, H, W)`` (sample 0 is drawn),
        ``(C, H, W)`` or ``(H, W)``.
    path : path, optional
        Save the figure there (format from the suffix), atomically.
    max_maps : int
        Channels shown per layer (the first ones).
    image : array, optional
        The input, drawn in the first column of an extra top row.
    title : str, optional

    Examples
    --------
    >>> fig = plot_feature_maps({"conv1": np.random.rand(1, 3, 8, 8) - 0.5}, max_maps=2)
    >>> len(fig.axes)
    2
    """
    if not isinstance(max_maps, int) or isinstance(max_maps, bool) or max_maps < 1:
        raise ValueError(f"`max_maps` must be a positive int; got {max_maps!r}")
    if not maps:
        raise ValueError("`maps` is empty: no feature maps to draw")
    layers = []
    for name, m in maps.items():
        a = np.asarray(m.detach().cpu() if hasattr(m, "detach") else m, dtype=np.float64)
        if a.ndim == 4:
            a = a[0]
        elif a.ndim == 2:
            a = a[None]
        elif a.ndim != 3:
            raise ValueError(f"`maps`[{name!r}] must be 2-D to 4-D; got shape {a.shape}")
        layers.append((name, a[:max_maps]))
    cols = max(a.shape[0] for _, a in layers)
    rows = len(layers) + (image is not None)
    fig = _figure((1.6 * cols + 0.8, 1.6 * rows + 0.4))
    grid = fig.add_gridspec(rows, cols)
    r0 = 0
    if image is not None:
        ax = fig.add_subplot(grid[0, 0])
        img = np.asarray(image)
        ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
        ax.set_title("input", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        r0 = 1
    for r, (name, a) in enumerate(layers, r0):
        for c in range(a.shape[0]):
            ax = fig.add_subplot(grid[r, c])
            _show(ax, a[c])
            if c == 0:
                ax.set_ylabel(name, fontsize=8)
            ax.set_title(f"{name}[{c}]  {a.shape[1]}x{a.shape[2]}", fontsize=7)
    if title:
        fig.suptitle(title)
    _save(fig, path)
    return fig


def plot_effective_field(
    erf: np.ndarray,
    row: Any = None,
    path: str | os.PathLike | None = None,
    *,
    unit: Pair | None = None,
    zoom: bool = True,
    title: str | None = None,
) -> Any:
    """Heatmap of an effective receptive field, with the theoretical field outlined.

    Parameters
    ----------
    erf : (H, W) array
        From :func:`convlens.receptive.effective_field`.
    row : FieldRow, optional
        The layer's row of :func:`convlens.receptive_field` (computed with ``input_size``);
        its box for ``unit`` is drawn as a rectangle.
    unit : (i, j), optional
        The output unit the ERF was measured for; default the centre of ``row.shape``.
    zoom : bool
        Frame the theoretical field (with a margin) rather than the whole input.

    Examples
    --------
    >>> from convlens.receptive import receptive_field
    >>> row = receptive_field("conv3,conv3", (1, 1, 9, 9))[-1]
    >>> fig = plot_effective_field(np.ones((9, 9)), row)
    >>> len(fig.axes[0].patches)
    1
    """
    erf = np.asarray(erf, dtype=np.float64)
    if erf.ndim != 2:
        raise ValueError(f"`erf` must be 2-D (H, W); got shape {erf.shape}")
    fig = _figure((5.5, 4.6))
    ax = fig.add_subplot()
    im = ax.imshow(erf, cmap="magma", vmin=0.0, vmax=float(erf.max()) or 1.0)
    fig.colorbar(im, ax=ax, label="mean |gradient| (max 1)")
    if row is not None:
        from matplotlib.patches import Rectangle

        if unit is None:
            if row.shape is None:
                raise ValueError("`unit` is needed when `row` has no shape (no input_size)")
            unit = ((row.shape[0] - 1) // 2, (row.shape[1] - 1) // 2)
        (t, b), (l, r) = row.box(*unit, erf.shape)
        ax.add_patch(
            Rectangle((l - 0.5, t - 0.5), r - l + 1, b - t + 1, fill=False, ec="cyan", lw=1.5)
        )
        ax.set_xlabel(f"theoretical field of unit {tuple(unit)}: {b - t + 1}x{r - l + 1} (cyan)")
        if zoom and b >= t and r >= l:  # frame the field with a margin, not the whole input
            m = max((b - t + 1) // 2, (r - l + 1) // 2, 4)
            ax.set_xlim(max(l - m, 0) - 0.5, min(r + m, erf.shape[1] - 1) + 0.5)
            ax.set_ylim(min(b + m, erf.shape[0] - 1) + 0.5, max(t - m, 0) - 0.5)
    ax.set_title(title or "effective receptive field")
    _save(fig, path)
    return fig


def plot_field_on_image(
    image: np.ndarray,
    row: Any,
    path: str | os.PathLike | None = None,
    *,
    unit: Pair | None = None,
    title: str | None = None,
) -> Any:
    """Draw the input box that one output unit sees over the image.

    Solid: the exact box, clipped to the image; dashed: the unclipped interval
    ``[x S - P, x S - P + r - 1]``; a dot marks the unit's centre in input coordinates.

    Parameters
    ----------
    image : (H, W) or (H, W, C) array
    row : FieldRow
        A row of :func:`convlens.receptive_field` computed with the image's ``input_size``.
    unit : (i, j), optional
        Default: the centre of the row's output.

    Examples
    --------
    >>> from convlens.receptive import receptive_field
    >>> row = receptive_field("conv5:s2,conv5", (1, 1, 32, 32))[-1]
    >>> fig = plot_field_on_image(np.zeros((32, 32)), row, unit=(0, 0))
    >>> len(fig.axes[0].patches)
    2
    """
    from matplotlib.patches import Rectangle

    img = np.asarray(image)
    if img.ndim not in (2, 3):
        raise ValueError(f"`image` must be (H, W) or (H, W, C); got shape {img.shape}")
    if unit is None:
        if row.shape is None:
            raise ValueError("`unit` is needed when `row` has no shape (no input_size)")
        unit = ((row.shape[0] - 1) // 2, (row.shape[1] - 1) // 2)
    fig = _figure((6, 6 * img.shape[0] / max(img.shape[1], 1) + 0.6))
    ax = fig.add_subplot()
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
    (t, b), (l, r) = row.box(*unit, img.shape[:2])
    if b >= t and r >= l:
        ax.add_patch(
            Rectangle((l - 0.5, t - 0.5), r - l + 1, b - t + 1, fill=True, alpha=0.2, fc="red")
        )
    start = [unit[a] * row.stride[a] - row.padding[a] for a in range(2)]
    ax.add_patch(
        Rectangle(
            (start[1] - 0.5, start[0] - 0.5),
            row.size[1],
            row.size[0],
            fill=False,
            ec="red",
            ls="--",
            lw=1.5,
        )
    )
    cy, cx = (start[a] + (row.size[a] - 1) / 2 for a in range(2))
    ax.plot([cx], [cy], "o", color="yellow", ms=4)
    ax.set_xlim(-0.5, img.shape[1] - 0.5)
    ax.set_ylim(img.shape[0] - 0.5, -0.5)
    ax.set_title(
        title
        or f"{row.name}: unit {tuple(unit)} sees {row.size[0]}x{row.size[1]} "
        f"(stride {row.stride[0]}, padding {row.padding[0]})"
    )
    _save(fig, path)
    return fig
