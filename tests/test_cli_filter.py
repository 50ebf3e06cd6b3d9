"""``convlens filter`` and ``convlens kernels`` end to end on real files; demo --exercises."""

from __future__ import annotations

import hashlib
import json

import imageio.v3 as iio
import matplotlib
import numpy as np
import pytest
import skimage.data
import skimage.filters
import tifffile

from convlens import filter_image
from convlens import kernels as kb
from convlens.cli import main
from convlens.plot.images import PERCENTILE


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("imgs")
    cam = np.ascontiguousarray(skimage.data.camera()[::8, ::8])  # 64 x 64
    astro = np.ascontiguousarray(skimage.data.astronaut()[::8, ::8])
    rgba = np.dstack([astro, np.tile(np.arange(64, dtype=np.uint8) * 4, (64, 1))])
    wide = (cam.astype(np.uint16) * 257)[:40, :48]
    iio.imwrite(d / "cam.png", cam)
    iio.imwrite(d / "astro.jpg", astro, quality=95)
    iio.imwrite(d / "rgba.png", rgba)
    tifffile.imwrite(d / "wide.tif", wide)
    (d / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not a png")
    (d / "k.json").write_text(json.dumps({"kernel": [[0, 1], [-1, 0]], "loss": 0.1}))
    (d / "bare.json").write_text("[[1, 2, 1]]")
    return d


def cli(capsys, *argv):
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(rc, err, fragment):
    assert rc == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert fragment in err


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- values --------------------------------------------------------------------------------


def test_png_in_npy_out_is_exact(files, tmp_path, capsys):
    rc, out, _ = cli(
        capsys, "filter", files / "cam.png", "-k", "gaussian:1.5", "-o", tmp_path / "g.npy"
    )
    assert rc == 0 and "g.npy" in out
    cam = iio.imread(files / "cam.png")
    got = np.load(tmp_path / "g.npy")
    assert got.dtype == np.float32  # --dtype auto: 8-bit input filters in float32
    np.testing.assert_array_equal(got, filter_image(cam, kb.gaussian(1.5).astype(np.float32)))


@pytest.mark.parametrize(
    ("source", "flag", "expected"),
    [
        ("uint8", [], np.float32),
        ("uint8", ["--dtype", "float64"], np.float64),
        ("float32", [], np.float32),
        ("float64", [], np.float64),
        ("float64", ["--dtype", "float32"], np.float32),
    ],
)
def test_dtype_option(files, tmp_path, capsys, source, flag, expected):
    cam = iio.imread(files / "cam.png").astype(source)
    np.save(tmp_path / "in.npy", cam)
    out = tmp_path / "out.npy"
    rc, _, _ = cli(capsys, "filter", tmp_path / "in.npy", "-k", "sobel", "-o", out, *flag)
    assert rc == 0
    got = np.load(out)
    assert got.dtype == expected
    want = filter_image(cam.astype(np.result_type(cam, expected)), kb.sobel().astype(expected))
    np.testing.assert_array_equal(got, want)


def test_tiff_uint16_in_tiff_out(files, tmp_path, capsys):
    rc, _, _ = cli(
        capsys, "filter", files / "wide.tif", "-k", "laplacian:8", "-o", tmp_path / "l.tif"
    )
    assert rc == 0
    wide = tifffile.imread(files / "wide.tif")
    got = tifffile.imread(tmp_path / "l.tif")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, filter_image(wide, kb.laplacian(8).astype(np.float32)))


def test_options_reach_filter_image(files, tmp_path, capsys):
    cam = iio.imread(files / "cam.png")
    K = np.array([[0.0, 1.0, 3.0], [2.0, 0.0, -5.0]])
    spec = json.dumps(K.tolist())
    cases = [
        (["--conv"], dict(conv=True)),
        (["--padding", "valid"], dict(padding="valid")),
        (["--padding", "2,1"], dict(padding=(2, 1))),
        (["--padding", "1,0,0,2"], dict(padding=((1, 0), (0, 2)))),
        (["--boundary", "wrap"], dict(boundary="wrap")),
        (["--boundary", "constant", "--value", "5"], dict(boundary="constant", value=5.0)),
    ]
    default = filter_image(cam, K)
    for n, (flags, opts) in enumerate(cases):
        out = tmp_path / f"o{n}.npy"
        rc, _, err = cli(capsys, "filter", files / "cam.png", "-k", spec, *flags, "-o", out)
        assert rc == 0, err
        want = filter_image(cam, K, **opts)
        np.testing.assert_allclose(np.load(out), want, atol=1e-9)
        assert want.shape != default.shape or not np.allclose(want, default), flags


