"""Descriptive statistics and the Kaplan–Meier estimator — pure functions, stdlib only."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Describe:
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    q1: float | None
    q3: float | None


def describe(values: Iterable[float]) -> Describe:
    """n, mean, SD (n-1), median and IQR (quartiles by the 'inclusive' method, as R type 7)."""
    xs = sorted(float(v) for v in values)
    n = len(xs)
    if n == 0:
        return Describe(0, None, None, None, None, None)
    mean = statistics.fmean(xs)
    sd = statistics.stdev(xs) if n > 1 else None
    if n > 1:
        q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    else:
        q1 = q3 = xs[0]
    return Describe(n, mean, sd, statistics.median(xs), q1, q3)


@dataclass(frozen=True)
class KmStep:
    time: float          # event time
    at_risk: int         # number at risk just before ``time``
    events: int          # deaths at ``time``
    censored: int        # censored at ``time`` (after the events)
    survival: float      # S(t) just after ``time``


def kaplan_meier(times: Sequence[float], events: Sequence[bool]) -> list[KmStep]:
    """Product-limit estimate: one step per distinct time with an event or a censoring.

    A censoring tied with a death counts as at risk at that time (the usual convention)."""
    pairs = sorted(zip(times, events))
    at_risk = len(pairs)
    surv = 1.0
    out: list[KmStep] = []
    i = 0
    while i < len(pairs):
        t = pairs[i][0]
        d = c = 0
        while i < len(pairs) and pairs[i][0] == t:
            d, c = (d + 1, c) if pairs[i][1] else (d, c + 1)
            i += 1
        if d:
            surv *= 1.0 - d / at_risk
        out.append(KmStep(t, at_risk, d, c, surv))
        at_risk -= d + c
    return out


def survival_at(steps: Sequence[KmStep], t: float) -> float:
    """S(t): the estimate after the last step at or before ``t`` (1 before the first)."""
    s = 1.0
    for st in steps:
        if st.time > t:
            break
        s = st.survival
    return s


def at_risk_at(times: Sequence[float], t: float) -> int:
    """Number at risk at ``t``: follow-up time ≥ t."""
    return sum(1 for x in times if x >= t)
