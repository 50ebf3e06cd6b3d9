"""A vectorised NumPy engine: one shifted, strided slice per kernel tap.

For each tap ``(a, b)`` the whole output plane is updated at once::

    Y += K[a, b] * Xp[a*d_h : ... : s_h, b*d_w : ... : s_w]

so the Python loop runs ``kh * kw`` times instead of once per pixel. Channels and groups are
contracted with ``einsum`` per tap. Correct everywhere, and the default until the fast
engines apply.
"""

from __future__ import annotations

import numpy as np

from .base import Engine, Problem


def run(p: Problem) -> np.ndarray:
    Xp = p.padded()
    K = p.K
    (sh, sw), (dh, dw) = p.stride, p.dilation
    kh, kw = p.kernel_shape
    Ho, Wo = p.out_shape
    n, c_in = Xp.shape[:2]
    c_out, g = K.shape[0], p.groups
    cin_g, cout_g = c_in // g, c_out // g
    Xg = Xp.reshape(n, g, cin_g, *Xp.shape[2:])
    Kg = K.reshape(g, cout_g, cin_g, kh, kw)
    Y = np.zeros((n, g, cout_g, Ho, Wo), dtype=p.X.dtype)
    for a in range(kh):
        rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
        for b in range(kw):
            cols = slice(b * dw, b * dw + sw * (Wo - 1) + 1, sw)
            patch = Xg[..., rows, cols]  # (n, g, cin_g, Ho, Wo)
            if cin_g == 1 and cout_g == 1:
                Y += patch * Kg[:, 0, 0, a, b][None, :, None, None, None]
            else:
                Y += np.einsum("ngchw,goc->ngohw", patch, Kg[..., a, b], optimize=True)
    return Y.reshape(n, c_out, Ho, Wo)


ENGINE = Engine(
    "numpy",
    run,
    description="vectorised NumPy: one strided slice per kernel tap",
)
