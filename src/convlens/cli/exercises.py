"""The chapter's exercises, run by ``convlens demo --exercises``; each result is self-checked.

1. Diagonal edges under the edge kernel ``[[1, -1]]``; transposing the image, the kernel.
2. Kernels by hand: a directional derivative, and finite differences of order ``d``.
4. Cross-correlation as a matrix product: im2col and the Toeplitz matrix.
"""

from __future__ import annotations

import math

import numpy as np

import convlens
from convlens import kernels
from convlens.matrix import im2col, toeplitz

from .demo import Checker, _show, console


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
    _show("second derivative, derivative(2)", kernels.derivative(2))
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
    exercise_4(c)
