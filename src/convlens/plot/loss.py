"""The loss curve of kernel learning: loss per epoch on a log y-axis.

A squared-error loss of gradient descent falls geometrically, so a log axis shows its rate
as a slope. Epochs whose loss is exactly zero cannot be drawn on a log axis and are left
out. matplotlib is imported only when drawing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np


def plot_loss(
    losses: Sequence[float] | np.ndarray,
    path: str | os.PathLike | None = None,
    *,
    title: str | None = None,
    ylabel: str = "loss",
) -> Any:
    """Draw ``losses`` against epoch (1, 2, ...) with a log y-axis; optionally save it.

    Parameters
    ----------
    losses : sequence of float
        One finite, non-negative loss per epoch.
    path : path, optional
        Write the figure there (format from the suffix: PNG, SVG, PDF), atomically.
    title, ylabel : str, optional
        Axis title and y label.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_loss([8.6, 2.7, 0.96, 0.37, 0.15])
    >>> fig.axes[0].get_yscale()
    'log'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    y = np.asarray(losses, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"`losses` must be a non-empty 1-D sequence; got shape {y.shape}")
    if not np.isfinite(y).all() or (y < 0).any():
        raise ValueError("`losses` must be finite and non-negative")
    epochs = np.arange(1, y.size + 1)
    shown = y > 0
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ax.plot(epochs[shown], y[shown], marker="o" if y.size <= 30 else None, markersize=4)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title or "loss per epoch")
    ax.grid(True, which="both", alpha=0.3)
    if not shown.all():
        ax.annotate(
            f"{int((~shown).sum())} epoch(s) at loss 0 not shown", (0.02, 0.02),
            xycoords="axes fraction", fontsize=8,
        )  # fmt: skip
    if path is not None:
        from ..io import atomic_write

        fmt = os.path.splitext(os.fspath(path))[1].lstrip(".").lower() or "png"
        atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=100))
    return fig
