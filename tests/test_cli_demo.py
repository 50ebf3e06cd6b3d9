"""`convlens demo` end to end, as a user runs it: a real subprocess, then in-process checks."""

import subprocess
import sys

import numpy as np
import pytest

import convlens
from convlens.cli import main


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "convlens", *args], capture_output=True, text=True, timeout=300
    )


def test_demo_reproduces_the_chapter():
    r = run_cli("demo")
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    for heading in ("7.2.1", "7.2.3", "7.2.4", "7.2.5", "7.2.6"):
        assert heading in out
    assert "[[19. 25.]" in out
    for epoch in (2, 4, 6, 8, 10):
        assert f"epoch {epoch}, loss " in out
    assert "✗" not in out
    assert r.stderr == ""


def test_demo_seed_is_reproducible_and_matters(capsys):
    def losses(seed):
        assert main(["demo", "--seed", str(seed)]) == 0
        out = capsys.readouterr().out
        return [line for line in out.splitlines() if line.startswith("epoch")]

    assert losses(0) == losses(0)
    assert losses(0) != losses(1)


def test_demo_exits_nonzero_when_a_step_disagrees(monkeypatch, capsys):
    real = convlens.corr2d

    def off_by_one(X, K, **kw):
        return real(X, K, **kw) + 1

    monkeypatch.setattr(convlens, "corr2d", off_by_one)
    assert main(["demo"]) == 1
    assert "disagree" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["demo", "--seed", "abc"], ["nosuchcommand"], []])
def test_usage_errors_are_one_line_exit_2(argv):
    r = run_cli(*argv)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr


def test_library_errors_become_one_line(capsys, monkeypatch):
    from convlens.cli import demo

    def boom(c):
        convlens.corr2d(np.zeros(3), np.zeros((2, 2)))

    monkeypatch.setattr(demo, "section_721", boom)
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "`X` must be 2-D" in err


def test_broken_pipe_is_quiet():
    # The reader closes before the command writes, as `convlens kernels | head -0` would.
    p = subprocess.Popen(
        [sys.executable, "-m", "convlens", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    p.stdout.close()
    with p.stderr:
        err = p.stderr.read()
    assert p.wait(timeout=120) == 1
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err


def test_atomic_write_follows_umask(tmp_path):
    import os

    from convlens import io

    old = os.umask(0o022)
    try:
        io.write_array(tmp_path / "y.npy", np.zeros(2))
    finally:
        os.umask(old)
    assert (tmp_path / "y.npy").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["y.npy"]


def test_demo_names_serve_and_writes_pictures(tmp_path, capsys):
    assert main(["demo", "--pictures", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "convlens serve" in out.splitlines()[-2] + out.splitlines()[-1]
    from PIL import Image

    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["demo_edge.png", "demo_field.png", "demo_kernel.png", "demo_loss.png"]
    for p in tmp_path.iterdir():
        with Image.open(p) as im:
            assert im.format == "PNG" and min(im.size) > 100
    # A second run refuses to overwrite, before computing anything; --force overwrites.
    assert main(["demo", "--pictures", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--pictures", str(tmp_path / "missing")]) == 2


def test_exercises_answer_blur_structures_and_autograd(capsys):
    assert main(["demo", "--exercises"]) == 0
    out = capsys.readouterr().out
    for heading in ("Exercise 1", "Exercise 2", "Exercise 3", "Exercise 4"):
        assert heading in out
    assert "directional(30)" in out and "box(3), a blur" in out
    assert "requires grad" in out and "✗" not in out


def test_demo_and_exercises_do_not_import_each_other():
    import ast
    from pathlib import Path

    import convlens.cli

    cli = Path(convlens.cli.__file__).parent

    def imports(name):
        tree = ast.parse((cli / f"{name}.py").read_text())
        return {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }

    assert "demo" not in imports("exercises") and "exercises" in imports("demo")


@pytest.mark.parametrize("seed", ["-1", "2**40", "x", "4294967296"])
def test_demo_seed_out_of_range_is_one_line(seed, capsys):
    from convlens.cli import main

    try:
        code = main(["demo", "--seed", seed])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "0 to 2**32 - 1" in err[0]
