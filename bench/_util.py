"""Small helpers shared by the benchmarks: timing, medians, a printed table."""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    view: str
    ours_s: float
    floor_s: float
    floor: str
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_s / self.floor_s


def free_port() -> int:
    """A free TCP port on the loopback interface, for a server the bench starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def median_time(fn: Callable[[], object], *, repeats: int = 7, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def print_table(rows: list[Row], device: str) -> None:
    print(f"\ndevice: {device}")
    header = f"{'view':<44} {'ours':>10} {'floor':>10} {'ratio':>7}  floor / goal"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r.view:<44} {_fmt(r.ours_s):>10} {_fmt(r.floor_s):>10} {r.ratio:>6.2f}×  {r.floor}"
              + (f" / goal {r.goal}" if r.goal else ""))


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
