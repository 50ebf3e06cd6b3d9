"""The reference engine: the chapter's double loop, generalised and kept readable.

Everything else is tested against this. It computes in float64 and is slow on purpose:
one Python-level iteration per output pixel, exactly as in *Dive into Deep Learning* 7.2.1::

    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
"""

from __future__ import annotations

import numpy as np

from .base import Engine, Problem


def corr2d_loop(X: np.ndarray, K: np.ndarray) -> np.ndarray:
    """The chapter's ``corr2d``, verbatim in NumPy: valid mode, stride 1, one channel."""
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def run(p: Problem) -> np.ndarray:
    Xp = p.padded().astype(np.float64)
    K = p.K.astype(np.float64)
    (sh, sw), (dh, dw) = p.stride, p.dilation
    kh, kw = p.kernel_shape
    n, c_in = Xp.shape[:2]
    c_out = K.shape[0]
    cin_g, cout_g = c_in // p.groups, c_out // p.groups
    Ho, Wo = p.out_shape
    Y = np.zeros((n, c_out, Ho, Wo))
    for o in range(c_out):
        g = o // cout_g
        channels = slice(g * cin_g, (g + 1) * cin_g)
        for i in range(Ho):
            for j in range(Wo):
                # The window under output (i, j): rows i*s + a*d, columns j*s + b*d.
                window = Xp[
                    :,
                    channels,
                    i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                    j * sw : j * sw + dw * (kw - 1) + 1 : dw,
                ]
                Y[:, o, i, j] = (window * K[o]).sum(axis=(1, 2, 3))
    return Y.astype(p.X.dtype, copy=False)


ENGINE = Engine(
    "reference",
    run,
    description="the chapter's double loop over output pixels, float64; slow, for testing",
)
