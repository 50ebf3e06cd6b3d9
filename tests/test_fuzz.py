"""Fuzzing in CI (issue 13): parsers, the option normaliser and the image readers.

hypothesis drives every target with ``derandomize=True``, so a CI run is deterministic and
bounded (``CONVLENS_FUZZ_EXAMPLES`` examples per target, 60 by default; a longer session
sets it higher). The readers start from the seed files committed in ``tests/corpus/`` and
mutate their headers (the first 128 bytes) and their length. The property everywhere: only
the documented exception types come out (ValueError, TypeError, MemoryError,
FileNotFoundError), and what does come out is what the docs promise.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import tifffile
import zarr
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from convlens import io, stream
from convlens import kernels as kb
from convlens.contract import normalize
from convlens.receptive import parse_spec

CORPUS = Path(__file__).parent / "corpus"
FUZZ = settings(
    max_examples=int(os.environ.get("CONVLENS_FUZZ_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
DOCUMENTED = (ValueError, TypeError, MemoryError, FileNotFoundError)

numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e9", "1e400", "-0", "nan", "inf", "0x10", "1_0", "", " ", "True"]),
)
words = st.sampled_from(["x", "y", "sigma", "size", "truncate", "axis", "order", "amount"])
arg = st.one_of(numbers, words, st.tuples(words, numbers).map("=".join))
specs = st.one_of(
    st.text(max_size=40),
    st.tuples(st.sampled_from(kb.names()), st.lists(arg, max_size=4)).map(
        lambda t: f"{t[0]}:{','.join(t[1])}"
    ),
    st.recursive(
        st.floats(allow_nan=True).map(repr) | st.integers().map(str),
        lambda inner: st.lists(inner, max_size=3).map(lambda v: "[" + ",".join(v) + "]"),
        max_leaves=12,
    ),
)


@FUZZ
@given(spec=specs)
@example(spec="gaussian:sigma=1,sigma=2")
@example(spec="derivative:2000")
@example(spec="gaussian:sigma=1,truncate=1e12")
@example(spec="sharpen:1e308")  # found by review: 4 * 1e308 overflows to inf
def test_kernel_spec_parser(spec):
    try:
        K = kb.from_spec(spec)
    except (ValueError, TypeError):
        return
    assert K.ndim == 2 and K.dtype == np.float64 and K.size > 0
    assert max(K.shape) <= kb.MAX_SIDE and np.isfinite(K).all()


layer_tokens = st.one_of(
    st.sampled_from(["conv", "pool", "tconv", "pad", "conv3", "pool2", "relu", ""]),
    st.tuples(
        st.sampled_from(["conv", "pool", "tconv", "pad"]),
        st.integers(-3, 2**66).map(str) | st.sampled_from(["3x1", "0", "x", "3x"]),
        st.lists(
            st.sampled_from([":s", ":p", ":d", ":psame", ":q"]).flatmap(
                lambda o: (
                    st.integers(-2, 2**66).map(lambda n: f"{o}{n}")
                    if o != ":psame"
                    else st.just(o)
                )
            ),
            max_size=3,
        ),
    ).map(lambda t: t[0] + t[1] + "".join(t[2])),
)


@FUZZ
@given(spec=st.one_of(st.text(max_size=30), st.lists(layer_tokens, max_size=5).map(",".join)))
def test_layer_spec_parser(spec):
    try:
        layers = parse_spec(spec)
    except (ValueError, TypeError):
        return
    assert len(layers) >= 1


ints = st.one_of(st.integers(-3, 8), st.integers(-(2**70), 2**70), st.booleans())
options = st.fixed_dictionaries(
    {
        "padding": st.one_of(
            st.sampled_from(["valid", "same", "full", "half", "", None]),
            ints,
            st.tuples(ints, ints),
            st.tuples(st.tuples(ints, ints), st.tuples(ints, ints)),
            st.floats(),
        ),
        "boundary": st.sampled_from(["constant", "reflect", "wrap", "mirror", None, 3]),
        "value": st.one_of(st.floats(), st.integers(), st.text(max_size=2), st.none()),
        "stride": st.one_of(ints, st.tuples(ints, ints), st.floats()),
        "dilation": st.one_of(ints, st.tuples(ints, ints, ints)),
        "groups": st.one_of(ints, st.floats()),
    }
)
shapes = st.lists(st.integers(0, 12), min_size=1, max_size=5).map(tuple)


@FUZZ
@given(x_shape=shapes, k_shape=shapes, opts=options)
def test_option_normaliser(x_shape, k_shape, opts):
    try:
        spec = normalize(x_shape, k_shape, **opts)
    except (ValueError, TypeError):
        return
    assert all(n >= 0 for n in spec.out_shape)


@st.composite
def mutated(draw, seed: bytes, header: int = 128) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, min(header, len(data)) - 1))
        data[i] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


SEEDS = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".png", ".tif", ".npy"))


@pytest.mark.parametrize("seed", SEEDS)
def test_image_readers_on_mutated_headers(seed):
    base = (CORPUS / seed).read_bytes()
    suffix = Path(seed).suffix
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"x{suffix}"

        @FUZZ
        @given(data=mutated(base))
        def run(data):
            path.write_bytes(data)
            try:
                arr = io.read_image(path)
            except DOCUMENTED:
                arr = None
            if arr is not None:
                assert isinstance(arr, np.ndarray) and arr.dtype.kind in "biuf"
            if suffix in (".tif", ".npy"):
                try:
                    lazy = stream.open_lazy(path, chunks=4)
                    lazy.compute()
                except DOCUMENTED:
                    pass

        run()


def test_zarr_reader_on_mutated_metadata(tmp_path):
    seed = (CORPUS / "seed.zarr.json").read_text()
    data = np.arange(30, dtype=np.float32).reshape(6, 5)
    good = tmp_path / "good.zarr"
    zarr.create_array(str(good), data=data, chunks=(4, 4))
    assert json.loads(seed)["shape"] == [6, 5]
    store = tmp_path / "x.zarr"

    @FUZZ
    @given(text=mutated(seed.encode(), header=len(seed)))
    def run(text):
        if store.exists():
            shutil.rmtree(store)
        shutil.copytree(good, store)
        (store / "zarr.json").write_bytes(text)
        try:
            stream.open_lazy(store, chunks=4).compute()
        except DOCUMENTED:
            pass

    run()


def test_found_by_fuzzing_npy_header_syntax_error(tmp_path):
    # A long session found this: a mangled header dict makes NumPy raise SyntaxError or
    # tokenize.TokenError from np.load(mmap_mode="r"), which the stream path let through.
    data = (CORPUS / "seed.npy").read_bytes().replace(b"'<f4', ", b"'<f4'{ ", 1)
    assert b"'<f4'{ 'fortran_order'" in data
    path = tmp_path / "x.npy"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="cannot read"):
        stream.open_lazy(path, chunks=4)
    with pytest.raises(ValueError, match="cannot read"):
        io.read_image(path)


def test_found_by_fuzzing_tiny_chunks_on_a_big_declared_image(tmp_path, monkeypatch):
    # A long session hung here: a mutated header declared a large image, and chunks=4 cut
    # it into so many blocks that building the graph never finished.
    from convlens import memory

    path = tmp_path / "x.tif"
    tifffile.imwrite(path, np.zeros((4096, 4096), np.uint8), tile=(256, 256))
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**30)
    with pytest.raises(MemoryError, match=r"1048576 chunks of 4x4.*argument `chunks`"):
        stream.open_lazy(path, chunks=4)
    assert stream.open_lazy(path, chunks=256).numblocks == (16, 16)


def test_found_by_fuzzing_truncated_tiff_is_refused_before_decoding(tmp_path):
    path = tmp_path / "x.tif"
    tifffile.imwrite(path, np.ones((64, 64), np.float32), tile=(16, 16))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="runs past the end of the file"):
        io.read_image(path)
