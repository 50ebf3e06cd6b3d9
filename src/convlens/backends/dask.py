"""The Dask path: ``corr2d`` on images larger than memory, chunk by chunk, exactly.

A Dask array in gives a lazy Dask array out. The design, in three steps:

1. **Output grid first.** The output is cut into a regular grid of blocks along the spatial
   axes (by default one output block per input chunk, divided by the stride). Each output
   block ``[o0, o1)`` needs the padded input rows ``[o0*s, (o1-1)*s + d*(k-1) + 1)``, so
   stride never straddles a seam: every block starts on the stride grid by construction.
2. **Index maps for the border.** ``np.pad(np.arange(n), pads, mode)`` gives, for every
   padded row, the input row it copies (``-1`` for ``boundary="constant"``). Slicing that map
   to a block's padded rows says exactly which input rows the block needs: neighbours for an
   interior seam, the mirrored rows for ``reflect``/``symmetric``, the far side of the image
   for ``wrap`` (dask-image's issue #242 was this case). Padding is therefore never
   materialised for the whole image (dask-image's issue #386 was a whole-array allocation).
3. **Two tasks per block.** A *piece* task cuts from each input chunk only the rows and
   columns the block needs; an *assemble* task places the pieces in one contiguous region,
   fills constant padding, and runs the same convlens engine on that region in "valid" mode.

Every block uses the engine planned once for the whole call, so with a forced ``method``
(``"numpy"``, say) the chunked result is bitwise equal to the in-memory one. With
``method="auto"`` the planner may pick another engine for the whole image than for a block;
the two then agree within the accuracy contract of ``DESIGN.md``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _checks, memory
from ..contract import as_4d, is_torch, validate
from ..engines import ENGINES, Problem
from ..planner import choose

# One axis of a block's needed input: for each input chunk it touches, the chunk index,
# where the rows go in the region, and which rows of the chunk they are.
AxisPieces = list[tuple[int, Any, Any]]


def correlate_dask(
    X: Any,
    K: Any,
    *,
    flip: bool = False,
    method: str = "auto",
    check_finite: bool = False,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Any:
    """Cross-correlate a Dask array chunk by chunk; the lazy counterpart of ``corr2d``.

    ``corr2d`` and ``conv2d`` call this for a Dask ``X``; the options and the result are those
    of :func:`convlens.corr2d`, and the result is a lazy Dask array.

    Parameters
    ----------
    X : dask.array.Array
        ``(H, W)``, ``(C_in, H, W)`` or ``(N, C_in, H, W)``; chunked along any axes. Channel
        axes are rechunked to one chunk; spatial chunks smaller than the kernel reach
        ``d*(k-1)`` are enlarged automatically; the batch axis keeps its chunks.
    K : array_like
        The kernel (a small NumPy, torch or Dask array; computed eagerly).
    flip : bool
        Convolve (flip ``K`` on both spatial axes) instead of correlate.
    method : str
        Engine for every block; ``"auto"`` plans once on the largest block.
    check_finite : bool
        Check ``K`` now and each block of ``X`` when it is computed (a ``ValueError`` then).
    padding, boundary, value, stride, dilation, groups
        As in :func:`convlens.corr2d`.

    Returns
    -------
    Y : dask.array.Array
        Lazy; dtype ``np.result_type(X, K, np.float32)``; regular chunks on the spatial axes.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> X = da.from_array(np.arange(36.0).reshape(6, 6), chunks=4)
    >>> Y = correlate_dask(X, np.ones((3, 3)), padding="same", boundary="wrap")
    >>> Y.chunks
    ((4, 2), (4, 2))
    >>> Y.compute()[0]
    array([126., 117., 126., 135., 144., 135.])
    >>> from convlens import corr2d
    >>> bool((Y.compute() == corr2d(X.compute(), np.ones((3, 3)), padding="same",
    ...                             boundary="wrap")).all())
    True
    """
    return correlate_chunked(
        X,
        K,
        flip=flip,
        method=method,
        check_finite=check_finite,
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )


def correlate_chunked(
    X: Any,
    K: Any,
    *,
    flip: bool = False,
    method: str = "auto",
    check_finite: bool = False,
    padding: Any = "valid",
    boundary: str = "constant",
    value: float = 0.0,
    stride: int | tuple[int, int] = 1,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    out_chunks: int | tuple[int, int] | None = None,
) -> Any:
    """:func:`correlate_dask` with a chosen output block size (``out_chunks``, per axis).

    Streaming uses this to make the output blocks match the chunks of the store it writes.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> X = da.zeros((10, 10), chunks=3)
    >>> correlate_chunked(X, np.ones((3, 3)), padding="same", out_chunks=4).chunks
    ((4, 4, 2), (4, 4, 2))
    """
    import dask.array as da
    from dask.highlevelgraph import HighLevelGraph
    from dask.tokenize import tokenize

    if not isinstance(X, da.Array):
        raise TypeError(f"`X` must be a dask.array.Array; got {type(X).__name__}")
    if any(math.isnan(c) for axis in X.chunks for c in axis):
        raise ValueError(
            "`X` has unknown chunk sizes; call X.compute_chunk_sizes() before filtering"
        )
    Kn = _kernel_to_numpy(K)
    if not isinstance(flip, bool):
        raise TypeError(f"`flip` must be a bool; got {flip!r}")
    opts = dict(
        padding=padding,
        boundary=boundary,
        value=value,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )
    spec, dtype = validate(tuple(X.shape), np.dtype(X.dtype), Kn.shape, Kn.dtype, opts)
    if flip:
        Kn = Kn[..., ::-1, ::-1]
    if check_finite:  # X is checked block by block, when it is computed
        _checks.check_finite(Kn, "K")
    K4 = np.ascontiguousarray(as_4d(Kn, spec.x_ndim, True), dtype)
    X4 = as_4d(X, spec.x_ndim, False)

    reach = tuple(d * (k - 1) for d, k in zip(spec.dilation, K4.shape[-2:]))
    X4 = _rechunk_for_halo(X4, reach)
    if out_chunks is None:
        out_size = tuple(max(1, -(-max(X4.chunks[2 + ax]) // spec.stride[ax])) for ax in range(2))
        # Huge padding must not mean millions of tiny blocks (each costs graph memory).
        out_size = memory.bounded_blocks(spec.out_shape, out_size)
    else:
        out_size = _checks.as_pair(out_chunks, "out_chunks")
    memory.check_dask(X4.shape, X4.chunks, K4.shape, spec.out_shape, out_size, spec.pads, dtype)
    grids = [_regular(spec.out_shape[ax], out_size[ax]) for ax in range(2)]

    in_bounds = [np.cumsum((0,) + X4.chunks[2 + ax]) for ax in range(2)]
    axes: list[list[tuple[int, AxisPieces, bool]]] = []
    for ax in range(2):
        n = X4.shape[2 + ax]
        src = _source_index(n, spec.pads[ax], spec.boundary)
        blocks = []
        for o0, o1 in _spans(grids[ax]):
            start = o0 * spec.stride[ax]
            stop = (o1 - 1) * spec.stride[ax] + reach[ax] + 1
            rows = src[start:stop]
            blocks.append(
                (stop - start, _axis_pieces(rows, in_bounds[ax]), bool((rows < 0).any()))
            )
        axes.append(blocks)

    engine = _plan(
        X4, K4, dtype, spec, method, max(b[0] for b in axes[0]), max(b[0] for b in axes[1])
    )
    token = tokenize(X4.name, K4, spec, engine, dtype.str, grids, check_finite)
    name = f"convlens-corr2d-{token}"
    piece_name = f"convlens-piece-{token}"
    kernel_key = f"convlens-kernel-{token}"
    dsk: dict[Any, Any] = {kernel_key: K4}
    c_out = K4.shape[0]
    for bn, nb in enumerate(X4.chunks[0]):
        for bi, (rh, row_pieces, row_fill) in enumerate(axes[0]):
            for bj, (rw, col_pieces, col_fill) in enumerate(axes[1]):
                pieces, places = [], []
                for ci, pos_r, loc_r in row_pieces:
                    for cj, pos_c, loc_c in col_pieces:
                        key = (piece_name, bn, bi, bj, ci, cj)
                        dsk[key] = (_take, (X4.name, bn, 0, ci, cj), loc_r, loc_c)
                        pieces.append(key)
                        places.append((pos_r, pos_c))
                dsk[(name, bn, 0, bi, bj)] = (
                    _assemble_and_run,
                    pieces,
                    places,
                    (nb, X4.shape[1], rh, rw),
                    dtype.str,
                    spec.value if (row_fill or col_fill) else None,
                    engine,
                    kernel_key,
                    spec.stride,
                    spec.dilation,
                    spec.groups,
                    (grids[0][bi], grids[1][bj]),
                    check_finite,
                )
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=[X4])
    chunks = (X4.chunks[0], (c_out,), tuple(grids[0]), tuple(grids[1]))
    Y4 = da.Array(graph, name, chunks=chunks, dtype=dtype, meta=np.empty((0,) * 4, dtype))
    if X.ndim == 2:
        return Y4[0, 0]
    if X.ndim == 3:
        return Y4[0]
    return Y4


def _kernel_to_numpy(K: Any) -> np.ndarray:
    if is_torch(K):
        return K.detach().cpu().numpy()
    if hasattr(K, "compute") and hasattr(K, "chunks"):
        return np.asarray(K.compute())
    try:
        return np.asarray(K)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"`K` must be array-like; got {type(K).__name__}") from exc


def _rechunk_for_halo(X4: Any, reach: tuple[int, int]) -> Any:
    """One channel chunk; spatial chunks at least the halo, so a block spans <= 3 chunks."""
    want: dict[int, Any] = {}
    if len(X4.chunks[1]) > 1:
        want[1] = -1
    for ax in range(2):
        chunks = X4.chunks[2 + ax]
        if min(chunks) < reach[ax] and len(chunks) > 1:
            want[2 + ax] = min(X4.shape[2 + ax], max(reach[ax], max(chunks)))
    return X4.rechunk(want) if want else X4


def _regular(total: int, size: int) -> list[int]:
    full, rest = divmod(total, size)
    return [size] * full + ([rest] if rest else [])


def _spans(sizes: list[int]) -> list[tuple[int, int]]:
    edges = np.cumsum([0, *sizes])
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


def _source_index(n: int, pads: tuple[int, int], boundary: str) -> np.ndarray:
    """For each padded position along one axis, the input index it copies (-1: the fill)."""
    if boundary == "constant":
        return np.pad(np.arange(n), pads, mode="constant", constant_values=-1)
    return np.pad(np.arange(n), pads, mode=boundary)


def _as_slice(idx: np.ndarray) -> Any:
    """A unit-step (or reversed) run as a slice, so that NumPy takes a view, not a copy."""
    if idx.size == 1:
        return slice(int(idx[0]), int(idx[0]) + 1)
    step = int(idx[1] - idx[0])
    if step in (1, -1) and np.array_equal(np.diff(idx), np.full(idx.size - 1, step)):
        stop = int(idx[-1]) + step
        return slice(int(idx[0]), None if stop < 0 else stop, step)
    return idx


def _axis_pieces(rows: np.ndarray, bounds: np.ndarray) -> AxisPieces:
    pieces: AxisPieces = []
    for c in range(len(bounds) - 1):
        lo, hi = bounds[c], bounds[c + 1]
        pos = np.flatnonzero((rows >= lo) & (rows < hi))
        if pos.size:
            pieces.append((c, _as_slice(pos), _as_slice(rows[pos] - lo)))
    return pieces


def _take(block: np.ndarray, rows: Any, cols: Any) -> np.ndarray:
    # Two index arrays would broadcast together; indexing one axis at a time is an outer take.
    piece = block[..., rows, :][..., cols]
    if piece.base is not None and 2 * piece.size < block.size:
        # A halo strip that stayed a view would keep its whole chunk alive until the
        # neighbouring block is assembled; a copy lets the chunk go now (bounded memory).
        piece = piece.copy()
    return piece


def _plan(X4: Any, K4: np.ndarray, dtype: np.dtype, spec: Any, method: str, rh: int, rw: int):
    """Choose one engine for every block, on the shape of the largest block."""
    n = max(X4.chunks[0])
    # A broadcast zero costs no memory; planners look at shapes and the kernel, not at X.
    dummy = np.broadcast_to(np.zeros((), dtype), (n, X4.shape[1], rh, rw))
    out = tuple(
        (length - spec.dilation[ax] * (K4.shape[2 + ax] - 1) - 1) // spec.stride[ax] + 1
        for ax, length in enumerate((rh, rw))
    )
    problem = _block_problem(dummy, K4, spec.stride, spec.dilation, spec.groups, out)
    return choose(problem, method).engine


def _block_problem(R, K4, stride, dilation, groups, out_shape) -> Problem:
    return Problem(R, K4, ((0, 0), (0, 0)), "constant", 0.0, stride, dilation, groups, out_shape)


def _assemble_and_run(
    pieces: list[np.ndarray],
    places: list[tuple[Any, Any]],
    shape: tuple[int, int, int, int],
    dtype: str,
    fill: float | None,
    engine: str,
    K4: np.ndarray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    groups: int,
    out_shape: tuple[int, int],
    check_finite: bool,
) -> np.ndarray:
    R = np.empty(shape, dtype) if fill is None else np.full(shape, fill, dtype)
    for piece, (rows, cols) in zip(pieces, places):
        if isinstance(rows, slice) or isinstance(cols, slice):
            R[..., rows, cols] = piece
        else:
            R[..., rows[:, None], cols[None, :]] = piece
    if check_finite:
        _checks.check_finite(R, "X")
    return ENGINES[engine].run(_block_problem(R, K4, stride, dilation, groups, out_shape))
