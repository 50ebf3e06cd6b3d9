"""learn_kernel: the chapter's gradient descent and exact least squares.

Oracles: the chapter's own torch loop (nn.Conv2d + manual SGD), scipy.signal.correlate2d and
scipy.ndimage.correlate to make the filtered images, known kernels (Sobel, Gaussian, random).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as sig
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from skimage import data

import convlens
from convlens.learn import KernelFit, auto_lr, learn_kernel

SOBEL = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
_g = np.exp(-0.5 * (np.arange(-2, 3) / 1.2) ** 2)
GAUSS = np.outer(_g, _g) / np.outer(_g, _g).sum()
RANDOM5 = np.random.default_rng(42).standard_normal((5, 5))


@pytest.fixture(scope="module")
def camera() -> np.ndarray:
    return data.camera().astype(np.float64)


def step() -> tuple[np.ndarray, np.ndarray]:
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    return X, sig.correlate2d(X, [[1.0, -1.0]], mode="valid")


def chapter_loop(seed: int, lr: float = 3e-2, num_epochs: int = 10) -> list[float]:
    """The chapter's 7.2.4 code, with nn.Conv2d for nn.LazyConv2d, in float64."""
    X, Y = step()
    torch.manual_seed(seed)
    conv2d = torch.nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False, dtype=torch.float64)
    X, Y = torch.from_numpy(X).reshape(1, 1, 6, 8), torch.from_numpy(Y).reshape(1, 1, 6, 7)
    losses = []
    for _ in range(num_epochs):
        l = (conv2d(X) - Y) ** 2
        conv2d.zero_grad()
        l.sum().backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
        losses.append(float(l.sum().detach()))
    return losses


# --- gradient descent ----------------------------------------------------------------------


def test_chapter_run():
    X, Y = step()
    fit = learn_kernel(X, Y, (1, 2), method="gd", lr=3e-2, num_epochs=10)
    assert len(fit.losses) == 10
    assert np.all(np.diff(fit.losses) < 0), fit.losses
    assert np.abs(fit.kernel - [[1.0, -1.0]]).max() < 0.1
    assert fit.method == "gd" and fit.bias == 0.0 and fit.lr == 3e-2
    assert fit.rank == 2 and not fit.underdetermined


@pytest.mark.parametrize("seed", [0, 7])
def test_gd_equals_the_chapters_torch_loop(seed):
    X, Y = step()
    fit = learn_kernel(X, Y, (1, 2), seed=seed)
    np.testing.assert_allclose(fit.losses, chapter_loop(seed), rtol=1e-12, atol=1e-12)


