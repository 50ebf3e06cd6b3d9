"""Other libraries' boundary names: refused by the core with the convlens equivalent named,
and each named equivalent really fills the border as that library does."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

import convlens
from convlens._checks import BOUNDARIES, FOREIGN_BOUNDARIES

RNG = np.random.default_rng(7)
X = RNG.standard_normal((9, 11))
K = RNG.standard_normal((3, 4))


@pytest.mark.parametrize("name", sorted(FOREIGN_BOUNDARIES))
def test_foreign_name_error_names_the_equivalent(name: str) -> None:
    lib, ours = FOREIGN_BOUNDARIES[name]
    assert ours in BOUNDARIES
    pattern = rf"got '{re.escape(name)}': {re.escape(lib)}'s '{re.escape(name)}' is "
    pattern += rf"convlens's '{ours}'"
    with pytest.raises(ValueError, match=pattern):
        convlens.corr2d(X, K, boundary=name)


def test_opencv_names_in_lower_case_are_recognised() -> None:
    with pytest.raises(ValueError, match="convlens's 'reflect'"):
        convlens.corr2d(X, K, boundary="border_reflect_101")


@pytest.mark.parametrize("name", ["bogus", "", "REFLECT"])
def test_unknown_names_get_the_plain_error(name: str) -> None:
    with pytest.raises(ValueError) as info:
        convlens.corr2d(X, K, boundary=name)
    assert "is convlens's" not in str(info.value)
    assert f"got {name!r}" in str(info.value)


def _same(boundary: str, value: float = 0.0) -> np.ndarray:
    # Explicit padding puts the kernel's anchor where scipy.ndimage puts it (k // 2 before).
    pads = tuple((k // 2, k - 1 - k // 2) for k in K.shape)
    return convlens.corr2d(X, K, padding=pads, boundary=boundary, value=value, method="direct")


@pytest.mark.parametrize(
    "name", [n for n, (lib, _) in FOREIGN_BOUNDARIES.items() if lib == "scipy.ndimage"]
)
def test_scipy_ndimage_names_mean_their_equivalents(name: str) -> None:
    ours = FOREIGN_BOUNDARIES[name][1]
    want = scipy.ndimage.correlate(X, K, mode=name, cval=1.5)
    np.testing.assert_allclose(_same(ours, 1.5), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["fill", "symm"])
def test_scipy_signal_names_mean_their_equivalents(name: str) -> None:
    ours = FOREIGN_BOUNDARIES[name][1]
    want = scipy.signal.correlate2d(X, K, mode="full", boundary=name, fillvalue=2.0)
    got = convlens.corr2d(X, K, padding="full", boundary=ours, value=2.0, method="direct")
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["circular", "replicate"])
def test_torch_pad_names_mean_their_equivalents(name: str) -> None:
    torch = pytest.importorskip("torch")
    ours = FOREIGN_BOUNDARIES[name][1]
    t = torch.nn.functional.pad(torch.from_numpy(X)[None, None], (2, 1, 3, 2), mode=name)
    np.testing.assert_array_equal(t[0, 0].numpy(), np.pad(X, ((3, 2), (2, 1)), mode=ours))


@pytest.mark.parametrize(
    "name", [n for n in FOREIGN_BOUNDARIES if n.startswith("BORDER_") and n != "BORDER_WRAP"]
)
def test_opencv_names_mean_their_equivalents(name: str) -> None:
    cv2 = pytest.importorskip("cv2")
    ours = FOREIGN_BOUNDARIES[name][1]
    flag = getattr(cv2, name)
    padded = cv2.copyMakeBorder(X, 3, 2, 2, 1, flag, value=0.0)
    np.testing.assert_array_equal(padded, np.pad(X, ((3, 2), (2, 1)), mode=ours))


# "same" with an even kernel: which side gets the extra row/column. Each library's call is
# checked against convlens with explicit padding ((before, after), ...), as docs/filtering.md
# tabulates it: `lo` puts k // 2 before (the extra at the top/left), `hi` puts (k - 1) // 2
# before (the extra at the bottom/right, convlens's "same").
KE = RNG.standard_normal((2, 4))
LO = tuple((k // 2, (k - 1) // 2) for k in KE.shape)
HI = tuple(((k - 1) // 2, k // 2) for k in KE.shape)


def test_convlens_same_puts_the_extra_after() -> None:
    np.testing.assert_array_equal(
        convlens.corr2d(X, KE, padding="same"), convlens.corr2d(X, KE, padding=HI)
    )
    assert LO != HI


@pytest.mark.parametrize(
    "theirs, conv, pads",
    [
        (lambda: scipy.ndimage.correlate(X, KE, mode="constant"), False, LO),
        (lambda: scipy.ndimage.convolve(X, KE, mode="constant"), True, HI),
        (lambda: scipy.signal.correlate2d(X, KE, mode="same"), False, HI),
        (lambda: scipy.signal.convolve2d(X, KE, mode="same"), True, LO),
        (lambda: scipy.signal.fftconvolve(X, KE, mode="same"), True, LO),
    ],
    ids=["ndimage.correlate", "ndimage.convolve", "correlate2d", "convolve2d", "fftconvolve"],
)
def test_scipy_same_with_even_kernels(theirs: object, conv: bool, pads: tuple) -> None:
    ours = (convlens.conv2d if conv else convlens.corr2d)(X, KE, padding=pads)
    np.testing.assert_allclose(ours, theirs(), rtol=1e-12, atol=1e-12)  # type: ignore[operator]


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel lengths")
def test_opencv_and_torch_same_with_even_kernels() -> None:
    cv2 = pytest.importorskip("cv2")
    torch = pytest.importorskip("torch")
    got = cv2.filter2D(X, -1, KE, borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(got, convlens.corr2d(X, KE, padding=LO), atol=1e-12)
    t = torch.nn.functional.conv2d(
        torch.from_numpy(X)[None, None], torch.from_numpy(KE)[None, None], padding="same"
    )
    np.testing.assert_allclose(t[0, 0].numpy(), convlens.corr2d(X, KE, padding=HI), atol=1e-12)
