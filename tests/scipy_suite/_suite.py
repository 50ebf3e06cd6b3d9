"""Load one of scipy's own test modules with a drop-in bound where it says ``ndimage`` or
``signal``.

scipy's test modules do ``from scipy import ndimage`` (or ``signal``) and call
``ndimage.correlate(...)``, also inside ``@pytest.mark.parametrize`` lists that are built at
import time. So the module is imported afresh while ``scipy.ndimage`` is, for that moment,
a proxy module: scipy's namespace with the drop-in's functions on top. Every other name
(the reference helpers, the filters convlens does not provide) stays scipy's own.

``CONVLENS_SCIPY_SUITE=scipy`` imports the modules unpatched, to see which cases pass
against scipy itself on this machine: that is the bar, and the lists of deselected cases
in ``conftest.py`` hold only cases for other functions.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

import scipy
from scipy._lib._array_api import xp_capabilities_table


def against_scipy() -> bool:
    return os.environ.get("CONVLENS_SCIPY_SUITE", "convlens") == "scipy"


def load(module: str, subpackage: str, drop_in: types.ModuleType) -> types.ModuleType:
    """Import ``module`` (a scipy test module) with ``scipy.<subpackage>`` bound to a proxy
    carrying ``drop_in.__all__``; the module stays out of ``sys.modules``."""
    real = importlib.import_module(f"scipy.{subpackage}")
    proxy = types.ModuleType(real.__name__, real.__doc__)
    proxy.__dict__.update(
        {k: v for k, v in vars(real).items() if not k.startswith("__") or k == "__path__"}
    )
    if not against_scipy():
        for name in drop_in.__all__:
            ours, theirs = getattr(drop_in, name), getattr(real, name)
            setattr(proxy, name, ours)
            # scipy's test decorators look each function up in its capabilities table.
            if theirs in xp_capabilities_table:
                xp_capabilities_table[ours] = xp_capabilities_table[theirs]
    saved = sys.modules.pop(module, None)
    # `from scipy import signal` reads the package's attribute; `from scipy.signal import
    # convolve2d` reads sys.modules: both see the proxy while the suite is imported.
    setattr(scipy, subpackage, proxy)
    sys.modules[real.__name__] = proxy
    try:
        return importlib.import_module(module)
    finally:
        setattr(scipy, subpackage, real)
        sys.modules[real.__name__] = real
        if saved is None:
            sys.modules.pop(module, None)
        else:
            sys.modules[module] = saved


def collectable(mod: types.ModuleType) -> dict:
    """The module's test functions and test classes, to re-export for collection."""
    return {
        k: v
        for k, v in vars(mod).items()
        if (k.startswith("test_") and callable(v))
        or (k.startswith("Test") and isinstance(v, type))
    }
