"""convlens: 2-D convolution on images, from the D2L chapter to real images at real speed.

The numeric core (``corr2d``, ``conv2d``, ``plan``) imports neither torch nor plotting
libraries, so the command line starts fast; the torch-based parts load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._extras import EXTRAS, missing_extra
from .ops import conv2d, corr2d, plan
from .planner import Plan

__version__ = "0.1.0"

# Public names that live in modules with heavy imports (torch, matplotlib, dask),
# resolved on first attribute access (PEP 562).
_LAZY = {
    "Conv2D": "convlens.nn",
    "learn_kernel": "convlens.learn",
    "receptive_field": "convlens.receptive",
    "feature_maps": "convlens.receptive",
    "filter_image": "convlens.image",
    "kernels": "convlens.kernels",
    "matrix": "convlens.matrix",
    "zoo": "convlens.zoo",
    "plot": "convlens.plot",
    "ndimage": "convlens.ndimage",
    "signal": "convlens.signal",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        try:
            module = importlib.import_module(_LAZY[name])
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.split(".")[0] in EXTRAS:
                raise missing_extra(exc, f"convlens.{name}") from None
            raise
        return module if module.__name__.endswith("." + name) else getattr(module, name)
    raise AttributeError(f"module 'convlens' has no attribute {name!r}")


__all__ = ["Plan", "conv2d", "corr2d", "plan", "__version__", *_LAZY]
