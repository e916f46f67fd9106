"""Contract over every shipped instrument, the rand36 file against the spec's item bank, and the
drop-in translation mechanism (fixture translation in tests/fixtures/instruments/)."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from forms import batch
from forms.errors import InstrumentError
from forms.instrument import (INSTRUMENT_DIR, INSTRUMENTS_DIR_ENV, available_instruments,
                              load_instrument, localize)
from forms.registry import registry
from main import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instruments"
SHIPPED = available_instruments()


def test_both_instruments_are_shipped():
    assert {"rand36", "csc"} <= set(SHIPPED)


@pytest.mark.parametrize("iid", SHIPPED)
def test_loads_with_text_in_every_declared_language(iid):
    inst = load_instrument(iid)
    assert inst.id == iid and inst.version and inst.items
    for lang in inst.languages:
        loc = localize(inst, lang)
        assert not loc.fallback and loc.title().strip()
        for item in inst.items:
            assert item.text.get(lang, "").strip(), (iid, item.id, lang)
            if item.stem is not None:
                assert item.stem.get(lang, "").strip(), (iid, item.id, lang, "stem")
            for code, label in loc.options(item):
                assert label.strip(), (iid, item.id, lang, code)


@pytest.mark.parametrize("iid", SHIPPED)
def test_every_response_code_scores_through_the_batch_hook(iid):
    inst = load_instrument(iid)
    module = batch.scorer_for(iid)
    valid = batch.valid_codes_by_column(module)
    scored_ids = [it.id for it in inst.items if it.scored]
    assert set(scored_ids) <= set(module.BATCH_INPUT_COLUMNS)
    for item in inst.items:
        if item.id not in valid:
            continue
        codes = set(inst.options_for(item).codes)
        assert codes == set(valid[item.id]), item.id  # file and scorer agree on the options
        for code in sorted(codes):
            result = module.score_batch_row({item.id: code})
            assert set(module.BATCH_OUTPUT_COLUMNS[1:]) <= set(result), (item.id, code)


def _copy(iid: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(INSTRUMENT_DIR / f"{iid}.json", dest / f"{iid}.json")
    return dest


@pytest.mark.parametrize("iid", SHIPPED)
def test_content_hash_stable_and_sensitive_to_wording(iid, tmp_path):
    a = load_instrument(iid, _copy(iid, tmp_path / "a"))
    b = load_instrument(iid, _copy(iid, tmp_path / "b"))
    assert a.content_hash == b.content_hash == load_instrument(iid).content_hash
    assert len(a.content_hash) == 64
    changed = _copy(iid, tmp_path / "c") / f"{iid}.json"
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["items"][0]["text"]["en"] += " now"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_instrument(iid, changed.parent).content_hash != a.content_hash


# --- rand36 against the spec ---------------------------------------------------------------------

def test_rand36_matches_the_item_bank(spec_dir):
    inst = load_instrument("rand36")
    with open(spec_dir / "rand36_items.csv", encoding="utf-8", newline="") as f:
        bank = list(csv.DictReader(f))
    assert len(bank) == len(inst.items) == 36
    assert inst.version == "1.0" and inst.languages == ("en", "zh_CN")
    for row, item in zip(bank, inst.items):
        n = int(row["item"])
        assert (item.id, item.number) == (f"q{n}", n)
        assert item.text["en"] == row["text"]
        assert (item.stem or {}).get("en", "") == row["stem"]
        assert item.meta["scale"] == row["scale"] and item.meta["sf36_label"] == row["sf36_label"]
        options = [tuple(p.split("=", 1)) for p in row["options_precode=label"].split("|")]
        assert [(str(c), lab) for c, lab in localize(inst, "en").options(item)] == options
        assert item.scored


def test_rand36_title_instruction_and_credit():
    loc = localize(load_instrument("rand36"), "en")
    assert loc.title() == "RAND 36-Item Health Survey 1.0"
    assert loc.intro() == "Choose one option for each questionnaire item."
    assert "developed at RAND as part of the Medical Outcomes Study" in loc.credit()
    assert "4 weeks" in loc.recall_period()


def test_rand36_stems_group_the_grids():
    inst = load_instrument("rand36")
    groups: dict[str, list[int]] = {}
    for item in inst.items:
        if item.stem_id:
            groups.setdefault(item.stem_id, []).append(item.number)
    assert sorted(groups.values()) == [list(range(3, 13)), list(range(13, 17)),
                                       list(range(17, 20)), list(range(23, 32)),
                                       list(range(33, 37))]
    assert len(inst.options_for("q32").codes) == 5 and len(inst.options_for("q31").codes) == 6


# --- translation mechanism -----------------------------------------------------------------------

@pytest.fixture
def with_translation(tmp_path) -> Path:
    d = _copy("rand36", tmp_path / "site")
    shutil.copy(FIXTURES / "rand36.zh_CN.json", d / "rand36.zh_CN.json")
    return d


def test_translation_file_adds_chinese(with_translation):
    inst = load_instrument("rand36", with_translation)
    assert "zh_CN" in inst.languages
    loc = localize(inst, "zh_CN")
    assert not loc.fallback and loc.shown_language == "zh_CN"
    assert loc.text("q1") == "总体来说，您认为您的健康状况："
    assert loc.options("q1")[0] == (1, "极好")
    assert "限制" in loc.stem("q3")
    assert inst.hash_for("zh_CN") != inst.content_hash
    assert inst.hash_for("en") == inst.content_hash == load_instrument("rand36").content_hash
    # English is untouched by the overlay
    assert localize(inst, "en").text("q1") == "In general, would you say your health is:"


def test_missing_translation_falls_back_to_english_with_notice(tmp_path):
    loc = localize(load_instrument("rand36", _copy("rand36", tmp_path / "en_only")), "zh_CN")
    assert loc.fallback and loc.shown_language == "en"
    assert loc.text("q1") == "In general, would you say your health is:"
    assert loc.options("q1")[0] == (1, "Excellent")


def test_broken_translation_json_is_a_clear_error(with_translation):
    (with_translation / "rand36.zh_CN.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"rand36\.zh_CN\.json: not valid UTF-8 JSON"):
        load_instrument("rand36", with_translation)


def test_incomplete_translation_is_a_clear_error(with_translation):
    path = with_translation / "rand36.zh_CN.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["items"]["q36"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"rand36\.zh_CN\.json: no text for items \['q36'\]"):
        load_instrument("rand36", with_translation)


def test_translation_for_another_version_is_rejected(with_translation):
    path = with_translation / "rand36.zh_CN.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = "2.0"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match="version 2.0"):
        load_instrument("rand36", with_translation)


@pytest.mark.parametrize("field, value, needle", [
    ("items", ["q1", "q2"], "'items' must be an object"),
    ("stems", {"activities": 3}, "'stems' must be an object"),
    ("response_sets", {"yes_no": ["是", "否"]}, "'response_sets' must be an object"),
    ("language", "fr", "declares language 'fr'"),
])
def test_malformed_translation_structure_is_a_clear_error(with_translation, field, value, needle):
    """Wrong shapes give InstrumentError naming the file, not a TypeError deep in the loader."""
    path = with_translation / "rand36.zh_CN.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[field] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match="rand36.zh_CN.json") as exc:
        load_instrument("rand36", with_translation)
    assert needle in str(exc.value)


# --- every registered instrument, through the registry (the made-up fat5 included) -------------

REG = registry((FIXTURES,))
ALL = REG.ids()


def _vectors(entry) -> list[dict[str, str]]:  # noqa: ANN001
    """``<id>.vectors.csv`` beside the instrument file, else in tests/fixtures/instruments/
    (rand36: the published vectors of sf36.md, copied)."""
    path = entry.directory / f"{entry.id}.vectors.csv"
    if not path.is_file():
        path = FIXTURES / f"{entry.id}.vectors.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_registry_holds_the_shipped_and_the_made_up_instrument():
    assert {"rand36", "csc", "fat5"} <= set(ALL)
    assert "fat5" not in registry().ids()          # only with the extra folder
    assert REG.default_battery()[:3] == ("rand36", "csc", "fat5")


@pytest.mark.parametrize("iid", ALL)
def test_entry_matches_its_file_and_renders_in_every_language(iid):
    e = REG.get(iid)
    inst = e.instrument()
    assert (e.version, e.n_items, e.languages) == (inst.version, len(inst.items), inst.languages)
    for lang in inst.languages:
        loc = localize(inst, lang)
        assert not loc.fallback and loc.title().strip() and e.name(lang).strip()
        for item in inst.items:
            assert loc.text(item).strip() and all(lab.strip() for _, lab in loc.options(item))


@pytest.mark.parametrize("iid", ALL)
def test_score_definitions_are_complete_and_export_names_unique(iid):
    e = REG.get(iid)
    algorithms = set(e.algorithm_ids())
    for d in e.scores:
        assert d.instrument == iid and d.algorithm in algorithms
        assert d.type in ("float", "integer", "text", "boolean") and d.label.strip()
        assert d.text("en").strip() and d.text("zh_CN").strip()
    names = [d.name for x in REG for d in x.scores]
    assert len(names) == len(set(names))
    codes = [d.sdtm_testcd for x in REG for d in x.scores] + [
        x.export.item_testcd(i) for x in REG for i in x.instrument().item_ids]
    assert len(codes) == len(set(codes)) and all(len(c) <= 8 for c in codes)


@pytest.mark.parametrize("iid", ALL)
def test_golden_vectors_score_as_written(iid):
    e = REG.get(iid)
    vectors = _vectors(e)
    if e.scorer is None:
        pytest.skip("not scored")
    assert vectors, f"{iid}: a scored instrument needs {iid}.vectors.csv (golden vectors)"
    items = e.instrument().item_ids
    for row in vectors:
        codes = {i: int(row[i]) if row.get(i) else None for i in items}
        got = e.score(codes)
        for col, want in row.items():
            if ":" not in col:
                continue
            alg, key = col.split(":")
            value = got[alg][key]
            if want in ("", "NA"):                    # not computable
                assert value in (None, ""), (row["id"], col, value)
            elif key == "alert":
                assert value == want, (row["id"], col)
            else:
                assert value == pytest.approx(float(want), abs=5e-5), (row["id"], col, value)


def test_a_broken_scoring_object_names_its_path(tmp_path):
    data = json.loads((FIXTURES / "fat5.json").read_text(encoding="utf-8"))
    data["scoring"]["scores"][1]["items"] = ["F1", "F9"]
    (tmp_path / "fat5.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"fat5\.json: scoring\.scores\[1\]\.items"):
        registry((tmp_path,))


def test_instruments_list_cli_shows_every_registered_instrument(monkeypatch, capsys):
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES))
    assert main(["instruments", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"rand36", "csc", "fat5"} <= set(rows)
    fat5 = rows["fat5"]
    assert (fat5["version"], fat5["items"], fat5["languages"]) == ("0.9", 5, ["en", "zh_CN"])
    total = next(s for s in fat5["scores"] if s["key"] == "total")
    assert (total["name"], total["algorithm"], total["min"], total["max"], total["mid"],
            total["higher_is_better"]) == ("fat_total", "fat5-0.9", 0, 20, 2, False)
    assert total["label"] == {"en": "Fatigue total (0-20)", "zh_CN": "疲劳总分（0-20）"}
    assert rows["rand36"]["items"] == 36 and len(rows["rand36"]["scores"]) == 27
    assert main(["instruments", "list"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].split() == ["id", "version", "items", "languages", "scores"]
    assert any(ln.startswith("fat5") and "fat_total" in ln for ln in text)


def test_score_cli_scores_a_data_instrument_from_its_file(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES))
    src = tmp_path / "fat5.csv"
    src.write_text("id,F1,F2,F3,F4,F5\na,1,2,3,4,0\nb,2,2,2,,2\nc,4,4,4,4,9\n", encoding="utf-8")
    assert main(["score", "--instrument", "fat5", str(src)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["id,total,mean,n_severe,alert", "a,10.0,2.0,2,",
                                "b,10.0,2.0,0,", "c,20.0,4.0,4,"]
    assert "row 'c' (line 4): F5 '9': invalid code" in err


def test_a_data_score_without_words_is_refused(tmp_path):
    data = json.loads((FIXTURES / "fat5.json").read_text(encoding="utf-8"))
    del data["scoring"]["scores"][2]["label"]
    (tmp_path / "fat5.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"fat5\.json: scoring\.scores\[2\]\.label"):
        registry((tmp_path,))
