"""The command line's error contract, subcommand x bad-input class (issue 13).

Every cell asserts the same four things: exit status 2 (130/143 for SIGINT/SIGTERM), one
line on stderr and no traceback, nothing left behind in the folder (no output, no hidden
temporary), and every input byte for byte intact. The CLI runs in-process; only the signal
cells start a subprocess.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
import tifffile
import zarr

from convlens import io, memory
from convlens.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A folder of inputs: good images, a corrupt one, a complex array, a kernel."""
    rng = np.random.default_rng(0)
    img = (rng.random((24, 24)) * 255).astype(np.uint8)
    iio.imwrite(tmp_path / "a.png", img)
    np.save(tmp_path / "a.npy", img.astype(np.float64))
    np.save(tmp_path / "b.npy", np.asarray(img[1:-1, 1:-1], np.float64))
    tifffile.imwrite(tmp_path / "a.tif", img)
    (tmp_path / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "corrupt.tif").write_bytes(b"II*\x00" + b"\xff" * 60)
    np.save(tmp_path / "complex.npy", img.astype(np.complex64))
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "dir.png").mkdir()  # exists, but cannot be read as a file
    (tmp_path / "exists.png").write_bytes(b"keep")
    (tmp_path / "exists.json").write_text("keep")
    store = tmp_path / "in.zarr"
    zarr.create_array(str(store), data=img.astype(np.float32), chunks=(8, 8))
    bad = tmp_path / "bad.zarr"
    zarr.create_array(str(bad), data=img.astype(np.float32), chunks=(8, 8))
    (bad / "c" / "1" / "1").write_bytes(b"garbage")  # a corrupt chunk, found mid-stream
    return tmp_path


# Each cell: argv with {d} for the folder. `missing`: the input does not exist; `unreadable`:
# a directory where a file should be; `corrupt`; `wrong type`: not an image, or complex
# values; `huge`: more than the available memory (patched down); `existing output` without
# --force; `output inside input` / `input inside output`, refused even with --force.
CELLS = {
    "filter": {
        "missing": "filter {d}/nope.png -k box:3 -o {d}/o.png",
        "unreadable": "filter {d}/dir.png -k box:3 -o {d}/o.png",
        "corrupt": "filter {d}/corrupt.png -k box:3 -o {d}/o.png",
        "corrupt tiff": "filter {d}/corrupt.tif -k box:3 -o {d}/o.tif",
        "corrupt zarr chunk": "filter {d}/bad.zarr -k box:3 -o {d}/o.zarr",
        "wrong type": "filter {d}/notes.txt -k box:3 -o {d}/o.png",
        "complex": "filter {d}/complex.npy -k box:3 -o {d}/o.npy",
        "huge": "filter {d}/a.png -k box:3 -o {d}/o.png",
        "existing output": "filter {d}/a.png -k box:3 -o {d}/exists.png",
        "output inside input": "filter {d}/in.zarr -k box:3 -o {d}/in.zarr/o.zarr --force",
        "input inside output": "filter {d}/in.zarr -k box:3 -o {d} --force",
        "bad kernel": "filter {d}/a.png -k gaussian:1e9 -o {d}/o.png",
    },
    "learn": {
        "missing": "learn {d}/nope.npy {d}/b.npy --size 3x3",
        "unreadable": "learn {d}/dir.png {d}/b.npy --size 3x3",
        "corrupt": "learn {d}/corrupt.png {d}/b.npy --size 3x3",
        "wrong type": "learn {d}/notes.txt {d}/b.npy --size 3x3",
        "complex": "learn {d}/complex.npy {d}/b.npy --size 3x3 --method lstsq",
        "existing output": "learn {d}/a.npy {d}/b.npy --size 3x3 -o {d}/exists.json",
        "output is an input": "learn {d}/a.npy {d}/b.npy --size 3x3 -o {d}/a.npy --force",
    },
    "features": {
        "missing": "features {d}/nope.png -o {d}/f.png",
        "unreadable": "features {d}/dir.png -o {d}/f.png",
        "corrupt": "features {d}/corrupt.png -o {d}/f.png",
        "wrong type": "features {d}/notes.txt -o {d}/f.png",
        "complex": "features {d}/complex.npy -o {d}/f.png",
        "existing output": "features {d}/a.png -o {d}/exists.png",
        "output is the input": "features {d}/a.png -o {d}/a.png --force",
    },
    "rf": {
        "missing": "rf conv3 --plot {d}/r.png --image {d}/nope.png",
        "corrupt": "rf conv3 --plot {d}/r.png --image {d}/corrupt.png",
        "existing output": "rf conv3 --plot {d}/exists.png",
        "output is the input": "rf conv3 --plot {d}/a.png --image {d}/a.png --force",
        "huge": "rf conv3 --input-size 1,1,100000,100000 --erf {d}/e.png",
        "bad spec": "rf conv3:q9",
    },
    "kernels": {
        "bad spec": "kernels --show gaussian:sigma=1,sigma=2",
        "huge": "kernels --show box:100000",
        "existing output": "kernels --show sobel --plot {d}/exists.png",
    },
    "bench": {
        "existing output": "bench --size 16 --kernel 3 --json {d}/exists.json",
        "missing folder": "bench --size 16 --kernel 3 --json {d}/nope/b.json",
        "huge": "bench --size 100000 --kernel 3",
        "huge kernel": "bench --size 64 --kernel 100001",
    },
}


