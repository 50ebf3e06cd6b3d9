"""The engines, one module per algorithm, and the registry the planner chooses from."""

from __future__ import annotations

from . import numpy as _numpy
from . import reference as _reference
from . import torch as _torch
from .base import Engine, Problem, pad

ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        _reference.ENGINE,
        _numpy.ENGINE,
        _torch.ENGINE,
    )
}

__all__ = ["ENGINES", "Engine", "Problem", "pad"]
