"""The planner: chooses an engine for each call, and can say why.

``choose(problem, method)`` returns a :class:`Plan`. ``method="auto"`` applies the cost
model; any engine name forces that engine (an error if it cannot run the problem).
"""

from __future__ import annotations

from dataclasses import dataclass

from .engines import ENGINES, Problem


@dataclass(frozen=True)
class Plan:
    """Which engine runs a call, and why."""

    engine: str
    reason: str

    def __str__(self) -> str:
        return f"{self.engine}: {self.reason}"


def methods() -> tuple[str, ...]:
    return ("auto", *ENGINES)


def choose(p: Problem, method: str = "auto") -> Plan:
    if not isinstance(method, str) or method not in methods():
        raise ValueError(f"`method` must be one of {methods()}; got {method!r}")
    if method != "auto":
        if not ENGINES[method].supports(p):
            raise ValueError(f"`method`={method!r} cannot run this problem")
        return Plan(method, "forced by method=")
    return Plan("numpy", "default vectorised engine")
