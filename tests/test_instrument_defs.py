"""forms.instrument_defs: score labels per language, SDTM test codes, recall intervals, item test
codes and an entry's helpers (issue 18: mutation testing of forms/instrument_defs.py)."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from forms.instrument_defs import ExportNames, ScoreDef, recall_evlint
from forms.registry import registry

FIXTURES = Path(__file__).parent / "fixtures" / "instruments"


def test_score_text_per_language():
    d = ScoreDef("x_total", "total", "Total", "float", "alg", "x", labels={"zh_CN": "总分"})
    assert d.text() == "Total" and d.text("zh_CN") == "总分" and d.text("fr") == "Total"


@pytest.mark.parametrize("name, testcd", [
    ("rand_pf", "RANDPF"), ("csc_rss_change", "CSCRSSCH"), ("csc_responder_exploratory",
                                                            "CSCRESP"),
    ("fat_n_severe", "FATNSEVE"), ("ab_cd", "ABCD")])
def test_sdtm_testcd(name, testcd):
    assert ScoreDef(name, "k", "L", "float", "a", "i").sdtm_testcd == testcd


@pytest.mark.parametrize("text, evlint", [
    ("past 7 days", "-P7D"), ("the past 4 weeks", "-P4W"), ("One year ago", "-P1Y"),
    ("a month", "-P1M"), ("past 12 Months", "-P12M"), ("today", None), ("", None),
    ("7days", None), ("17 days", "-P17D")])
def test_recall_evlint(text, evlint):
    assert recall_evlint(text) == evlint


def test_recall_evlint_of_nothing():
    assert recall_evlint(None) is None                       # type: ignore[arg-type]


@pytest.mark.parametrize("numbers, item, testcd", [
    (True, "q1", "R36Q01"), (True, "Q36", "R36Q36"), (True, "qx", "R36QQX"),
    (True, "x1", "R36QX1"), (True, "X1", "R36QX1"), (False, "q1", "R36QQ1"),
    (True, "q-1", "R36QQ1"),
    (False, "C2b", "R36QC2B"), (False, "long_item_id", "R36QLONG")])
def test_item_testcd(numbers, item, testcd):
    assert ExportNames("r", "R36Q", "CAT", sdtm_item_numbers=numbers).item_testcd(item) == testcd


def test_entry_helpers(tmp_path):
    shutil.copy(FIXTURES / "fat5.json", tmp_path / "fat5.json")    # a registry of its own
    reg = registry((tmp_path,))
    fat5 = reg.get("fat5")
    assert fat5.name() == "Fatigue five" and fat5.name("zh_CN") == "疲劳五项"
    assert fat5.name("fr") == "Fatigue five"
    assert replace(fat5, short_name={}).name("zh_CN") == "fat5"
    assert fat5.algorithm_ids() == ("fat5-0.9",)
    assert fat5.instrument().item_ids == ("F1", "F2", "F3", "F4", "F5")     # from its folder
    assert fat5.algorithm_version("fat5-0.9") == "0.9"
    assert fat5.algorithm_version("zz") == "1.0"
    assert fat5.evlint == "-P7D"                              # "past 7 days"
    assert replace(fat5, recall_period={"en": "now"}).evlint is None
    assert replace(fat5, recall_period={"zh_CN": "过去7天"},
                   export=replace(fat5.export, evlint="-P2W")).evlint == "-P2W"
    assert reg.get("rand36").evlint == "-P4W"
    unscored = replace(fat5, scorer=None, alerter=None)
    assert unscored.score({"F1": 1}) == {} and unscored.alert_findings({"F5": 4}) == ()


def test_entry_score_passes_baseline_and_previous():
    csc = registry().get("csc")
    calls = []
    spy = replace(csc, scorer=lambda codes, **kw: calls.append((codes, kw)) or {"a": {}},
                  alerter=lambda codes, previous: calls.append((codes, previous)) or ())
    assert spy.score({"C1": 1}, baseline={"C1": 2}, previous={"C1": 3}) == {"a": {}}
    assert spy.alert_findings({"C1": 1}, {"C1": 0}) == ()
    assert calls == [({"C1": 1}, {"baseline": {"C1": 2}, "previous": {"C1": 3}}),
                     ({"C1": 1}, {"C1": 0})]
