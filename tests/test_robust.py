"""Issue 13: no input breaks it. One regression test (at least) per numbered item.

Each test failed before the fix it names and passes after it. The CLI is called in-process
(``convlens.cli.main``); only the signal tests (``test_cli_errors.py``) use subprocesses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
from pathlib import Path

import hypothesis.extra.numpy as hnp
import imageio.v3 as iio
import numpy as np
import pytest
import tifffile
import zarr
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import io, memory, stream
from convlens import kernels as kb
from convlens.cli import _stream as cli_stream
from convlens.cli import filter as cli_filter
from convlens.cli import main


def cli(capsys, *argv):
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(rc, err, fragment=""):
    assert rc == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert fragment in err, err


def tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` with its digest: what 'intact' means."""
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def img() -> np.ndarray:
    rng = np.random.default_rng(13)
    return (rng.random((32, 40)) * 255).astype(np.uint8)


# --- 1. --force never deletes an input that lives inside the output -----------------------


@pytest.mark.parametrize("name", ["cat.png", "cat.tif"])
def test_1_force_output_holding_the_input_is_refused(tmp_path, capsys, img, name):
    photos = tmp_path / "photos.zarr"
    photos.mkdir()
    src = photos / name
    iio.imwrite(src, img) if name.endswith(".png") else tifffile.imwrite(src, img)
    before = tree(photos)
    rc, _, err = cli(capsys, "filter", src, "-k", "sobel", "-o", photos, "--force")
    one_line_error(rc, err, "holds the input")
    assert tree(photos) == before


def test_1_zarr_group_sibling_arrays_survive(tmp_path, capsys, img):
    scan = tmp_path / "scan.zarr"
    group = zarr.open_group(str(scan), mode="w")
    group.create_array("raw", data=img.astype(np.float32), chunks=(16, 16))
    group.create_array("labels", data=np.ones_like(img), chunks=(16, 16))
    before = tree(scan)
    rc, _, err = cli(capsys, "filter", scan / "raw", "-k", "gaussian:1", "-o", scan, "--force")
    one_line_error(rc, err, "holds the input")
    assert tree(scan) == before


def test_1_output_inside_an_input_directory_is_refused(tmp_path, capsys, img):
    src = tmp_path / "in.zarr"
    zarr.create_array(str(src), data=img.astype(np.float32), chunks=(16, 16))
    before = tree(src)
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", src / "out.zarr")
    one_line_error(rc, err, "lies inside input")
    assert tree(src) == before


def test_1_force_does_not_replace_a_plain_directory(tmp_path, capsys, img):
    src = tmp_path / "in.tif"
    tifffile.imwrite(src, img)
    folder = tmp_path / "mine.zarr"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", folder, "--force")
    one_line_error(rc, err, "not a Zarr store")
    assert (folder / "notes.txt").read_text() == "keep me"


