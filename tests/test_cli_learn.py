"""``convlens learn`` end to end on real image files (skimage's camera and astronaut)."""

from __future__ import annotations

import json
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage import data

from convlens import io
from convlens.cli import main
from convlens.learn import learn_kernel

SOBEL = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("learn")
    cam = data.camera()
    iio.imwrite(d / "camera.png", cam)
    # "same"-sized output with scipy's own border: only its valid region may be used.
    np.save(d / "sobel.npy", ndi.correlate(cam.astype(float), SOBEL, mode="reflect"))
    small = cam[200:248, 200:248]
    np.save(d / "small.npy", small)
    np.save(d / "small_sobel.npy", ndi.correlate(small.astype(float), SOBEL))
    return d


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_lstsq_recovers_sobel_from_png_and_npy(files, tmp_path, capsys):
    k = tmp_path / "k.json"
    code, out, err = run_cli(
        capsys, "learn", files / "camera.png", files / "sobel.npy", "--size", "3x3", "-o", k
    )
    assert code == 0, err
    assert "recovered 3x3 kernel (lstsq)" in out and "final loss:" in out and "rank: 9 of 9" in out
    doc = json.loads(k.read_text())
    np.testing.assert_allclose(doc["kernel"], SOBEL, atol=1e-6)
    assert doc["bias"] == 0.0 and doc["method"] == "lstsq" and doc["loss"] < 1e-12
    # The file is what `convlens filter -k FILE.json` reads back.
    np.testing.assert_allclose(io.read_kernel(k), SOBEL, atol=1e-6)


def test_printed_kernel_is_the_recovered_one(files, capsys):
    code, out, _ = run_cli(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                           "--size", "3")  # fmt: skip
    assert code == 0
    rows = [line for line in out.splitlines() if line.strip().startswith("[")]
    printed = np.array([[float(v) for v in r.strip(" []").split()] for r in rows])
    np.testing.assert_allclose(printed, SOBEL, atol=1e-5)


def test_colour_images_are_converted_to_grey(tmp_path, capsys):
    rgb = data.astronaut()[100:196, 100:196]
    g = np.exp(-0.5 * (np.arange(-1, 2) / 0.8) ** 2)
    K = np.outer(g, g) / np.outer(g, g).sum()
    filtered = np.stack([ndi.correlate(rgb[..., c].astype(float), K) for c in range(3)], axis=-1)
    iio.imwrite(tmp_path / "rgb.png", rgb)
    np.save(tmp_path / "rgb_blur.npy", filtered)
    k = tmp_path / "k.json"
    code, _, err = run_cli(
        capsys, "learn", tmp_path / "rgb.png", tmp_path / "rgb_blur.npy", "--size", "3x3", "-o", k
    )
    assert code == 0, err
    np.testing.assert_allclose(json.loads(k.read_text())["kernel"], K, atol=1e-8)


def test_gd_progress_plot_and_json(files, tmp_path, capsys):
    k, plot = tmp_path / "k.json", tmp_path / "loss.png"
    code, out, err = run_cli(
        capsys, "learn", files / "small.npy", files / "small_sobel.npy", "--size", "3x3",
        "--method", "gd", "--epochs", "15", "--plot", plot, "-o", k,
    )  # fmt: skip
    assert code == 0, err
    assert "gradient descent" in err and "15/15" in err
    assert "recovered 3x3 kernel (gd)" in out and "epochs: 15" in out
    doc = json.loads(k.read_text())
    assert len(doc["losses"]) == 15 and np.all(np.diff(doc["losses"]) < 0)
    img = iio.imread(plot)
    assert img.ndim == 3 and img.shape[0] > 100


def test_gd_options_reach_learn_kernel(files, tmp_path, capsys):
    X, Y = np.load(files / "small.npy"), np.load(files / "small_sobel.npy")
    cases = [
        (["--lr", "1e-6", "--seed", "3", "--epochs", "5"],
         dict(lr=1e-6, seed=3, num_epochs=5)),
        (["--optimizer", "adam", "--lr", "0.01", "--epochs", "4"],
         dict(optimizer="adam", lr=0.01, num_epochs=4)),
        (["--epochs", "3", "--bias"], dict(lr="auto", num_epochs=3, bias=True)),
    ]  # fmt: skip
    for i, (argv, kwargs) in enumerate(cases):
        k = tmp_path / f"k{i}.json"
        code, _, err = run_cli(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                               "--size", "3", "--method", "gd", "-o", k, *argv)  # fmt: skip
        assert code == 0, err
        fit = learn_kernel(X, Y, 3, method="gd", reduction="mean", **kwargs)
        doc = json.loads(k.read_text())
        np.testing.assert_allclose(doc["losses"], fit.losses, rtol=1e-12)
        np.testing.assert_allclose(doc["kernel"], fit.kernel, rtol=1e-12)


