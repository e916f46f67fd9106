"""Column-wise fast path of the SF-36/RAND-36 batch scorer (100 000 rows in well under a second).

Every scale score depends only on *how many* of the scale's answered items give each (RAND recode,
Ware final value) pair, because both scorings are an exactly rounded (``math.fsum``) mean or
imputed sum of per-item values; so a reversed item groups with its mirror item (item 26 coded 1
gives the same pair as item 24 coded 6). Each item's code is mapped to a mixed-radix weight, the
weights of a scale's items are added (the cells of up to three items are looked up at once, as one
tuple, in C-level ``map`` calls), and the sum is the key of a table that
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


def _value_pairs(item: int) -> dict[int, tuple[float, float]]:
    """precode -> (RAND recode, Ware final value) of one item (not item 22)."""
    return {c: (sf36.RAND_RECODE[item][c], sf36.WARE_FINAL[item][c])
            for c in sorted(sf36.VALID_CODES[item])}


def _group_signature(item: int) -> object:
    """Items share a group when their answers give the same set of (RAND, Ware) value pairs,
    whatever the precode: a reversed item (DOWN6/REV6) groups with its mirror (UP6/AS_IS6),
    because both scale scores are exactly rounded sums (``math.fsum``) of those values."""
    if item in (21, 22):
        return ("own", item)
    return tuple(sorted(_value_pairs(item).values()))


class _ChunkWeights(dict):
    """``(cell of item a, cell of item b, ...) -> weight sum`` for a few items, filled lazily
    (at most 7**3 entries); an invalid cell raises KeyError like the per-item weights."""

    def __init__(self, items: tuple[int, ...], weights: dict[int, dict[str, int]]) -> None:
        super().__init__()
        self.items = items
        self.item_weights = [weights[i] for i in items]

    def __missing__(self, cells: tuple[str, ...]) -> int:
        total = sum(w[c] for w, c in zip(self.item_weights, cells, strict=True))
        self[cells] = total
        return total

    def keys_of(self, columns: list[Sequence[str]]) -> Iterable[int]:
        if len(columns) == 1:
            return map(self.item_weights[0].__getitem__, columns[0])
        return map(self.__getitem__, zip(*columns))


class _ScaleTable(dict):
    """``key -> (rand text, Ware text, T-score text, z*PCS coef, z*MCS coef)``, filled lazily."""

    def __init__(self, scale: str) -> None:
        super().__init__()
        self.scale = scale
        groups: dict[object, list[int]] = {}
        for item in sf36.SCALE_ITEMS[scale]:
            groups.setdefault(_group_signature(item), []).append(item)
        self.groups = list(groups.values())
        # weights[item]: cell text ('' or the precode as text) -> mixed-radix weight; a slot is
        # one (RAND, Ware) value pair of the group, ``codes[item]`` the item's precode for it
        self.weights: dict[int, dict[str, int]] = {}
        self.layout: list[tuple[list[int], list[tuple[dict[int, int], int, int]]]] = []
        w = 1
        for members in self.groups:
            radix = len(members) + 1
            if members[0] in (21, 22):
                by_pair = {c: {members[0]: c} for c in sorted(sf36.VALID_CODES[members[0]])}
            else:
                by_pair = {}
                for item in members:
                    for code, pair in _value_pairs(item).items():
                        by_pair.setdefault(pair, {})[item] = code
                by_pair = dict(sorted(by_pair.items()))
            slots = []
            for codes in by_pair.values():
                slots.append((codes, w, radix))
                w *= radix
            self.layout.append((members, slots))
            for item in members:
                self.weights[item] = {"": 0, **{str(codes[item]): cw for codes, cw, _ in slots}}

        # the scale's items in chunks of up to 3: cells of a chunk (a tuple) -> summed weight
        items = sf36.SCALE_ITEMS[scale]
        self.chunks = [_ChunkWeights(items[i:i + 3], self.weights) for i in range(0, len(items), 3)]

    def answers_for(self, key: int) -> dict[int, int | None]:
        """A representative answer set whose code counts per group encode ``key``."""
        answers: dict[int, int | None] = {}
        for members, slots in self.layout:
            picked: list[dict[int, int]] = []
            for codes, weight, radix in slots:
                picked.extend([codes] * ((key // weight) % radix))
            if len(picked) > len(members):
                raise KeyError(key)
            for n, item in enumerate(members):
                answers[item] = picked[n][item] if n < len(picked) else None
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
        parts = [chunk.keys_of([col(i) for i in chunk.items]) for chunk in table.chunks]
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