def test_1_check_output_overlap_rules(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(ValueError, match="holds the input"):
        io.check_output(tmp_path, inputs=[d / "x.png"], force=True)
    with pytest.raises(ValueError, match="lies inside input"):
        io.check_output(d / "o.npy", inputs=[d], force=True)
    with pytest.raises(ValueError, match="also an input"):
        io.check_output(d / ".." / "d", inputs=[d], force=True)
    # A sibling whose name merely starts like the input is not inside it.
    io.check_output(tmp_path / "d2", inputs=[d], force=True)


def test_1_symlinked_output_pointing_at_the_input_is_refused(tmp_path, capsys, img):
    src = tmp_path / "in.npy"
    np.save(src, img)
    link = tmp_path / "out.npy"
    link.symlink_to(src)
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", link, "--force")
    one_line_error(rc, err, "also an input")
    np.testing.assert_array_equal(np.load(src), img)


# --- 2. bench --json never replaces a file without --force ---------------------------------


def test_2_bench_json_refuses_an_existing_file(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    rc, _, err = cli(capsys, "bench", "--size", "16", "--kernel", "3", "--json", notes)
    one_line_error(rc, err, "exists; pass --force")
    assert notes.read_text() == "my notes"


# --- 3. a concurrent writer's output is never replaced -------------------------------------


def test_3_rename_noreplace_files_and_directories(tmp_path, monkeypatch):
    for fallback in (False, True):
        if fallback:  # the link/unlink and rename path of other systems
            monkeypatch.setattr(io, "_renameat2", lambda a, b: None)
        a, b = tmp_path / f"a{fallback}", tmp_path / f"b{fallback}"
        a.write_text("new")
        b.write_text("theirs")
        with pytest.raises(FileExistsError):
            io.rename_noreplace(a, b)
        assert b.read_text() == "theirs" and a.read_text() == "new"
        da, db = tmp_path / f"da{fallback}", tmp_path / f"db{fallback}"
        da.mkdir()
        db.mkdir()
        (db / "x").write_text("theirs")
        with pytest.raises(FileExistsError):
            io.rename_noreplace(da, db)
        assert (db / "x").read_text() == "theirs"
        io.rename_noreplace(da, tmp_path / f"new{fallback}")
        assert (tmp_path / f"new{fallback}").is_dir() and not da.exists()


@pytest.mark.parametrize("out_name", ["out.npy", "out.png"])
def test_3_npy_output_appearing_meanwhile_is_kept(tmp_path, capsys, monkeypatch, img, out_name):
    src = tmp_path / "in.npy"
    np.save(src, img)
    out = tmp_path / out_name
    real = cli_filter.compute

    def racing(*a, **kw):
        out.write_bytes(b"the other writer's result")
        return real(*a, **kw)

    monkeypatch.setattr(cli_filter, "compute", racing)
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", out)
    one_line_error(rc, err, "not replaced")
    assert out.read_bytes() == b"the other writer's result"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.npy", out_name])


@pytest.mark.parametrize("out_name", ["out.zarr", "out.tif"])
def test_3_streamed_output_appearing_meanwhile_is_kept(
    tmp_path, capsys, monkeypatch, img, out_name
):
    src = tmp_path / "in.tif"
    tifffile.imwrite(src, img)
    out = tmp_path / out_name
    real = stream._compute_to_zarr

    def racing(*a, **kw):
        n = real(*a, **kw)
        if out_name.endswith(".zarr"):
            zarr.create_array(str(out), data=np.full((2, 2), 7.0))
        else:
            out.write_bytes(b"theirs")
        return n

    monkeypatch.setattr(stream, "_compute_to_zarr", racing)
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", out, "--chunks", "16")
    one_line_error(rc, err, "not replaced")
    if out_name.endswith(".zarr"):
        assert float(zarr.open_array(str(out))[0, 0]) == 7.0
    else:
        assert out.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.tif", out_name])


# --- 4. streaming is decided by the decoded size ------------------------------------------


def _ns(inp, out, **kw):
    base = dict(
        input=str(inp), output=str(out), chunks=None, scheduler=None, address=None,
        dtype="auto", method="auto",
    )  # fmt: skip
    return argparse.Namespace(**{**base, **kw})


def test_4_small_file_that_decodes_big_streams(tmp_path, monkeypatch):
    # 2048 x 2048 zeros compress to a few KiB on disk; the decision must use 4 MiB x dtype.
    src = tmp_path / "big.tif"
    tifffile.imwrite(src, np.zeros((2048, 2048), np.uint8), compression="zlib", tile=(256, 256))
    assert os.path.getsize(src) < 64 * 1024
    monkeypatch.setattr(memory, "available_bytes", lambda: 8 * 2**20)
    assert cli_stream.wants_stream(_ns(src, tmp_path / "o.tif"), [np.ones((3, 3))])
    with pytest.raises(MemoryError, match=r"filtering .*2048x2048 uint8.*argument `input`"):
        cli_stream.wants_stream(_ns(src, tmp_path / "o.npy"), [np.ones((3, 3))])
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**40)
    assert not cli_stream.wants_stream(_ns(src, tmp_path / "o.tif"), [np.ones((3, 3))])


def test_4_cli_streams_a_big_tiff_and_refuses_a_big_png(tmp_path, capsys, monkeypatch):
    src = tmp_path / "big.tif"
    X = np.arange(512 * 512, dtype=np.uint32).reshape(512, 512) % 251
    tifffile.imwrite(src, X.astype(np.uint8))
    png = tmp_path / "big.png"
    iio.imwrite(png, X.astype(np.uint8))
    # In memory: about 4.3 MB (decoded, float copy, padded, output, result); one block of
    # the stream: about 2.1 MB.
    monkeypatch.setattr(memory, "available_bytes", lambda: 3 * 2**20)
    rc, out, err = cli(capsys, "filter", src, "-k", "box:3", "-o", tmp_path / "o.tif")
    assert rc == 0 and "blocks of" in out, err
    rc, _, err = cli(capsys, "filter", png, "-k", "box:3", "-o", tmp_path / "o.png")
    one_line_error(rc, err, "convert it to a tiled TIFF or Zarr")
    assert not (tmp_path / "o.png").exists()


def test_4_npy_input_streams_from_a_memory_map(tmp_path):
    src = tmp_path / "x.npy"
    np.save(src, np.arange(30.0).reshape(5, 6))
    X = stream.open_lazy(src, chunks=4)
    assert X.chunks == ((4, 1), (4, 2))
    np.testing.assert_array_equal(X.compute(), np.load(src))


# --- 5. an up-front size check on the in-memory path ---------------------------------------


def test_5_memory_error_names_size_argument_and_way_out():
    with pytest.raises(MemoryError, match=r"needs about .*argument `X`.*Dask array.*--chunks"):
        memory.check_corr2d(
            (1, 1, 60000, 60000), np.dtype(np.uint8), (1, 1, 3, 3), (1, 1, 60000, 60000),
            ((1, 1), (1, 1)), np.dtype(np.float32),
        )  # fmt: skip


def test_5_estimate_counts_the_uint8_to_float_copy():
    f32, u8 = np.dtype(np.float32), np.dtype(np.uint8)
    args = ((1, 1, 100, 100), (1, 1, 3, 3), (1, 1, 98, 98), ((0, 0), (0, 0)))
    same = memory.corr2d_peak(args[0], f32, args[1], args[2], args[3], f32, "direct")
    cast = memory.corr2d_peak(args[0], u8, args[1], args[2], args[3], f32, "direct")
    assert cast - same == 100 * 100 * 4
    fft = memory.corr2d_peak(args[0], f32, args[1], args[2], args[3], f32, "fft")
    assert fft > same


def test_5_available_bytes_is_cached(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "_read_available", lambda: calls.append(1) or 123)
    monkeypatch.setattr(memory, "_cache", [-float("inf"), 0.0])
    assert memory.available_bytes() == 123
    assert memory.available_bytes() == 123
    assert len(calls) == 1


# --- 8. giant kernel specs and options: bounded up front, one line --------------------------


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("gaussian:1e9", "sides up to"),
        ("gaussian:1e5", "sides up to"),
        ("box:100000", "sides up to"),
        ("gaussian:sigma=1,truncate=1e12", "sides up to"),
        ("gaussian:1,size=100001", "sides up to"),
        ("derivative:2000", "`order` must be at most"),
        ("gaussian:sigma=1,sigma=2", "'sigma' is given twice"),
        ("gaussian:1e400", "`sigma` must be finite"),
        ("unsharp:1e6", "sides up to"),
        ("sharpen:1e308", "overflows"),
    ],
)
def test_8_kernel_specs_are_bounded(tmp_path, capsys, img, spec, fragment):
    src = tmp_path / "in.npy"
    np.save(src, img)
    rc, _, err = cli(capsys, "filter", src, "-k", spec, "-o", tmp_path / "o.npy")
    one_line_error(rc, err, fragment)


