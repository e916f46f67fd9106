"""forms.registry_coded: the code-scored instruments' table (score labels en/zh_CN, ranges, units,
MIDs, export names, layout, order) as it reaches exports and screens, and its scorer hooks
(issue 18: mutation testing; the table is pinned in tests/fixtures/registry/coded_table.json,
reviewed against sf36.md and symptoms.md: a changed label or MID must change that file too)."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from forms import csc, registry_coded, sf36
from forms.registry_coded import CODED, PRIMARY_SCORINGS

TABLE = json.loads((Path(__file__).parent / "fixtures" / "registry" / "coded_table.json")
                   .read_text(encoding="utf-8"))


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, frozenset):
        return sorted(v)
    if hasattr(v, "items"):
        return {k: _plain(x) for k, x in v.items()}
    return v


@pytest.mark.parametrize("iid", ["rand36", "csc"])
def test_the_coded_table_as_pinned(iid):
    got = {k: _plain(v) for k, v in CODED[iid].items() if k not in ("scorer", "alerter")}
    want = TABLE[iid]
    assert list(got) == list(want)
    for key in want:
        if key == "scores":
            for g, w in zip(got[key], want[key], strict=True):
                assert g == w, w["name"]
        else:
            assert got[key] == want[key], key


def test_the_primary_scorings_as_pinned():
    assert _plain(PRIMARY_SCORINGS) == TABLE["primary_scorings"]


def test_sf36_scores_grouped_by_algorithm():
    codes = {col: 1 for col in sf36.BATCH_INPUT_COLUMNS}          # q1..q36
    got = CODED["rand36"]["scorer"](codes)
    flat = sf36.score_all(codes)
    assert set(got) == {sf36.RAND36_ALGORITHM, sf36.SF36V1_ALGORITHM}
    assert got[sf36.RAND36_ALGORITHM] == {k: flat[k] for k in sf36.RAND_KEYS}
    assert got[sf36.SF36V1_ALGORITHM] == {k: flat[k] for k in sf36.SF36_KEYS}


def _csc(**given: int) -> dict[str, int]:
    return {i: given.get(i, 0) for i in csc.ITEM_IDS if i in csc.SCORED_ITEMS} | {
        k: v for k, v in given.items() if k not in csc.SCORED_ITEMS}


def test_csc_scorer_passes_baseline_and_previous():
    score = CODED["csc"]["scorer"]
    now, base = _csc(C1=1), _csc(C1=4, C2=4)
    want = csc.score_csc({i: now.get(i) for i in csc.ITEM_IDS},
                         baseline={i: base.get(i) for i in csc.ITEM_IDS},
                         previous={i: base.get(i) for i in csc.ITEM_IDS})
    got = score(now, baseline=base, previous=base)
    assert got == {want.algorithm: want.values()}
    assert got[csc.ALGORITHM_ID]["rss_change"] == pytest.approx(-7.0)
    alone = score(now)[csc.ALGORITHM_ID]
    assert "rss_change" not in alone and alone["rss"] == 1            # no baseline: no change
    # an item left out of the codes is unanswered (None), not an error
    assert score({"C1": 2})[csc.ALGORITHM_ID]["rss"] == score(
        {i: (2 if i == "C1" else None) for i in csc.ITEM_IDS})[csc.ALGORITHM_ID]["rss"]


def test_csc_alerter_compares_with_the_previous_answers():
    alerter = CODED["csc"]["alerter"]
    before, now = _csc(C1=0), _csc(C1=3)
    want = csc.alert_findings({i: now.get(i) for i in csc.ITEM_IDS},
                              {i: before.get(i) for i in csc.ITEM_IDS})
    assert alerter(now, before) == want and want
    assert alerter(now) == csc.alert_findings({i: now.get(i) for i in csc.ITEM_IDS}, None)
    assert alerter(now) != want


def test_the_score_tables_as_built():
    """The builders run again inside a test (CODED is built at import, which mutation testing
    cannot map to a test)."""
    assert _plain(registry_coded._sf36_defs()) == TABLE["rand36"]["scores"]
    assert _plain(registry_coded._csc_defs()) == TABLE["csc"]["scores"]


def test_csc_scorer_compares_with_the_previous_visit():
    score = CODED["csc"]["scorer"]
    now, before = _csc(C1=3), _csc(C1=0)
    worse = score(now, previous=before)[csc.ALGORITHM_ID]
    assert (worse["alert"], worse["alert_reasons"]) == ("amber", ["C1+3_vs_previous"])
    alone = score(now)[csc.ALGORITHM_ID]
    assert (alone["alert"], alone["alert_reasons"]) == ("", [])