def run_cli(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
    return rc, capsys.readouterr().err


@pytest.mark.parametrize(
    ("cmd", "case"),
    [(c, k) for c, cells in CELLS.items() for k in cells],
    ids=[f"{c}-{k}" for c, cells in CELLS.items() for k in cells],
)
def test_error_contract(ws, capsys, monkeypatch, cmd, case):
    if case == "huge":
        monkeypatch.setattr(memory, "available_bytes", lambda: 1024)
    before = snapshot(ws)
    rc, err = run_cli(capsys, CELLS[cmd][case].format(d=ws).split())
    assert rc == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(("convlens ", "usage:")), err
    assert snapshot(ws) == before  # inputs intact, nothing left behind


@pytest.mark.parametrize(
    "argv",
    [
        "filter {d}/a.png -k box:3 -o {d}/o.npy",
        "filter {d}/a.png -k box:3 -o {d}/o.png",
        "filter {d}/a.tif -k box:3 -o {d}/o.zarr --chunks 8",
        "filter {d}/a.tif -k box:3 -o {d}/o.tif --chunks 16",
    ],
)
def test_full_disk_is_one_line_and_leaves_nothing(ws, capsys, monkeypatch, argv):
    real = io.rename_noreplace

    def enospc(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    # Fail where the bytes land: the block writes of a stream, the file writes otherwise.
    monkeypatch.setattr("convlens.stream._write_block", enospc)
    monkeypatch.setattr(np, "save", enospc)
    monkeypatch.setattr("imageio.v3.imwrite", enospc)
    monkeypatch.setattr("tifffile.imwrite", enospc)
    monkeypatch.setattr(io, "rename_noreplace", real)
    before = snapshot(ws)
    names = sorted(p.name for p in ws.iterdir())
    rc, err = run_cli(capsys, argv.format(d=ws).split())
    assert rc == 2, err
    assert err.count("\n") == 1 and "No space left" in err or "no space left" in err, err
    assert snapshot(ws) == before
    assert sorted(p.name for p in ws.iterdir()) == names


# --- signals: a real process, a real signal -------------------------------------------------


def _slow_input(d: Path) -> Path:
    """A TIFF that streams in many blocks, so that a signal lands mid-write."""
    src = d / "big.tif"
    # 2048^2 in 64^2 blocks: about a second of streaming even with two threads per block.
    X = np.random.default_rng(0).random((2048, 2048)).astype(np.float32)
    tifffile.imwrite(src, X)
    return src


@pytest.mark.parametrize(
    ("sig", "status", "out_name"),
    [
        (signal.SIGTERM, 143, "o.zarr"),
        (signal.SIGINT, 130, "o.zarr"),
        (signal.SIGTERM, 143, "o.tif"),
    ],
)
def test_signal_mid_stream_leaves_nothing(tmp_path, sig, status, out_name):
    src = _slow_input(tmp_path)
    before = snapshot(tmp_path)
    env = {**os.environ, "PYTHONPATH": SRC}
    argv = [sys.executable, "-m", "convlens", "filter", str(src), "-k", "gaussian:3"]
    argv += ["-o", str(tmp_path / out_name), "--chunks", "64", "--method", "direct"]
    # A shell that starts a job in the background (`bash .ci/run &`) ignores SIGINT in it,
    # and Python keeps an inherited SIG_IGN: give the child the default disposition, as a
    # terminal would.
    proc = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    # Wait until the temporary store exists: the writers are running.
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(f".{out_name}.tmp-") for p in tmp_path.iterdir()):
            break
        time.sleep(0.02)
    time.sleep(0.05)
    assert proc.poll() is None, "finished before the signal; make the input bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    err_text = err.decode()
    assert proc.returncode == status, err_text
    assert "Traceback" not in err_text and err_text.count("\n") == 1, err_text
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.tif"]
