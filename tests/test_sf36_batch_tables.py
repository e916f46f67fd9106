"""The SF-36 batch fast path (forms/sf36_batch.py) against the reference functions of forms.sf36,
exhaustively: every answer pattern (each item missing or any valid code) of every scale but PF
(4**10 patterns; PF's ten items share one recode table and are covered by the property tests).

The fast path groups items by their (RAND recode, Ware final value) pairs, so a reversed item
shares a group with its mirror item, and looks up the cells of up to three items at once; a wrong
grouping or chunk weight shows up here as a different score text."""
from __future__ import annotations

import itertools

import pytest

from forms import sf36, sf36_batch
from forms.sf36_batch import fmt, score_columns

OUT = list(sf36.BATCH_OUTPUT_COLUMNS[1:])


@pytest.fixture(autouse=True)
def _fresh_tables(monkeypatch):
    """Each test builds the lookup tables itself (mutation testing maps tests to the code they
    run; a table cached by an earlier test would hide it)."""
    monkeypatch.setattr(sf36_batch, "_TABLES", {})


@pytest.mark.parametrize("scale", [s for s in sf36.SCALES if s != "pf"])
def test_every_answer_pattern_of_a_scale_scores_as_the_reference(scale):
    items = sf36.SCALE_ITEMS[scale]
    patterns = list(itertools.product(*([None, *sorted(sf36.VALID_CODES[i])] for i in items)))
    columns = {f"q{i}": ["" if p[k] is None else str(p[k]) for p in patterns]
               for k, i in enumerate(items)}
    out = dict(zip(OUT, (list(c) for c in score_columns(columns, len(patterns)))))
    for row, pattern in enumerate(patterns):
        clean = dict.fromkeys(sf36.ITEMS) | dict(zip(items, pattern))
        ware = sf36.ware_scale(scale, clean)
        assert out[f"rand_{scale}"][row] == fmt(sf36.rand_scale(scale, clean)), pattern
        assert out[f"sf36_{scale}"][row] == fmt(ware), pattern
        assert out[f"sf36_{scale}_t"][row] == fmt(sf36.t_score(scale, ware)), pattern


@pytest.mark.parametrize("cell", ["7", "0", "2.0", " 2", "x"])
@pytest.mark.parametrize("item", [3, 21, 24, 26, 33])
def test_a_cell_that_is_not_a_plain_valid_code_raises_key_error(item, cell):
    columns = {f"q{i}": ["1", "1"] for i in sf36.ITEMS}
    columns[f"q{item}"] = ["1", cell]
    with pytest.raises(KeyError):
        score_columns(columns, 2)