def test_8_bench_size_is_bounded(capsys, monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**30)
    rc, _, err = cli(capsys, "bench", "--size", "100000", "--kernel", "3")
    one_line_error(rc, err, "argument `--size`")


def test_8_huge_stride_and_padding_are_value_errors():
    X, K = np.zeros((5, 5)), np.ones((3, 3))
    with pytest.raises(ValueError, match=r"`stride` must be at most 2\*\*40"):
        convlens.corr2d(X, K, stride=2**70)
    with pytest.raises(ValueError, match=r"`padding` must be at most 2\*\*40"):
        convlens.corr2d(X, K, padding=2**63)


# --- 9. non-finite inputs: the reference's pattern on the separable engine ------------------


def _pattern(Y):
    return np.isnan(Y), np.isposinf(Y), np.isneginf(Y)


@pytest.mark.parametrize(
    "K",
    [
        kb.unsharp(1.0),
        kb.gaussian(1.0) - kb._delta((9, 9)),
        np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]]),
        np.outer(np.arange(1.0, 16), np.ones(15)) + np.outer(np.ones(15), np.arange(15.0)),
    ],
    ids=["unsharp", "gauss-minus-delta", "3x3-rank3", "positive-rank2-15x15"],
)
@pytest.mark.parametrize("method", ["separable", "auto"])
def test_9_separable_keeps_inf(K, method):
    X = np.random.default_rng(9).random((64, 64))
    X[10, 10], X[40, 50], X[5, 60] = np.inf, -np.inf, np.nan
    ref = convlens.corr2d(X, K, padding="same", method="reference")
    Y = convlens.corr2d(X, K, padding="same", method=method)
    for got, want in zip(_pattern(Y), _pattern(ref)):
        np.testing.assert_array_equal(got, want)
    finite = np.isfinite(ref)
    np.testing.assert_allclose(Y[finite], ref[finite], rtol=1e-10, atol=1e-9)


