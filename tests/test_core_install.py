"""The core install: NumPy, SciPy and numba only.

CI runs this file twice: in the full environment, and in a venv with only the core
dependencies (``make test-core``), where torch, Dask, matplotlib and the rest are absent.
In the full environment, a child process hides those packages to get the same situation.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens.engines import ENGINES

EXTRA_PACKAGES = (
    *("torch", "dask", "distributed", "zarr", "tifffile", "matplotlib", "imageio", "rich"),
    *("tqdm", "skimage", "platformdirs", "cv2", "starlette", "uvicorn"),
)
CORE_ONLY = importlib.util.find_spec("torch") is None

# A child process in which the extras cannot be imported, as in a core-only install.
HIDE = textwrap.dedent(
    f"""
    import importlib.abc, sys
    class _Hide(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {EXTRA_PACKAGES!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
    sys.meta_path.insert(0, _Hide())
    """
)


def run_core(code: str) -> subprocess.CompletedProcess:
    prelude = "" if CORE_ONLY else HIDE
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_import_loads_no_extra():
    r = run_core(
        """
        import sys, numpy as np, convlens
        Y = convlens.corr2d(np.arange(9.0).reshape(3, 3), np.array([[0.0, 1.0], [2.0, 3.0]]))
        assert Y.tolist() == [[19.0, 25.0], [37.0, 43.0]], Y
        print(sorted(m for m in ("torch", "dask", "matplotlib") if m in sys.modules))
        """
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_auto_never_picks_an_engine_whose_package_is_missing():
    # Wide channel counts are where the planner would pick torch; without torch it must not.
    r = run_core(
        """
        import numpy as np, convlens
        rng = np.random.default_rng(0)
        X, K = rng.random((2, 32, 40, 40)), rng.random((32, 32, 3, 3))
        print(convlens.plan(X, K).engine)
        Y = convlens.corr2d(X, K, padding="same")
        ref = convlens.corr2d(X, K, padding="same", method="numpy")
        assert np.allclose(Y, ref), abs(Y - ref).max()
        X, K = rng.random((1, 1, 700, 700)), rng.random((1, 1, 41, 41))
        Y = convlens.corr2d(X, K, method="fft")  # FFT tiles fall back to scipy.fft
        assert np.allclose(Y, convlens.corr2d(X, K, method="direct"), atol=1e-9)
        """
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() != "torch"


@pytest.mark.parametrize(
    ("code", "extra"),
    [
        ("convlens.Conv2D", "torch"),
        (
            "convlens.learn_kernel(np.eye(6), np.eye(6)[:, 1:], (1, 2), optimizer='adam', lr=0.1)",
            "torch",
        ),
        ("convlens.corr2d(np.ones((4, 4)), np.ones((2, 2)), method='torch')", "torch"),
    ],
)
def test_a_missing_extra_is_named_in_one_line(code, extra):
    r = run_core(
        f"""
        import numpy as np, convlens
        try:
            {code}
        except ImportError as exc:
            print(exc)
        """
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and f"convlens[{extra}]" in lines[0], r.stdout


def test_learn_kernel_gd_with_sgd_runs_in_the_core_install():
    # The chapter's plain gradient descent needs no autograd (only Adam needs torch).
    r = run_core(
        """
        import numpy as np, convlens
        X = np.random.default_rng(0).random((12, 12))
        Y = convlens.corr2d(X, np.array([[1.0, -1.0]]))
        fit = convlens.learn_kernel(X, Y, (1, 2), method="gd", lr="auto", num_epochs=50)
        print(bool(fit.losses[-1] < fit.losses[0]), fit.kernel.shape)
        """
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True (1, 2)"


@settings(max_examples=30, deadline=None)
@given(
    st.integers(3, 40),
    st.integers(3, 40),
    st.integers(1, 7),
    st.sampled_from(["valid", "same", "full"]),
    st.sampled_from(["constant", "reflect", "symmetric", "edge", "wrap"]),
    st.sampled_from([np.float32, np.float64]),
    st.integers(0, 2**16),
)
def test_core_engines_match_the_reference(H, W, k, padding, boundary, dtype, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((H, W)).astype(dtype)
    K = rng.standard_normal((k, k)).astype(dtype)
    if boundary in ("reflect", "symmetric", "wrap") and k > min(H, W):
        padding = "valid"
    if padding == "valid" and k > min(H, W):
        return
    kw = dict(padding=padding, boundary=boundary)
    ref = convlens.corr2d(X.astype(np.float64), K.astype(np.float64), method="reference", **kw)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for name in ("auto", "direct", "separable", "fft", "numpy"):
        p = convlens.plan(X, K, method="auto", **kw)
        if name not in ("auto",) and not ENGINES[name].supports(
            convlens.contract.make_problem(
                X,
                K,
                convlens.contract.normalize(
                    X.shape, K.shape, value=0.0, stride=1, dilation=1, groups=1, **kw
                ),
                np.dtype(dtype),
            )
        ):
            continue
        Y = convlens.corr2d(X, K, method=name, **kw)
        assert Y.dtype == dtype
        scale = max(1.0, float(np.abs(ref).max()))
        np.testing.assert_allclose(Y, ref, atol=tol * scale * k, err_msg=f"{name} ({p.engine})")


def test_the_command_line_without_its_extra_says_so_in_one_line(tmp_path):
    np.save(tmp_path / "in.npy", np.random.default_rng(0).random((16, 16)))
    r = run_core(
        f"""
        import sys
        from convlens.cli import entry
        sys.argv = ["convlens", "filter", {str(tmp_path / "in.npy")!r}, "-k", "sobel",
                    "-o", {str(tmp_path / "out.png")!r}]
        entry()
        """
    )
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "convlens[cli]" in lines[0], r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npy"]  # nothing left behind
