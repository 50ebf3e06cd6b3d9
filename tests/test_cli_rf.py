"""`convlens rf` and `convlens features` end to end: tables, pictures, errors, safe outputs."""

import json
import subprocess
import sys
import textwrap

import imageio.v3 as iio
import numpy as np
import pytest

from convlens.cli import main
from convlens.receptive import receptive_field


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "convlens", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def cli_json(capsys, *args):
    assert main(["rf", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def user_model(tmp_path, monkeypatch):
    """A package on sys.path with a residual network, as a user would write one."""
    (tmp_path / "mynets.py").write_text(
        textwrap.dedent(
            """
            import torch.nn as nn

            class Res(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.stem = nn.Conv2d(3, 4, 3, 2, 1)
                    self.body = nn.Sequential(nn.Conv2d(4, 4, 3, padding=2, dilation=2),
                                              nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
                    self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                              nn.Linear(4, 10))

                def forward(self, x):
                    x = self.stem(x)
                    return self.head(x + self.body(x))

            def build():
                return Res()

            def broken():
                raise RuntimeError("boom")

            NOT_A_MODEL = 3
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return "mynets:build"


@pytest.fixture
def png(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "in.png"
    iio.imwrite(path, (rng.random((40, 48, 3)) * 255).astype(np.uint8))
    return path


def one_error_line(r, *needles):
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in lines[0], lines[0]


# --------------------------------------------------------------------------- rf


def test_rf_prints_the_table():
    r = run_cli("rf", "conv3,conv3,pool2,conv3:d2")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    lines = [line for line in r.stdout.splitlines() if "conv4" in line]
    assert len(lines) == 1 and "14" in lines[0]
    for name in ("conv1", "conv2", "pool3"):
        assert name in r.stdout
    assert "effective stride" in r.stdout


def test_rf_json_equals_the_library(capsys):
    out = cli_json(capsys, "conv3x1:s2,pool2,conv3:d2:psame", "--input-size", "1,1,32,30")
    lib = receptive_field("conv3x1:s2,pool2,conv3:d2:psame", (1, 1, 32, 30))
    assert [row["size"] for row in out["layers"]] == [list(r.size) for r in lib]
    assert out["layers"][-1]["shape"] == list(lib[-1].shape) and out["note"] is None


@pytest.mark.parametrize(
    "spec, needle",
    [("conv3:q2", "'q2'"), ("conv3,,pool2", "empty layer"), ("relu", "'relu'"),
     ("pool2:s0", "must be >= 1"), ("pad1:s2", "no options")],
)  # fmt: skip
def test_rf_bad_spec_is_one_line_exit_2(spec, needle):
    one_error_line(run_cli("rf", spec), "convlens rf: error:", "`spec`", needle)


def test_rf_needs_exactly_one_source():
    one_error_line(run_cli("rf"), "exactly one")
    one_error_line(run_cli("rf", "conv3", "--model", "convlens.zoo:vgg_16"), "exactly one")


def test_rf_model_zoo_matches_the_published_value(capsys):
    out = cli_json(capsys, "--model", "convlens.zoo:resnet_v1_50", "--input-size", "1,3,224,224")
    last = out["layers"][-1]
    assert (last["size"], last["stride"], last["padding"]) == ([483] * 2, [32] * 2, [239] * 2)
    assert last["shape"] == [7, 7]


def test_rf_user_model_stops_at_global_pooling(capsys, user_model):
    out = cli_json(capsys, "--model", user_model, "--input-size", "16,16")
    last = out["layers"][-1]
    # stem: 3 (S 2, P 1); body: + 4*2 + 2*2 = 15; the add keeps the larger path
    assert last["name"] == "add" and last["size"] == [15, 15] and last["padding"] == [7, 7]
    assert "head.0" in out["note"] and "AdaptiveAvgPool2d" in out["note"]


@pytest.mark.parametrize(
    "ref, needle",
    [("nosuchmodule_xyz:f", "cannot import"), ("convlens.zoo", "package.module:factory"),
     ("convlens.zoo:nothing", "no attribute"), ("mynets:broken", "boom"),
     ("mynets:NOT_A_MODEL", "neither")],
)  # fmt: skip
def test_rf_bad_model_is_one_line(capsys, user_model, ref, needle):
    assert main(["rf", "--model", ref]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_rf_bad_input_size_and_unit(capsys):
    one_error_line(run_cli("rf", "conv3", "--input-size", "1,3,x"), "--input-size")
    assert main(["rf", "conv3", "--input-size", "1,2,3"]) == 2
    assert "--input-size" in capsys.readouterr().err
    assert main(["rf", "conv5,conv5", "--input-size", "6,6"]) == 2
    assert "`input_size`" in capsys.readouterr().err


def test_rf_plot_over_an_image(tmp_path, png):
    out = tmp_path / "rf.png"
    r = run_cli("rf", "conv5:s2,conv5", "--plot", str(out), "--image", str(png), "--unit", "3,4")
    assert r.returncode == 0, r.stderr
    pic = iio.imread(out)
    assert pic.ndim == 3 and pic.shape[0] > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png", "rf.png"]  # no temp left
    # an existing output is refused without --force, and the input is never written to
    before = png.read_bytes()
    one_error_line(run_cli("rf", "conv3", "--plot", str(out), "--image", str(png)), "--force")
    one_error_line(run_cli("rf", "conv3", "--plot", str(png), "--image", str(png)), "input")
    assert png.read_bytes() == before
    again = run_cli("rf", "conv3", "--plot", str(out), "--image", str(png), "--force")
    assert again.returncode == 0, again.stderr
    one_error_line(run_cli("rf", "conv3", "--plot", str(tmp_path / "x.txt")), "must end in")
    one_error_line(
        run_cli("rf", "conv3", "--plot", str(tmp_path / "y.png"), "--image", str(png),
                "--unit", "99,0"),
        "--unit",
    )  # fmt: skip


def test_rf_plot_defaults_to_the_camera_image(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["rf", "conv3:s2,conv3", "--plot", "rf.png", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["layers"][-1]["shape"] == [253, 253]  # camera is 512x512
    assert (tmp_path / "rf.png").stat().st_size > 1000


def test_rf_erf_picture(tmp_path):
    out = tmp_path / "erf.png"
    r = run_cli("rf", "conv3,conv3,conv3", "--erf", str(out), "--input-size", "17,17",
                "--samples", "2")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert iio.imread(out).ndim == 3
    one_error_line(run_cli("rf", "conv3", "--erf", str(tmp_path / "e2.png")), "--erf needs")


# --------------------------------------------------------------------------- features


def test_features_default_model(tmp_path, png, capsys):
    out = tmp_path / "grid.png"
    r = run_cli("features", str(png), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "edges: (4, 40, 48)" in r.stdout and "mix: (8, 20, 24)" in r.stdout
    wide = iio.imread(out).shape[1]
    narrow_out = tmp_path / "narrow.png"
    assert main(["features", str(png), "-o", str(narrow_out), "--max-maps", "2"]) == 0
    assert iio.imread(narrow_out).shape[1] < wide
    capsys.readouterr()
    assert main(["features", str(png), "-o", str(tmp_path / "one.png"), "--layers", "mix"]) == 0
    printed = capsys.readouterr().out
    assert "edges" not in printed and "mix: (8, 20, 24)" in printed


def test_features_user_model_and_errors(tmp_path, png, user_model, capsys):
    out = tmp_path / "g.png"
    assert main(["features", str(png), "-o", str(out), "--model", user_model]) == 0
    printed = capsys.readouterr().out
    assert "stem: (4, 20, 24)" in printed and "body.2: (4, 20, 24)" in printed
    before = png.read_bytes()
    for argv, needle in [
        ([str(png), "-o", str(out)], "--force"),
        ([str(png), "-o", str(png), "--force"], "input"),
        ([str(png), "-o", str(tmp_path / "g2.png"), "--layers", "nope"], "`layers`"),
        ([str(tmp_path / "missing.png"), "-o", str(tmp_path / "g3.png")], "not found"),
        ([str(png), "-o", str(tmp_path / "g4.png"), "--max-maps", "0"], "--max-maps"),
    ]:
        assert main(["features", *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and needle in err[0], err
    assert png.read_bytes() == before


def test_cli_start_does_not_import_torch_or_matplotlib():
    code = (
        "import sys, convlens.cli as c; c.build_parser(); "
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.split() == ["False", "False"], r.stdout + r.stderr