@settings(max_examples=25, derandomize=True)
@given(
    X=hnp.arrays(
        np.float64,
        (12, 13),
        elements=st.sampled_from([0.0, 1.0, -2.5, 3.0, np.inf, -np.inf, np.nan]),
    ),
    K=hnp.arrays(np.float64, (3, 4), elements=st.floats(-4, 4, allow_nan=False)),
)
def test_9_property_separable_nonfinite_pattern_is_the_reference(X, K):
    with np.errstate(invalid="ignore"):  # the reference's own inf * 0
        ref = convlens.corr2d(X, K, method="reference")
        Y = convlens.corr2d(X, K, method="separable")
    for got, want in zip(_pattern(Y), _pattern(ref)):
        np.testing.assert_array_equal(got, want)


# --- 10. complex kernels and images are refused --------------------------------------------


def test_10_complex_kernel_file_is_refused(tmp_path, capsys, img):
    src = tmp_path / "in.npy"
    np.save(src, img)
    k = tmp_path / "k.npy"
    np.save(k, np.array([[1 + 1j, 0], [0, -1]]))
    rc, _, err = cli(capsys, "filter", src, "-k", k, "-o", tmp_path / "o.npy")
    one_line_error(rc, err, "real numbers")
    assert not (tmp_path / "o.npy").exists()


def test_10_complex_image_is_refused_by_filter_and_learn(tmp_path, capsys, img):
    src = tmp_path / "c.npy"
    np.save(src, img.astype(np.complex64))
    out = tmp_path / "o.npy"
    np.save(out, img[1:-1, 1:-1].astype(np.float64))
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", tmp_path / "f.npy")
    one_line_error(rc, err, "must hold real numbers")
    rc, _, err = cli(capsys, "learn", src, out, "--size", "3x3", "--method", "lstsq")
    one_line_error(rc, err, "must hold real numbers")


# --- 11. NaN or infinite fill values -------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_11_cli_refuses_nonfinite_fill(tmp_path, capsys, img, value):
    src = tmp_path / "in.npy"
    np.save(src, img)
    rc, _, err = cli(
        capsys, "filter", src, "-k", "box:3", "-o", tmp_path / "o.npy",
        "--boundary", "constant", f"--value={value}",
    )  # fmt: skip
    one_line_error(rc, err, "must be a finite number")


# --- 12. multi-page TIFFs: pages are images ------------------------------------------------


