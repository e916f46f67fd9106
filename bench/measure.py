"""Honest measurement helpers (issue 16): every figure beside a floor that does the same work
in the same run, the two INTERLEAVED (ours, floor, ours, floor …) so load on a shared machine
hits both alike, and CPU time beside wall time.

``EPRO_BENCH_QUICK=1`` (``make bench-quick``) makes the cases smaller; ``QUICK`` tells a module.
"""
from __future__ import annotations

import os
import resource
import statistics
import time
from dataclasses import dataclass
from typing import Callable

QUICK = os.environ.get("EPRO_BENCH_QUICK") == "1"


def scaled(full: int, quick: int) -> int:
    return quick if QUICK else full


@dataclass(frozen=True)
class Timing:
    wall_ms: list[float]
    cpu_ms: list[float]

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms)


def _once(fn: Callable[[], object]) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def interleaved(ours: Callable[[], object], floor: Callable[[], object], *, repeat: int = 7,
                warm: int = 1) -> tuple[Timing, Timing]:
    """Run ``ours`` and ``floor`` alternately ``repeat`` times (after ``warm`` untimed runs of
    each); wall and CPU (this process) milliseconds of every run."""
    for _ in range(warm):
        ours()
        floor()
    a: tuple[list[float], list[float]] = ([], [])
    b: tuple[list[float], list[float]] = ([], [])
    for k in range(repeat):
        for fn, acc in ((ours, a), (floor, b)) if k % 2 == 0 else ((floor, b), (ours, a)):
            w, c = _once(fn)
            acc[0].append(w)
            acc[1].append(c)
    return Timing(*a), Timing(*b)


def children_cpu_s() -> float:
    """CPU seconds used by finished child processes so far (user + system)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB: ``VmHWM`` of its own address space.
    ``ru_maxrss`` is not used: on Linux it keeps the parent's RSS at fork across ``exec``, so a
    child started by a bench process that has just made a 1 000-patient database reported that
    process's ~470 MB as its own peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # no /proc: best effort