def test_magnitude_matches_skimage(files, tmp_path, capsys):
    out = tmp_path / "m.npy"
    rc, _, _ = cli(
        capsys,
        "filter",
        files / "cam.png",
        "-k",
        "sobel",
        "--magnitude",
        "--boundary",
        "symmetric",
        "-o",
        out,
    )
    assert rc == 0
    cam = iio.imread(files / "cam.png") / 255.0
    # skimage: smoothing normalised to sum 1 (/4), and the magnitude divided by sqrt(2).
    want = skimage.filters.sobel(cam) * 4 * np.sqrt(2) * 255.0
    np.testing.assert_allclose(np.load(out), want, atol=1e-9)


def test_magnitude_of_a_literal_pairs_it_with_its_transpose(files, tmp_path, capsys):
    out = tmp_path / "m.npy"
    rc, _, _ = cli(
        capsys, "filter", files / "cam.png", "-k", "[[1,0,-1]]", "--magnitude", "-o", out
    )
    assert rc == 0
    cam = iio.imread(files / "cam.png")
    K = np.array([[1.0, 0.0, -1.0]])
    want = np.hypot(filter_image(cam, K), filter_image(cam, K.T))
    np.testing.assert_allclose(np.load(out), want)


def test_kernel_files(files, tmp_path, capsys):
    cam = iio.imread(files / "cam.png")
    for name, K in (("k.json", [[0, 1], [-1, 0]]), ("bare.json", [[1, 2, 1]])):
        out = tmp_path / f"{name}.npy"
        rc, _, _ = cli(capsys, "filter", files / "cam.png", "-k", files / name, "-o", out)
        assert rc == 0
        np.testing.assert_array_equal(np.load(out), filter_image(cam, np.array(K, float)))


def test_rgba_alpha_survives_to_png(files, tmp_path, capsys):
    out = tmp_path / "s.png"
    rc, _, _ = cli(capsys, "filter", files / "rgba.png", "-k", "sharpen", "-o", out)
    assert rc == 0
    rgba = iio.imread(files / "rgba.png")
    got = iio.imread(out)
    assert got.shape == rgba.shape and got.dtype == np.uint8
    np.testing.assert_array_equal(got[..., 3], rgba[..., 3])
    want = np.clip(np.rint(filter_image(rgba, kb.sharpen().astype(np.float32))[..., :3]), 0, 255)
    np.testing.assert_array_equal(got[..., :3], want)


# --- display mappings ----------------------------------------------------------------------


def test_signed_grey_png_is_a_diverging_map_centred_on_zero(files, tmp_path, capsys):
    out = tmp_path / "e.png"
    rc, out_text, _ = cli(capsys, "filter", files / "cam.png", "-k", "edge", "-o", out)
    assert rc == 0 and "diverging" in out_text
    Y = filter_image(iio.imread(files / "cam.png"), kb.edge().astype(np.float32))
    s = np.percentile(np.abs(Y), PERCENTILE)
    got = iio.imread(out)
    assert got.shape == Y.shape + (3,)
    cmap = matplotlib.colormaps["RdBu_r"]
    want = np.rint(cmap(np.clip(0.5 + 0.5 * Y / s, 0, 1))[..., :3] * 255).astype(np.uint8)
    np.testing.assert_array_equal(got, want)
    white = np.rint(np.array(cmap(0.5)[:3]) * 255)
    np.testing.assert_array_equal(got[Y == 0][:1], white[None])
    assert (got[Y > s][:, 0] > got[Y > s][:, 2]).all()  # positive is red
    assert (got[Y < -s][:, 2] > got[Y < -s][:, 0]).all()  # negative is blue


