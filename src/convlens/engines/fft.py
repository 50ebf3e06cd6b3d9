"""The FFT engine: correlation as a product of real FFTs, whole-image or in overlapping tiles.

``Y = irfft2(rfft2(Xp) * conj(rfft2(K)))`` over the padded image ``Xp``. Only the "valid"
part of the correlation is kept, so the transform length per axis is
``next_fast_len(n_padded)``: circular wrap-around touches only outputs that are discarded.
When the image is much larger than the kernel, the image is cut into tiles of ``B`` output
rows and columns (overlap-save: each tile reads ``B + k - 1`` input rows and columns), the
tiles of a strip are transformed as one batch, and each transform stays in cache.

- **Stride and dilation**: a dilated kernel is transformed with its zeros in place; a stride
  is applied by computing the stride-1 output and keeping every ``s``-th sample (the FFT
  gains nothing from a stride, and the planner charges the full cost).
- **Accuracy**: the mean of each input channel (for one channel, of a strided sample of
  it) is taken out before the transform and added back exactly (``mean * sum(K)``), so
  the round-off scales with the image's contrast, not its brightness. float32 problems
  transform in float32; the tests check ``max|Y - Y_ref| <= 1e-5 * max|Y_ref|``. float64
  problems transform in float64.
- **NaN and infinity** would spread over the whole output through the transform; when ``X``
  or ``K`` holds any, this engine hands the problem to the direct engine, which keeps them
  local as the reference does.
"""

from __future__ import annotations

import functools
import math
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .._checks import Pads
from . import outputs
from .base import Engine, Problem, has_package, run_rows, threads_for


def _sfft():
    # scipy.fft takes ~0.2 s to import; only FFT plans and runs pay for it.
    import scipy.fft

    return scipy.fft


# Fast pocketfft lengths (2^a 3^b 5^c) from which overlap-save tiles are cut.
TILE_LENGTHS = (64, 128, 160, 192, 240, 256, 320, 384, 480, 512, 640, 768, 1024)


def _ns_per_point(n: int) -> float:
    """ns per point of a real 2-D transform pair (forward + inverse) of ``n`` points.

    Relative costs on one core of the development machine, from overlap-save runs timed
    in turns with every tile size (issue 10): per point, a whole 2048^2 image costs 2.2x
    what 256^2 tiles cost, 768^2 tiles 1.5-1.8x (a strip of them no longer fits in L2),
    128^2 1.4x (too little work per call). Only the ratios matter. Re-measured in stop 19
    with tiles in complex pairs on torch (2048^2 with 15x15 to 63x63, 1024^2 31x31, both
    dtypes, medians): 192^2 0.83x, 240^2 0.88x, 320^2 1.12x, 384^2 1.21x, 480^2 1.5x;
    powers of two (256^2, 512^2) cost more per point than their neighbours. Before, the
    table picked 480^2 tiles for 63x63 on 2048^2: 26 and 55 ms in float32 and float64,
    against 20 and 38 with 320^2.
    """
    if n <= 128 * 128:
        return 7.3
    if n <= 160 * 160:
        return 5.3  # not re-measured
    if n <= 192 * 192:
        return 4.4
    if n <= 240 * 240:
        return 4.7
    if n <= 256 * 256:
        return 5.3
    if n <= 320 * 320:
        return 5.9
    if n <= 384 * 384:
        return 6.4
    if n <= 512 * 512:
        return 8.0
    if n <= 768 * 768:
        return 8.8
    if n <= 1024 * 1024:
        return 10.0
    return 11.5


