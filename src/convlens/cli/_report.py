"""What ``convlens demo`` and its exercises share: the console, the check list, array printing.

A module of its own so that ``demo`` can import ``exercises`` without ``exercises`` importing
``demo`` back.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np


@cache
def _rich_console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


class _Console:
    """rich's ``Console``, imported on first use: building the parser (``convlens --help``,
    or any other subcommand) must not need the ``cli`` extra's packages."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_rich_console(), name)


console = _Console()


class Checker:
    """Collects pass/fail results so that the demo can report them and set its exit status.

    Examples
    --------
    >>> c = Checker()
    >>> c.check(1 + 1 == 2, "arithmetic")
      ✓ arithmetic
    >>> c.failures
    []
    """

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        """Print ``what`` with a tick or a cross; remember it if it failed."""
        mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
        console.print(f"  {mark} {what}")
        if not ok:
            self.failures.append(what)


def show(name: str, arr: np.ndarray) -> None:
    """Print ``name =`` and the array, four decimals, small values as zero.

    Examples
    --------
    >>> show("K", np.array([[1.0, -1.0]]))
    K =
    [[ 1. -1.]]
    """
    console.print(f"{name} =")
    console.print(np.array2string(np.asarray(arr), precision=4, suppress_small=True))
