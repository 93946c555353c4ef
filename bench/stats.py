"""Figures the benchmarks print."""

from __future__ import annotations

from collections import Counter


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.5: the median, 0.99: p99) of `values`, nearest rank; NaN when empty
    (a run that measured nothing prints "nan", not a crash after minutes of load)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def count_by_second(seconds: list[int]) -> str:
    """`[0, 0, 3]` -> "0s: 2, 3s: 1": how many events fell in each second of a run; "-" when none."""
    counts = Counter(seconds)
    return ", ".join(f"{second}s: {counts[second]}" for second in sorted(counts)) or "-"
