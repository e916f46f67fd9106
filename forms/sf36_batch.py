"""Column-wise fast path of the SF-36/RAND-36 batch scorer (100 000 rows in well under a second).

Every scale score depends only on *how many* of the scale's items carry each precode within groups
of items that share the same recode tables (RAND and Ware), because both scorings are a mean or an
imputed sum of per-item values. So each item's code is mapped to a mixed-radix weight, the weights
of a scale's items are added (one C-level ``map`` per item), and the sum is the key of a table that
holds the finished output text for that scale. The table is filled on first use by calling the
reference functions of ``forms.sf36`` on a representative set of answers with the same counts, so
the fast path cannot disagree with them (and tests check that it does not). Items 21 and 22 are
groups of their own (item 22's Ware value depends on item 21), as is item 1 (recalibrated).

PCS/MCS are exactly rounded sums (``math.fsum``) of the per-scale products z*coefficient, which are
stored in the tables, so summation order cannot change a bit.
"""
from __future__ import annotations

import math
import operator
from functools import reduce
from itertools import repeat
from operator import itemgetter
from typing import Iterable, Mapping, Sequence

from forms import sf36

_NAN = float("nan")


def fmt(value: float | None) -> str:
    """CSV text of a score: full ``repr`` precision, empty when not computable."""
    return "" if value is None else repr(value)


def _group_signature(item: int) -> object:
    if item in (21, 22):
        return ("own", item)
    return (tuple(sorted(sf36.RAND_RECODE[item].items())),
            tuple(sorted(sf36.WARE_FINAL[item].items())))


class _ScaleTable(dict):
    """``key -> (rand text, Ware text, T-score text, z*PCS coef, z*MCS coef)``, filled lazily."""

    def __init__(self, scale: str) -> None:
        super().__init__()
        self.scale = scale
        groups: dict[object, list[int]] = {}
        for item in sf36.SCALE_ITEMS[scale]:
            groups.setdefault(_group_signature(item), []).append(item)
        self.groups = list(groups.values())
        # weights[item]: cell text ('' or the precode as text) -> mixed-radix weight
        self.weights: dict[int, dict[str, int]] = {}
        self.layout: list[tuple[list[int], list[tuple[int, int, int]]]] = []
        w = 1
        for members in self.groups:
            radix = len(members) + 1
            codes = sorted(sf36.VALID_CODES[members[0]])
            slots = []
            for code in codes:
                slots.append((code, w, radix))
                w *= radix
            self.layout.append((members, slots))
            for item in members:
                self.weights[item] = {"": 0, **{str(code): cw for code, cw, _ in slots}}

    def answers_for(self, key: int) -> dict[int, int | None]:
        """A representative answer set whose code counts per group encode ``key``."""
        answers: dict[int, int | None] = {}
        for members, slots in self.layout:
            codes: list[int] = []
            for code, weight, radix in slots:
                codes.extend([code] * ((key // weight) % radix))
            if len(codes) > len(members):
                raise KeyError(key)
            for item, code in zip(members, codes + [None] * (len(members) - len(codes))):
                answers[item] = code
        return answers

    def __missing__(self, key: int) -> tuple[str, str, str, float, float]:
        clean = self.answers_for(key)
        r = sf36.rand_scale(self.scale, clean)
        v = sf36.ware_scale(self.scale, clean)
        if v is None:
            rec = (fmt(r), "", "", _NAN, _NAN)
        else:
            z = sf36.z_score(self.scale, v)
            rec = (fmt(r), fmt(v), fmt(sf36.t_score(self.scale, v)),
                   z * sf36.PCS_COEF[self.scale], z * sf36.MCS_COEF[self.scale])
        self[key] = rec
        return rec


_TABLES: dict[str, _ScaleTable] = {}
_HT_TEXT = {"": "", **{str(c): fmt(v)
                      for c, v in sf36.RAND_RECODE[sf36.HEALTH_CHANGE_ITEM].items()}}


def _table(scale: str) -> _ScaleTable:
    if scale not in _TABLES:
        _TABLES[scale] = _ScaleTable(scale)
    return _TABLES[scale]


_NAN_AS_EMPTY = {"nan": ""}


def _summary_texts(part_sums: Iterable[float]) -> Iterable[str]:
    """``repr(50 + 10 * sum)`` for each sum, empty for NaN (a scale missing), all in C."""
    texts = list(map(repr, map(operator.add, map(operator.mul, part_sums, repeat(10.0)),
                               repeat(50.0))))
    return map(_NAN_AS_EMPTY.get, texts, texts)


def score_columns(columns: Mapping[str, Sequence[str]], n_rows: int) -> list[Iterable[str]]:
    """Output columns ``BATCH_OUTPUT_COLUMNS[1:]`` as iterables of text, one entry per row.

    ``columns`` maps ``q1``…``q36`` to sequences of cell text, each ``""`` (not answered) or a
    valid precode written plainly (``"3"``); absent keys = not answered. The batch reader
    validates and canonicalises cells; it may also pass raw cells first, so any other cell
    raises KeyError here, before anything is returned (every lookup of cells is eager).
    """
    blank = ("",) * n_rows

    def col(item: int) -> Sequence[str]:
        return columns.get(f"q{item}", blank)

    records = {}
    for scale in sf36.SCALES:
        table = _table(scale)
        parts = [map(table.weights[i].__getitem__, col(i)) for i in sf36.SCALE_ITEMS[scale]]
        keys = reduce(lambda a, b: map(operator.add, a, b), parts)
        records[scale] = list(map(table.__getitem__, keys))
    out: list[Iterable[str]] = [map(itemgetter(0), records[s]) for s in sf36.SCALES]
    out.append(list(map(_HT_TEXT.__getitem__, col(sf36.HEALTH_CHANGE_ITEM))))
    out.extend(map(itemgetter(1), records[s]) for s in sf36.SCALES)
    pcs = map(math.fsum, zip(*(map(itemgetter(3), records[s]) for s in sf36.SCALES)))
    mcs = map(math.fsum, zip(*(map(itemgetter(4), records[s]) for s in sf36.SCALES)))
    out.append(_summary_texts(pcs))
    out.append(_summary_texts(mcs))
    out.extend(map(itemgetter(2), records[s]) for s in sf36.SCALES)
    return out