def test_seed_changes_the_start_and_repeats():
    X, Y = step()
    a, b, c = (learn_kernel(X, Y, (1, 2), seed=s).losses for s in (1, 1, 2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_lr_and_num_epochs_are_used():
    X, Y = step()
    np.testing.assert_allclose(
        learn_kernel(X, Y, (1, 2), lr=1e-2, num_epochs=4).losses,
        chapter_loop(0, lr=1e-2, num_epochs=4),
        rtol=1e-12,
    )


def test_residual_is_the_final_loss():
    X, Y = step()
    fit = learn_kernel(X, Y, (1, 2))
    expected = ((sig.correlate2d(X, fit.kernel, mode="valid") - Y) ** 2).sum()
    assert fit.residual == pytest.approx(expected, rel=1e-12)
    assert fit.residual < fit.losses[-1]  # one more update happened after the last loss


def test_reduction_mean_is_sum_over_m():
    X, Y = step()
    m = Y.size
    s = learn_kernel(X, Y, (1, 2), lr=3e-2, reduction="sum")
    mean = learn_kernel(X, Y, (1, 2), lr=3e-2 * m, reduction="mean")
    np.testing.assert_allclose(mean.losses * m, s.losses, rtol=1e-10)
    assert mean.loss == pytest.approx(mean.residual / m)


def test_gd_with_bias_learns_the_bias():
    rng = np.random.default_rng(0)
    X = rng.random((12, 12))
    Y = sig.correlate2d(X, [[0.5, -1.0]], mode="valid") + 2.0
    fit = learn_kernel(X, Y, (1, 2), bias=True, lr="auto", num_epochs=200)
    assert fit.bias == pytest.approx(2.0, abs=1e-2)
    np.testing.assert_allclose(fit.kernel, [[0.5, -1.0]], atol=1e-2)
    no_bias = learn_kernel(X, Y, (1, 2), lr="auto", num_epochs=200)
    assert no_bias.residual > 100 * fit.residual


def test_auto_lr_never_diverges_on_a_real_image(camera):
    X = camera[200:232, 200:232]
    Y = sig.correlate2d(X, SOBEL, mode="valid")
    fit = learn_kernel(X, Y, 3, lr="auto", num_epochs=30)
    assert np.all(np.diff(fit.losses) < 0)
    assert fit.lr == pytest.approx(auto_lr(X, (3, 3), False, "sum"))
    # tr(2 A^T A) with A the im2col matrix, computed the slow way.
    A = np.lib.stride_tricks.sliding_window_view(X, (3, 3)).reshape(-1, 9)
    assert fit.lr == pytest.approx(1 / (2 * np.trace(A.T @ A)), rel=1e-12)


def test_fixed_lr_diverges_with_a_clear_error(camera):
    X = camera[:24, :24]
    Y = sig.correlate2d(X, SOBEL, mode="valid")
    with pytest.raises(ValueError, match="lr"):
        learn_kernel(X, Y, 3, lr=1.0, num_epochs=50)


def test_adam_optimizer():
    X, Y = step()
    sgd = learn_kernel(X, Y, (1, 2), lr=3e-2, num_epochs=100)
    adam = learn_kernel(X, Y, (1, 2), lr=0.1, num_epochs=100, optimizer="adam")
    assert not np.allclose(adam.losses, sgd.losses)
    # Adam from the same seed reaches the kernel too.
    assert adam.losses[-1] < 1e-2 * adam.losses[0]
    np.testing.assert_allclose(adam.kernel, [[1.0, -1.0]], atol=0.05)


def test_progress_is_called_every_epoch():
    X, Y = step()
    seen = []
    fit = learn_kernel(X, Y, (1, 2), num_epochs=6, progress=lambda e, l: seen.append((e, l)))
    assert [e for e, _ in seen] == [1, 2, 3, 4, 5, 6]
    np.testing.assert_array_equal([l for _, l in seen], fit.losses)


# --- least squares ----------------------------------------------------------------------------


@pytest.mark.parametrize("K", [SOBEL, GAUSS, RANDOM5], ids=["sobel", "gaussian", "random5x5"])
def test_lstsq_recovers_known_kernels_from_camera(camera, K):
    Y = sig.correlate2d(camera, K, mode="valid")
    fit = learn_kernel(camera, Y, K.shape, method="lstsq")
    np.testing.assert_allclose(fit.kernel, K, rtol=0, atol=1e-6)
    assert fit.rank == K.size and not fit.underdetermined
    assert fit.residual < 1e-12 * (Y**2).sum()
    assert fit.losses.shape == (1,) and fit.losses[0] == pytest.approx(fit.residual)


def test_lstsq_uses_only_the_valid_region_of_a_same_sized_output(camera):
    # ndimage's reflect border is not what convlens would assume; only the interior is used.
    X = camera[100:228, 100:228]
    Y = ndi.correlate(X, RANDOM5, mode="reflect")
    assert Y.shape == X.shape
    fit = learn_kernel(X, Y, 5, method="lstsq")
    np.testing.assert_allclose(fit.kernel, RANDOM5, atol=1e-8)
    assert fit.n_equations == 124 * 124


def test_lstsq_with_noise_reports_the_residual(camera):
    X = camera[:200, :200]
    Y = sig.correlate2d(X, GAUSS, mode="valid")
    sigma = 2.0
    Yn = Y + np.random.default_rng(1).normal(0, sigma, Y.shape)
    fit = learn_kernel(X, Yn, 5, method="lstsq")
    # The residual of the fit is the noise, less the 25 dimensions the kernel absorbs.
    assert fit.residual == pytest.approx(((Yn - Y) ** 2).sum(), rel=0.02)
    assert fit.rmse == pytest.approx(sigma, rel=0.02)
    np.testing.assert_allclose(fit.kernel, GAUSS, atol=0.01)
    assert "residual=" in repr(fit) and "lstsq" in repr(fit)


def test_lstsq_bias(camera):
    X = camera[:64, :64]
    Y = sig.correlate2d(X, SOBEL, mode="valid") + 7.5
    fit = learn_kernel(X, Y, 3, method="lstsq", bias=True)
    assert fit.bias == pytest.approx(7.5, abs=1e-8)
    np.testing.assert_allclose(fit.kernel, SOBEL, atol=1e-9)
    assert fit.n_unknowns == 10


def test_lstsq_reduction_mean():
    X, Y = step()
    fit = learn_kernel(X, Y + 0.1, (1, 2), method="lstsq", reduction="mean")
    assert fit.losses[0] == pytest.approx(fit.residual / Y.size)


@settings(max_examples=30)
@given(
    h=st.integers(6, 14),
    w=st.integers(6, 14),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_lstsq_recovers_random_kernels(h, w, kh, kw, seed):
    # Fewer windows than taps would be underdetermined (tested separately).
    assume((h - kh + 1) * (w - kw + 1) >= 2 * kh * kw)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((h, w))
    K = rng.standard_normal((kh, kw))
    Y = convlens.corr2d(X, K, method="reference")
    fit = learn_kernel(X, Y, (kh, kw), method="lstsq")
    np.testing.assert_allclose(fit.kernel, K, atol=1e-8)


# --- underdetermined ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["lstsq", "gd"])
def test_flat_image_is_underdetermined(method):
    X = np.full((10, 10), 3.0)
    Y = np.full((8, 8), 3.0)
    with pytest.raises(ValueError, match=r"rank 1 < 9 unknowns"):
        learn_kernel(X, Y, 3, method=method)


def test_flat_image_allowed_gives_flagged_min_norm_kernel():
    X = np.full((10, 10), 3.0)
    fit = learn_kernel(X, np.full((8, 8), 3.0), 3, method="lstsq", allow_underdetermined=True)
    assert fit.underdetermined and fit.rank == 1
    # Only the sum of the taps is seen (3 * sum = 3); the minimum-norm kernel spreads it evenly.
    np.testing.assert_allclose(fit.kernel, np.full((3, 3), 1 / 9), atol=1e-12)
    gd = learn_kernel(X, np.full((8, 8), 3.0), 3, allow_underdetermined=True, lr="auto")
    assert gd.underdetermined


def test_stripes_cannot_reveal_a_vertical_structure():
    # Vertical stripes are constant down each column: only column sums of K are seen.
    X = np.tile(np.random.default_rng(0).random(12), (12, 1))
    Y = sig.correlate2d(X, SOBEL, mode="valid")
    with pytest.raises(ValueError, match=r"rank 3 < 9"):
        learn_kernel(X, Y, 3, method="lstsq")


# --- errors ---------------------------------------------------------------------------------


def test_error_y_shape_does_not_match():
    with pytest.raises(ValueError, match="`Y` must have the valid shape"):
        learn_kernel(np.zeros((8, 8)), np.zeros((5, 5)), 3)


def test_error_kernel_bigger_than_image():
    with pytest.raises(ValueError, match="kernel_shape"):
        learn_kernel(np.zeros((4, 4)), np.zeros((4, 4)), 5)


def test_error_nan_in_x():
    X = np.random.default_rng(0).random((6, 6))
    X[2, 2] = np.nan
    with pytest.raises(ValueError, match="`X` holds NaN"):
        learn_kernel(X, np.zeros((4, 4)), 3)


def test_error_inf_in_y():
    Y = np.zeros((4, 4))
    Y[0, 0] = np.inf
    with pytest.raises(ValueError, match="`Y` holds NaN or infinity"):
        learn_kernel(np.random.default_rng(0).random((6, 6)), Y, 3, method="lstsq")


def test_error_colour_image():
    with pytest.raises(ValueError, match="`X` must be a 2-D grey image"):
        learn_kernel(np.zeros((6, 6, 3)), np.zeros((4, 4)), 3)


def test_error_complex_dtype():
    with pytest.raises(TypeError, match="`X`"):
        learn_kernel(np.zeros((6, 6), complex), np.zeros((4, 4)), 3)


def test_error_bad_method():
    with pytest.raises(ValueError, match="method"):
        learn_kernel(*step(), (1, 2), method="svd")


def test_error_bad_optimizer():
    with pytest.raises(ValueError, match="optimizer"):
        learn_kernel(*step(), (1, 2), optimizer="rmsprop")


def test_error_bad_reduction():
    with pytest.raises(ValueError, match="reduction"):
        learn_kernel(*step(), (1, 2), reduction="max")


def test_error_negative_lr():
    with pytest.raises(ValueError, match="lr"):
        learn_kernel(*step(), (1, 2), lr=-0.1)


def test_error_lr_not_a_number():
    with pytest.raises(TypeError, match="lr"):
        learn_kernel(*step(), (1, 2), lr="fast")


def test_error_auto_lr_with_adam():
    with pytest.raises(ValueError, match="lr"):
        learn_kernel(*step(), (1, 2), lr="auto", optimizer="adam")


def test_error_zero_epochs():
    with pytest.raises(ValueError, match="num_epochs"):
        learn_kernel(*step(), (1, 2), num_epochs=0)


def test_error_seed_not_int():
    with pytest.raises(TypeError, match="seed"):
        learn_kernel(*step(), (1, 2), seed=1.5)


def test_error_bad_kernel_shape():
    with pytest.raises(ValueError, match="kernel_shape"):
        learn_kernel(*step(), (0, 2))


def test_error_lstsq_too_large():
    X = np.random.default_rng(0).random((600, 600))
    with pytest.raises(ValueError, match="crop the image or use method='gd'"):
        learn_kernel(X, np.zeros((600, 600)), 31, method="lstsq")


def test_accepts_torch_tensors_and_ints():
    X, Y = step()
    fit = learn_kernel(torch.from_numpy(X).int(), torch.from_numpy(Y), (1, 2), method="lstsq")
    np.testing.assert_allclose(fit.kernel, [[1.0, -1.0]], atol=1e-12)
    assert isinstance(fit, KernelFit) and fit.kernel.dtype == np.float64


def test_gd_does_not_import_torch_dynamo():
    # torch.optim and the custom_op decorator import torch._dynamo (about 1 s); the chapter's
    # loop needs neither, and `convlens learn --method gd` pays every import at each run.
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, convlens\n"
        "X = np.random.default_rng(0).random((12, 12))\n"
        "Y = convlens.corr2d(X, np.array([[1.0, -1.0]]))\n"
        "convlens.learn_kernel(X, Y, (1, 2), num_epochs=3)\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- gd on NumPy alone ----------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(-(2**40), 2**40),
    kh=st.integers(1, 9),
    kw=st.integers(1, 9),
    bias=st.booleans(),
)
def test_torch_start_is_torchs_own_draw_bit_for_bit(seed, kh, kw, bias):
    from convlens.learn import torch_start
    from convlens.nn import Conv2D

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layer = Conv2D(1, 1, (kh, kw), bias=bias, dtype=torch.float64)
    K, b = torch_start((kh, kw), bias, seed)
    assert np.array_equal(K, layer.weight.detach().numpy()[0, 0])
    assert np.array_equal(b, layer.bias.detach().numpy() if bias else np.empty(0))


@pytest.mark.parametrize(
    "opts",
    [
        dict(lr=1e-7),
        dict(lr="auto", bias=True, seed=3),
        dict(lr="auto", reduction="mean", seed=11),
        dict(lr=1e-6, bias=True, reduction="mean", seed=-2),
    ],
)
def test_gd_on_numpy_equals_the_layer_path_on_tensors(camera, opts):
    # NumPy input runs the loop on NumPy with the gradients written out; a torch tensor runs
    # it on the Conv2D layer and autograd, as before: the same fit either way.
    X = camera[100:164, 300:380]
    Y = ndi.correlate(X, SOBEL, mode="reflect")
    a = learn_kernel(X, Y, 3, num_epochs=20, **opts)
    b = learn_kernel(torch.from_numpy(X), Y, 3, num_epochs=20, **opts)
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-12)
    np.testing.assert_allclose(a.kernel, b.kernel, rtol=1e-12, atol=1e-14)
    assert a.bias == pytest.approx(b.bias, rel=1e-12, abs=1e-14)
    assert (a.residual, a.lr) == pytest.approx((b.residual, b.lr), rel=1e-12)


def test_gd_on_numpy_runs_with_torch_unimportable():
    import subprocess
    import sys

    code = (
        "import importlib.abc, sys\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'torch':\n"
        "            raise ModuleNotFoundError(name, name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "import numpy as np, convlens\n"
        "X = np.random.default_rng(0).random((12, 12))\n"
        "Y = convlens.corr2d(X, np.array([[1.0, -1.0]]))\n"
        "fit = convlens.learn_kernel(X, Y, (1, 2), num_epochs=30, lr='auto', bias=True)\n"
        "print(fit.losses[0] > fit.losses[-1], 'torch' in sys.modules)\n"
        "try:\n"
        "    convlens.learn_kernel(X, Y, (1, 2), lr=0.1, optimizer='adam')\n"
        "except ImportError as e:\n"
        "    print('adam needs torch' if 'torch' in str(e) else e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["True False", "adam needs torch"]