# The CLI filters 8/16-bit images in float32 (--dtype auto), so the oracles below do too.
def test_signed_colour_png_is_grey_around_the_middle(files, tmp_path, capsys):
    out = tmp_path / "e.png"
    rc, _, _ = cli(capsys, "filter", files / "astro.jpg", "-k", "laplacian", "-o", out)
    assert rc == 0
    Y = filter_image(iio.imread(files / "astro.jpg"), kb.laplacian().astype(np.float32))
    got = iio.imread(out)
    s = np.percentile(np.abs(Y), PERCENTILE)
    want = np.clip(np.rint((0.5 + 0.5 * Y / s) * 255), 0, 255)
    np.testing.assert_array_equal(got, want)


def test_abs_and_rescale(files, tmp_path, capsys):
    cam = iio.imread(files / "cam.png")
    Y = filter_image(cam, kb.sobel().astype(np.float32))
    rc, _, _ = cli(
        capsys, "filter", files / "cam.png", "-k", "sobel", "--abs", "-o", tmp_path / "a.png"
    )
    assert rc == 0
    s = np.percentile(np.abs(Y), PERCENTILE)
    got = iio.imread(tmp_path / "a.png")
    np.testing.assert_array_equal(got, np.clip(np.rint(np.abs(Y) / s * 255), 0, 255))
    rc, _, _ = cli(
        capsys, "filter", files / "cam.png", "-k", "sobel", "--rescale", "-o", tmp_path / "r.png"
    )
    got = iio.imread(tmp_path / "r.png")
    assert got[Y == Y.min()].max() == 0 and got[Y == Y.max()].min() == 255
    np.testing.assert_array_equal(
        got, np.rint((Y - Y.min()) / (Y.max() - Y.min()) * 255).astype(np.uint8)
    )


def test_blur_png_keeps_the_image_range(files, tmp_path, capsys):
    rc, _, _ = cli(capsys, "filter", files / "wide.tif", "-k", "box", "-o", tmp_path / "b.png")
    assert rc == 0
    got = iio.imread(tmp_path / "b.png")
    assert got.dtype == np.uint16  # a uint16 input stays 16-bit in "clip" mode
    want = np.rint(filter_image(tifffile.imread(files / "wide.tif"), kb.box().astype(np.float32)))
    np.testing.assert_array_equal(got, want)
    rc, _, _ = cli(
        capsys, "filter", files / "astro.jpg", "-k", "gaussian:1", "-o", tmp_path / "g.jpg"
    )
    assert rc == 0 and iio.imread(tmp_path / "g.jpg").shape == (64, 64, 3)


def test_compare_figure(files, tmp_path, capsys):
    out, fig = tmp_path / "o.png", tmp_path / "cmp.png"
    rc, text, _ = cli(
        capsys, "filter", files / "astro.jpg", "-k", "sobel", "--compare", fig, "-o", out
    )
    assert rc == 0 and "cmp.png" in text
    img = iio.imread(fig)
    assert img.ndim == 3 and img.shape[1] > 2 * img.shape[0]  # three panels side by side
    assert len(np.unique(img.reshape(-1, img.shape[-1]), axis=0)) > 100


# --- refusals and errors: one line on stderr, exit 2 ---------------------------------------


def test_existing_output_needs_force(files, tmp_path, capsys):
    out = tmp_path / "x.npy"
    out.write_bytes(b"keep me")
    rc, _, err = cli(capsys, "filter", files / "cam.png", "-k", "box", "-o", out)
    assert_one_line_error(rc, err, "--force")
    assert out.read_bytes() == b"keep me"
    rc, _, _ = cli(capsys, "filter", files / "cam.png", "-k", "box", "--force", "-o", out)
    assert rc == 0 and np.load(out).shape == (64, 64)


