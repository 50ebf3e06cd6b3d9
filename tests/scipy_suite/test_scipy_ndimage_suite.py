"""scipy's ``ndimage/tests/test_filters.py``, run against :mod:`convlens.ndimage`."""

from _suite import collectable, load

import convlens.ndimage

_mod = load("scipy.ndimage.tests.test_filters", "ndimage", convlens.ndimage)
globals().update(collectable(_mod))
