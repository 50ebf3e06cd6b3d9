"""A real ``dask.distributed`` cluster (two worker processes on loopback) filters Zarr."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zarr

from convlens import stream
from convlens.cli import main
from convlens.image import filter_image

distributed = pytest.importorskip("distributed")

K = np.array([[0.0, 1.0, 0.5], [2.0, -1.0, 0.0], [0.25, 0.0, 3.0]], np.float32)


@pytest.fixture(scope="module")
def cluster():
    # dashboard_address=None: no HTTP server (no port clash, no bokeh warning under
    # filterwarnings=error). processes=True: real worker processes, data crosses pickling.
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    ) as c:
        yield c


@pytest.fixture()
def image(tmp_path: Path) -> tuple[np.ndarray, Path]:
    X = np.random.default_rng(0).standard_normal((300, 260)).astype(np.float32)
    src = tmp_path / "in.zarr"
    zarr.create_array(str(src), data=X, chunks=(64, 64))
    return X, src


def _prefixes(cluster) -> set[str]:
    with distributed.Client(cluster) as client:
        return set(
            client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
        )


def test_cluster_filters_zarr_end_to_end(cluster, image, tmp_path: Path) -> None:
    X, src = image
    out = tmp_path / "out.zarr"
    r = stream.filter_to_store(
        src,
        out,
        K,
        boundary="wrap",
        scheduler="distributed",
        address=cluster.scheduler_address,
        method="numpy",
        progress=False,
    )
    assert r.blocks == 5 * 5
    got = zarr.open_array(str(out), mode="r")
    assert got.chunks == (64, 64)
    assert np.array_equal(got[:], filter_image(X, K, boundary="wrap", method="numpy"))
    # The reads, halo pieces and writes ran on the cluster's workers.
    assert {"convlens-piece", "convlens-write", "from-zarr"} <= _prefixes(cluster)
    with distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2


def test_cli_address_runs_on_the_cluster(cluster, image, tmp_path: Path, capsys) -> None:
    X, src = image
    out = tmp_path / "cli.tif"
    argv = ["filter", str(src), "-k", "gaussian:1.5", "-o", str(out), "--chunks", "100"]
    assert main([*argv, "--address", cluster.scheduler_address, "--method", "numpy"]) == 0
    assert "scheduler distributed" in capsys.readouterr().out
    mem = tmp_path / "mem.npy"
    np.save(tmp_path / "x.npy", X)
    assert main(["filter", str(tmp_path / "x.npy"), "-k", "gaussian:1.5", "-o", str(mem),
                 "--method", "numpy"]) == 0  # fmt: skip
    import tifffile

    assert np.array_equal(tifffile.imread(out), np.load(mem))


def test_worker_error_reaches_the_client_and_leaves_no_output(
    cluster, image, tmp_path: Path
) -> None:
    X, src = image
    # Garble one stored chunk: a worker fails to decode it while the others succeed.
    chunk = next(p for p in sorted((src / "c").rglob("*")) if p.is_file())
    chunk.write_bytes(b"not zstd at all")
    out = tmp_path / "out.zarr"
    with pytest.raises(RuntimeError, match="(?i)zstd decompression"):
        stream.filter_to_store(
            src, out, K, scheduler="distributed", address=cluster.scheduler_address,
            progress=False,
        )  # fmt: skip
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_cli_corrupt_chunk_is_one_line(cluster, image, tmp_path: Path, capsys) -> None:
    X, src = image
    chunk = next(p for p in sorted((src / "c").rglob("*")) if p.is_file())
    chunk.write_bytes(b"garbage")
    out = tmp_path / "o.zarr"
    argv = ["filter", str(src), "-k", "box:3", "-o", str(out)]
    assert main([*argv, "--address", cluster.scheduler_address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "failed while filtering" in err and "RuntimeError" in err
    assert not out.exists()
