"""The box engine: running sums for kernels whose taps are all equal.

A box (mean) filter of any size costs about four additions per output: a running sum along
each row (add the entering pixel, subtract the leaving one), then the same down each column,
both in float64. ``O(1)`` per pixel beats the separable passes (``O(kh + kw)``) once the
kernel is wide.

Accuracy: a running sum drifts by one rounding per step, so it is recomputed from scratch
every ``RESYNC`` steps; with float64 sums and a float32 or float64 result the error stays
within the rounding of the reference. Rows that hold NaN or infinity are summed window by
window, so a non-finite pixel spoils only the windows that contain it, as in the reference.
"""

from __future__ import annotations

import numpy as np

from .base import Engine, Problem, numba_threads, threads_for
from .direct import maps
from .separable import tile_rows

RESYNC = 32


def constant_taps(K: np.ndarray) -> np.ndarray | None:
    """The tap value of each 2-D kernel of ``K (O, Cg, kh, kw)``, or None if any varies.

    Examples
    --------
    >>> constant_taps(np.full((1, 1, 5, 5), 0.04)).tolist()
    [[0.04]]
    >>> constant_taps(np.eye(3)[None, None]) is None
    True
    """
    first = K[:, :, :1, :1]
    if not np.isfinite(first).all() or not (K == first).all():
        return None
    return np.ascontiguousarray(first[:, :, 0, 0])


def run(p: Problem) -> np.ndarray:
    from . import _jit

    Kc = constant_taps(p.K)
    if Kc is None:
        raise ValueError("the box engine needs a kernel whose taps are all equal")
    rowmap, colmap = maps(p)
    (sh, sw) = p.stride
    kh, kw = p.kernel_shape
    Ho, Wo = p.out_shape
    Y = p.output()
    # A float64 buffer is twice as wide as float32 rows; halve the rows to stay in cache.
    tile = tile_rows(p, cache_bytes=(1 << 19) * p.X.dtype.itemsize // 8, reaches=2)
    with numba_threads(threads_for(4.0 * Y.size * p.K.shape[1])):
        _jit.box(
            p.X,
            Kc,
            kh,
            kw,
            rowmap,
            colmap,
            p.value,
            sh,
            sw,
            p.pads[1][0],
            p.groups,
            tile,
            RESYNC,
            Y,
        )
    return Y


def supports(p: Problem) -> bool:
    return (
        p.X.dtype in (np.float32, np.float64)
        and p.dilation == (1, 1)
        and constant_taps(p.K) is not None
    )


ENGINE = Engine(
    "box",
    run,
    supports,
    description="running sums (float64) for constant kernels; O(1) per pixel",
)
