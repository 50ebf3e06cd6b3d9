"""The engine interface: one frozen problem in, one array out.

An engine is a pure function over contiguous NumPy arrays. It receives a :class:`Problem`
whose arrays are already in the compute dtype and in PyTorch's layout, and returns
``(N, C_out, H', W')`` in that dtype. Engines know nothing of the CLI, I/O or torch modules.
Engines that handle borders themselves read ``pads``/``boundary``; the rest call
:meth:`Problem.padded`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._checks import Pads, Pair


@dataclass(frozen=True, eq=False)
class Problem:
    """A normalised cross-correlation: ``Y = corr(pad(X), K)`` with stride and dilation."""

    X: np.ndarray  # (N, C_in, H, W), compute dtype
    K: np.ndarray  # (C_out, C_in // groups, kh, kw), compute dtype
    pads: Pads  # ((top, bottom), (left, right))
    boundary: str  # numpy.pad mode name
    value: float  # fill for boundary="constant"
    stride: Pair
    dilation: Pair
    groups: int
    out_shape: Pair  # (H', W'), from the contract's output-size law

    @property
    def kernel_shape(self) -> Pair:
        return self.K.shape[-2], self.K.shape[-1]

    @property
    def single_channel(self) -> bool:
        return self.X.shape[1] == 1 and self.K.shape[0] == 1

    def padded(self) -> np.ndarray:
        """X with the padding filled according to ``boundary`` (numpy.pad's semantics)."""
        return pad(self.X, self.pads, self.boundary, self.value)


def pad(X: np.ndarray, pads: Pads, boundary: str, value: float = 0.0) -> np.ndarray:
    """Pad the last two axes of ``X`` with numpy.pad's mode ``boundary``."""
    if pads == ((0, 0), (0, 0)):
        return X
    width = ((0, 0),) * (X.ndim - 2) + tuple(pads)
    if boundary == "constant":
        return np.pad(X, width, mode="constant", constant_values=value)
    return np.pad(X, width, mode=boundary)


@dataclass(frozen=True)
class Engine:
    """A named algorithm. ``supports`` says whether it can run a problem at all."""

    name: str
    run: Callable[[Problem], np.ndarray]
    supports: Callable[[Problem], bool] = lambda p: True
    description: str = ""
