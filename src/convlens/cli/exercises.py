"""The chapter's exercises, run by ``convlens demo --exercises``; each result is self-checked.

1. Diagonal edges under the edge kernel ``[[1, -1]]``; transposing the image, the kernel.
2. Kernels by hand: a directional derivative, finite differences of order ``d``, which
   structures the second derivative answers most, and a blur kernel (and why blur).
3. Automatic gradients: the error a NumPy forward gives, and the gradient convlens gives.
4. Cross-correlation as a matrix product: im2col and the Toeplitz matrix.
"""

from __future__ import annotations

import math

import numpy as np

import convlens
from convlens import kernels
from convlens.matrix import im2col, toeplitz

from ._report import Checker, console
from ._report import show as _show


def diagonal_image(n: int = 6) -> np.ndarray:
    """White (1) on and below the diagonal, black (0) above: ``X[i, j] = [j <= i]``."""
    return np.tril(np.ones((n, n)))


def exercise_1(c: Checker) -> None:
    console.rule("Exercise 1: diagonal edges, transposed images and kernels")
    X = diagonal_image()
    K = kernels.edge()
    _show("X (a diagonal edge)", X)
    Y = convlens.corr2d(X, K)
    _show("corr2d(X, [[1, -1]])", Y)
    # X[i, j] - X[i, j+1] is 1 exactly where j == i: the last white pixel of each row.
    c.check(
        np.array_equal(Y, np.eye(6, 5)),
        "a diagonal edge is detected: 1 on the diagonal, one pixel per row",
    )
    Yt = convlens.corr2d(X.T, K)
    _show("corr2d(X.T, K): the image transposed", Yt)
    c.check(
        np.array_equal(Yt, -np.eye(6, 5, k=-1)),
        "transposing the image flips the edge's polarity: -1 just below the diagonal",
    )
    YK = convlens.corr2d(X, K.T)
    _show("corr2d(X, K.T): the kernel transposed", YK)
    c.check(
        np.array_equal(YK, -np.eye(5, 6, k=1)),
        "the transposed kernel [[1], [-1]] sees the horizontal component: -1 above it",
    )
    both = convlens.corr2d(X.T, K.T)
    c.check(
        np.array_equal(both, Y.T),
        "transposing both image and kernel transposes the output: corr2d(X.T, K.T) == Y.T",
    )
    step = np.ones((6, 8))
    step[:, 2:6] = 0
    c.check(
        not convlens.corr2d(step, K.T).any() and convlens.corr2d(step, K).any(),
        "unlike a vertical edge, which [[1], [-1]] cannot see, a diagonal one shows in both",
    )


def exercise_2(c: Checker) -> None:
    console.rule("Exercise 2: designing kernels by hand")
    i, j = np.mgrid[0:7, 0:7].astype(float)
    a, b = 2.0, -1.0
    ramp = a * j + b * i
    for angle in (0.0, 30.0, 90.0):
        Y = convlens.corr2d(ramp, kernels.directional(angle))
        t = math.radians(angle)
        want = a * math.cos(t) + b * math.sin(t)
        c.check(
            np.allclose(Y, want, atol=1e-12),
            f"directional({angle:g}) on the ramp {a:g}j {b:+g}i gives the directional "
            f"derivative {want:.4f}",
        )
    edge_along = (j >= i).astype(float)  # an edge running along 45 degrees
    along = convlens.corr2d(edge_along, kernels.directional(45.0))
    across = convlens.corr2d(edge_along, kernels.directional(-45.0))
    c.check(
        np.allclose(along, 0.0, atol=1e-12) and np.abs(across).max() > 0.5,
        "an edge running along v gives 0; the kernel for the orthogonal direction sees it",
    )
    _show(
        "directional(30): detects edges orthogonal to v = (cos 30, sin 30)",
        kernels.directional(30.0),
    )
    _show("second derivative, derivative(2)", kernels.derivative(2))
    _second_derivative_structures(c)
    _blur(c)
    x = np.arange(8.0)[None, :]
    for d in (1, 2, 3, 4):
        D = kernels.derivative(d)
        Y = convlens.corr2d(x**d, D)
        c.check(
            D.shape == (1, d + 1)
            and np.count_nonzero(D) == d + 1
            and np.allclose(Y, math.factorial(d)),
            f"order {d}: minimal size {d + 1}, {d + 1} non-zero taps, x^{d} gives {d}! "
            f"= {math.factorial(d)}",
        )