def test_bias_is_fitted_and_printed(files, tmp_path, capsys):
    Y = np.load(files / "small_sobel.npy") + 12.0
    np.save(tmp_path / "biased.npy", Y)
    k = tmp_path / "k.json"
    code, out, _ = run_cli(capsys, "learn", files / "small.npy", tmp_path / "biased.npy",
                           "--size", "3", "--bias", "-o", k)  # fmt: skip
    assert code == 0 and "bias: 12" in out
    assert json.loads(k.read_text())["bias"] == pytest.approx(12.0, abs=1e-8)


def test_underdetermined_flat_image(tmp_path, capsys):
    np.save(tmp_path / "flat.npy", np.full((20, 20), 5.0))
    np.save(tmp_path / "flat_out.npy", np.full((18, 18), 5.0))
    code, _, err = run_cli(capsys, "learn", tmp_path / "flat.npy", tmp_path / "flat_out.npy",
                           "--size", "3")  # fmt: skip
    assert code == 2 and "rank 1 < 9 unknowns" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run_cli(capsys, "learn", tmp_path / "flat.npy", tmp_path / "flat_out.npy",
                           "--size", "3", "--allow-underdetermined")  # fmt: skip
    assert code == 0 and "(underdetermined)" in out


def test_python_m_convlens_learn(files):
    proc = subprocess.run(
        [sys.executable, "-m", "convlens", "learn", str(files / "small.npy"),
         str(files / "small_sobel.npy"), "--size", "3x3"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "recovered 3x3 kernel" in proc.stdout


def test_learn_gd_command_never_imports_torch(files, tmp_path):
    # Plain gradient descent needs no autograd: the command must not pay torch's import
    # (about 4 s of a 5-7 s run before), so here torch cannot be imported at all.
    hide = (
        "import importlib.abc, runpy, sys\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'torch':\n"
        "            raise ModuleNotFoundError(name, name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "sys.argv = ['convlens'] + sys.argv[1:]\n"
        "runpy.run_module('convlens', run_name='__main__')\n"
    )
    out = tmp_path / "k.json"
    proc = subprocess.run(
        [sys.executable, "-c", hide, "learn", str(files / "small.npy"),
         str(files / "small_sobel.npy"), "--size", "3x3", "--method", "gd", "--epochs", "20",
         "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    small = np.load(files / "small.npy").astype(float)
    fit = learn_kernel(small, np.load(files / "small_sobel.npy"), 3, lr="auto",
                       num_epochs=20, reduction="mean")  # fmt: skip
    np.testing.assert_allclose(doc["losses"], fit.losses, rtol=1e-12)
    np.testing.assert_allclose(doc["kernel"], fit.kernel, rtol=1e-12)


# --- errors: one line on stderr, exit status 2, nothing written -------------------------------


def one_line_error(capsys, *argv) -> str:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_error_missing_input(files, capsys):
    err = one_line_error(capsys, "learn", files / "nope.png", files / "sobel.npy", "--size", "3")
    assert "not found" in err


def test_error_shapes_do_not_match(files, tmp_path, capsys):
    np.save(tmp_path / "wrong.npy", np.zeros((10, 10)))
    err = one_line_error(capsys, "learn", files / "small.npy", tmp_path / "wrong.npy", "--size", 3)
    assert "`Y` must have the valid shape" in err


def test_error_kernel_bigger_than_image(files, capsys):
    err = one_line_error(capsys, "learn", files / "small.npy", files / "small.npy", "--size", 99)
    assert "kernel_shape" in err


def test_error_nan_in_image(files, tmp_path, capsys):
    Y = np.load(files / "small_sobel.npy")
    Y[3, 3] = np.nan
    np.save(tmp_path / "nan.npy", Y)
    err = one_line_error(capsys, "learn", files / "small.npy", tmp_path / "nan.npy", "--size", 3)
    assert "NaN" in err


def test_error_bad_image_shape(files, tmp_path, capsys):
    np.save(tmp_path / "vol.npy", np.zeros((4, 5, 6, 7)))
    err = one_line_error(capsys, "learn", tmp_path / "vol.npy", files / "small.npy", "--size", 3)
    assert "expected a grey" in err


def test_error_output_exists_unless_force(files, tmp_path, capsys):
    k = tmp_path / "k.json"
    k.write_text("keep me")
    err = one_line_error(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                         "--size", 3, "-o", k)  # fmt: skip
    assert "--force" in err and k.read_text() == "keep me"
    code, _, _ = run_cli(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                         "--size", 3, "-o", k, "--force")  # fmt: skip
    assert code == 0 and "kernel" in json.loads(k.read_text())


def test_error_output_is_an_input(files, capsys, tmp_path):
    src = tmp_path / "in.json"
    src.write_text("{}")
    err = one_line_error(capsys, "learn", files / "small.npy", src, "--size", 3, "-o", src,
                         "--force")  # fmt: skip
    assert "input" in err and src.read_text() == "{}"


def test_error_kernel_json_suffix(files, tmp_path, capsys):
    err = one_line_error(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                         "--size", 3, "-o", tmp_path / "k.txt")  # fmt: skip
    assert ".json" in err


def test_error_plot_needs_gd(files, tmp_path, capsys):
    err = one_line_error(capsys, "learn", files / "small.npy", files / "small_sobel.npy",
                         "--size", 3, "--plot", tmp_path / "p.png")  # fmt: skip
    assert "--method gd" in err and not (tmp_path / "p.png").exists()


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--size", "3y3"), ("--size", "0x3"), ("--epochs", "0"), ("--lr", "-1"), ("--lr", "x")],
)
def test_error_bad_option_values(files, capsys, flag, value):
    argv = ["learn", files / "small.npy", files / "small_sobel.npy", "--size", "3", flag, value]
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert flag in err and len(err.strip().splitlines()) == 1


# --- the loss plot --------------------------------------------------------------------------


def test_plot_loss_log_axis_and_data(tmp_path):
    from convlens.plot.loss import plot_loss

    losses = [8.6, 2.7, 0.96, 0.0, 0.15]
    fig = plot_loss(losses, tmp_path / "l.svg", title="t", ylabel="sse")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "t" and ax.get_ylabel() == "sse"
    x, y = ax.lines[0].get_data()
    # The zero cannot sit on a log axis: it is left out and the figure says so.
    assert list(x) == [1, 2, 3, 5] and list(y) == [8.6, 2.7, 0.96, 0.15]
    assert any("not shown" in t.get_text() for t in ax.texts)
    assert (tmp_path / "l.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("bad", [[], [1.0, np.nan], [1.0, -1.0], [[1.0]]])
def test_plot_loss_rejects_bad_losses(bad):
    from convlens.plot.loss import plot_loss

    with pytest.raises(ValueError, match="losses"):
        plot_loss(bad)


def test_a_poor_fit_is_warned_about(files, tmp_path, capsys):
    # OUTPUT is a non-linear filter of INPUT (a median): no kernel explains it.
    small = np.load(files / "small.npy").astype(float)
    np.save(tmp_path / "median.npy", ndi.median_filter(small, 5) ** 2)
    code, out, err = run_cli(
        capsys, "learn", files / "small.npy", tmp_path / "median.npy", "--size", "3x3"
    )
    assert code == 0
    assert "relative residual" in out
    assert err.count("warning: the fit is poor") == 1, err


def test_gd_that_diverges_is_warned_about(files, capsys):
    code, _, err = run_cli(
        capsys, "learn", files / "small.npy", files / "small_sobel.npy", "--size", "3x3",
        "--method", "gd", "--lr", "1", "--epochs", "5",
    )  # fmt: skip
    assert code == 0
    assert "gradient descent did not converge" in err


def test_a_good_fit_has_no_warning(files, capsys):
    code, out, err = run_cli(
        capsys, "learn", files / "small.npy", files / "small_sobel.npy", "--size", "3x3"
    )
    assert code == 0 and "warning" not in err
    rel = float(out.split("relative residual:")[1].split()[0])
    assert rel < 1e-9