def test_12_multipage_tiff_is_refused_saying_why(tmp_path, capsys):
    src = tmp_path / "pages.tif"
    tifffile.imwrite(src, np.zeros((5, 64, 64), np.uint8))
    for extra in ([], ["--chunks", "32"]):
        out = tmp_path / "o.tif"
        rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", out, *extra)
        one_line_error(rc, err, "holds several images (5 along")
        assert not out.exists()


def test_12_planar_rgb_tiff_is_one_colour_image(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 255, (3, 20, 24), dtype=np.uint8)
    src = tmp_path / "planar.tif"
    tifffile.imwrite(src, rgb, photometric="rgb", planarconfig="separate")
    np.testing.assert_array_equal(io.read_image(src), np.moveaxis(rgb, 0, -1))
    lazy = stream.open_lazy(src, chunks=8)
    np.testing.assert_array_equal(lazy.compute(), np.moveaxis(rgb, 0, -1))


def test_12_two_channel_result_round_trips_through_tiff(tmp_path):
    Y = np.random.default_rng(2).random((16, 8, 2)).astype(np.float32)
    io.write_array(tmp_path / "y.tif", Y)
    np.testing.assert_array_equal(io.read_image(tmp_path / "y.tif"), Y)


# --- 16. corrupt TIFF: one line, status 2 --------------------------------------------------


def _corrupt_tag_tiff(path: Path, img: np.ndarray) -> None:
    """A TIFF whose description tag points past the end: tifffile logs it and reads on."""
    tifffile.imwrite(path, img, description="x" * 40, metadata=None)
    with tifffile.TiffFile(path) as tif:
        entry = tif.pages[0].tags[270].offset
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, entry + 8, 10**9)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("extra", [[], ["--chunks", "16"]])
def test_16_tiff_flagged_corrupt_is_an_error(tmp_path, capsys, img, extra):
    src = tmp_path / "bad.tif"
    _corrupt_tag_tiff(src, img)
    out = tmp_path / "o.tif"
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", out, *extra)
    one_line_error(rc, err, "tifffile reports corrupt data")
    assert not out.exists()


# --- unclear errors ------------------------------------------------------------------------


def test_float128_is_refused_naming_the_dtype():
    if np.dtype(np.longdouble).itemsize <= 8:
        pytest.skip("longdouble is float64 here")
    with pytest.raises(TypeError, match="float128|longdouble"):
        convlens.corr2d(np.zeros((5, 5), np.longdouble), np.ones((3, 3)))


def test_full_disk_is_one_clear_line(tmp_path, capsys, monkeypatch, img):
    src = tmp_path / "in.npy"
    np.save(src, img)

    def full(path, arr, allow_pickle=False):
        Path(path).write_bytes(b"partial")
        raise OSError("40000 requested and 8176 written")

    monkeypatch.setattr(np, "save", full)
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", tmp_path / "o.npy")
    one_line_error(rc, err, "no space left on the device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npy"]


def test_dangling_symlink_output_needs_force(tmp_path, capsys, img):
    src = tmp_path / "in.npy"
    np.save(src, img)
    link = tmp_path / "o.npy"
    link.symlink_to(tmp_path / "nowhere.npy")
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", link)
    one_line_error(rc, err, "dangling symbolic link")
    assert link.is_symlink()
    rc, _, err = cli(capsys, "filter", src, "-k", "box:3", "-o", link, "--force")
    assert rc == 0, err
    assert not link.is_symlink() and not (tmp_path / "nowhere.npy").exists()


def test_bench_json_with_force_replaces(tmp_path, capsys):
    notes = tmp_path / "b.json"
    notes.write_text("old")
    rc, _, err = cli(
        capsys, "bench", "--size", "16", "--kernel", "3", "--kind", "gaussian",
        "--repeat", "1", "--budget", "0.05", "--json", notes, "--force",
    )  # fmt: skip
    assert rc in (0, 1), err
    assert "rows" in json.loads(notes.read_text())


# --- 5 and 6: the numpy and Dask backends check before they allocate ----------------------


