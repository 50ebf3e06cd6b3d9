"""The engines, one module per algorithm, and the registry the planner chooses from.

Importing this package stays cheap: the numba kernels (``_jit``) and ``scipy.fft`` load on
an engine's first run, not here.
"""

from __future__ import annotations

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

__all__ = ["ENGINES", "Engine", "Problem", "pad"]
