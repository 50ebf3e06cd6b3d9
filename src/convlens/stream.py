"""Streaming: filter a Zarr (v3) store or a big TIFF chunk by chunk, in bounded memory.

::

    open_lazy(src)  ->  filter_image (lazy, backends/dask.py)  ->  write_lazy(Y, dst)

* **Reading.** Zarr through ``dask.array.from_zarr``. TIFF through :class:`TiffReader`, a
  small picklable object that opens the file for each chunk it reads (a memory map for
  uncompressed contiguous data, else tifffile's Zarr view of the tiles or strips), so worker
  processes and cluster nodes can read it too. Truncated or corrupt TIFFs are refused when
  opened, with one clear ``ValueError``.
* **Computing.** :func:`convlens.filter_image` on the Dask array: each output block is one
  task reading only its input chunk and the halo (see :mod:`convlens.backends.dask`).
* **Writing.** One write task per output block, into a Zarr array whose chunks are exactly
  the output blocks (so no two tasks touch the same stored chunk). Everything goes into a
  temporary store beside the output, renamed into place only when every block is written:
  a crash never leaves a complete-looking output. A TIFF output is first written as that
  temporary (uncompressed) Zarr store in parallel, then copied tile by tile into a tiled TIFF
  (one tile per output block, one block in memory at a time), then renamed into place.
* **Running.** ``scheduler="threads"`` (default), ``"processes"`` or ``"distributed"``
  (``address`` of a running scheduler, or a local cluster when ``address`` is None). A
  progress bar (tqdm, on stderr) counts the blocks written.

Memory is bounded by (tasks running at once) x (one block with its halo, a few times over),
never by the image size.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
import shutil
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import io, memory

SCHEDULERS = ("threads", "processes", "distributed")
DEFAULT_CHUNK = 4096
TIFF_SUFFIXES = (".tif", ".tiff")


@dataclass(frozen=True)
class StreamResult:
    """What :func:`filter_to_store` wrote."""

    path: Path
    shape: tuple[int, ...]
    dtype: np.dtype
    chunks: tuple[int, ...]
    blocks: int


def is_zarr(path: str | os.PathLike) -> bool:
    """A ``.zarr`` path, or a directory holding Zarr metadata."""
    p = Path(path)
    return p.suffix.lower() == ".zarr" or (
        p.is_dir() and any((p / m).is_file() for m in ("zarr.json", ".zarray"))
    )


def is_tiff(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in TIFF_SUFFIXES


class TiffReader:
    """A lazily read TIFF image, indexable like an array (for ``dask.array.from_array``).

    Only the file name and a few numbers are kept, so it pickles to worker processes; each
    ``__getitem__`` opens the file and reads just the tiles or strips under the region.

    Examples
    --------
    >>> import tempfile, numpy as np, tifffile
    >>> path = tempfile.mkdtemp() + "/x.tif"
    >>> tifffile.imwrite(path, np.arange(12.0).reshape(3, 4))
    >>> TiffReader(path)[1:3, 2:]
    array([[ 6.,  7.],
           [10., 11.]])
    """

    def __init__(self, path: str | os.PathLike) -> None:
        import tifffile

        self.path = str(path)
        if not Path(self.path).is_file():
            raise FileNotFoundError(f"input file not found: {self.path}")
        try:
            with io.tiff_errors(self.path), tifffile.TiffFile(self.path) as tif:
                if not tif.series:
                    raise ValueError("no image series")
                series = tif.series[0]
                page = series.pages[0]
                self.shape, self.planar = io.tiff_layout(series, self.path)
                self.dtype = np.dtype(series.dtype)
                self.memmappable = bool(len(series.pages) == 1 and page.is_memmappable)
                io.check_tiff_data(page, self.path)
        except ValueError as exc:
            if str(exc).startswith((self.path, "cannot read")):
                raise
            raise ValueError(f"cannot read {self.path} as a TIFF: {exc}") from exc
        except Exception as exc:  # tifffile raises its own types on corrupt headers
            raise ValueError(f"cannot read {self.path} as a TIFF: {exc}") from exc
        self.ndim = len(self.shape)

    def __getitem__(self, key: Any) -> np.ndarray:
        import tifffile

        if self.planar:
            # On disk (C, H, W): read the channels asked for, then put them last.
            key = tuple(key) if isinstance(key, tuple) else (key,)
            key = key + (slice(None),) * (3 - len(key))
            key = (key[2], key[0], key[1])
        try:
            with io.tiff_errors(self.path):
                if self.memmappable:
                    mm = tifffile.memmap(self.path, mode="r")
                    out = np.array(mm[key])
                else:
                    import zarr

                    with tifffile.imread(self.path, aszarr=True) as store:
                        out = np.asarray(zarr.open_array(store, mode="r")[key])
        except Exception as exc:  # a decoder error deep in a worker: say which file
            raise ValueError(f"cannot read {self.path}: {exc}") from exc
        return np.moveaxis(out, 0, -1) if self.planar and out.ndim == 3 else out

    def __repr__(self) -> str:
        return f"TiffReader({self.path!r}, shape={self.shape}, dtype={self.dtype})"


def open_lazy(path: str | os.PathLike, chunks: int | None = None) -> Any:
    """Open a Zarr array, a TIFF or any image as a lazy Dask array, chunked spatially.

    Parameters
    ----------
    path : path
        A Zarr (v2 or v3) array store, a TIFF, or anything :func:`convlens.io.read_image`
        reads (read into memory, then chunked).
    chunks : int, optional
        Square spatial chunk size; the channel axis is one chunk. By default the store's own
        chunks for Zarr, else ``DEFAULT_CHUNK``.

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import tempfile, numpy as np, tifffile
    >>> path = tempfile.mkdtemp() + "/x.tif"
    >>> tifffile.imwrite(path, np.zeros((5, 7), np.uint8))
    >>> open_lazy(path, chunks=4).chunks
    ((4, 1), (4, 3))
    """
    import dask.array as da

    if chunks is not None and (
        not isinstance(chunks, int) or isinstance(chunks, bool) or chunks < 1
    ):
        raise ValueError(f"`chunks` must be a positive int; got {chunks!r}")
    p = Path(path)
    if is_zarr(p):
        import zarr

        if not p.exists():
            raise FileNotFoundError(f"input store not found: {p}")
        try:
            z = zarr.open_array(str(p), mode="r")
        except Exception as exc:  # a group, or not Zarr at all
            raise ValueError(f"cannot open {p} as a Zarr array: {exc}") from exc
        _check_real(z.dtype, p)
        spec = _chunk_spec(z.shape, chunks) if chunks else z.chunks
        _check_blocks(z.shape, spec, p)
        return da.from_zarr(z, chunks=spec)
    if is_tiff(p):
        reader = TiffReader(p)
        _check_real(reader.dtype, p)
        spec = _chunk_spec(reader.shape, chunks or DEFAULT_CHUNK)
        _check_blocks(reader.shape, spec, p)
        return da.from_array(reader, chunks=spec, asarray=False, lock=False, fancy=False)
    if p.suffix.lower() == ".npy" and p.is_file():
        # A memory map: chunks are read from disk as they are needed, never the whole array.
        try:
            arr = np.load(p, mmap_mode="r", allow_pickle=False)
        except Exception as exc:  # a mangled header: NumPy raises SyntaxError, TokenError...
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ValueError(f"cannot read {p} as an array: {first}") from exc
        _check_real(arr.dtype, p)
        if arr.ndim not in (2, 3):
            raise ValueError(f"{p}: expected a 2-D (H, W) or (H, W, C) image; got {arr.shape}")
    else:
        arr = io.read_image(p)
    return da.from_array(arr, chunks=_chunk_spec(arr.shape, chunks or DEFAULT_CHUNK))


def _check_blocks(shape: tuple[int, ...], spec: tuple[int, ...], path: Path) -> None:
    """Refuse chunks so small for this image that the task graph alone would not fit."""
    if len(shape) < 2 or min(shape[:2]) < 1:
        return
    blocks = -(-shape[0] // max(spec[0], 1)) * -(-shape[1] // max(spec[1], 1))
    memory.check(
        blocks * memory.BLOCK_OVERHEAD,
        f"streaming {path} ({'x'.join(map(str, shape))}) in {blocks} chunks of "
        f"{spec[0]}x{spec[1]}",
        "chunks",
        "use larger chunks (--chunks 4096)",
    )


def _check_real(dtype: Any, path: Path) -> None:
    if np.dtype(dtype).kind not in "biuf":
        raise ValueError(
            f"{path}: an image must hold real numbers (bool, int, uint or float); got {dtype}"
        )


def _chunk_spec(shape: tuple[int, ...], size: int) -> tuple[int, ...]:
    return (min(size, shape[0]), min(size, shape[1])) + tuple(shape[2:])


def filter_to_store(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    K: Any,
    *,
    chunks: int | None = None,
    scheduler: str = "threads",
    address: str | None = None,
    workers: int | None = None,
    progress: bool | str = True,
    conv: bool = False,
    padding: Any = "same",
    boundary: str = "reflect",
    value: float = 0.0,
    method: str = "auto",
    force: bool = False,
) -> StreamResult:
    """Filter the image at ``src`` with kernel ``K`` and write ``dst``, chunk by chunk.

    Parameters
    ----------
    src : path
        Zarr array store, TIFF, or any image :func:`convlens.io.read_image` reads.
    dst : path
        ``*.zarr`` (a Zarr v3 array) or ``*.tif``/``*.tiff`` (a tiled TIFF).
    K : array_like
        A 2-D kernel, applied to every channel as :func:`convlens.filter_image` does.
    chunks : int, optional
        Spatial chunk size (rounded up to a multiple of 16 for a TIFF output, whose tiles
        are the chunks).
    scheduler : {"threads", "processes", "distributed"}
        Where the tasks run.
    address : str, optional
        ``tcp://host:port`` of a running ``dask.distributed`` scheduler (with
        ``scheduler="distributed"``); without it a local cluster is started and closed.
    workers : int, optional
        Threads or processes for the local schedulers (default: one per core).
    progress : bool or "transient"
        Show a progress bar on stderr; ``"transient"`` erases it when done (the command
        line's choice, so that stderr holds only what matters: nothing, or one error line).
    conv, padding, boundary, value, method
        As in :func:`convlens.filter_image`.
    force : bool
        Replace ``dst`` if it exists (never an input).

    Returns
    -------
    StreamResult

    Examples
    --------
    >>> import tempfile, numpy as np, zarr
    >>> d = tempfile.mkdtemp()
    >>> _ = zarr.create_array(d + "/in.zarr", data=np.eye(6, dtype=np.float32), chunks=(4, 4))
    >>> K = np.ones((1, 2), np.float32)
    >>> r = filter_to_store(d + "/in.zarr", d + "/out.zarr", K, progress=False, padding="valid")
    >>> r.shape, r.chunks
    ((6, 5), (4, 4))
    >>> zarr.open_array(d + "/out.zarr")[0, :3]
    array([1., 0., 0.], dtype=float32)
    """
    from .image import filter_image

    check_stream_output(dst, [src], force)
    if is_tiff(dst) and chunks is not None:
        chunks = _round16(chunks)
    X = open_lazy(src, chunks)
    Y = filter_image(
        X, K, conv=conv, padding=padding, boundary=boundary, value=value, method=method
    )
    return write_lazy(
        Y,
        dst,
        inputs=[src],
        scheduler=scheduler,
        address=address,
        workers=workers,
        progress=progress,
        force=force,
    )


def check_stream_output(
    dst: str | os.PathLike, inputs: list | tuple = (), force: bool = False
) -> Path:
    """Refuse an output that is not ``.zarr``/TIFF, overlaps an input, or exists without force.

    With ``force``, an existing directory is replaced only if it is a Zarr store: a folder of
    other files under a ``.zarr`` name is refused.
    """
    out = Path(dst)
    if not (out.suffix.lower() == ".zarr" or is_tiff(out)):
        raise ValueError(f"a streamed output must end in .zarr, .tif or .tiff; got {out.name}")
    io.check_output(out, inputs=list(inputs), force=force)
    if out.is_dir() and not out.is_symlink() and not _is_store(out):
        raise ValueError(
            f"output {out} is a directory that is not a Zarr store; refusing to replace it, "
            "even with --force"
        )
    return out


def _is_store(p: Path) -> bool:
    return any((p / m).is_file() for m in ("zarr.json", ".zarray", ".zgroup"))


def check_scheduler(scheduler: Any, address: Any) -> None:
    if scheduler not in SCHEDULERS:
        raise ValueError(f"`scheduler` must be one of {SCHEDULERS}; got {scheduler!r}")
    if address is not None and scheduler != "distributed":
        raise ValueError(
            f"`address` needs scheduler='distributed'; got scheduler={scheduler!r} "
            f"with address={address!r}"
        )
    if address is not None and (not isinstance(address, str) or "://" not in address):
        raise ValueError(f"`address` must look like 'tcp://host:port'; got {address!r}")


def write_lazy(
    Y: Any,
    dst: str | os.PathLike,
    *,
    inputs: list[str | os.PathLike] | tuple = (),
    scheduler: str = "threads",
    address: str | None = None,
    workers: int | None = None,
    progress: bool | str = True,
    force: bool = False,
) -> StreamResult:
    """Compute a lazy 2-D or ``(H, W, C)`` Dask array into a Zarr store or a tiled TIFF.

    The output's chunks are ``Y``'s spatial blocks (made regular, and multiples of 16 for
    TIFF, if they are not). Written to a temporary path beside ``dst``, renamed when done.

    Examples
    --------
    >>> import tempfile, dask.array as da, tifffile
    >>> path = tempfile.mkdtemp() + "/ones.tif"
    >>> write_lazy(da.ones((40, 20), chunks=16), path, progress=False).chunks
    (16, 16)
    >>> float(tifffile.imread(path).sum())
    800.0
    """
    check_scheduler(scheduler, address)
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ValueError(f"`workers` must be a positive int; got {workers!r}")
    out = check_stream_output(dst, inputs, force)
    # Decided now, not after the compute: an output that a concurrent run creates meanwhile
    # is never replaced (only one that existed when --force was checked).
    replace = os.path.lexists(out)
    if Y.ndim not in (2, 3):
        raise ValueError(f"`Y` must be 2-D (H, W) or (H, W, C); got shape {Y.shape}")
    Y = _regular_blocks(Y, tiff=is_tiff(out))
    if is_tiff(out):
        # Uncompressed twice over (the temporary store, then the TIFF): check the disk first.
        need, free = 2 * int(Y.nbytes), shutil.disk_usage(out.parent).free
        if need > free:
            raise OSError(
                errno.ENOSPC,
                f"{out} needs about {need / 2**30:.1f} GiB on disk (output of shape {Y.shape}) "
                f"but only {free / 2**30:.1f} GiB is free; write a .zarr output (compressed) "
                "or use less padding",
            )
    stamp = uuid.uuid4().hex[:8]
    tmp_zarr = out.parent / f".{out.name}.tmp-{stamp}.zarr"
    try:
        n = _compute_to_zarr(Y, tmp_zarr, scheduler, address, workers, progress, tiff=is_tiff(out))
        if is_tiff(out):
            io.atomic_write(
                out, lambda tmp: _zarr_to_tiff(tmp_zarr, tmp, progress), replace=replace
            )
        else:
            _replace_dir(tmp_zarr, out, replace, inputs)
    finally:
        if tmp_zarr.exists():
            shutil.rmtree(tmp_zarr, ignore_errors=True)
    chunks = tuple(c[0] for c in Y.chunks)
    return StreamResult(out, tuple(Y.shape), np.dtype(Y.dtype), chunks, n)


def _round16(n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"`chunks` must be a positive int; got {n!r}")
    return -(-n // 16) * 16


def _regular_blocks(Y: Any, tiff: bool) -> Any:
    """One chunk on the channel axis; equal spatial blocks (a TIFF's tiles: multiples of 16)."""
    want: dict[int, int] = {}
    if Y.ndim == 3 and len(Y.chunks[2]) > 1:
        want[2] = -1
    for ax in range(2):
        c = Y.chunks[ax]
        size = _round16(c[0]) if tiff else c[0]
        if size != c[0] or any(x != size for x in c[:-1]) or c[-1] > size:
            want[ax] = size
    return Y.rechunk(want) if want else Y


def _write_block(block: np.ndarray, store: str, region: tuple[slice, ...]) -> int:
    import zarr

    zarr.open_array(store, mode="r+")[region] = block
    return 1


def _compute_to_zarr(
    Y: Any,
    store: Path,
    scheduler: str,
    address: str | None,
    workers: int | None,
    progress: bool | str,
    tiff: bool,
) -> int:
    import dask
    import zarr

    chunks = tuple(c[0] for c in Y.chunks)
    # The temporary store of a TIFF output is read once and deleted: no compression.
    extra: dict[str, Any] = {"compressors": None} if tiff else {}
    zarr.create_array(
        str(store), shape=Y.shape, chunks=chunks, dtype=Y.dtype, zarr_format=3, **extra
    )
    offsets = [np.cumsum((0,) + c) for c in Y.chunks]
    blocks = Y.to_delayed(optimize_graph=True)
    token = uuid.uuid4().hex[:12]
    writes = []
    for idx in itertools.product(*(range(len(c)) for c in Y.chunks)):
        region = tuple(slice(int(o[i]), int(o[i + 1])) for o, i in zip(offsets, idx))
        key = f"convlens-write-{token}-{len(writes)}"
        writes.append(
            dask.delayed(_write_block, pure=False)(
                blocks[idx], str(store), region, dask_key_name=key
            )
        )
    bar = _bar(len(writes), "blocks", progress)
    pool = None
    if scheduler == "threads":
        # Our own pool, so that on an error or a signal we can wait for the block writes
        # still running before the caller deletes the temporary store under them.
        pool = ThreadPoolExecutor(workers or os.cpu_count() or 1)
    try:
        if scheduler == "distributed":
            _run_distributed(writes, address, bar)
        else:
            with _count_writes(bar, f"convlens-write-{token}"):
                opts: dict[str, Any] = {"pool": pool} if pool is not None else {}
                dask.compute(*writes, scheduler=scheduler, num_workers=workers, **opts)
    except BaseException:
        bar.leave = False  # the error is the one line the user should see
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
    return len(writes)


def _bar(total: int, unit: str, enabled: bool | str) -> Any:
    from tqdm.auto import tqdm

    leave = enabled != "transient"
    return tqdm(total=total, unit=unit, disable=not enabled, file=sys.stderr, leave=leave)


def _count_writes(bar: Any, prefix: str) -> Any:
    from dask.callbacks import Callback

    class CountWrites(Callback):
        """Advance the bar when a block-write task finishes (local schedulers)."""

        def __init__(self, bar: Any, prefix: str) -> None:
            super().__init__()
            self.bar, self.prefix = bar, prefix

        def _posttask(self, key, result, dsk, state, worker_id) -> None:
            if isinstance(key, str) and key.startswith(self.prefix):
                self.bar.update(1)

    return CountWrites(bar, prefix)


def _run_distributed(writes: list, address: str | None, bar: Any) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address is None:
        # Workers' task-failure logs would repeat the error the client raises, many times.
        cluster = LocalCluster(
            processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
        )
        address = cluster.scheduler_address
    try:
        with Client(address) as client:
            futures = client.compute(writes)
            try:
                for fut in as_completed(futures):
                    fut.result()  # re-raises a worker's error here
                    bar.update(1)
            except BaseException:
                client.cancel(futures)
                raise
    finally:
        if cluster is not None:
            cluster.close()


def _replace_dir(tmp: Path, out: Path, replace: bool, inputs: Any = ()) -> None:
    """Rename a finished store into place, never over what a concurrent run wrote.

    With ``replace`` the old output is moved aside first and removed after; it is never
    removed if an input lies inside it (``check_output`` refuses that earlier too).
    """
    if not replace:
        io.rename_noreplace(tmp, out)
        return
    real_out = os.path.realpath(out)
    for src in inputs:
        if os.path.realpath(os.path.abspath(src)).startswith(real_out + os.sep):
            raise ValueError(f"output {out} holds the input {src}; refusing to replace it")
    old = None
    if os.path.lexists(out):
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(out, old)
    try:
        io.rename_noreplace(tmp, out)
    except BaseException:
        if old is not None:
            with contextlib.suppress(OSError):
                io.rename_noreplace(old, out)
        raise
    if old is None:
        return
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    else:
        old.unlink()


def _zarr_to_tiff(store: Path, tmp: Path, progress: bool | str) -> None:
    """Copy a Zarr array into a tiled TIFF, one chunk (= one tile) in memory at a time."""
    import tifffile
    import zarr

    z = zarr.open_array(str(store), mode="r")
    th, tw = z.chunks[:2]
    rows, cols = range(0, z.shape[0], th), range(0, z.shape[1], tw)
    bar = _bar(len(rows) * len(cols), "tiles", progress)

    def tiles():
        for i in rows:
            for j in cols:
                bar.update(1)
                yield z[i : i + th, j : j + tw]

    photometric = "rgb" if z.ndim == 3 and z.shape[2] in (3, 4) else "minisblack"
    try:
        tifffile.imwrite(
            tmp,
            tiles(),
            shape=z.shape,
            dtype=z.dtype,
            tile=(th, tw),
            photometric=photometric,
            bigtiff=z.nbytes > 2**31,
        )
    finally:
        bar.close()
