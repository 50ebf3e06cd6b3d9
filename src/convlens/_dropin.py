"""What the scipy drop-ins (:mod:`convlens.ndimage`, :mod:`convlens.signal`) share: a fast
path on convlens's engines that hands the call to scipy's own function when it cannot take
it, with the same arguments, so scipy's result, or scipy's own error, comes back."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class Delegate(Exception):
    """Internal: this call is for scipy itself (see each drop-in's module docstring)."""


def drop_in(scipy_func: Callable) -> Callable:
    """Run the fast path; when it raises :class:`Delegate`, call ``scipy_func`` instead.

    Examples
    --------
    >>> @drop_in(lambda x: f"scipy({x})")
    ... def f(x):
    ...     if x < 0:
    ...         raise Delegate
    ...     return f"convlens({x})"
    >>> f(1), f(-1)
    ('convlens(1)', 'scipy(-1)')
    """

    def decorate(fast: Callable) -> Callable:
        @functools.wraps(fast)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fast(*args, **kwargs)
            except Delegate:
                return scipy_func(*args, **kwargs)
            except MemoryError:
                # convlens refuses (or fails) an allocation before writing any output;
                # scipy's loops, which need no float copy of the input, may still fit.
                return scipy_func(*args, **kwargs)

        return wrapper

    return decorate