@pytest.mark.parametrize("requires_grad", [False, True])
def test_5_torch_tensors_are_checked_before_the_widening_copy(monkeypatch, requires_grad):
    import torch

    monkeypatch.setattr(memory, "available_bytes", lambda: 4 * 2**20)
    widened = []
    real_to = torch.Tensor.to
    monkeypatch.setattr(
        torch.Tensor, "to", lambda t, *a, **k: widened.append(1) or real_to(t, *a, **k)
    )
    X = torch.zeros((1000, 1000), dtype=torch.uint8)
    K = torch.ones((3, 3), requires_grad=requires_grad)
    with pytest.raises(MemoryError, match=r"argument `X`"):
        convlens.corr2d(X, K)
    assert widened == []  # refused before any float copy of X


def test_5_corr2d_refuses_before_allocating(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 4 * 2**20)
    X = np.zeros((1000, 1000), np.uint8)  # 1 MB; filtering it needs three 4 MB float32 arrays
    with pytest.raises(MemoryError, match=r"argument `X`.*Dask array"):
        convlens.corr2d(X, np.ones((3, 3), np.float32))
    with pytest.raises(MemoryError, match=r"argument `padding`.*less padding"):
        convlens.corr2d(np.zeros((5, 5)), np.ones((3, 3)), padding=10**9)
    # The Dask way out works under the same limit.
    import dask.array as da

    Y = convlens.corr2d(da.from_array(X, chunks=100), np.ones((3, 3), np.float32))
    assert Y.shape == (998, 998)


def test_6_dask_huge_padding_is_bounded_up_front():
    import dask.array as da

    X = da.from_array(np.ones((64, 80), np.float32), chunks=(64, 80))
    K = np.ones((3, 3), np.float32)
    Y = convlens.corr2d(X, K, padding=20000)  # was millions of 64 x 80 blocks
    assert max(Y.numblocks) <= memory.MAX_BLOCKS_PER_AXIS
    # Around the image, the same values as with a small padding (the rest is the fill).
    small = convlens.corr2d(np.ones((64, 80), np.float32), K, padding=10)
    np.testing.assert_array_equal(Y[19990:20072, 19990:20088].compute(), small)
    with pytest.raises(MemoryError, match=r"argument `padding`"):
        convlens.corr2d(X, K, padding=10**9)


def test_8_rf_erf_input_size_is_bounded(capsys, tmp_path):
    rc, out, err = cli(
        capsys, "rf", "conv3,conv3", "--input-size", "1,1,100000,100000",
        "--erf", tmp_path / "erf.png",
    )  # fmt: skip
    one_line_error(rc, err, "argument `--input-size`")
    assert out == "" and not (tmp_path / "erf.png").exists()


def test_8_features_on_a_one_pixel_image(capsys, tmp_path):
    src = tmp_path / "one.npy"
    np.save(src, np.zeros((1, 1), np.uint8))
    rc, _, err = cli(capsys, "features", src, "-o", tmp_path / "f.png")
    one_line_error(rc, err, "cannot run on this 1x1 image")


# --- 14. a diverging-colour PNG is a picture, not data --------------------------------------


def test_14_learn_refuses_a_colour_mapped_png_written_by_filter(tmp_path, capsys, img):
    src = tmp_path / "in.png"
    iio.imwrite(src, img)
    shown = tmp_path / "edges.png"
    rc, out, err = cli(capsys, "filter", src, "-k", "sobel", "-o", shown)
    assert rc == 0 and "diverging" in out, err
    rc, _, err = cli(capsys, "learn", src, shown, "--size", "3x3", "--method", "lstsq")
    one_line_error(rc, err, "not its values; filter to .tif or .npy")
    # The exact values, written as .tif, give the kernel back.
    exact = tmp_path / "edges.tif"
    rc, _, err = cli(capsys, "filter", src, "-k", "sobel", "-o", exact, "--padding", "valid")
    assert rc == 0, err
    rc, out, err = cli(capsys, "learn", src, exact, "--size", "3x3", "--method", "lstsq")
    assert rc == 0, err
    # An image-like result (a blur, shown as an image) stays readable as an image.
    blur = tmp_path / "blur.png"
    assert cli(capsys, "filter", src, "-k", "gaussian:1", "-o", blur)[0] == 0
    assert io.read_image(blur).shape == img.shape