def test_input_as_output_is_refused_even_with_force(files, capsys):
    before = digest(files / "cam.png")
    for extra in ([], ["--force"]):
        rc, _, err = cli(
            capsys, "filter", files / "cam.png", "-k", "box", *extra, "-o", files / "cam.png"
        )
        assert_one_line_error(rc, err, "is also an input")
    rc, _, err = cli(
        capsys,
        "filter",
        files / "cam.png",
        "-k",
        "box",
        "--force",
        "-o",
        files / "o.png",
        "--compare",
        files / "cam.png",
    )
    assert_one_line_error(rc, err, "is also an input")
    assert digest(files / "cam.png") == before


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["corrupt.png", "-k", "box"], "cannot read"),
        (["missing.png", "-k", "box"], "not found"),
        (["cam.png", "-k", "nope"], "unknown name 'nope'"),
        (["cam.png", "-k", "[[1, -1"], "not a valid JSON"),
        (["cam.png", "-k", "gaussian:sigma=0"], "`sigma`"),
        (["cam.png", "-k", "missing.json"], "not found"),
        (["cam.png", "-k", "gaussian", "--magnitude"], "--magnitude needs"),
        (["cam.png", "-k", "box", "--padding", "wide"], "--padding"),
        (["cam.png", "-k", "box", "--boundary", "mirror"], "invalid choice"),
        (["cam.png", "-k", "box", "--abs", "--rescale"], "not allowed with"),
        (["cam.png", "-k", "box", "--padding", "valid", "--compare", "c.gif"], "--compare"),
        (["cam.png", "-k", "box:65", "--padding", "valid"], "does not fit"),
        (["rgba.png", "-k", "box", "--padding", "valid"], "`alpha`"),
        (["cam.png", "-k", "[[1, 2], [3]]"], "2-D list of numbers"),
        (["cam.png", "-k", "box", "--method", "magic"], "`method`"),
    ],
)
def test_bad_input_is_one_line_exit_2(files, tmp_path, capsys, argv, fragment):
    argv = [str(files / a) if a.endswith((".png", ".json")) and "/" not in a else a for a in argv]
    out = tmp_path / "out.npy"
    rc, _, err = cli(capsys, "filter", *argv, "-o", out)
    assert_one_line_error(rc, err, fragment)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_bad_output_suffix(files, tmp_path, capsys):
    rc, _, err = cli(capsys, "filter", files / "cam.png", "-k", "box", "-o", tmp_path / "o.gif")
    assert_one_line_error(rc, err, "-o/--output must end in")


def test_missing_output_directory(files, tmp_path, capsys):
    rc, _, err = cli(
        capsys, "filter", files / "cam.png", "-k", "box", "-o", tmp_path / "no" / "o.png"
    )
    assert_one_line_error(rc, err, "does not exist")


# --- convlens kernels ----------------------------------------------------------------------


def test_kernels_lists_the_bank(capsys):
    rc, out, _ = cli(capsys, "kernels")
    assert rc == 0
    for name in kb.names():
        assert f"\n{name} " in "\n" + out
    assert "gaussian(sigma=1.0, size=None, truncate=4.0)" in out


def test_kernels_show_and_plot(tmp_path, capsys):
    rc, out, _ = cli(capsys, "kernels", "--show", "laplacian:8")
    assert rc == 0 and "shape 3 x 3, sum 0" in out and "-8." in out
    fig = tmp_path / "k.png"
    rc, out, _ = cli(capsys, "kernels", "--show", "sobel:y", "--plot", fig)
    assert rc == 0 and iio.imread(fig).ndim == 3
    rc, _, err = cli(capsys, "kernels", "--show", "sobel:y", "--plot", fig)
    assert_one_line_error(rc, err, "--force")
    rc, _, _ = cli(capsys, "kernels", "--show", "sobel:y", "--plot", fig, "--force")
    assert rc == 0


def test_kernels_errors(tmp_path, capsys):
    rc, _, err = cli(capsys, "kernels", "--show", "sobol")
    assert_one_line_error(rc, err, "unknown name 'sobol'")
    rc, _, err = cli(capsys, "kernels", "--plot", tmp_path / "k.png")
    assert_one_line_error(rc, err, "--plot needs --show")
    rc, _, err = cli(capsys, "kernels", "--show", "box", "--plot", tmp_path / "k.txt")
    assert_one_line_error(rc, err, "--plot must end in")


# --- demo --exercises ----------------------------------------------------------------------


def test_exercises_pass_and_would_catch_a_wrong_kernel(monkeypatch, capsys):
    from convlens.cli import exercises
    from convlens.cli.demo import Checker

    c = Checker()
    exercises.run_exercises(c)
    out = capsys.readouterr().out
    assert c.failures == [] and "Exercise 1" in out and "Exercise 4" in out
    monkeypatch.setattr(exercises.kernels, "edge", lambda axis="x": np.array([[-1.0, 1.0]]))
    c = Checker()
    exercises.exercise_1(c)
    assert len(c.failures) >= 3
