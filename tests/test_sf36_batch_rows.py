"""The SF-36 batch fast path (forms/sf36_batch.py) row by row against the reference
``forms.sf36.score_batch_row`` for EVERY output column (RAND and Ware scales, T-scores, health
change, PCS/MCS), on seeded random answer sets with gaps and on the edge rows; the fast path's
lookup tables are rebuilt in each test (a table cached by an earlier test would hide which test
pins its construction from mutation testing)."""
from __future__ import annotations

import random

import pytest

from forms import sf36, sf36_batch
from forms.sf36_batch import fmt, score_columns

OUT = list(sf36.BATCH_OUTPUT_COLUMNS[1:])


@pytest.fixture(autouse=True)
def _fresh_tables(monkeypatch):
    monkeypatch.setattr(sf36_batch, "_TABLES", {})


def _rows(seed: int, n: int, p_missing: float) -> list[dict[int, int | None]]:
    rng = random.Random(seed)
    return [{i: None if rng.random() < p_missing else rng.choice(sorted(sf36.VALID_CODES[i]))
             for i in sf36.ITEMS} for _ in range(n)]


def _edge_rows() -> list[dict[int, int | None]]:
    lo = {i: min(sf36.VALID_CODES[i]) for i in sf36.ITEMS}
    hi = {i: max(sf36.VALID_CODES[i]) for i in sf36.ITEMS}
    return [dict.fromkeys(sf36.ITEMS), lo, hi, {**lo, 21: None}, {**hi, 22: None},
            {**lo, **dict.fromkeys(sf36.SCALE_ITEMS["pf"])}]


def _check(rows: list[dict[int, int | None]]) -> None:
    columns = {f"q{i}": ["" if r[i] is None else str(r[i]) for r in rows] for i in sf36.ITEMS}
    fast = dict(zip(OUT, (list(c) for c in score_columns(columns, len(rows)))))
    assert list(fast) == OUT and all(len(v) == len(rows) for v in fast.values())
    for n, answers in enumerate(rows):
        ref = sf36.score_batch_row({f"q{i}": c for i, c in answers.items()})
        got = {k: fast[k][n] for k in OUT}
        assert got == {k: fmt(ref.get(k)) for k in OUT}, answers


@pytest.mark.parametrize("seed, p_missing", [(1, 0.0), (2, 0.1), (3, 0.3), (4, 0.6)])
def test_random_rows_score_as_the_reference_in_every_column(seed, p_missing):
    _check(_rows(seed, 400, p_missing))


def test_edge_rows_score_as_the_reference():
    _check(_edge_rows())


def test_absent_columns_are_not_answered():
    out = dict(zip(OUT, (list(c) for c in score_columns({"q2": ["3", ""]}, 2))))
    assert out["rand_ht"] == [fmt(sf36.RAND_RECODE[sf36.HEALTH_CHANGE_ITEM][3]), ""]
    assert out["rand_pf"] == out["sf36_pcs"] == out["sf36_mcs"] == ["", ""]


def test_fmt():
    assert (fmt(None), fmt(0.1 + 0.2), fmt(50.0)) == ("", "0.30000000000000004", "50.0")


def test_a_key_no_answer_set_encodes_is_refused():
    pf = sf36_batch._table("pf")        # one group of the ten PF items: weights 1, 11, 121
    assert sum(v is not None for v in pf.answers_for(10).values()) == 10
    with pytest.raises(KeyError) as caught:
        pf.answers_for(10 + 11)         # eleven answers for ten items
    assert caught.value.args == (21,)
