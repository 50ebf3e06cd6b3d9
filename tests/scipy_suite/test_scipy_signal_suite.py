"""scipy's ``signal/tests/test_signaltools.py``, run against :mod:`convlens.signal`."""

from _suite import collectable, load

import convlens.signal

_mod = load("scipy.signal.tests.test_signaltools", "signal", convlens.signal)
globals().update(collectable(_mod))