def _second_derivative_structures(c: Checker) -> None:
    # One row holding a ramp, a step and a one-pixel line, each of height 1.
    row = np.concatenate([np.arange(6.0) / 5, np.ones(4), np.zeros(4), [1.0], np.zeros(4)])
    Y = convlens.corr2d(row[None, :], kernels.derivative(2))[0]
    _show("derivative(2) along a ramp, a step and a thin line", Y)
    ramp, line = np.abs(Y[:4]).max(), np.abs(Y).max()
    c.check(
        ramp < 1e-12 and line == 2.0 and int(np.argmax(np.abs(Y))) == row.size - 6,
        "the second derivative ignores ramps, answers a step with +-1 and a thin line with -2: "
        "lines and points respond most strongly",
    )


def _blur(c: Checker) -> None:
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((256, 256))
    B = kernels.box(3)
    _show("box(3), a blur: every tap 1/9", B)
    blurred = convlens.corr2d(noise, B)
    ratio = float(blurred.var() / noise.var())
    c.check(
        abs(B.sum() - 1.0) < 1e-12 and abs(ratio - 1 / 9) < 0.01,
        f"a blur kernel sums to 1 (flat regions keep their value) and averages noise away: "
        f"the variance of white noise falls to {ratio:.3f}, about 1/9",
    )
    step = np.where(np.arange(64) >= 32, 1.0, 0.0)[None, :].repeat(64, axis=0)
    noisy = step + 0.3 * rng.standard_normal(step.shape)
    D = kernels.edge()
    raw = np.abs(convlens.corr2d(noisy, D)).mean(axis=0)
    smooth = np.abs(convlens.corr2d(convlens.corr2d(noisy, kernels.gaussian(2.0)), D))
    # The gaussian(2) window is 17 wide, so the valid output starts 8 columns in.
    peak = int(np.argmax(smooth.mean(axis=0))) + 8
    c.check(
        peak in (30, 31) and smooth.mean(axis=0).max() > 4 * np.median(smooth.mean(axis=0)),
        f"why blur: [[1, -1]] on a noisy step is mostly noise (mean |response| {raw.mean():.2f} "
        f"everywhere); blurred first, the edge stands out at column {peak}",
    )


def exercise_3(c: Checker) -> None:
    import torch
    import torch.nn.functional as F

    console.rule("Exercise 3: automatic gradients through Conv2D")
    X = torch.from_numpy(np.tril(np.ones((6, 6))))
    K = torch.tensor([[1.0, -1.0]], dtype=torch.float64, requires_grad=True)
    try:
        # A forward written in NumPy (as a first Conv2D often is) leaves autograd's graph.
        convlens.corr2d(X.numpy(), K.numpy())
        message = ""
    except RuntimeError as exc:
        message = str(exc).splitlines()[0]
    console.print(f"a NumPy forward on a kernel that requires grad: RuntimeError: {message}")
    c.check(
        "requires grad" in message,
        "torch refuses to hand a tensor that requires grad to NumPy: the graph would break",
    )
    Y = convlens.corr2d(X, K)
    (Y**2).sum().backward()
    K2 = K.detach().clone().requires_grad_(True)
    (F.conv2d(X[None, None], K2[None, None]) ** 2).sum().backward()
    _show("d(sum Y^2)/dK through convlens", K.grad)
    c.check(
        torch.allclose(K.grad, K2.grad, rtol=0, atol=1e-12),
        "convlens.corr2d carries its own autograd rule: the gradient equals torch's conv2d's",
    )


def exercise_4(c: Checker) -> None:
    console.rule("Exercise 4: cross-correlation as a matrix product")
    X = np.arange(9.0).reshape(3, 3)
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    cols = im2col(X, K.shape)
    _show("im2col(X, (2, 2))", cols)
    Y = convlens.corr2d(X, K)
    c.check(np.array_equal(cols @ K.ravel(), Y.ravel()), "im2col(X) @ K.ravel() == corr2d(X, K)")
    T = toeplitz(K, X.shape)
    _show("toeplitz(K, (3, 3)) as a dense matrix", T.toarray())
    c.check(np.array_equal(T @ X.ravel(), Y.ravel()), "T @ X.ravel() == corr2d(X, K)")


def run_exercises(c: Checker) -> None:
    exercise_1(c)
    exercise_2(c)
    exercise_3(c)
    exercise_4(c)
