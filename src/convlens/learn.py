"""Recover a kernel from an image and its filtered copy (D2L 7.2.4, and exactly).

Given ``X`` and ``Y = corr2d(X, K) + b``, find ``K`` (and ``b``):

- ``method="gd"``: the chapter's way: squared error, a plain SGD update (or Adam), ``lr``
  and ``num_epochs``, seeded as the chapter's ``nn.LazyConv2d``. On NumPy input with SGD it
  runs on NumPy alone (the forward is :func:`convlens.corr2d`, the kernel's gradient
  :func:`convlens.engines.grad.weight_grad`), so it never imports torch; on torch tensors,
  or with Adam, it trains a :class:`convlens.Conv2D` layer. Both give the same losses.
- ``method="lstsq"``: exactly, by linear least squares. Each valid window of ``X`` is one
  row of the im2col matrix ``A`` (``M`` windows by ``kh * kw`` taps, plus a column of ones
  for the bias), and ``A @ K.ravel() + b = Y``. Only the valid region is used: there the
  windows lie wholly inside ``X``, so the unknown boundary rule of whatever made ``Y``
  plays no part.

Either way, the im2col matrix must have full column rank, or the data cannot reveal the
kernel (a flat image, for example, shows only the sum of the taps); that is an error unless
``allow_underdetermined=True``, and the result always says so.

This module imports torch only for ``gd`` on torch tensors or with Adam; ``convlens``
exposes :func:`learn_kernel` lazily.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _checks, ops
from ._extras import require
from .contract import is_torch

__all__ = ["KernelFit", "learn_kernel"]

METHODS = ("gd", "lstsq")
OPTIMIZERS = ("sgd", "adam")
REDUCTIONS = ("sum", "mean")

# lstsq materialises the im2col matrix; past this size it asks for a smaller problem.
_LSTSQ_MAX_BYTES = 1 << 30
# The rank is measured exactly (an SVD of im2col) only up to this many matrix entries.
_RANK_MAX_ENTRIES = 1 << 23


@dataclass(frozen=True, repr=False)
class KernelFit:
    """What :func:`learn_kernel` found.

    Attributes
    ----------
    kernel : ndarray, shape (kh, kw)
        The recovered cross-correlation kernel (float64).
    bias : float
        The recovered bias; ``0.0`` when ``bias=False``.
    losses : ndarray
        ``gd``: the loss of each epoch, computed before that epoch's update, as the chapter
        prints it. ``lstsq``: one value, the final loss. In the ``reduction`` asked for.
    residual : float
        Sum of squared residuals over the valid region with the returned kernel and bias.
    method : str
        ``"gd"`` or ``"lstsq"``.
    n_equations, n_unknowns : int
        Valid windows (rows of im2col) and unknowns (``kh * kw``, plus one for a bias).
    rank : int or None
        Rank of the im2col matrix; ``None`` when it was too large to measure (``gd`` only).
    underdetermined : bool
        ``rank < n_unknowns``: the data do not determine the kernel uniquely.
    lr : float or None
        The learning rate used (``gd``), after resolving ``"auto"``.
    """

    kernel: np.ndarray
    bias: float
    losses: np.ndarray
    residual: float
    method: str
    n_equations: int
    n_unknowns: int
    rank: int | None
    underdetermined: bool
    lr: float | None = None
    reduction: str = field(default="sum")
    target_energy: float = float("nan")  # sum of squares of the valid target

    @property
    def rmse(self) -> float:
        """Root-mean-square residual per valid pixel."""
        return float(np.sqrt(self.residual / self.n_equations))

    @property
    def relative_residual(self) -> float:
        """``sqrt(residual / sum(Y_valid**2))``: 0 for an exact fit, about 1 for no fit."""
        if not self.target_energy > 0:
            return 0.0 if self.residual == 0 else float("inf")
        return float(np.sqrt(self.residual / self.target_energy))

    @property
    def loss(self) -> float:
        """The final loss: the residual in the ``reduction`` asked for."""
        return self.residual if self.reduction == "sum" else self.residual / self.n_equations

    def __repr__(self) -> str:
        rank = "unknown" if self.rank is None else self.rank
        return (
            f"KernelFit(method={self.method!r}, kernel_shape={self.kernel.shape}, "
            f"bias={self.bias:.6g}, residual={self.residual:.6g}, rank={rank}/"
            f"{self.n_unknowns}, epochs={len(self.losses) if self.method == 'gd' else 0})"
        )


def _as_image(a: Any, name: str) -> np.ndarray:
    if is_torch(a):
        a = a.detach().cpu().numpy()
    arr = np.asarray(a)
    _checks.check_dtype(arr.dtype, name)
    if arr.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D grey image (H, W); got shape {arr.shape} "
            "(convert colour images to grey first)"
        )
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"`{name}` holds NaN or infinity; the kernel cannot be fitted to it")
    return arr


def _valid_target(X: np.ndarray, Y: np.ndarray, kernel_shape: tuple[int, int]) -> np.ndarray:
    """``Y`` restricted to the windows wholly inside ``X``."""
    (H, W), (kh, kw) = X.shape, kernel_shape
    valid = (H - kh + 1, W - kw + 1)
    if Y.shape == valid:
        return Y
    if Y.shape == X.shape:
        # "same" output: the windows start (k - 1) // 2 before each pixel (the contract's
        # padding rule), so the valid windows sit at this offset.
        top, left = (kh - 1) // 2, (kw - 1) // 2
        return Y[top : top + valid[0], left : left + valid[1]]
    raise ValueError(
        f"`Y` must have the valid shape {valid} (X {X.shape} with a {kh}x{kw} kernel) or "
        f"X's shape {X.shape} (filtered with padding='same'); got {Y.shape}"
    )


def _im2col(X: np.ndarray, kernel_shape: tuple[int, int], bias: bool) -> np.ndarray:
    # Row i*W' + j is the window under output (i, j), taps in K.ravel() order.
    A = sliding_window_view(X, kernel_shape).reshape(-1, kernel_shape[0] * kernel_shape[1])
    if bias:
        A = np.hstack([A, np.ones((A.shape[0], 1))])
    return A


def _check_options(method, optimizer, reduction, lr, num_epochs, seed) -> None:
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}; got {method!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"`optimizer` must be one of {OPTIMIZERS}; got {optimizer!r}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"`reduction` must be one of {REDUCTIONS}; got {reduction!r}")
    if not (lr == "auto" or (isinstance(lr, numbers.Real) and not isinstance(lr, bool))):
        raise TypeError(f"`lr` must be a positive number or 'auto'; got {lr!r}")
    if lr != "auto" and not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"`lr` must be a positive finite number or 'auto'; got {lr!r}")
    if lr == "auto" and optimizer == "adam":
        raise ValueError(
            "`lr`='auto' sizes a plain gradient step; Adam's step is in the kernel's units, "
            "so give it a number (e.g. lr=0.01)"
        )
    if not _checks._is_int(num_epochs) or num_epochs < 1:
        raise ValueError(f"`num_epochs` must be a positive int; got {num_epochs!r}")
    if not _checks._is_int(seed):
        raise TypeError(f"`seed` must be an int; got {seed!r}")


def learn_kernel(
    X: Any,
    Y: Any,
    kernel_shape: int | tuple[int, int],
    *,
    method: str = "gd",
    bias: bool = False,
    lr: float | str = 3e-2,
    num_epochs: int = 10,
    seed: int = 0,
    optimizer: str = "sgd",
    reduction: str = "sum",
    allow_underdetermined: bool = False,
    progress: Callable[[int, float], None] | None = None,
) -> KernelFit:
    """Recover the kernel ``K`` (and bias) with ``Y = corr2d(X, K) + b`` on the valid region.

    Parameters
    ----------
    X : array_like, shape (H, W)
        The input image (grey). Any real dtype; computed in float64.
    Y : array_like
        The filtered image: the valid shape ``(H - kh + 1, W - kw + 1)``, or ``X``'s shape
        for output made with ``padding="same"`` (only its valid region is used).
    kernel_shape : int or (int, int)
        ``(kh, kw)`` of the kernel to recover.
    method : {"gd", "lstsq"}
        Gradient descent as in the chapter, or exact linear least squares on im2col.
    bias : bool
        Also fit an additive scalar bias.
    lr : float or "auto"
        (gd) Learning rate; the default is the chapter's. ``"auto"`` takes ``1 / tr(H)``,
        the inverse trace of the loss's Hessian, which bounds its largest eigenvalue, so the
        loss falls at every epoch whatever the image's scale.
    num_epochs : int
        (gd) Number of full-batch updates; the default is the chapter's 10.
    seed : int
        (gd) Seed of the initial kernel, drawn as the chapter's ``nn.LazyConv2d`` draws it
        (torch's init, ``U(-1/sqrt(kh*kw), 1/sqrt(kh*kw))``); the global torch RNG is left
        untouched.
    optimizer : {"sgd", "adam"}
        (gd) Plain ``K -= lr * grad`` as in the chapter, or Adam.
    reduction : {"sum", "mean"}
        The loss: sum of squared errors (the chapter's) or their mean.
    allow_underdetermined : bool
        If the data cannot determine the kernel (rank-deficient im2col, e.g. a flat image),
        return the best fit flagged ``underdetermined`` (``lstsq`` gives the minimum-norm
        one) instead of raising ``ValueError``.
    progress : callable, optional
        (gd) Called as ``progress(epoch, loss)`` after every epoch.

    Returns
    -------
    KernelFit
        ``kernel``, ``bias``, ``losses``, ``residual``, ``rank`` and more.

    Examples
    --------
    The chapter's run: the step image, the edge kernel ``[[1, -1]]``, lr 3e-2, 10 epochs.

    >>> import numpy as np, convlens
    >>> X = np.ones((6, 8)); X[:, 2:6] = 0
    >>> Y = convlens.corr2d(X, np.array([[1.0, -1.0]]))
    >>> fit = learn_kernel(X, Y, (1, 2))
    >>> bool(np.all(np.diff(fit.losses) < 0)), bool(np.abs(fit.kernel - [[1, -1]]).max() < 0.1)
    (True, True)
    >>> learn_kernel(X, Y, (1, 2), method="lstsq").kernel.round(12)
    array([[ 1., -1.]])
    """
    _check_options(method, optimizer, reduction, lr, num_epochs, seed)
    on_torch = is_torch(X) or is_torch(Y)
    X = _as_image(X, "X")
    Y = _as_image(Y, "Y")
    kernel_shape = _checks.as_pair(kernel_shape, "kernel_shape")
    kh, kw = kernel_shape
    if kh > X.shape[0] or kw > X.shape[1]:
        raise ValueError(
            f"`kernel_shape` {kernel_shape} is bigger than `X` {X.shape}; "
            "the kernel must fit inside the image"
        )
    Yv = _valid_target(X, Y, kernel_shape)
    n_eq, n_unknowns = Yv.size, kh * kw + bool(bias)
    if method == "lstsq":
        fit = _lstsq(X, Yv, kernel_shape, bias, reduction, allow_underdetermined)
    else:
        rank = _rank(X, kernel_shape, bias)
        _check_rank(rank, n_unknowns, n_eq, kernel_shape, bias, allow_underdetermined)
        if lr == "auto":
            lr = auto_lr(X, kernel_shape, bias, reduction)
        opts = (X, Yv, kernel_shape, bias, float(lr), num_epochs, seed, reduction, progress)
        if optimizer == "sgd" and not on_torch:
            K, b, losses = _gd_numpy(*opts)
        else:
            K, b, losses = _gd_torch(*opts, optimizer)
        fit = KernelFit(
            K, b, losses, _residual(X, Yv, K, b), "gd", n_eq, n_unknowns, rank,
            rank is not None and rank < n_unknowns, float(lr), reduction,
        )  # fmt: skip
    return dataclasses.replace(fit, target_energy=float(np.square(Yv, dtype=np.float64).sum()))


def _rank(X: np.ndarray, kernel_shape: tuple[int, int], bias: bool) -> int | None:
    if np.ptp(X) == 0:
        # Every window is the same: one independent row, whatever the size.
        return 1
    (H, W), (kh, kw) = X.shape, kernel_shape
    if (H - kh + 1) * (W - kw + 1) * (kh * kw + bias) > _RANK_MAX_ENTRIES:
        return None
    return int(np.linalg.matrix_rank(_im2col(X, kernel_shape, bias)))


def _check_rank(rank, n_unknowns, n_eq, kernel_shape, bias, allow) -> None:
    if rank is None or rank >= n_unknowns or allow:
        return
    what = f"a {kernel_shape[0]}x{kernel_shape[1]} kernel" + (" and a bias" if bias else "")
    raise ValueError(
        f"`X` cannot reveal {what}: the im2col matrix of its valid region ({n_eq} windows) "
        f"has rank {rank} < {n_unknowns} unknowns, so many kernels fit equally well (a flat "
        "or too simple image, or too few pixels); pass allow_underdetermined=True to get "
        "one of them anyway"
    )


def _residual(X, Yv, K, b) -> float:
    R = ops.corr2d(X, K) + b - Yv
    return float(np.vdot(R, R))


def _lstsq(X, Yv, kernel_shape, bias, reduction, allow) -> KernelFit:
    kh, kw = kernel_shape
    n_eq, n_unknowns = Yv.size, kh * kw + bool(bias)
    need = n_eq * n_unknowns * 8
    if need > _LSTSQ_MAX_BYTES:
        raise ValueError(
            f"`kernel_shape` {kernel_shape} on an image of {X.shape} needs a "
            f"{n_eq}x{n_unknowns} im2col matrix ({need / 2**30:.1f} GiB) for method='lstsq'; "
            "crop the image or use method='gd'"
        )
    A = _im2col(X, kernel_shape, bias)
    sol, _, rank, _ = np.linalg.lstsq(A, Yv.ravel(), rcond=None)
    rank = int(rank)
    _check_rank(rank, n_unknowns, n_eq, kernel_shape, bias, allow)
    K = sol[: kh * kw].reshape(kh, kw)
    b = float(sol[-1]) if bias else 0.0
    residual = _residual(X, Yv, K, b)
    loss = residual if reduction == "sum" else residual / n_eq
    return KernelFit(
        K, b, np.array([loss]), residual, "lstsq", n_eq, n_unknowns, rank,
        rank < n_unknowns, None, reduction,
    )  # fmt: skip


def auto_lr(X: np.ndarray, kernel_shape: tuple[int, int], bias: bool, reduction: str) -> float:
    """``1 / tr(H)`` for the squared-error loss of a ``kernel_shape`` fit on ``X``.

    ``H = 2 A^T A`` (divided by ``M`` for the mean) with ``A`` the im2col matrix; its trace is
    twice the sum of the squared entries of ``A``, and bounds its largest eigenvalue ``L``, so
    the step is below ``2 / L`` and gradient descent on this quadratic cannot diverge.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.ones((6, 8)); X[:, 2:6] = 0
    >>> auto_lr(X, (1, 2), False, "sum")  # tr(A^T A) = 36 for the step image
    0.013888888888888888
    """
    kh, kw = kernel_shape
    # Each tap's column of A is a (H-kh+1, W-kw+1) crop of X, so sum the squares of the crops.
    sq = ops.corr2d(X * X, np.ones((kh, kw)))
    trace = 2.0 * (float(sq.sum()) + (sq.size if bias else 0))
    if reduction == "mean":
        trace /= sq.size
    if trace == 0:
        raise ValueError("`X` is all zeros in its valid region; lr='auto' is undefined")
    return 1.0 / trace


def torch_start(kernel_shape: tuple[int, int], bias: bool, seed: int):
    """The kernel and bias that ``Conv2D(1, 1, kernel_shape)`` draws after
    ``torch.manual_seed(seed)`` in float64, computed without torch.

    torch's CPU generator is the standard MT19937 seeded with the low 32 bits of the seed; a
    float64 draw takes two 32-bit outputs, keeps the low 53 bits of ``hi << 32 | lo`` and maps
    them to ``[from, to)`` by one fused multiply-add (emulated here exactly with fractions).
    The weight is Kaiming-uniform with ``a = sqrt(5)``, the bias ``U(-1/sqrt(fan_in), ...)``.
    The tests check this against torch bit for bit.

    Examples
    --------
    >>> K, b = torch_start((1, 2), True, 0)
    >>> K.shape, b.shape, bool(np.abs(K).max() <= 1 / np.sqrt(2))
    ((1, 2), (1,), True)
    """
    fan = kernel_shape[0] * kernel_shape[1]
    # torch.manual_seed keeps the low 32 bits (two's complement for a negative seed), and
    # numpy.random.RandomState seeds MT19937 the same standard way (init_genrand).
    key = np.random.RandomState(seed % 2**32).get_state()[1]
    gen = np.random.MT19937()
    gen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
    raw = gen.random_raw(2 * (fan + bias)).astype(np.uint64)
    r64 = (raw[0::2] << np.uint64(32)) | raw[1::2]
    u = (r64 & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
    # torch.nn.init.kaiming_uniform_'s arithmetic, step by step, for the same rounding.
    gain = math.sqrt(2.0 / (1 + math.sqrt(5.0) ** 2))
    w_bound = math.sqrt(3.0) * (gain / math.sqrt(fan))
    b_bound = 1 / math.sqrt(fan)

    def uniform(v: np.ndarray, bound: float) -> np.ndarray:
        lo, span = Fraction(-bound), Fraction(bound - -bound)
        return np.array([float(Fraction(x) * span + lo) for x in v.tolist()])

    return uniform(u[:fan], w_bound).reshape(kernel_shape), uniform(u[fan:], b_bound)


def _gd_numpy(X, Yv, kernel_shape, bias, lr, num_epochs, seed, reduction, progress):
    """The chapter's loop with its gradients written out: no autograd, no torch.

    With ``R = corr2d(X, K) + b - Y``, the loss ``sum(R**2)`` (or its mean) has
    ``dL/dY = 2R`` (times ``1/M``), and ``dL/dK`` is the weight gradient of the correlation,
    the same function the layer's backward calls.
    """
    from .engines.grad import weight_grad

    K, b = torch_start(kernel_shape, bias, seed)
    X4 = X[None, None]
    k_shape = (1, 1, *kernel_shape)
    # As torch's backward forms it: the mean's 1/M, then the square's 2R.
    scale = 1.0 if reduction == "sum" else 1.0 / Yv.size
    losses = []
    for epoch in range(1, num_epochs + 1):
        R = ops.corr2d(X, K)
        if bias:
            R += b
        R -= Yv
        # Not np.vdot: a BLAS call whose OpenBLAS threads stall on a busy machine (6 ms an
        # epoch at 512^2 with the other core taken, against 0.3 ms for this).
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is raised below
            value = float(np.square(R).sum())
        if reduction == "mean":
            value /= Yv.size
        losses.append(value)
        _check_finite(value, epoch, lr)
        # (2 * scale) * R is scale * (2 * R) to the bit: doubling is exact.
        G = R * (2.0 * scale)
        gK = weight_grad(X4, G[None, None], k_shape, *_VALID)[0, 0]
        if bias:
            b = b - lr * G.sum()
        K = K - lr * gK
        if progress is not None:
            progress(epoch, value)
    return K, float(b[0]) if bias else 0.0, np.array(losses)


# The weight gradient's options for a "valid" correlation.
_VALID = (((0, 0), (0, 0)), "constant", 0.0, (1, 1), (1, 1), 1)


def _check_finite(value: float, epoch: int, lr: float) -> None:
    if not np.isfinite(value):
        raise ValueError(
            f"gradient descent diverged at epoch {epoch} (loss {value}); "
            f"`lr`={lr:g} is too large for this image: lower it or pass lr='auto'"
        )


def _gd_torch(X, Yv, kernel_shape, bias, lr, num_epochs, seed, reduction, progress, optimizer):
    """The chapter's loop on a :class:`convlens.Conv2D` layer and torch's autograd."""
    require("torch", "learn_kernel(method='gd') on torch tensors or with optimizer='adam'")
    import torch

    from .nn import Conv2D

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        # The chapter's 7.2.4 layer, nn.LazyConv2d(1, kernel_size, bias=False): torch's init,
        # so a seed gives the same start as torch.nn.Conv2d after torch.manual_seed(seed).
        layer = Conv2D(1, 1, kernel_shape, bias=bias, dtype=torch.float64)
    # (example, channel, height, width), as the chapter reshapes them.
    Xt, Yt = torch.from_numpy(X)[None, None], torch.from_numpy(Yv)[None, None]
    params = list(layer.parameters())
    # SGD is the chapter's own update, K -= lr * grad; constructing a torch.optim optimizer
    # imports torch._dynamo (about 1 s), which a command line run of a second should not pay.
    opt = None if optimizer == "sgd" else torch.optim.Adam(params, lr=lr)
    losses = []
    # The convolutions run on convlens's own threads; torch's OpenMP threads would only
    # handle the elementwise loss, and on a busy machine their spinning barriers make that
    # several times slower than one thread (100 epochs at 512^2, load 6 on 2 CPUs: 5-6 s on
    # two torch threads, 1.6 s on one).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for epoch in range(1, num_epochs + 1):
            l = (layer(Xt) - Yt) ** 2
            loss = l.sum() if reduction == "sum" else l.mean()
            for p in params:
                p.grad = None
            loss.backward()
            if opt is None:
                with torch.no_grad():
                    for p in params:
                        p -= lr * p.grad
            else:
                opt.step()
            value = float(loss.detach())
            losses.append(value)
            _check_finite(value, epoch, lr)
            if progress is not None:
                progress(epoch, value)
    finally:
        torch.set_num_threads(threads)
    K = layer.weight.detach().numpy()[0, 0].copy()
    b = float(layer.bias.detach()) if bias else 0.0
    return K, b, np.array(losses)
