import os

import hypothesis
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

# Property tests run many small numerical cases; wall-clock deadlines would only measure the
# noise of a shared 2-core machine.
hypothesis.settings.register_profile("ci", deadline=None, print_blob=True)
hypothesis.settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _fresh_memory_reading(monkeypatch):
    # memory.check_corr2d trusts a reading of free memory for a second; a test that patches
    # memory.available_bytes must not meet a reading left by the test before it.
    from convlens import memory

    monkeypatch.setattr(memory, "_cache", [float("-inf"), 0.0])
