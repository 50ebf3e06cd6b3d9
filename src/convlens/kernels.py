"""A bank of named 2-D kernels, each built from its maths.

Every builder returns a new float64 array ``K`` of shape ``(kh, kw)``, meant for
:func:`convlens.corr2d` (cross-correlation: ``Y[i, j] = sum K[a, b] X[i + a, j + b]``). The
signs are chosen for cross-correlation, so a derivative kernel gives a *positive* response
where the image grows to the right (``axis="x"``) or downwards (``axis="y"``), as OpenCV's
``Sobel`` does. (The chapter's :func:`edge` kernel ``[[1, -1]]`` is the exception, kept as the
book wrote it: it gives ``X[i, j] - X[i, j + 1]``.)

Separable kernels are outer products of 1-D factors, so the planner can find the factors.

The command line names kernels as ``NAME[:ARGS]``, parsed by :func:`from_spec`. ``ARGS`` is a
comma-separated list of positional values or ``key=value`` pairs, bound to the builder's
parameters in order: ``gaussian:2`` is ``gaussian(2)``, ``gaussian:sigma=2,size=9`` is
``gaussian(sigma=2, size=9)``, ``sobel:y`` is ``sobel("y")``, ``derivative:2,x`` is
``derivative(2, "x")``. A literal nested list such as ``[[1, -1]]`` (JSON) is also accepted.
"""

from __future__ import annotations

import inspect
import json
import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

Axis = int | str

_AXES = {0: 0, 1: 1, "y": 0, "x": 1}

# The largest kernel side the bank builds (a 4097 x 4097 float64 kernel is 134 MB). Larger
# requests are refused before any array is made: a typo such as `gaussian:1e5` would
# otherwise ask for terabytes.
MAX_SIDE = 4097
# The highest derivative order: the binomial taps of order d are exact float64 integers up to
# d = 56 (C(56, 28) < 2**53), and overflow float64 altogether past d = 1029.
MAX_ORDER = 56


def _axis(axis: Any) -> int:
    if isinstance(axis, bool) or axis not in _AXES:
        raise ValueError(f"`axis` must be one of 'x', 'y', 1 or 0; got {axis!r}")
    return _AXES[axis]


