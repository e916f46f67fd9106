"""forms.registry in detail: look-ups and their errors, defaults of a data instrument's entry
(export names, order, scores, alert), the cache, item labels and visit batteries (issue 18: mutation
testing of forms/registry.py)."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from forms.errors import InstrumentError
from forms.instrument import INSTRUMENTS_DIR_ENV
from forms import registry as forms_registry
from forms.protocol import load_protocol
from forms.registry import (DEFAULT_PRIMARY_SCORING, PRIMARY_SCORING_IDS, Registry,
                            instrument_name, item_label, primary_scoring, registry,
                            visit_battery)

FIXTURES = Path(__file__).parent / "fixtures" / "instruments"
MADEUP = Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json"
FAT5: dict = json.loads((FIXTURES / "fat5.json").read_text(encoding="utf-8"))


def _fat5(tmp_path: Path, edit=None) -> Registry:  # noqa: ANN001
    data = json.loads(json.dumps(FAT5))
    if edit is not None:
        edit(data)
    (tmp_path / "fat5.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return registry((tmp_path,))


@pytest.fixture()
def reg(tmp_path: Path) -> Registry:
    """A registry of its own per test (registries are cached per folder list, and mutation
    testing maps each test to the code it runs)."""
    shutil.copy(FIXTURES / "fat5.json", tmp_path / "fat5.json")
    return registry((tmp_path,))


def test_primary_scoring_options():
    assert PRIMARY_SCORING_IDS == ("rand36", "sf36v1") and DEFAULT_PRIMARY_SCORING == "rand36"
    assert primary_scoring("sf36v1").id == "sf36v1"
    assert primary_scoring(None).id == primary_scoring("nope").id == "rand36"


def test_lookups(reg):
    assert reg.ids() == ("csc", "fat5", "rand36") and len(reg) == 3
    assert [e.id for e in reg] == ["csc", "fat5", "rand36"]
    assert "fat5" in reg and "zz" not in reg
    assert reg.find("zz") is None and reg.find("fat5").id == "fat5"
    with pytest.raises(InstrumentError) as info:
        reg.get("zz")
    assert str(info.value) == "unknown instrument 'zz' (registered: csc, fat5, rand36)"
    assert reg.with_layout("scores") == (reg.get("fat5"),)
    assert [e.id for e in reg.with_layout("sf36")] == ["rand36"]
    assert reg.score_defs("zz") == () and reg.score_defs("fat5") == reg.get("fat5").scores


def test_default_battery_by_order_then_id(reg):
    assert reg.default_battery() == ("rand36", "csc", "fat5")          # order 10, 20, 30
    tie = Registry([replace(reg.get("fat5"), order=20), reg.get("rand36"), reg.get("csc")])
    assert tie.default_battery() == ("rand36", "csc", "fat5")          # order 20: by id
    first = Registry([replace(reg.get("fat5"), order=1), reg.get("rand36"), reg.get("csc")])
    assert first.default_battery() == ("fat5", "rand36", "csc")


def test_algorithms(reg):
    assert reg.algorithms()["fat5-0.9"].version == "0.9"
    assert reg.algorithm_version("fat5-0.9") == "0.9" and reg.algorithm_version("zz") == "1.0"
    assert reg.algorithm_name("fat5-0.9") == "Fatigue Five sum and mean"
    assert reg.algorithm_name("fat5-0.9", "zh_CN") == "疲劳五项总分与均分"
    assert reg.algorithm_name("fat5-0.9", "fr") == "Fatigue Five sum and mean"
    assert reg.algorithm_name("zz", "zh_CN") == "zz"


def test_a_data_instruments_entry(reg):
    e = reg.get("fat5")
    assert (e.layout, e.order, e.alert) == ("scores", 30, ("fat5-0.9", "alert"))
    assert (e.export.column_prefix, e.export.sdtm_prefix, e.export.sdtm_category,
            e.export.evlint) == ("fat", "FAT", "FATIGUE FIVE (TEST) 0.9", None)
    assert [(t.series, t.algorithm, t.key) for t in e.trends] == [("fat5_total", "fat5-0.9",
                                                                  "total")]
    assert [(s.name, s.key, s.type, s.minimum, s.maximum, s.unit, s.higher_is_better, s.mid)
            for s in e.scores] == [
        ("fat_total", "total", "float", 0, 20, "points", False, 2),
        ("fat_mean", "mean", "float", 0, 4, None, False, None),
        ("fat_n_severe", "n_severe", "integer", 0, 5, None, None, None),
        ("fat_alert", "alert", "text", None, None, None, None, None)]
    total, alert = e.scores[0], e.scores[-1]
    assert (total.label, dict(total.labels)) == ("Fatigue total (0-20)", {
        "en": "Fatigue total (0-20)", "zh_CN": "疲劳总分（0-20）"})
    assert (alert.label, dict(alert.labels), alert.codes, alert.shown, total.shown) == (
        "Fatigue five alert level", {"en": "Fatigue five alert level"},
        (("red", "Red alert"), ("amber", "Amber alert")), False, True)
    assert {s.algorithm for s in e.scores} == {"fat5-0.9"} and e.instrument().id == "fat5"
    assert e.score({"F1": 1, "F2": 2, "F3": 3, "F4": 4, "F5": 4})["fat5-0.9"]["total"] == 14
    quiet = {"F1": 0, "F2": 0, "F3": 0, "F4": 0, "F5": 4}
    assert [(f.severity, f.item_id) for f in e.alert_findings(quiet)] == [("amber", "F5")]


def test_export_and_order_defaults_and_given_score_type(tmp_path):
    def edit(d: dict) -> None:
        del d["export"], d["order"], d["short_name"], d["trend"], d["scoring"]["alerts"]
        d["scoring"]["scores"][0]["type"] = "integer"
        d["scoring"]["name"] = {"zh_CN": "只有中文"}
        d["no_straightline_blocks"] = ["b1"]
    e = _fat5(tmp_path, edit).get("fat5")
    assert (e.export.column_prefix, e.export.sdtm_prefix, e.export.sdtm_category,
            e.export.evlint) == ("fat5", "FAT5", "FATIGUE FIVE (MADE-UP TEST INSTRUMENT) 0.9",
                                 None)
    assert (e.order, e.alert, e.alerter, e.trends) == (100, None, None, ())
    assert e.no_straightline_blocks == frozenset({"b1"})
    assert dict(e.short_name) == dict(FAT5["title"])                  # no short name: title
    assert e.algorithms[0].name == {"en": "fat5-0.9"}                   # a name without en
    assert [s.name for s in e.scores] == ["fat5_total", "fat5_mean", "fat5_n_severe"]
    assert e.scores[0].type == "integer"


def test_export_evlint_and_an_export_that_is_not_an_object(tmp_path):
    e = _fat5(tmp_path, lambda d: d["export"].update(evlint="-P7D")).get("fat5")
    assert e.export.evlint == "-P7D"
    (tmp_path / "x").mkdir()
    with pytest.raises(InstrumentError) as info:
        _fat5(tmp_path / "x", lambda d: d.update(export=["fat"]))
    assert str(info.value) == "fat5.json: export must be an object"


def test_an_instrument_without_scoring(tmp_path):
    e = _fat5(tmp_path, lambda d: d.pop("scoring") and d.pop("trend")).get("fat5")
    assert (e.scores, e.algorithms, e.scorer, e.alert, e.alerter, e.trends) == (
        (), (), None, None, None, ())


def test_a_trend_of_an_unknown_score(tmp_path):
    with pytest.raises(InstrumentError) as info:
        _fat5(tmp_path, lambda d: d.update(trend=["total", "zz"]))
    assert str(info.value) == "fat5.json: trend: unknown score keys ['zz']"


def test_a_score_label_without_english(tmp_path):
    with pytest.raises(InstrumentError) as info:
        _fat5(tmp_path, lambda d: d["scoring"]["scores"][1].update(label={"zh_CN": "均分"}))
    assert str(info.value) == "fat5.json: scoring.scores[1].label: needs an 'en' text"


def test_the_registry_is_cached_per_folder_list(monkeypatch, tmp_path):
    assert registry() is registry() and registry((FIXTURES,)) is registry((FIXTURES,))
    assert "fat5" not in registry()
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES))
    assert "fat5" in registry() and instrument_name("fat5", "zh_CN") == "疲劳五项"
    monkeypatch.delenv(INSTRUMENTS_DIR_ENV)
    assert instrument_name("fat5") == "fat5"                     # no longer registered


def test_item_labels():
    assert item_label("C1", "en", "csc") == item_label("C1", "en")
    assert item_label("C1", "en", "zz") == item_label("C1", "en") != "C1"
    assert item_label("nope_item", "zh_CN", "csc") == "nope_item"


def test_visit_battery():
    assert visit_battery() == registry().default_battery() == ("rand36", "csc")
    p = load_protocol(MADEUP)
    assert visit_battery("BASE", p) == ("csc",) and visit_battery("S0", p) == ()
    assert visit_battery("NOPE", p) == ()


def test_a_visit_battery_of_an_unregistered_instrument(tmp_path):
    d = json.loads(MADEUP.read_text(encoding="utf-8"))
    d["instruments"].append({"id": "zz", "min_days_between": 1})
    d["visits"][1]["battery"] = ["csc", "zz"]
    (tmp_path / "p.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match="unknown instrument 'zz'"):
        visit_battery("BASE", load_protocol(tmp_path / "p.json"))


def test_an_entry_carries_its_files_fields(reg):
    e = reg.get("fat5")
    assert (e.version, e.n_items, e.languages) == ("0.9", 5, ("en", "zh_CN"))
    assert dict(e.title) == FAT5["title"] and dict(e.credit) == FAT5["credit"]
    assert dict(e.recall_period) == FAT5["recall_period"]
    assert dict(e.short_name) == {"en": "Fatigue five", "zh_CN": "疲劳五项"}
    assert {s.instrument for s in e.scores} == {"fat5"}


def test_a_long_ids_default_sdtm_prefix(tmp_path):
    data = json.loads(json.dumps(FAT5))
    data["id"] = "fatigue"
    del data["export"]
    (tmp_path / "fatigue.json").write_text(json.dumps(data, ensure_ascii=False),
                                           encoding="utf-8")
    e = registry((tmp_path,)).get("fatigue")
    assert (e.export.column_prefix, e.export.sdtm_prefix) == ("fatigue", "FATI")


def test_item_label_of_the_named_instrument_first(tmp_path, monkeypatch):
    for iid, short in (("fat5", "Tired"), ("fat6", "Exhausted")):
        data = json.loads(json.dumps(FAT5))
        data["id"] = iid
        data["items"][0]["short"] = {"en": short, "zh_CN": short}
        (tmp_path / f"{iid}.json").write_text(json.dumps(data, ensure_ascii=False),
                                              encoding="utf-8")
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(tmp_path))
    assert item_label("F1") == "Tired"                                 # first in id order
    assert item_label("F1", "en", "fat6") == "Exhausted"
    assert forms_registry.get("fat6").id == "fat6"
