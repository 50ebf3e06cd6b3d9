"""Streaming Zarr and TIFF through the Python API and ``convlens filter``."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
import skimage.data
import tifffile
import zarr

from convlens import memory, stream
from convlens.cli import _stream as cli_stream
from convlens.cli import main
from convlens.image import filter_image

K_ASYM = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]], np.float32)


@pytest.fixture(scope="module")
def camera() -> np.ndarray:
    return skimage.data.camera()[:200, :150]  # uint8, larger than one 64-chunk


def _zarr(path: Path, data: np.ndarray, chunks: tuple[int, ...]) -> Path:
    zarr.create_array(str(path), data=data, chunks=chunks)
    return path


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("boundary", ["constant", "reflect", "symmetric", "edge", "wrap"])
def test_zarr_to_zarr_equals_in_memory(tmp_path: Path, camera, boundary: str) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (37, 41))  # odd chunks: seams everywhere
    r = stream.filter_to_store(
        src, tmp_path / "out.zarr", K_ASYM, boundary=boundary, value=7.0,
        method="numpy", progress=False,
    )  # fmt: skip
    got = zarr.open_array(str(tmp_path / "out.zarr"), mode="r")
    expected = filter_image(camera, K_ASYM, boundary=boundary, value=7.0, method="numpy")
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.array_equal(got[:], expected)
    # The store's own chunks drive the blocks, and the output has those chunks.
    assert r.chunks == (37, 41) and got.chunks == (37, 41)
    assert r.blocks == 6 * 4
    assert _leftovers(tmp_path) == []


def test_options_are_passed_through(tmp_path: Path, camera) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    cases = [
        dict(conv=True),
        dict(padding="valid"),
        dict(padding=((3, 0), (0, 2))),
        dict(boundary="constant", value=-5.0),
        dict(boundary="wrap"),
    ]
    default = filter_image(camera, K_ASYM, method="numpy")
    for i, opts in enumerate(cases):
        out = tmp_path / f"o{i}.zarr"
        stream.filter_to_store(src, out, K_ASYM, method="numpy", progress=False, **opts)
        got = zarr.open_array(str(out), mode="r")[:]
        expected = filter_image(camera, K_ASYM, method="numpy", **opts)
        assert np.array_equal(got, expected), opts
        assert got.shape != default.shape or not np.array_equal(got, default), opts


def test_tiff_rgb_to_tiled_tiff(tmp_path: Path) -> None:
    rgb = skimage.data.astronaut()[:150, :170]
    src = tmp_path / "rgb.tif"
    tifffile.imwrite(src, rgb, tile=(64, 64), compression="zlib")
    out = tmp_path / "out.tif"
    r = stream.filter_to_store(src, out, K_ASYM, chunks=50, method="numpy", progress=False)
    assert r.chunks == (64, 64, 3)  # rounded up to TIFF's multiple of 16
    with tifffile.TiffFile(out) as tif:
        page = tif.pages[0]
        assert (page.tilelength, page.tilewidth) == (64, 64)
        got = page.asarray()
    assert np.array_equal(got, filter_image(rgb, K_ASYM, method="numpy"))
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("compression", [None, "zlib"])
def test_strip_tiff_reads_regions(tmp_path: Path, camera, compression) -> None:
    src = tmp_path / "strips.tif"
    tifffile.imwrite(src, camera, rowsperstrip=16, compression=compression)
    reader = stream.TiffReader(src)
    # Uncompressed contiguous data is memory-mapped; compressed strips are decoded per chunk.
    assert reader.memmappable is (compression is None)
    assert np.array_equal(reader[30:70, 5:99], camera[30:70, 5:99])
    X = stream.open_lazy(src, chunks=48)
    assert X.chunks[0][:2] == (48, 48) and np.array_equal(X.compute(), camera)


def test_png_input_and_processes_scheduler(tmp_path: Path, camera) -> None:
    import imageio.v3 as iio

    src = tmp_path / "cam.png"
    iio.imwrite(src, camera)
    out = tmp_path / "out.zarr"
    stream.filter_to_store(
        src, out, K_ASYM, chunks=80, scheduler="processes", workers=2, method="numpy",
        progress=False,
    )  # fmt: skip
    expected = filter_image(camera, K_ASYM, method="numpy")
    assert np.array_equal(zarr.open_array(str(out), mode="r")[:], expected)


def test_progress_bar_on_stderr(tmp_path: Path, camera, capsys) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    stream.filter_to_store(src, tmp_path / "a.zarr", K_ASYM, progress=True)
    err = capsys.readouterr().err
    assert "12/12" in err and "blocks" in err  # 4 x 3 blocks, counted as they are written
    stream.filter_to_store(src, tmp_path / "b.zarr", K_ASYM, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("out_name", ["out.zarr", "out.tif"])
def test_crash_leaves_no_output(tmp_path: Path, camera, monkeypatch, out_name: str) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    calls = []
    real = stream._write_block

    def flaky(block, store, region):
        calls.append(region)
        if len(calls) == 5:
            raise OSError("disk full (simulated)")
        return real(block, store, region)

    monkeypatch.setattr(stream, "_write_block", flaky)
    with pytest.raises(OSError, match="simulated"):
        stream.filter_to_store(src, tmp_path / out_name, K_ASYM, progress=False, workers=1)
    assert len(calls) >= 5
    assert not (tmp_path / out_name).exists()
    assert _leftovers(tmp_path) == []  # the temporary store is removed too


def test_existing_output_needs_force_and_is_replaced(tmp_path: Path, camera) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    out = tmp_path / "out.zarr"
    stream.filter_to_store(src, out, K_ASYM, progress=False)
    with pytest.raises(ValueError, match="exists"):
        stream.filter_to_store(src, out, np.ones((1, 1)), progress=False)
    stream.filter_to_store(src, out, np.ones((1, 1), np.float32), progress=False, force=True)
    assert np.array_equal(zarr.open_array(str(out), mode="r")[:], camera.astype(np.float32))
    assert _leftovers(tmp_path) == []


def test_bad_stream_arguments(tmp_path: Path, camera) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    with pytest.raises(ValueError, match="input"):
        stream.filter_to_store(src, src, K_ASYM, force=True, progress=False)
    with pytest.raises(ValueError, match=r"\.zarr, \.tif or \.tiff"):
        stream.filter_to_store(src, tmp_path / "out.png", K_ASYM, progress=False)
    with pytest.raises(ValueError, match="`scheduler`"):
        stream.filter_to_store(src, tmp_path / "o.zarr", K_ASYM, scheduler="gpu")
    with pytest.raises(ValueError, match="`address` needs"):
        stream.filter_to_store(src, tmp_path / "o.zarr", K_ASYM, address="tcp://x:1")
    with pytest.raises(ValueError, match="`address` must"):
        stream.filter_to_store(
            src, tmp_path / "o.zarr", K_ASYM, scheduler="distributed", address="nohost"
        )
    with pytest.raises(ValueError, match="`chunks`"):
        stream.open_lazy(src, chunks=0)
    with pytest.raises(ValueError, match="`workers`"):
        stream.filter_to_store(src, tmp_path / "o.zarr", K_ASYM, workers=0)
    with pytest.raises(FileNotFoundError):
        stream.open_lazy(tmp_path / "missing.tif")
    _zarr(tmp_path / "cube.zarr", np.zeros((2, 3, 4, 5)), (1, 1, 4, 5))
    with pytest.raises(ValueError, match="`image` must be 2-D"):
        stream.filter_to_store(tmp_path / "cube.zarr", tmp_path / "o.zarr", K_ASYM)
    assert not (tmp_path / "o.zarr").exists()


def _bad_tiffs(tmp_path: Path, camera) -> dict[str, Path]:
    good = tmp_path / "good.tif"
    tifffile.imwrite(good, camera, tile=(64, 64))
    data = good.read_bytes()
    truncated = tmp_path / "truncated.tif"
    truncated.write_bytes(data[: len(data) // 2])
    corrupt = tmp_path / "corrupt.tif"
    corrupt.write_bytes(b"II*\x00" + bytes(range(256)) * 4)
    not_tiff = tmp_path / "text.tif"
    not_tiff.write_text("hello")
    return {"truncated": truncated, "corrupt": corrupt, "not a TIFF": not_tiff}


def test_bad_tiff_api_errors(tmp_path: Path, camera) -> None:
    for what, path in _bad_tiffs(tmp_path, camera).items():
        with pytest.raises(ValueError, match=f"cannot read .*{path.name}") as info:
            stream.open_lazy(path)
        if what == "truncated":
            assert "truncated" in str(info.value)


# --- the command line ---------------------------------------------------------------------


def test_cli_progress_bar_only_on_a_terminal(tmp_path: Path, camera, capsys, monkeypatch):
    src = tmp_path / "cam.tif"
    tifffile.imwrite(src, camera)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert main(["filter", str(src), "-k", "box:3", "-o", str(tmp_path / "o.zarr")]) == 0
    err = capsys.readouterr().err
    assert "blocks" in err and "\n" not in err  # shown, then erased: no line left behind


def test_cli_tiff_larger_than_one_chunk(tmp_path: Path, camera, capsys) -> None:
    src = tmp_path / "cam.tif"
    tifffile.imwrite(src, camera)
    out = tmp_path / "out.tif"
    argv = ["filter", str(src), "-k", "gaussian:2", "-o", str(out), "--chunks", "64"]
    assert main([*argv, "--method", "numpy"]) == 0
    captured = capsys.readouterr()
    assert "12 blocks of 64x64" in captured.out and "scheduler threads" in captured.out
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    expected_path = tmp_path / "mem.tif"
    # The in-memory path of the same command is the oracle (same kernel bank, same options).
    assert main(["filter", str(src), "-k", "gaussian:2", "-o", str(expected_path),
                 "--method", "numpy"]) == 0  # fmt: skip
    assert np.array_equal(tifffile.imread(out), tifffile.imread(expected_path))
    with tifffile.TiffFile(out) as tif:
        assert tif.pages[0].is_tiled
    assert main(argv) == 2  # exists, no --force
    assert "exists" in capsys.readouterr().err
    assert main([*argv, "--force"]) == 0  # the planner's choice: within the contract
    np.testing.assert_allclose(
        tifffile.imread(out), tifffile.imread(expected_path), rtol=1e-5, atol=1e-4
    )


def test_cli_zarr_in_and_out(tmp_path: Path, camera, capsys) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (50, 50))
    out = tmp_path / "out.zarr"
    assert main(["filter", str(src), "-k", "[[1, -1]]", "-o", str(out), "--conv"]) == 0
    assert "12 blocks of 50x50" in capsys.readouterr().out
    expected = filter_image(camera, np.array([[1.0, -1.0]]), conv=True)
    np.testing.assert_allclose(zarr.open_array(str(out), mode="r")[:], expected, atol=1e-9)


def test_cli_magnitude_streams_lazily(tmp_path: Path, camera) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    out = tmp_path / "mag.zarr"
    assert main(["filter", str(src), "-k", "sobel", "--magnitude", "-o", str(out)]) == 0
    mem = tmp_path / "mag.npy"
    np.save(tmp_path / "cam.npy", camera)
    assert main(["filter", str(tmp_path / "cam.npy"), "-k", "sobel", "--magnitude",
                 "-o", str(mem)]) == 0  # fmt: skip
    np.testing.assert_allclose(zarr.open_array(str(out), mode="r")[:], np.load(mem), rtol=1e-5)


@pytest.mark.parametrize("what", ["truncated", "corrupt", "not a TIFF"])
def test_cli_bad_tiff_is_one_line_exit_2(tmp_path: Path, camera, capsys, what: str) -> None:
    path = _bad_tiffs(tmp_path, camera)[what]
    before = path.read_bytes()
    out = tmp_path / "out.tif"
    assert main(["filter", str(path), "-k", "box:3", "-o", str(out), "--chunks", "64"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convlens filter: error: cannot read")
    assert "Traceback" not in err
    assert not out.exists() and path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_cli_refuses_what_cannot_stream(tmp_path: Path, camera, capsys) -> None:
    src = _zarr(tmp_path / "in.zarr", camera, (64, 64))
    cases = {
        "--compare": ["-o", str(tmp_path / "o.zarr"), "--compare", str(tmp_path / "c.png")],
        ".zarr, .tif or .tiff": ["-o", str(tmp_path / "o.png")],
        "--abs/--rescale": ["-o", str(tmp_path / "o.zarr"), "--abs"],
        "`address` needs": [
            "-o",
            str(tmp_path / "o.zarr"),
            "--scheduler",
            "threads",
            "--address",
            "tcp://127.0.0.1:1",
        ],  # fmt: skip
    }
    for needle, extra in cases.items():
        assert main(["filter", str(src), "-k", "box:3", *extra]) == 2, needle
        err = capsys.readouterr().err
        assert needle in err and err.count("\n") == 1, err
    with pytest.raises(SystemExit) as info:  # an argparse error: one line, status 2
        main(["filter", str(src), "-k", "box:3", "-o", "x.zarr", "--chunks", "0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--chunks: must be a positive integer" in err and err.count("\n") == 1


def test_wants_stream_rules(tmp_path: Path, camera, monkeypatch) -> None:
    small = tmp_path / "small.tif"
    tifffile.imwrite(small, camera)

    def ns(inp, out="o.tif", **kw):
        base = dict(input=str(inp), output=out, chunks=None, scheduler=None, address=None)
        return argparse.Namespace(**{**base, **kw})

    assert not cli_stream.wants_stream(ns(small))
    assert cli_stream.wants_stream(ns(small, chunks=64))
    assert cli_stream.wants_stream(ns(small, scheduler="processes"))
    assert cli_stream.wants_stream(ns(small, address="tcp://h:1"))
    assert cli_stream.wants_stream(ns(small, out="o.zarr"))
    # By the decoded size against the available memory, not by the bytes on disk.
    monkeypatch.setattr(memory, "available_bytes", lambda: camera.nbytes)
    assert cli_stream.wants_stream(ns(small))
    assert not cli_stream.wants_stream(ns(tmp_path / "x.png", out="o.png"))
    with pytest.raises(MemoryError, match=r"write a \.tif or \.zarr output"):
        cli_stream.wants_stream(ns(small, out="o.npy"))


def test_cli_nan_omit_streams_exactly_across_chunk_seams(tmp_path: Path, capsys) -> None:
    rng = np.random.default_rng(0)
    X = rng.random((150, 130)).astype(np.float32)
    X[rng.random(X.shape) < 0.1] = np.nan
    X[70:76, 40:90] = np.nan  # a hole across seams, narrower than the kernel
    src = _zarr(tmp_path / "in.zarr", X, (37, 41))
    out = tmp_path / "out.zarr"
    code = main(
        ["filter", str(src), "-k", "gaussian:1.5", "-o", str(out), "--nan", "omit",
         "--chunks", "37", "--method", "direct"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    got = zarr.open_array(str(out), mode="r")[:]
    from convlens import kernels

    K = kernels.gaussian(1.5).astype(np.float32)
    want = filter_image(X, K, nan_policy="omit", method="direct")
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # In memory, from a .npy, the same answer; and propagate leaves the NaN spread.
    np.save(tmp_path / "in.npy", X)
    for policy, finite in (("omit", True), ("propagate", False)):
        o = tmp_path / f"{policy}.npy"
        assert main(["filter", str(tmp_path / "in.npy"), "-k", "gaussian:1.5", "-o", str(o),
                     "--nan", policy]) == 0  # fmt: skip
        assert bool(np.isfinite(np.load(o)).all()) is finite
    with pytest.raises(SystemExit) as usage:  # argparse's one-line usage error
        main(["filter", str(src), "-k", "box:3", "-o", str(tmp_path / "x.npy"),
              "--nan", "omit", "--min-weight", "2"])  # fmt: skip
    assert usage.value.code == 2 and "--min-weight" in capsys.readouterr().err