def _positive(value: Any, name: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value > 0:
        raise ValueError(f"`{name}` must be a positive real number; got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value!r}")
    return float(value)


def _real(value: Any, name: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"`{name}` must be a real number; got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value!r}")
    return float(value)


def _odd_size(size: Any, name: str = "size") -> int:
    if not isinstance(size, numbers.Integral) or isinstance(size, bool):
        raise TypeError(f"`{name}` must be an odd positive int; got {size!r}")
    if size < 1 or size % 2 == 0:
        raise ValueError(f"`{name}` must be an odd positive int; got {size!r}")
    _check_side(size, name)
    return int(size)


def _check_side(side: Any, name: str) -> None:
    if side > MAX_SIDE:
        raise ValueError(
            f"`{name}` asks for a kernel side of {side}; the bank builds sides up to {MAX_SIDE}"
        )


def _outer_along(edge: np.ndarray, smooth: np.ndarray, axis: int) -> np.ndarray:
    """``edge`` along ``axis`` times ``smooth`` along the other axis."""
    if axis == 1:
        return np.outer(smooth, edge)
    return np.outer(edge, smooth)


def _delta(shape: tuple[int, int]) -> np.ndarray:
    d = np.zeros(shape)
    d[shape[0] // 2, shape[1] // 2] = 1.0
    return d


def edge(axis: Axis = "x") -> np.ndarray:
    """The chapter's edge detector ``[[1, -1]]`` (D2L 7.2.3), or its transpose.

    Parameters
    ----------
    axis : {"x", "y", 1, 0}
        ``"x"`` gives ``[[1, -1]]`` (vertical edges); ``"y"`` gives ``[[1], [-1]]``
        (horizontal edges).

    Returns
    -------
    K : ndarray, shape (1, 2) or (2, 1)

    Notes
    -----
    ``Y[i, j] = X[i, j] - X[i, j + 1]``: 1 where white (1) turns black (0) going right,
    -1 where black turns white, 0 where neighbours agree. The sum is 0. A ramp
    ``X[i, j] = j`` gives -1 everywhere::

        axis="x":  [ 1  -1 ]        axis="y":  [  1 ]
                                               [ -1 ]

    Examples
    --------
    >>> edge()
    array([[ 1., -1.]])
    """
    K = np.array([[1.0, -1.0]])
    return K if _axis(axis) == 1 else K.T.copy()


def derivative(order: int = 1, axis: Axis = "x") -> np.ndarray:
    r"""The forward finite difference of order ``d``, at its minimal size ``d + 1``.

    Parameters
    ----------
    order : int
        The order ``d >= 1`` of the derivative.
    axis : {"x", "y", 1, 0}
        Differentiate along columns (``"x"``) or rows (``"y"``).

    Returns
    -------
    K : ndarray, shape (1, d + 1) or (d + 1, 1)

    Notes
    -----
    ``Delta^d f(x) = sum_{k=0}^{d} (-1)^(d-k) C(d, k) f(x + k)``: binomial coefficients with
    alternating signs. It is exact for polynomials of degree ``d``: ``x^d`` gives ``d!``
    everywhere, and any polynomial of lower degree gives 0, so the sum is 0. No kernel with
    ``d`` taps or fewer can do this (``d`` taps cannot annihilate all polynomials of degree
    ``< d`` and still see ``x^d``), so ``d + 1`` is the minimal size, and all ``d + 1`` taps
    are non-zero. For ``d = 2`` the kernel is symmetric, for ``d = 1, 3`` antisymmetric::

        d=1: [ -1   1 ]
        d=2: [  1  -2   1 ]
        d=3: [ -1   3  -3   1 ]

    Examples
    --------
    >>> derivative(2)
    array([[ 1., -2.,  1.]])
    """
    if not isinstance(order, numbers.Integral) or isinstance(order, bool) or order < 1:
        raise ValueError(f"`order` must be an int >= 1; got {order!r}")
    if order > MAX_ORDER:
        raise ValueError(
            f"`order` must be at most {MAX_ORDER} (beyond it the binomial taps are no longer "
            f"exact in float64); got {order!r}"
        )
    d = int(order)
    row = np.array([(-1.0) ** (d - k) * math.comb(d, k) for k in range(d + 1)])
    return row[None, :] if _axis(axis) == 1 else row[:, None]


def _gradient(smooth: list[float], axis: Axis, normalize: bool) -> np.ndarray:
    smooth_a = np.asarray(smooth, dtype=float)
    K = _outer_along(np.array([-1.0, 0.0, 1.0]), smooth_a, _axis(axis))
    if not isinstance(normalize, bool):
        raise TypeError(f"`normalize` must be a bool; got {normalize!r}")
    # A unit ramp gives 2 * sum(smooth) through [-1, 0, 1] x smooth.
    return K / (2.0 * smooth_a.sum()) if normalize else K


def sobel(axis: Axis = "x", *, normalize: bool = False) -> np.ndarray:
    """The Sobel derivative: central difference ``[-1, 0, 1]`` times smoothing ``[1, 2, 1]``.

    Parameters
    ----------
    axis : {"x", "y", 1, 0}
        The axis of the derivative: ``"x"`` (columns) responds to vertical edges.
    normalize : bool
        Divide by 8 so that a unit ramp gives exactly 1 (the kernel then estimates the
        derivative). ``False`` gives OpenCV's integer kernel.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    ``K = [1, 2, 1]^T [-1, 0, 1]`` for ``axis="x"``; ``axis="y"`` is its transpose. The sum
    is 0; the kernel is antisymmetric along the derivative axis and symmetric across it. A
    ramp ``X = a*j + b*i`` gives ``8a`` (``axis="x"``) or ``8b`` (``axis="y"``)::

        axis="x":  [ -1  0  1 ]      axis="y":  [ -1 -2 -1 ]
                   [ -2  0  2 ]                 [  0  0  0 ]
                   [ -1  0  1 ]                 [  1  2  1 ]

    Examples
    --------
    >>> sobel()
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    """
    return _gradient([1.0, 2.0, 1.0], axis, normalize)


def prewitt(axis: Axis = "x", *, normalize: bool = False) -> np.ndarray:
    """The Prewitt derivative: ``[-1, 0, 1]`` times the box ``[1, 1, 1]``.

    Parameters
    ----------
    axis : {"x", "y", 1, 0}
        The axis of the derivative.
    normalize : bool
        Divide by 6 so that a unit ramp gives exactly 1.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    Sum 0; a ramp ``X = a*j + b*i`` gives ``6a`` (``axis="x"``)::

        axis="x":  [ -1  0  1 ]
                   [ -1  0  1 ]
                   [ -1  0  1 ]

    Examples
    --------
    >>> prewitt("y")
    array([[-1., -1., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  1.,  1.]])
    """
    return _gradient([1.0, 1.0, 1.0], axis, normalize)


def scharr(axis: Axis = "x", *, normalize: bool = False) -> np.ndarray:
    """The Scharr derivative: ``[-1, 0, 1]`` times ``[3, 10, 3]`` (better rotation invariance).

    Parameters
    ----------
    axis : {"x", "y", 1, 0}
        The axis of the derivative.
    normalize : bool
        Divide by 32 so that a unit ramp gives exactly 1.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    Sum 0; a ramp ``X = a*j + b*i`` gives ``32a`` (``axis="x"``); OpenCV's ``Scharr``::

        axis="x":  [  -3  0   3 ]
                   [ -10  0  10 ]
                   [  -3  0   3 ]

    Examples
    --------
    >>> scharr().sum()
    np.float64(0.0)
    """
    return _gradient([3.0, 10.0, 3.0], axis, normalize)


def laplacian(neighbours: int = 4) -> np.ndarray:
    """The discrete Laplacian ``d2/dx2 + d2/dy2``, on 4 or 8 neighbours.

    Parameters
    ----------
    neighbours : {4, 8}
        4: ``[1, -2, 1]`` along x plus along y. 8: every neighbour, including the diagonals.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    Sum 0, symmetric under every flip and transpose. The 4-neighbour kernel is
    ``derivative(2, "x") + derivative(2, "y")`` centred, so ``X = j^2 + i^2`` gives 4; the
    8-neighbour kernel is ``ones((3, 3)) - 9 delta`` and gives 12::

        4: [ 0  1  0 ]      8: [ 1  1  1 ]
           [ 1 -4  1 ]         [ 1 -8  1 ]
           [ 0  1  0 ]         [ 1  1  1 ]

    Examples
    --------
    >>> laplacian()
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]])
    """
    if neighbours == 4 and not isinstance(neighbours, bool):
        K = np.zeros((3, 3))
        K[1, :] += derivative(2, "x")[0]
        K[:, 1] += derivative(2, "y")[:, 0]
        return K
    if neighbours == 8 and not isinstance(neighbours, bool):
        return np.ones((3, 3)) - 9.0 * _delta((3, 3))
    raise ValueError(f"`neighbours` must be 4 or 8; got {neighbours!r}")


def directional(angle: float = 0.0) -> np.ndarray:
    r"""The derivative along a direction: detects edges orthogonal to it (D2L 7.2, ex. 2).

    Parameters
    ----------
    angle : float
        Direction ``v = (cos t, sin t)`` in degrees, from the +x axis (columns, rightwards)
        towards the +y axis (rows, downwards), as in array coordinates.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    The directional derivative is ``v . grad X = cos(t) dX/dx + sin(t) dX/dy``, so
    ``K = cos(t) Sx + sin(t) Sy`` with the normalised Sobel kernels ``Sx, Sy``. A ramp
    ``X = a*j + b*i`` gives exactly ``a cos t + b sin t``; an edge running along ``v``
    (orthogonal to the edges it detects) gives 0. ``K(t + 180) = -K(t)``, the sum is 0, and
    ``K`` is antisymmetric under a 180-degree rotation. At 45 degrees::

        [ -0.177  -0.177   0     ]
        [ -0.177   0       0.177 ]
        [  0       0.177   0.177 ]

    Examples
    --------
    >>> directional(90).round(3)
    array([[-0.125, -0.25 , -0.125],
           [ 0.   ,  0.   ,  0.   ],
           [ 0.125,  0.25 ,  0.125]])
    """
    t = math.radians(_real(angle, "angle"))
    # Snap cos(90 deg) ~ 6e-17 to 0 so that axis-aligned directions give exact kernels.
    c, s = (0.0 if abs(v) < 1e-12 else v for v in (math.cos(t), math.sin(t)))
    return c * sobel("x", normalize=True) + s * sobel("y", normalize=True) + 0.0


def _gaussian_1d(sigma: float, radius: int) -> np.ndarray:
    x = np.arange(-radius, radius + 1, dtype=float)
    g = np.exp(-0.5 * (x / sigma) ** 2)
    return g / g.sum()


def gaussian(sigma: float = 1.0, size: int | None = None, *, truncate: float = 4.0) -> np.ndarray:
    """A sampled, normalised Gaussian ``exp(-(x^2 + y^2) / (2 sigma^2))``.

    Parameters
    ----------
    sigma : float
        Standard deviation in pixels, > 0.
    size : int, optional
        Odd side length. By default ``2 r + 1`` with ``r = int(truncate * sigma + 0.5)``, as
        in ``scipy.ndimage.gaussian_filter``.
    truncate : float
        How many ``sigma`` the default size reaches on each side; ignored when ``size`` is
        given. The tails beyond are dropped, and the kernel renormalised to sum 1.

    Returns
    -------
    K : ndarray, shape (size, size)

    Notes
    -----
    The outer product ``g g^T`` of the 1-D factor ``g[k] = exp(-k^2 / 2 sigma^2) / Z``,
    ``|k| <= r``, ``Z`` making ``sum g = 1``. So the sum is 1, it is symmetric under every flip
    and transpose, constants and ramps pass unchanged, and ``x^2`` becomes ``x^2 + v`` with
    ``v = sum k^2 g[k]`` (about ``sigma^2``). The same values as ``cv2.getGaussianKernel``.
    ``sigma=1, size=3``::

        [ 0.075  0.124  0.075 ]
        [ 0.124  0.204  0.124 ]
        [ 0.075  0.124  0.075 ]

    Examples
    --------
    >>> gaussian(1.0).shape
    (9, 9)
    >>> float(gaussian(2.0).sum())
    1.0
    """
    sigma = _positive(sigma, "sigma")
    truncate = _positive(truncate, "truncate")
    if size is None:
        reach = truncate * sigma + 0.5
        if reach > MAX_SIDE // 2 + 1:
            raise ValueError(
                f"`sigma`={sigma:g} with `truncate`={truncate:g} asks for a kernel side of "
                f"about {2 * reach:.3g}; the bank builds sides up to {MAX_SIDE} (lower sigma "
                "or truncate, or pass size)"
            )
    radius = int(truncate * sigma + 0.5) if size is None else _odd_size(size) // 2
    g = _gaussian_1d(sigma, radius)
    K = np.outer(g, g)
    return K / K.sum()


def box(size: int | tuple[int, int] = 3) -> np.ndarray:
    """The box (mean) filter: every tap ``1 / (kh kw)``.

    Parameters
    ----------
    size : int or (int, int)
        Side length, or ``(kh, kw)``; positive.

    Returns
    -------
    K : ndarray, shape (kh, kw)

    Notes
    -----
    The outer product of ``ones(kh) / kh`` and ``ones(kw) / kw``; sum 1, symmetric. Constants
    pass unchanged, and so do ramps when the size is odd; ``x^2`` becomes
    ``x^2 + (kw^2 - 1) / 12``. ``size=3``::

        [ 1  1  1 ]
        [ 1  1  1 ] / 9
        [ 1  1  1 ]

    Examples
    --------
    >>> box((1, 2))
    array([[0.5, 0.5]])
    """
    from ._checks import as_pair

    kh, kw = as_pair(size, "size")
    _check_side(max(kh, kw), "size")
    return np.outer(np.full(kh, 1.0 / kh), np.full(kw, 1.0 / kw))


def sharpen(amount: float = 1.0) -> np.ndarray:
    """Sharpening: the image minus ``amount`` times its 4-neighbour Laplacian.

    Parameters
    ----------
    amount : float
        Strength; ``1`` gives the classic kernel, ``0`` the identity.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    ``K = delta - amount * laplacian(4)``. Sum 1, symmetric. Constants and ramps pass
    unchanged (their Laplacian is 0); ``x^2`` becomes ``x^2 - 2 amount``. ``amount=1``::

        [  0  -1   0 ]
        [ -1   5  -1 ]
        [  0  -1   0 ]

    Examples
    --------
    >>> sharpen()
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    """
    return _delta((3, 3)) - _real(amount, "amount") * laplacian(4)


def emboss() -> np.ndarray:
    """Emboss: the image plus its Prewitt derivative towards the bottom-right.

    Returns
    -------
    K : ndarray, shape (3, 3)

    Notes
    -----
    ``K = delta + prewitt("x") + prewitt("y")``. Sum 1; ``K - delta`` is antisymmetric under
    a 180-degree rotation and symmetric under transposition. Constants pass unchanged; a ramp
    ``X = a*j + b*i`` becomes ``X + 6a + 6b``, so slopes facing the bottom-right light up::

        [ -2  -1   0 ]
        [ -1   1   1 ]
        [  0   1   2 ]

    Examples
    --------
    >>> emboss()
    array([[-2., -1.,  0.],
           [-1.,  1.,  1.],
           [ 0.,  1.,  2.]])
    """
    return _delta((3, 3)) + prewitt("x") + prewitt("y")


def unsharp(sigma: float = 1.0, amount: float = 1.0) -> np.ndarray:
    """Unsharp masking: add back ``amount`` times the detail that a Gaussian blur removes.

    Parameters
    ----------
    sigma : float
        The Gaussian's standard deviation (its size is :func:`gaussian`'s default).
    amount : float
        The gain on the detail ``X - G * X``.

    Returns
    -------
    K : ndarray, shape (2 r + 1, 2 r + 1)

    Notes
    -----
    ``K = delta + amount * (delta - gaussian(sigma)) = (1 + amount) delta - amount G``. Sum 1,
    symmetric; constants and ramps pass unchanged. ``sigma=0.5`` (size 5), ``amount=1``, the
    inner 3 x 3 (the outer ring is below 0.001)::

        [ -0.011  -0.084  -0.011 ]
        [ -0.084   1.381  -0.084 ]
        [ -0.011  -0.084  -0.011 ]

    Examples
    --------
    >>> K = unsharp(1.0, 2.0)
    >>> round(float(K.sum()), 12), K.shape
    (1.0, (9, 9))
    """
    G = gaussian(sigma)
    amount = _real(amount, "amount")
    return (1.0 + amount) * _delta(G.shape) - amount * G


BANK: dict[str, Callable[..., np.ndarray]] = {
    "edge": edge,
    "derivative": derivative,
    "sobel": sobel,
    "prewitt": prewitt,
    "scharr": scharr,
    "laplacian": laplacian,
    "directional": directional,
    "gaussian": gaussian,
    "box": box,
    "sharpen": sharpen,
    "emboss": emboss,
    "unsharp": unsharp,
}
"""The kernel bank: name -> builder. ``convlens kernels`` lists it."""


def names() -> list[str]:
    """The names in the bank, sorted.

    Examples
    --------
    >>> names()[:3]
    ['box', 'derivative', 'directional']
    """
    return sorted(BANK)


def describe(name: str) -> str:
    """One line: the builder's signature and the first line of its docstring.

    Examples
    --------
    >>> describe("box")
    'box(size=3): The box (mean) filter: every tap ``1 / (kh kw)``.'
    """
    builder = _builder(name)
    sig = _strip_annotations(builder)
    doc = (builder.__doc__ or "").strip().splitlines()[0]
    return f"{name}({sig}): {doc}"


def _strip_annotations(builder: Callable[..., Any]) -> str:
    parts = []
    for p in inspect.signature(builder).parameters.values():
        text = p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
        parts.append(text)
    return ", ".join(parts)


def has_axis(name: str) -> bool:
    """Whether the named builder takes an ``axis``, so that it has an x/y pair.

    Examples
    --------
    >>> has_axis("sobel"), has_axis("gaussian")
    (True, False)
    """
    return "axis" in inspect.signature(_builder(name)).parameters


def _builder(name: str) -> Callable[..., np.ndarray]:
    if name not in BANK:
        raise ValueError(f"`kernel` must be one of {names()}; got unknown name {name!r}")
    return BANK[name]


def _value(text: str) -> Any:
    text = text.strip()
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text in ("True", "true"):
        return True
    if text in ("False", "false"):
        return False
    if text in ("None", "none"):
        return None
    return text


def _parse(spec: str) -> tuple[str, list[Any], dict[str, Any]]:
    name, _, arg_text = spec.strip().partition(":")
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for item in filter(None, (s.strip() for s in arg_text.split(","))):
        key, eq, val = item.partition("=")
        if eq:
            if key.strip() in kwargs:
                raise ValueError(f"`kernel` {spec!r}: {key.strip()!r} is given twice")
            kwargs[key.strip()] = _value(val)
        elif kwargs:
            raise ValueError(f"`kernel` {spec!r}: positional value {item!r} after key=value")
        else:
            args.append(_value(item))
    return name.strip(), args, kwargs


def from_spec(spec: str, **overrides: Any) -> np.ndarray:
    """Build a kernel from ``NAME[:ARGS]`` or a JSON nested list such as ``"[[1, -1]]"``.

    Parameters
    ----------
    spec : str
        ``NAME[:ARGS]``: a name from :data:`BANK` and comma-separated positional or
        ``key=value`` arguments for its builder (``gaussian:2``, ``sobel:y``,
        ``gaussian:sigma=2,size=9``). Or a JSON 2-D list of numbers.
    **overrides
        Keyword arguments that replace those in ``spec`` (the CLI sets ``axis`` this way).

    Returns
    -------
    K : ndarray, float64, 2-D

    Examples
    --------
    >>> from_spec("laplacian:8").sum()
    np.float64(0.0)
    >>> from_spec("[[1, -1]]")
    array([[ 1., -1.]])
    """
    if not isinstance(spec, str):
        raise TypeError(f"`kernel` must be a string NAME[:ARGS] or a JSON list; got {spec!r}")
    if spec.lstrip().startswith("["):
        try:
            data = json.loads(spec)
        except json.JSONDecodeError as exc:
            raise ValueError(f"`kernel` {spec!r} is not a valid JSON list: {exc}") from exc
        return as_kernel(data)
    name, args, kwargs = _parse(spec)
    builder = _builder(name)
    kwargs.update(overrides)
    try:
        bound = inspect.signature(builder).bind(*args, **kwargs)
    except TypeError as exc:
        raise ValueError(
            f"`kernel` {spec!r}: {exc}; {name} takes ({_strip_annotations(builder)})"
        ) from exc
    with np.errstate(over="ignore", invalid="ignore"):
        K = builder(*bound.args, **bound.kwargs)
    if not np.isfinite(K).all():
        raise ValueError(f"`kernel` {spec!r} overflows: its taps are not finite")
    return K


def as_kernel(data: Any, name: str = "kernel") -> np.ndarray:
    """Check that ``data`` is a finite, non-empty 2-D array of numbers; return it as float64.

    Examples
    --------
    >>> as_kernel([[1, 2], [3, 4]]).dtype
    dtype('float64')
    """
    try:
        A = np.asarray(data)
        if A.dtype.kind == "c":
            raise ValueError(f"`{name}` must hold real numbers; got complex values ({A.dtype})")
        K = A.astype(float)
    except (TypeError, ValueError) as exc:
        if "complex" in str(exc) and str(exc).startswith(f"`{name}`"):
            raise
        raise ValueError(f"`{name}` must be a 2-D list of numbers; got {data!r}") from exc
    if K.ndim != 2 or K.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 2-D list of numbers; got shape {K.shape}")
    if not np.isfinite(K).all():
        raise ValueError(f"`{name}` holds NaN or infinity")
    return K
