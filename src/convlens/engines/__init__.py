"""The engines, one module per algorithm, and the registry the planner chooses from.

Importing this package stays cheap: the numba kernels (``_jit``) and ``scipy.fft`` load on
an engine's first run, not here.
"""

from __future__ import annotations

import numpy as np

from . import box as _box
from . import direct as _direct
from . import fft as _fft
from . import numpy as _numpy
from . import reference as _reference
from . import separable as _separable
from . import torch as _torch
from .base import Engine, Problem, pad

ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        _reference.ENGINE,
        _numpy.ENGINE,
        _direct.ENGINE,
        _separable.ENGINE,
        _fft.ENGINE,
        _box.ENGINE,
        _torch.ENGINE,
    )
}


def run(name: str, p: Problem) -> np.ndarray:
    """Run engine ``name`` on ``p``, widening an 8-bit ``X`` first unless it reads it as is.

    Examples
    --------
    >>> from convlens.engines import Problem
    >>> X = np.arange(9, dtype=np.uint8).reshape(1, 1, 3, 3)
    >>> K = np.ones((1, 1, 2, 2), np.float32)
    >>> p = Problem(X, K, ((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1, (2, 2))
    >>> run("fft", p)[0, 0].round(3).tolist(), run("direct", p).dtype
    ([[8.0, 12.0], [20.0, 24.0]], dtype('float32'))
    """
    engine = ENGINES[name]
    return engine.run(p if engine.int_input else p.widened())


__all__ = ["ENGINES", "Engine", "Problem", "pad", "run"]
