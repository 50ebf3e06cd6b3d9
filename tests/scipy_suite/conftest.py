"""Run scipy's own test cases for the functions of ``convlens.ndimage`` and
``convlens.signal`` against those drop-ins (see ``_suite.py``).

Deselected below, by name: the cases of other functions in the same files (rank, median,
minimum/maximum, generic and vectorised filters; signal's filters, resampling, detrending,
...). Every case left must pass, as it does against scipy itself.
"""

from __future__ import annotations

import hypothesis
import pytest
from scipy.conftest import num_parallel_threads, xp  # noqa: F401  (fixtures the suites take)

# Importing scipy.conftest loads scipy's hypothesis profile; keep the project's.
hypothesis.settings.load_profile("ci")

_MARKERS = (
    "array_api_backends: scipy's marker for tests over array-API backends",
    "skip_xp_backends(backends, reason=None, np_only=False, cpu_only=False, "
    "eager_only=False, exceptions=None): scipy's backend skips",
    "xfail_xp_backends(backends, reason=None, np_only=False, cpu_only=False, "
    "eager_only=False, exceptions=None): scipy's backend xfails",
    "xslow: scipy's marker for very slow tests",
    "xfail_on_32bit: scipy's marker",
    "fail_slow: scipy's marker",
    "thread_unsafe: scipy's marker",
    "parallel_threads_limit(n): scipy's marker",
    "iterations(n): scipy's marker",
)

# scipy.ndimage test_filters.py: tests of functions that convlens.ndimage does not provide.
NDIMAGE_OTHER = {
    *(f"test_minimum_filter0{i}" for i in range(1, 10)),
    "test_minimum_filter05_overlap",
    *(f"test_maximum_filter0{i}" for i in range(1, 10)),
    "test_minmax_nonseparable_axes",
    *(f"test_rank{i:02d}" for i in range(1, 20)),
    "test_rank06_overlap",
    "test_generic_filter1d01",
    "test_generic_filter01",
    "test_generic_filter_axes",
    "TestThreading::test_median_filter",
    "TestThreading::test_minmax_filter",
    "test_minmaximum_filter1d",
    "test_footprint_all_zeros",
    "test_rank_filter_noninteger_rank",
    "test_size_footprint_both_set",
    "test_byte_order_median",
    "test_gh_22250",
    "test_gh_22333",
    "TestVectorizedFilter",
    "test_gh_22586_crash_property",
    "test_gh_23075",
    "test_gh_23075_constant",
    "test_median_filter_lim2",
}

# scipy.signal test_signaltools.py: tests of functions other than correlate2d, convolve2d,
# fftconvolve and oaconvolve.
SIGNAL_OTHER = {
    "TestConvolve",
    "TestMedFilt",
    "TestWiener",
    "TestResample",
    "TestCSpline1DEval",
    "TestOrderFilt",
    "TestLinearFilterFloat32",
    "TestLinearFilterFloat64",
    "TestLinearFilterFloatExtended",
    "TestLinearFilterComplex64",
    "TestLinearFilterComplex128",
    "TestLinearFilterComplexExtended",
    "test_lfilter_bad_object",
    "test_lfilter_notimplemented_input",
    "TestCorrelateReal",
    "TestCorrelate",
    "test_correlation_lags",
    "test_correlation_lags_invalid_mode",
    "TestCorrelateComplex",
    "TestLFilterZI",
    "TestFiltFilt",
    "TestSOSFiltFilt",
    "test_choose_conv_method",
    "test_choose_conv_method_2",
    "test_filtfilt_gust",
    "TestDecimate",
    "TestHilbert",
    "TestHilbert2",
    "TestEnvelope",
    "TestPartialFractionExpansion",
    "TestVectorstrength",
    "TestSOSFilt",
    "TestDeconvolve",
    "TestDetrend",
    "TestUniqueRoots",
    "test_gh_22684",
}

_OTHER = {"test_scipy_ndimage_suite.py": NDIMAGE_OTHER, "test_scipy_signal_suite.py": SIGNAL_OTHER}


def pytest_configure(config: pytest.Config) -> None:
    for line in _MARKERS:
        config.addinivalue_line("markers", line)
    # scipy's suites parametrize over itertools iterators, which pytest 9 deprecates.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Passing a non-Collection iterable to parametrize:pytest.PytestRemovedIn10Warning",
    )


def _names(item: pytest.Item) -> set[str]:
    # "TestX::test_y[param]" -> {"TestX", "test_y", "TestX::test_y"}
    parts = item.nodeid.split("::")[1:]
    parts = [p.split("[")[0] for p in parts]
    return {*parts, "::".join(parts)}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        other = _OTHER.get(item.path.name, set())
        (drop if _names(item) & other else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
