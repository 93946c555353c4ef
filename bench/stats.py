"""Figures the benchmarks print."""

from __future__ import annotations


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.5: the median, 0.99: p99) of `values`, nearest rank; NaN when empty
    (a run that measured nothing prints "nan", not a crash after minutes of load)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
