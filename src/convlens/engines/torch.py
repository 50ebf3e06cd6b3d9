"""The torch engine: ``torch.nn.functional.conv2d`` behind the convlens contract.

Padding for any numpy.pad boundary is done by gathering rows and columns with indices that
``np.pad`` computes on ``arange`` (so every mode, ``symmetric`` included, matches NumPy
exactly), which keeps the whole path differentiable. oneDNN makes this the fast choice for
batched, multi-channel CNN shapes with small kernels.
"""

from __future__ import annotations

import numpy as np

from .._checks import Pads, Pair
from .base import Engine, Problem


def pad_index(n: int, before: int, after: int, boundary: str) -> np.ndarray:
    """Source index of every padded position along one axis, for a non-constant boundary."""
    return np.pad(np.arange(n), (before, after), mode=boundary)


_TORCH_MODES = {"reflect": "reflect", "edge": "replicate", "wrap": "circular"}


def pad_tensor(X, pads: Pads, boundary: str, value: float = 0.0):
    """Pad the last two dims of a torch tensor with numpy.pad's semantics; differentiable.

    ``F.pad`` where torch's mode means the same as numpy's (reflect, edge, wrap within
    one period); otherwise rows and columns are gathered with ``np.pad``'s own indices.
    """
    import torch
    import torch.nn.functional as F

    (t, b), (l, r) = pads
    if (t, b, l, r) == (0, 0, 0, 0):
        return X
    if boundary == "constant":
        return F.pad(X, (l, r, t, b), mode="constant", value=value)
    H, W = X.shape[-2:]
    limit = (H - 1, W - 1)
    if boundary in _TORCH_MODES and max(t, b) <= limit[0] and max(l, r) <= limit[1]:
        return F.pad(X, (l, r, t, b), mode=_TORCH_MODES[boundary])
    rows = torch.from_numpy(pad_index(H, t, b, boundary)).to(X.device)
    cols = torch.from_numpy(pad_index(W, l, r, boundary)).to(X.device)
    return X.index_select(-2, rows).index_select(-1, cols)


def corr2d_tensor(
    X, K, pads: Pads, boundary: str, value: float, stride: Pair, dilation: Pair, groups: int
):
    """Cross-correlate torch tensors ``X (N, C, H, W)`` and ``K (O, C/g, kh, kw)``."""
    import torch.nn.functional as F

    (t, b), (l, r) = pads
    if boundary == "constant" and value == 0.0:
        # Zero padding: let the convolution do the symmetric part without a padded copy.
        ph, pw = min(t, b), min(l, r)
        Xp = pad_tensor(X, ((t - ph, b - ph), (l - pw, r - pw)), boundary, value)
        return F.conv2d(Xp, K, stride=stride, padding=(ph, pw), dilation=dilation, groups=groups)
    Xp = pad_tensor(X, pads, boundary, value)
    return F.conv2d(Xp, K, stride=stride, dilation=dilation, groups=groups)


def run(p: Problem) -> np.ndarray:
    import torch

    with torch.inference_mode():
        Y = corr2d_tensor(
            torch.from_numpy(p.X),
            torch.from_numpy(p.K),
            p.pads,
            p.boundary,
            p.value,
            p.stride,
            p.dilation,
            p.groups,
        )
    return Y.numpy()


def _supports(p: Problem) -> bool:
    # torch has no CPU conv for float16 input in every build; convlens computes in f32/f64.
    return p.X.dtype in (np.float32, np.float64)


ENGINE = Engine(
    "torch",
    run,
    _supports,
    description="torch.nn.functional.conv2d (oneDNN); good for batched multi-channel shapes",
    requires="torch",
)