def dilated(K: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """``K (..., kh, kw)`` with ``d - 1`` zeros between taps."""
    dh, dw = dilation
    if (dh, dw) == (1, 1):
        return K
    kh, kw = K.shape[-2:]
    out = np.zeros((*K.shape[:-2], dh * (kh - 1) + 1, dw * (kw - 1) + 1), dtype=K.dtype)
    out[..., ::dh, ::dw] = K
    return out


@functools.lru_cache(maxsize=1024)
def next_fast_len(n: int) -> int:
    """Smallest ``2^a 3^b 5^c >= n``: a length pocketfft transforms fast.

    Pure Python, so that the planner can cost an FFT without importing scipy.

    Examples
    --------
    >>> next_fast_len(1000), next_fast_len(1001), next_fast_len(2113)
    (1000, 1024, 2160)
    """
    best = 1 << max(n - 1, 0).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def _fft_cost(L: tuple[int, int]) -> float:
    """Relative time of one real ``L[0] x L[1]`` transform: ``n log2 n``, scaled by the
    measured per-point cost (which grows once a transform no longer fits in L2)."""
    n = L[0] * L[1]
    return n * np.log2(max(n, 2)) * _ns_per_point(n) / 5.3


@functools.lru_cache(maxsize=1024)
def plan_tiles(
    padded: tuple[int, int], extent: tuple[int, int], whole_speed: float = 1.0
) -> tuple[int, int] | None:
    """Transform length ``(L, L)`` of overlap-save tiles, or None for one whole FFT.

    Tiles are used when the padded image spans at least two of them on both axes. Among
    the lengths whose tiles keep at least half their rows and columns as output, the one
    with the least total time (tiles needed x ``_ns_per_point``) wins, if it beats one
    transform of the whole image, whose time is scaled by ``whole_speed`` (see
    :func:`torch_speed`): small tiles stay in cache, large ones waste less on the overlap.

    Examples
    --------
    >>> plan_tiles((2048, 2048), (15, 15))
    (240, 240)
    >>> plan_tiles((2110, 2110), (63, 63))  # 2048^2, "same"
    (320, 320)
    >>> plan_tiles((300, 300), (63, 63)) is None
    True
    """
    whole = (next_fast_len(padded[0]), next_fast_len(padded[1]))
    best, best_t = None, whole[0] * whole[1] * _ns_per_point(whole[0] * whole[1]) * whole_speed
    for L in TILE_LENGTHS:
        if 2 * (max(extent) - 1) > L or min(padded) < 2 * L:
            continue
        B = (L - extent[0] + 1, L - extent[1] + 1)
        n = -(-(padded[0] - extent[0] + 1) // B[0]) * -(-(padded[1] - extent[1] + 1) // B[1])
        t = n * L * L * _ns_per_point(L * L)
        if t < best_t:
            best, best_t = (L, L), t
    return best


def work(p: Problem) -> tuple[float, float]:
    """``(transform work, spectral products)`` of running ``p``, for the planner's model.

    Transform work counts ``L log2 L`` per transform of ``L`` points, summed over the image,
    output and kernel transforms of every tile.
    """
    (t, b), (l, r) = p.pads
    (dh, dw), (kh, kw) = p.dilation, p.kernel_shape
    Hp, Wp = p.X.shape[-2] + t + b, p.X.shape[-1] + l + r
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    n, c = p.X.shape[:2]
    o, cg = p.K.shape[:2]
    speed = _whole_speed((Hp, Wp))
    tiles = plan_tiles((Hp, Wp), (eh, ew), speed)
    if tiles is None:
        L, nt = (next_fast_len(Hp), next_fast_len(Wp)), 1
    else:
        L = tiles
        nt = -(-(Hp - eh + 1) // (L[0] - eh + 1)) * -(-(Wp - ew + 1) // (L[1] - ew + 1))
    transforms = (nt * n * (c + o) + o * cg) * _fft_cost(L)
    if tiles is None:
        transforms *= speed
    products = nt * n * o * cg * L[0] * (L[1] // 2 + 1)
    if (o, cg) == (1, 1) and p.stride == (1, 1):
        # The strip path (tiles or one whole-image tile) multiplies in place; the general
        # path contracts channels with einsum over a full-size spectrum, ~3x the time per
        # product (measured).
        products *= 0.3
    return float(transforms), float(products)


def torch_speed(points: int) -> float:
    """torch.fft's time for a whole-image transform pair relative to pocketfft's.

    The cost model's FFT coefficient was fitted while whole images ran on pocketfft; they
    now run on torch.fft once torch is imported. Measured (stop 17, rfft2 + irfft2, two
    threads each, float32 / float64): 270² and 288² 0.46-0.50; 540² and 576² 0.35-0.88;
    1080x1536 0.78-0.88; 2160² 0.91-1.05.

    Examples
    --------
    >>> torch_speed(256 * 256), torch_speed(4096 * 4096)
    (0.5, 1.0)
    """
    if points <= 320 * 320:
        return 0.5
    if points <= 640 * 640:
        return 0.65
    if points <= 1600 * 1600:
        return 0.85
    return 1.0


def _whole_speed(padded: tuple[int, int]) -> float:
    """:func:`torch_speed` of the whole padded image when whole images go to torch.fft."""
    if backend() != "torch":
        return 1.0
    return torch_speed(next_fast_len(padded[0]) * next_fast_len(padded[1]))


def _workers(points: int) -> int:
    """pocketfft threads for transforms over ``points`` values (about 64 flops each)."""
    return threads_for(64.0 * points)


class FFTs:
    """The transforms of one call, on torch.fft or scipy.fft (``engine``, see :func:`backend`).

    torch.fft (MKL on x86) runs 2-3x faster than pocketfft on whole images (512^2 float32:
    rfft2 0.21 against 0.57 ms, irfft2 0.26 against 0.68 ms). Arrays go in and out as NumPy
    (zero-copy views); spectra stay in the library's own type between calls. As a context
    manager, torch's intra-op threads are set to what the machine's load leaves idle and
    then restored (a second OpenMP thread on a busy CPU stalls at every barrier), unless
    ``torch_threads``: the layer's transforms run on torch's intra-op threads as set by the
    user, like every other operation of the training step (torch.nn.Conv2d's included).

    Examples
    --------
    >>> with FFTs("scipy", 64) as f:
    ...     f.numpy(f.irfft2(f.rfft2(f.array(np.eye(4)), (4, 4)), (4, 4))).round(12)[0]
    array([1., 0., 0., 0.])
    """

    def __init__(self, engine: str, points: int, torch_threads: bool = False):
        self.on_torch = engine == "torch"
        self.workers = _workers(points)
        if self.on_torch:
            import torch

            self.lib = torch.fft
            self.torch = torch
            if torch_threads:  # inside a torch training step: torch's own setting rules
                self.workers = torch.get_num_threads()
        else:
            self.lib = _sfft()

    def __enter__(self) -> FFTs:
        if self.on_torch:
            self.before = self.torch.get_num_threads()
            if self.before != self.workers:
                self.torch.set_num_threads(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.on_torch and self.before != self.workers:
            self.torch.set_num_threads(self.before)

    def array(self, A: np.ndarray) -> Any:
        if not self.on_torch:
            return A
        if not A.flags.writeable:  # torch warns on read-only memory; it never writes to it
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return self.torch.from_numpy(A)
        return self.torch.from_numpy(A)

    def numpy(self, A: Any) -> np.ndarray:
        return A.numpy() if self.on_torch else A

    def _kw(self, **kw: Any) -> dict[str, Any]:
        if self.on_torch:
            if "axis" in kw:
                kw["dim"] = kw.pop("axis")
            return kw
        return {**kw, "workers": self.workers}

    def rfft2(self, A: Any, L: tuple[int, int]) -> Any:
        return self.lib.rfft2(A, s=L, **self._kw())

    def irfft2(self, A: Any, L: tuple[int, int]) -> Any:
        return self.lib.irfft2(A, s=L, **self._kw())

    def rfft(self, A: Any, n: int, axis: int) -> Any:
        return self.lib.rfft(A, n=n, **self._kw(axis=axis))

    def irfft(self, A: Any, n: int, axis: int) -> Any:
        return self.lib.irfft(A, n=n, **self._kw(axis=axis))

    def conj_(self, A: Any) -> Any:
        """``A``'s conjugate, in place."""
        return A.conj_physical_() if self.on_torch else np.conjugate(A, out=A)

    def columns_in(self, R: Any, L0: int) -> Any:
        """``n * ifft(R, n=L0, axis=-2)``: the inverse-sign column transform of ``R``
        zero-padded from its few rows (a kernel's) to ``L0``. ``conj(rfft2(K, s=L))`` is
        this of ``conj(rfft(K, L[1]))``, with the conjugate taken on ``kh`` rows only.

        On torch it is an ``(L0, rows)`` DFT-matrix product: 512^2 k=15, 0.07 against
        0.12 ms for the transform; 1024^2, 0.28 against 0.55 ms."""
        if not self.on_torch:
            return self.lib.ifft(R, n=L0, axis=-2, norm="forward", workers=self.workers)
        return _twiddles(L0, R.shape[-2], 1, R.dtype, self.torch) @ R

    def columns_out(self, P: Any, rows: int, step: int) -> Any:
        """Rows ``0, step, ..., step * (rows - 1)`` of ``ifft(P, axis=-2)`` (the kept lags).

        On torch a ``(rows, L0)`` DFT-matrix product (half the full transform's time)."""
        if not self.on_torch:
            return self.lib.ifft(P, axis=-2, workers=self.workers)[
                ..., : step * (rows - 1) + 1 : step, :
            ]
        L0 = P.shape[-2]
        return _twiddles(L0, rows, step, P.dtype, self.torch).mT @ P / L0

    def einsum(self, spec: str, *operands: Any) -> Any:
        return (self.torch.einsum if self.on_torch else np.einsum)(spec, *operands)

    def spectrum(self, K: np.ndarray, L: tuple[int, int]) -> Any:
        """The conjugate spectrum of ``K`` at transform size ``L``, read-only.

        Spectra of up to ``SPECTRUM_CACHE_BYTES`` are kept (as NumPy arrays) for later
        calls with the same kernel bytes, as the tile path does: users filter many images
        with one kernel, and on a 256^2 image with a 31x31 kernel the kernel's transform
        was 0.7 of a 3.2 ms call.
        """

        def make() -> np.ndarray:
            # Correlation is convolution with the conjugate spectrum (K is real).
            if self.on_torch:
                Kf = self.rfft2(self.array(K), L).conj().resolve_conj().numpy()
            else:
                Kf = np.conj(self.rfft2(K, L))
            Kf.flags.writeable = False
            return Kf

        key = ("whole", self.on_torch, K.shape, K.dtype.str, L, K.tobytes())
        return self.array(_kept(key, make, SPECTRUM_CACHE_BYTES))


@functools.lru_cache(maxsize=32)
def _twiddles(L0: int, rows: int, step: int, dtype: Any, torch: Any) -> Any:
    """``exp(+2 pi i u a step / L0)`` for ``u < L0``, ``a < rows``: a constant of the
    transform size (computed in float64), not of anyone's data."""
    u = torch.arange(L0, dtype=torch.float64)[:, None]
    a = torch.arange(rows, dtype=torch.float64)[None, :] * step
    return torch.polar(
        torch.ones((), dtype=torch.float64), (2 * math.pi / L0) * ((u * a) % L0)
    ).to(dtype)


def _transform(K: np.ndarray, L: tuple[int, int]) -> np.ndarray:
    # Correlation is convolution with the conjugate spectrum (K is real).
    return np.conj(_sfft().rfft2(K, s=L, workers=_workers(K.size)))


SPECTRUM_CACHE_BYTES = 16 << 20
BATCH_BYTES = 1536 << 10  # input bytes per batch of tiles (see _Transforms.strip)


def _contract(Xf: Any, Kf: Any, groups: int, einsum: Callable = np.einsum) -> Any:
    """``Yf[n, o] = sum_c Xf[n, c] * Kf[o, c]`` within each group."""
    n, c_in = Xf.shape[:2]
    c_out, cg = Kf.shape[:2]
    if c_in == 1 and c_out == 1:
        return Xf * Kf
    og = c_out // groups
    Xg = Xf.reshape(n, groups, cg, *Xf.shape[2:])
    Kg = Kf.reshape(groups, og, cg, *Kf.shape[2:])
    Yf = einsum("ngc...,goc...->ngo...", Xg, Kg)
    return Yf.reshape(n, c_out, *Xf.shape[2:])


def run(p: Problem) -> np.ndarray:
    from .direct import run as direct_run

    # A NaN or inf would spread over the whole output through a transform; the direct
    # engine keeps it local, as the reference does.
    if not (np.isfinite(p.K).all() and np.isfinite(p.value)):
        return direct_run(p)
    K = dilated(p.K, p.dilation)
    eh, ew = K.shape[-2:]
    (t, b), (l, r) = p.pads
    padded = (p.X.shape[-2] + t + b, p.X.shape[-1] + l + r)
    tiles = plan_tiles(padded, (eh, ew), _whole_speed(padded))
    if K.shape[:2] == (1, 1) and p.stride == (1, 1):
        # One channel: strips of tiles, or the whole image as a single tile (the same lean
        # passes: pad once, transform, multiply in place, write the crop into the output).
        # Its tiles' DC terms tell whether X holds a NaN or inf (None then).
        L = tiles or (next_fast_len(padded[0]), next_fast_len(padded[1]))
        Y = _tiled_single(p, K, L, _level(p.X))
        return direct_run(p) if Y is None else Y
    # One float64 sum checks X (a float32 image cannot overflow it); _general takes the
    # channel means itself, from the padded image.
    if not np.isfinite(np.sum(p.X, dtype=np.float64)):
        return direct_run(p)
    return _general(p, K, tiles)


def _level(X: np.ndarray) -> np.ndarray:
    """About the mean of each image of ``X (N, 1, H, W)``, from at most ~1024 samples, in
    X's dtype (0 where the sample holds a NaN or inf: the DC check finds those).

    Any constant taken out before the transform (and added back as ``level * sum(K)``)
    gives the same result; one near the mean keeps the round-off at the image's contrast
    rather than its brightness, and any sample of the image is within its range. A
    sample costs next to nothing where the float64 sum over X cost 2.5 ms on a 2048^2
    image, and NumPy's strided mean of 16k samples 55-85 us on a fresh 256^2 image."""
    from . import _jit

    step = max(1, int(math.sqrt(X.shape[-2] * X.shape[-1] / 1024)))
    return np.array([_jit.sample_mean(x, step) for x in X[:, 0]], dtype=X.dtype)


def _shifted(
    X: np.ndarray, pads: Pads, boundary: str, value: float, level: np.ndarray
) -> np.ndarray:
    """``X (N, 1, H, W)`` padded by ``pads`` (numpy.pad's modes, pads wider than the image
    included), minus each image's ``level``, as ``(N, Hp, Wp)`` in recycled memory: the
    FFT's input, in one pass. Before, numpy.pad and then a subtraction took 0.17 + 0.05 ms
    from a 256^2 float64 image to 320^2, and page faults on large images."""
    from . import _jit
    from .direct import _shared_map

    (t, b), (l, r) = pads
    N, _, H, W = X.shape
    rowmap = _shared_map(H, t, b, boundary)
    colmap = _shared_map(W, l, r, boundary)
    out = outputs.empty((N, H + t + b, W + l + r), X.dtype)
    fill = np.asarray(value, dtype=X.dtype) - level  # rounded as X's own values are
    rows = N * out.shape[1]
    args = (X[:, 0], rowmap, colmap, fill, level, l, out)
    run_rows(_jit.pad_shifted, args, rows, 4.0 * rows * out.shape[2])
    return out


def _tiled_single(p: Problem, K: np.ndarray, L: tuple[int, int], level: np.ndarray):
    """Single-channel, stride 1: overlap-save tiles with no full-size intermediate; None
    when a tile holds a NaN or inf.

    The image is padded minus its ``level`` (:func:`_level`), with the padding extended so
    that every tile reads a full ``L x L`` block (the extra cells feed only outputs that
    are thrown away, so any finite value will do, and the boundary's own rule supplies
    one). Each strip of tiles is transformed, multiplied by the kernel's spectrum and
    transformed back, and its valid part plus ``level * sum(K)`` is written straight into
    the output. Tiles in complex pairs (on torch) are cut from the image itself, padded on
    the way (:func:`~._jit.pack_tile_pairs`); otherwise the image is padded once
    (:func:`_shifted`) and the tiles are views of that copy.
    """
    (t, b), (l, r) = p.pads
    H, W = p.X.shape[-2:]
    eh, ew = K.shape[-2:]
    Ho, Wo = p.out_shape
    Bh, Bw = L[0] - eh + 1, L[1] - ew + 1
    nth, ntw = -(-Ho // Bh), -(-Wo // Bw)
    Hx, Wx = (nth - 1) * Bh + L[0], (ntw - 1) * Bw + L[1]
    pads = ((t, Hx - H - t), (l, Wx - W - l))
    Y = p.output()
    ksum = float(K.sum(dtype=np.float64))
    strips_n = p.X.shape[0] * nth
    tr = _Transforms(K[0, 0], L, p.X.dtype, 1, strips_n * ntw, packed=ntw > 1)
    finite = [True]
    if tr.packed:
        strips = _pair_strips(p, tr, pads, level, ksum, (Bh, Bw), (nth, ntw), Y, finite)
    else:
        strips = _view_strips(p, tr, pads, level, ksum, (Bh, Bw), (nth, ntw), Y, finite)
    # One thread per transform; strips run on run_rows's threads (torch and pocketfft
    # release the GIL), which unlike an OpenMP region do not wait for an unscheduled thread.
    # A single strip (a whole image) has its transforms threaded instead.
    if strips_n == 1:
        tr.workers = _workers(L[0] * L[1] * ntw)
    with tr:
        run_rows(strips, (), strips_n, _fft_cost(L) * nth * ntw * 4)
    return Y if finite[0] else None


def _pair_strips(p: Problem, tr, pads: Pads, level, ksum: float, B, nt, Y, finite) -> Callable:
    """:func:`_tiled_single`'s strips as complex tile pairs cut from ``p.X`` itself."""
    from . import _jit
    from .direct import _shared_map

    (Bh, Bw), (nth, ntw) = B, nt
    Ho = p.out_shape[0]
    rowmap = _shared_map(p.X.shape[-2], *pads[0], p.boundary)
    colmap = _shared_map(p.X.shape[-1], *pads[1], p.boundary)
    fill = np.asarray(p.value, dtype=p.X.dtype) - level  # rounded as X's own values are

    def strips(t0: int, t1: int) -> None:
        for idx in range(t0, t1):
            n, ti = divmod(idx, nth)
            c = Y.dtype.type(float(level[n]) * ksum)
            rows = min(Bh, Ho - ti * Bh)
            x, row = p.X[n, 0], ti * Bh
            for j0, m, Wt in tr.pairs(x, rowmap, colmap, fill[n], level[n], row, Bw, ntw):
                if Wt is None:  # a NaN or inf in these tiles
                    finite[0] = False
                    return
                _jit.unpack_tile_pairs(Wt, m, row, rows, j0 * Bw, Bw, c, Y[n, 0])

    return strips


def _view_strips(p: Problem, tr, pads: Pads, level, ksum: float, B, nt, Y, finite) -> Callable:
    """:func:`_tiled_single`'s strips as views of one padded copy of ``p.X``."""
    (Bh, Bw), (nth, ntw) = B, nt
    Ho, Wo = p.out_shape
    Xe = _shifted(p.X, pads, p.boundary, p.value, level)
    full = Wo // Bw

    def strips(t0: int, t1: int) -> None:
        for idx in range(t0, t1):
            n, ti = divmod(idx, nth)
            m = float(level[n])
            Yn = Y[n, 0]
            s0, s1 = Yn.strides
            rows = min(Bh, Ho - ti * Bh)
            for j0, Ys in tr.strip(Xe[n], ti * Bh, Bw, ntw):
                if Ys is None:  # a NaN or inf in these tiles
                    finite[0] = False
                    return
                nf = min(j0 + len(Ys), full) - j0  # whole tiles of this batch
                if nf > 0:
                    dst = np.lib.stride_tricks.as_strided(
                        Yn[ti * Bh :, j0 * Bw :], shape=(nf, rows, Bw), strides=(Bw * s1, s0, s1)
                    )
                    tr.add(Ys[:nf, :rows, :Bw], m * ksum, dst)
                if j0 + len(Ys) > full and Wo > full * Bw:  # the last, partial tile
                    tr.add(
                        Ys[full - j0, :rows, : Wo - full * Bw],
                        m * ksum,
                        Yn[ti * Bh : ti * Bh + rows, full * Bw :],
                    )

    return strips


_BACKEND: list[str] = []  # decided (or forced by a test) once per process
# A fresh torch import costs 1-3 s (3.1 s in a cold `convlens filter`, load 5 on 2 CPUs),
# far more than one 512^2 filter; so until torch is imported by someone else, tiles go to
# pocketfft while the time torch would have saved is summed, and torch is loaded once that
# sum passes its import (ski rental: at most twice the best in hindsight).
TORCH_IMPORT_MS = 1500.0
_TORCH_LOST = [0.0]


def backend(saving_ms: float = 0.0) -> str:
    """Who transforms the tiles: ``"torch"`` (MKL on x86) when installed, else ``"scipy"``.

    Measured per 768^2 tile pair on one core: torch.fft 2.2-2.5 ms, pocketfft 4.1-4.4 ms.
    ``saving_ms`` is what torch would save on the calling transform; while torch is not
    imported, calls run on scipy until those savings add up to ``TORCH_IMPORT_MS``.

    Examples
    --------
    >>> backend() in ("torch", "scipy")
    True
    """
    if _BACKEND:
        return _BACKEND[0]
    if not has_package("torch") or "torch" in sys.modules:
        _BACKEND.append("torch" if has_package("torch") else "scipy")
        return _BACKEND[0]
    _TORCH_LOST[0] += saving_ms
    if _TORCH_LOST[0] < TORCH_IMPORT_MS:
        return "scipy"
    _BACKEND.append("torch")
    return "torch"


def _torch_saving_ms(L: tuple[int, int], pairs: int) -> float:
    # 768^2: 4.2 ms pocketfft against 2.3 ms torch per pair, 3.2 ns per point, scaled by
    # the relative cost of the tile size.
    n = L[0] * L[1]
    return pairs * n * 3.2e-6 * _ns_per_point(n) / _ns_per_point(768 * 768)


# Kernel spectra of recent calls, keyed by the kernel's bytes and the tile size: users
# filter many images with one kernel. Never written to (strips multiply into their own
# spectra), so sharing them between calls and threads is safe.
_SPECTRA: dict[tuple, object] = {}


def _kept(key: tuple, make: Callable[[], Any], limit: float = math.inf) -> Any:
    """``_SPECTRA[key]``, made by ``make()`` on a miss and kept (the 16 most recent) if it
    has at most ``limit`` bytes."""
    Kf = _SPECTRA.get(key)
    if Kf is None:
        Kf = make()
        if Kf.nbytes <= limit:
            if len(_SPECTRA) >= 16:
                _SPECTRA.pop(next(iter(_SPECTRA)))
            _SPECTRA[key] = Kf
    return Kf


def finite_spectrum(FX: Any) -> bool:
    """Whether every image or tile behind the spectra ``FX`` (ndarray or tensor) is finite:
    a NaN or inf anywhere makes its sum, the DC term, NaN or inf (as does a float32 sum
    past 3.4e38, which the transform could not hold either).

    The DC terms are read through NumPy: torch's ``isfinite().all()`` on them took 60 us
    a tile batch, and 0.1 ms of a 512^2 training step (small kernels launched right after a
    large transform).

    Examples
    --------
    >>> finite_spectrum(np.fft.rfft2(np.ones((2, 4, 4))))
    True
    >>> finite_spectrum(np.fft.rfft2(np.array([[[1.0, np.inf]], [[0.0, 0.0]]])))
    False
    """
    dc = (FX if isinstance(FX, np.ndarray) else FX.numpy())[..., 0, 0]
    return bool(np.isfinite(dc).all())


class _Transforms(FFTs):
    """Forward and inverse real transforms of tile strips on ``threads`` threads.

    With torch, its intra-op thread count is set for the duration and then restored
    (cheap; on a loaded machine a second OpenMP thread made a 2048^2 call 5x slower).
    """

    def __init__(
        self,
        K: np.ndarray,
        L: tuple[int, int],
        dtype,
        threads: int,
        pairs: int = 0,
        packed: bool = False,
    ):
        super().__init__(backend(_torch_saving_ms(L, pairs)), 0)
        self.K, self.L, self.dtype, self.workers = K, L, dtype, threads
        # Two real tiles as one complex one (see pairs), on torch only: pocketfft's
        # inverse real transform is not the slow one there.
        self.packed = packed and self.on_torch

    def __enter__(self) -> _Transforms:
        super().__enter__()
        K = self.K
        key = (self.on_torch, self.packed, K.shape, K.dtype.str, self.L, K.tobytes())
        self.Kf = self.array(_kept(key, self._make_spectrum, SPECTRUM_CACHE_BYTES))
        return self

    def _make_spectrum(self) -> np.ndarray:
        if self.on_torch:
            K = self.torch.from_numpy(np.ascontiguousarray(self.K))
            fft2 = self.torch.fft.fft2 if self.packed else self.torch.fft.rfft2
            Kf = fft2(K, s=self.L).conj().resolve_conj().numpy()
        else:
            Kf = _transform(self.K, self.L).astype(np.result_type(self.dtype, np.complex64))
        Kf.flags.writeable = False  # shared between calls and threads
        return Kf

    def add(self, A: np.ndarray, c: float, out: np.ndarray) -> None:
        """``out[...] = A + c``, on torch's threads when on torch."""
        if self.on_torch:
            self.torch.add(self.torch.from_numpy(A), c, out=self.torch.from_numpy(out))
        else:
            np.add(A, c, out=out, casting="unsafe")

    def strip(
        self, Xe: np.ndarray, row: int, Bw: int, ntw: int
    ) -> Iterator[tuple[int, np.ndarray | None]]:
        """The ``ntw`` tiles whose top row is ``row``, correlated, in batches: ``(j0, Ys)``
        with ``Ys (tiles, L, L)`` for tiles ``j0, j0 + 1, ...``; ``Ys`` is None when a tile
        holds a NaN or inf (its sum, the DC term, is then not finite). ``Xe`` is already
        padded and shifted by its level (:func:`_shifted`); it is never written to.

        A batch holds about ``BATCH_BYTES`` of input, so that it and its spectrum stay in
        L2: twelve 192^2 float64 tiles in one transform took 4.4 ms, in batches of four 2.1.
        """
        L = self.L
        s0, s1 = Xe.strides
        view = np.lib.stride_tricks.as_strided(
            Xe[row:], shape=(ntw, L[0], L[1]), strides=(Bw * s1, s0, s1), writeable=False
        )
        step = max(1, BATCH_BYTES // (L[0] * L[1] * Xe.itemsize))
        for j0 in range(0, ntw, step):
            T = view[j0 : j0 + step]
            if self.on_torch:
                torch = self.torch
                with torch.inference_mode():
                    # One tile a strip (more go in pairs): transformed where it lies.
                    F = torch.fft.rfft2(self.array(T))
                    if not finite_spectrum(F):
                        yield j0, None
                        return
                    F *= self.Kf
                    yield j0, torch.fft.irfft2(F, s=L).numpy()
                continue
            F = self.lib.rfft2(T, workers=self.workers)
            if not finite_spectrum(F):
                yield j0, None
                return
            F *= self.Kf
            yield j0, self.lib.irfft2(F, s=L, workers=self.workers, overwrite_x=True)

    def pairs(
        self, x: np.ndarray, rowmap, colmap, fill, level, row: int, Bw: int, ntw: int
    ) -> Iterator[tuple[int, int, np.ndarray | None]]:
        """The ``ntw`` tiles whose top row is ``row`` (padded coordinates) of image ``x``,
        correlated on torch two at a time: real tiles ``a, b`` as one complex tile
        ``a + ib``. The correlation is linear and the kernel real, so the inverse of
        ``fft2(a + ib) * conj(fft2(K))`` is ``corr(a, K) + i corr(b, K)``. Yields
        ``(j0, m, W)`` for tiles ``j0 .. j0 + m - 1``, ``W (h, L, L, 2)`` as
        :func:`~._jit.unpack_tile_pairs` reads it, or None when a tile holds a NaN or inf.

        torch's inverse real transform (c2r) runs at 2-4x the time of its forward one;
        complex transforms both ways take 1.2-1.5 ns per real point against 2.2-2.8
        (float32) and 2.7-3.4 against 4.4-6 (float64), one thread, 160^2 to 320^2 tiles.
        The pairs are cut from ``x`` and padded straight into the transform's input
        (:func:`~._jit.pack_tile_pairs`): before, a padded copy of the image and a pass
        pairing its tiles up took a quarter of a 1448^2 63x63 call.
        """
        from . import _jit

        torch, L = self.torch, self.L
        step = 2 * max(1, BATCH_BYTES // (L[0] * L[1] * x.itemsize))
        for j0 in range(0, ntw, step):
            m = min(step, ntw - j0)
            buf = np.empty(((m + 1) // 2, L[0], L[1], 2), x.dtype)
            _jit.pack_tile_pairs(x, rowmap, colmap, fill, level, row, j0 * Bw, Bw, m, buf)
            with torch.inference_mode():
                F = torch.fft.fft2(torch.view_as_complex(torch.from_numpy(buf)))
                if not finite_spectrum(F):  # both parts finite
                    yield j0, m, None
                    return
                F *= self.Kf
                W = torch.view_as_real(torch.fft.ifft2(F)).numpy()
            yield j0, m, W


def _general(p: Problem, K: np.ndarray, tiles) -> np.ndarray:
    """Any channels, groups and stride: whole-image transform or batched tile strips."""
    Xp = p.padded()
    eh, ew = K.shape[-2:]
    Hv, Wv = Xp.shape[-2] - eh + 1, Xp.shape[-1] - ew + 1
    # Channel means, out before the transform and back in exactly afterwards.
    mean = Xp.mean(axis=(-2, -1), dtype=np.float64, keepdims=True)
    if Xp is p.X:  # no padding: padded() returned the caller's array, never write to it
        Xc = Xp - mean.astype(Xp.dtype)
    else:
        Xc = np.subtract(Xp, mean.astype(Xp.dtype), out=Xp)
    L = tiles or (next_fast_len(Xp.shape[-2]), next_fast_len(Xp.shape[-1]))
    # Transform pairs (forward + inverse), for torch's ski rental in backend().
    pairs = Xp.size / Xp.shape[1] * (Xp.shape[1] + K.shape[0]) / 2 / (L[0] * L[1])
    with FFTs(backend(_torch_saving_ms(L, pairs)), Xp.size) as f:
        if tiles is None:
            Yf = _contract(f.rfft2(f.array(Xc), L), f.spectrum(K, L), p.groups, f.einsum)
            Y = f.numpy(f.irfft2(Yf, L))[..., :Hv, :Wv]
        else:
            Y = _tiled(f, Xc, K, tiles, p.groups, (Hv, Wv))
    (sh, sw), (Ho, Wo) = p.stride, p.out_shape
    Y = Y[..., : (Ho - 1) * sh + 1 : sh, : (Wo - 1) * sw + 1 : sw]
    # sum_c mean[n, c] * sum(K[o, c]), within groups: a 1x1 "image" through _contract.
    offset = _contract(mean, K.sum(axis=(-2, -1), dtype=np.float64)[..., None, None], p.groups)
    return np.ascontiguousarray(Y + offset, dtype=p.X.dtype)


def _tiled(
    f: FFTs, Xc: np.ndarray, K: np.ndarray, L: tuple[int, int], groups: int, valid
) -> np.ndarray:
    """Overlap-save over tiles of ``B = L - k + 1`` outputs; one batched FFT per tile strip."""
    eh, ew = K.shape[-2:]
    Hv, Wv = valid
    Bh, Bw = L[0] - eh + 1, L[1] - ew + 1
    nth, ntw = -(-Hv // Bh), -(-Wv // Bw)
    n, c = Xc.shape[:2]
    # Zero-extend so that every tile reads a full L x L block.
    Hx, Wx = (nth - 1) * Bh + L[0], (ntw - 1) * Bw + L[1]
    Xe = np.zeros((n, c, Hx, Wx), dtype=Xc.dtype)
    Xe[..., : Xc.shape[-2], : Xc.shape[-1]] = Xc
    Kf = f.spectrum(K, L)
    Y = np.empty((n, K.shape[0], nth * Bh, ntw * Bw), dtype=Xc.dtype)
    s0, s1, s2, s3 = Xe.strides
    for ti in range(nth):
        strip = np.lib.stride_tricks.as_strided(
            Xe[..., ti * Bh :, :],
            shape=(n, c, ntw, L[0], L[1]),
            strides=(s0, s1, Bw * s3, s2, s3),
            writeable=False,
        )
        # (n, c, ntw, L, L) -> (n, ntw, c, L, L) so that channels contract per tile.
        Sf = f.rfft2(f.array(strip.transpose(0, 2, 1, 3, 4)), L)
        Sf = _contract(Sf.reshape(n * ntw, c, *Sf.shape[-2:]), Kf, groups, f.einsum)
        Ys = f.numpy(f.irfft2(Sf, L))[..., :Bh, :Bw]
        Ys = Ys.reshape(n, ntw, K.shape[0], Bh, Bw).transpose(0, 2, 3, 1, 4)
        Y[:, :, ti * Bh : (ti + 1) * Bh, :] = Ys.reshape(n, K.shape[0], Bh, ntw * Bw)
    return Y[..., :Hv, :Wv]


def supports(p: Problem) -> bool:
    return p.X.dtype in (np.float32, np.float64)


ENGINE = Engine(
    "fft",
    run,
    supports,
    description="scipy.fft real transforms, whole image or overlap-save tiles",
)
