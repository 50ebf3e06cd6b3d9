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


@pytest.fixture(autouse=True)
def _fresh_load_and_calls(monkeypatch):
    # threads_for trusts a load reading for a quarter second, and repeated calls reuse their
    # checks and plan (planner._CALLS): a test that patches the load, the engines or the
    # model must not meet what the test before it left.
    from convlens import planner
    from convlens.engines import base

    monkeypatch.setattr(base, "_LOAD", [0.0] * 4)
    # Tests that set the load average mean it: no live count of runnable tasks overrides it.
    monkeypatch.setattr(base, "_runnable_now", lambda: None)
    planner.clear_plans()
