"""forms.instrument: every refusal of a malformed instrument or translation names its place exactly,
defaults of an instrument document, folder look-up order and the cache (issue 18: mutation
testing of forms/instrument.py)."""
from __future__ import annotations

import copy
import hashlib
import os
import json
from pathlib import Path
from typing import Any

import pytest

from forms.errors import InstrumentError
from forms.instrument import (BASE_LANGUAGE, INSTRUMENT_DIR, INSTRUMENTS_DIR_ENV,
                              apply_translation, available_instruments, canonical_hash,
                              instrument_dir_of, instrument_dirs, load_instrument,
                              parse_instrument)

L = {"en": "x", "zh_CN": "x"}
DOC: dict[str, Any] = {
    "id": "mini", "version": "2", "languages": ["en", "zh_CN"], "title": {"en": "Mini",
                                                                         "zh_CN": "迷你"},
    "response_sets": {"YN": {"options": [{"code": 0, "label": {"en": "No", "zh_CN": "否"}},
                                         {"code": 1, "label": {"en": "Yes", "zh_CN": "是"}}]}},
    "stems": {"s": {"en": "Stem", "zh_CN": "题干"}},
    "blocks": {"b": {"intro": {"en": "Intro", "zh_CN": "引言"}}},
    "items": [{"id": "A", "text": {"en": "A?", "zh_CN": "甲？"}, "response_set": "YN",
               "stem": "s", "block": "b"},
              {"id": "B", "text": {"en": "B?", "zh_CN": "乙？"}, "response_set": "YN",
               "condition": {"op": "==", "value": 1, "item": "A"}, "scored": False,
               "number": 7, "extra": 5}],
}
TR = {"language": "fr", "title": "Mini fr", "items": {"A": "A fr", "B": "B fr"},
      "stems": {"s": "Tige"}, "response_sets": {"YN": {"0": "Non", "1": "Oui"}}}


def _err(edit, where: str = "mini.json") -> str:  # noqa: ANN001
    d = copy.deepcopy(DOC)
    edit(d)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(d, where)
    return str(info.value)


def _set(path: tuple, value: Any):  # noqa: ANN202
    def edit(d: dict) -> None:
        node = d
        for k in path[:-1]:
            node = node[k]
        if value is KeyError:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return edit


@pytest.mark.parametrize("path, value, message", [
    (("id",), KeyError, "mini.json: missing required field 'id'"),
    (("version",), KeyError, "mini.json: missing required field 'version'"),
    (("response_sets",), KeyError, "mini.json: missing required field 'response_sets'"),
    (("response_sets", "YN", "options"), KeyError,
     "mini.json: response set YN: missing required field 'options'"),
    (("response_sets", "YN", "options", 1, "code"), KeyError,
     "mini.json: response set YN option 1: missing required field 'code'"),
    (("response_sets", "YN", "options", 1, "code"), True,
     "mini.json: response set YN: code True is not an integer"),
    (("response_sets", "YN", "options", 1, "code"), "1",
     "mini.json: response set YN: code '1' is not an integer"),
    (("response_sets", "YN", "options", 1, "label"), KeyError,
     "mini.json: YN/1: missing required field 'label'"),
    (("response_sets", "YN", "options", 1, "label"), {"zh_CN": "是"},
     "mini.json: YN/1 label: no 'en' text"),
    (("response_sets", "YN", "options", 1, "label"), {"en": 1},
     "mini.json: YN/1 label: expected an object of language -> text"),
    (("response_sets", "YN", "options", 1, "label"), ["Yes"],
     "mini.json: YN/1 label: expected an object of language -> text"),
    (("response_sets", "YN", "options", 1, "code"), 0,
     "mini.json: response set YN has duplicate codes"),
    (("response_sets", "YN", "options"), [], "mini.json: response set YN has no options"),
    (("stems", "s"), {"zh_CN": "题干"}, "mini.json: stem s: no 'en' text"),
    (("blocks", "b"), {}, "mini.json: block b: missing required field 'intro'"),
    (("blocks", "b", "intro"), {"zh_CN": "引言"}, "mini.json: block b: no 'en' text"),
    (("items",), KeyError, "mini.json: missing required field 'items'"),
    (("items",), [], "mini.json: no items"),
    (("items", 1, "id"), KeyError, "mini.json: item #2: missing required field 'id'"),
    (("items", 1, "id"), "A", "mini.json: item A: duplicate item id"),
    (("items", 1, "response_set"), KeyError,
     "mini.json: item B: missing required field 'response_set'"),
    (("items", 1, "response_set"), "ZZ", "mini.json: item B: unknown response set 'ZZ'"),
    (("items", 1, "stem"), "zz", "mini.json: item B: unknown stem 'zz'"),
    (("items", 1, "block"), "zz", "mini.json: item B: unknown block 'zz'"),
    (("items", 1, "text"), KeyError, "mini.json: item B: missing required field 'text'"),
    (("items", 1, "text"), {"zh_CN": "乙"}, "mini.json: item B text: no 'en' text"),
    (("items", 1, "short"), {"zh_CN": "乙"}, "mini.json: item B short: no 'en' text"),
    (("items", 1, "condition", "op"), "~", "mini.json: item B: condition needs op, value and "
                                           "one of item/context"),
    (("items", 1, "condition", "value"), KeyError, "mini.json: item B: condition needs op, "
                                                   "value and one of item/context"),
    (("items", 1, "condition", "context"), "age", "mini.json: item B: condition needs op, "
                                                  "value and one of item/context"),
    (("items", 1, "condition", "item"), "B",
     "mini.json: item B: condition refers to 'B', not an earlier item"),
    (("items", 1, "condition", "item"), "Z",
     "mini.json: item B: condition refers to 'Z', not an earlier item"),
    (("title",), KeyError, "mini.json: missing required field 'title'"),
    (("title",), {"en": "Mini"}, "mini.json: title has no 'zh_CN' text"),
    (("items", 0, "text", "zh_CN"), "", "mini.json: item A has no 'zh_CN' text"),
    (("stems", "s", "zh_CN"), "", "mini.json: stem s has no 'zh_CN' text"),
    (("blocks", "b", "intro", "zh_CN"), "", "mini.json: block b has no 'zh_CN' text"),
    (("response_sets", "YN", "options", 0, "label", "zh_CN"), "",
     "mini.json: response set YN/0 has no 'zh_CN' text"),
    (("credit",), {"zh_CN": "x"}, "mini.json: credit: no 'en' text"),
    (("intro",), {"zh_CN": "x"}, "mini.json: intro: no 'en' text"),
    (("recall_period",), {"zh_CN": "x"}, "mini.json: recall_period: no 'en' text"),
])
def test_each_refusal_names_its_place(path, value, message):
    assert _err(_set(path, value)) == message


def test_a_context_condition_is_accepted():
    d = copy.deepcopy(DOC)
    d["items"][1]["condition"] = {"op": ">=", "value": 65, "context": "age"}
    cond = parse_instrument(d).item("B").condition
    assert (cond.op, cond.value, cond.item, cond.context) == (">=", 65, None, "age")


def test_the_parsed_model():
    inst = parse_instrument(copy.deepcopy(DOC), "mini.json")
    a, b = inst.items
    assert (inst.id, inst.version, inst.languages) == ("mini", "2", ("en", "zh_CN"))
    assert (a.number, a.scored, a.stem, a.stem_id, a.block, a.condition, a.meta) == (
        1, True, {"en": "Stem", "zh_CN": "题干"}, "s", "b", None, {})
    assert (b.number, b.scored, b.stem, b.stem_id, b.block, b.meta) == (
        7, False, None, None, None, {"extra": 5})
    assert (b.condition.op, b.condition.value, b.condition.item) == ("==", 1, "A")
    assert inst.blocks["b"].intro == {"en": "Intro", "zh_CN": "引言"}
    assert (inst.credit, inst.intro, inst.recall_period) == ({"en": ""},) * 3
    assert inst.meta == {} and inst.content_hash == canonical_hash(DOC)
    assert {lang: (t.version_id, t.status, t.validated, t.source)
            for lang, t in inst.texts.items()} == {
        "en": ("mini-2", "original", True, "mini.json"),
        "zh_CN": ("mini-2", "original", True, "mini.json")}


def test_languages_default_and_text_version_and_validated():
    d = copy.deepcopy(DOC)
    del d["languages"]
    d["text_version"] = "tv9"
    d["meta"] = {"validated": False}
    inst = parse_instrument(d)
    assert inst.languages == (BASE_LANGUAGE,) and list(inst.texts) == ["en"]
    assert (inst.texts["en"].version_id, inst.texts["en"].validated) == ("tv9", False)
    assert inst.meta == {"validated": False}


def test_canonical_hash_is_of_sorted_compact_utf8_json():
    assert canonical_hash({"a": 1, "b": "中"}) == canonical_hash({"b": "中", "a": 1})
    assert canonical_hash({"b": "中", "a": 1}) == hashlib.sha256(
        '{"a":1,"b":"中"}'.encode("utf-8")).hexdigest()


def test_a_translation_overlay():
    inst = apply_translation(parse_instrument(copy.deepcopy(DOC)), dict(TR), "mini.fr.json")
    assert inst.languages == ("en", "zh_CN", "fr")
    assert inst.title["fr"] == "Mini fr" and inst.credit == {"en": ""}
    assert inst.item("A").text["fr"] == "A fr" and inst.item("A").stem["fr"] == "Tige"
    assert inst.item("B").stem is None and inst.item("B").condition.item == "A"
    assert inst.item("B").meta == {"extra": 5} and inst.item("B").number == 7
    assert inst.item("B").scored is False and inst.item("A").block == "b"
    assert [o.label["fr"] for o in inst.response_sets["YN"].options] == ["Non", "Oui"]
    assert inst.blocks["b"].intro["fr"] == "Intro"              # no block text: English
    t = inst.texts["fr"]
    sha = canonical_hash(TR)
    assert (t.version_id, t.sha256, t.status, t.validated, t.source) == (
        f"fr-{sha[:12]}", sha, "translation", False, "mini.fr.json")
    assert inst.translation_hashes == {"fr": sha}
    again = apply_translation(inst, {**TR, "blocks": {"b": "Intro fr"}, "validated": True,
                                     "status": "licensed", "text_version": "v7"},
                              "x", sha256="ab" * 32)
    assert again.languages == ("en", "zh_CN", "fr") and again.blocks["b"].intro["fr"] == "Intro fr"
    assert (again.texts["fr"].version_id, again.texts["fr"].sha256, again.texts["fr"].status,
            again.texts["fr"].validated) == ("v7", "ab" * 32, "licensed", True)


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.pop("language"), "t.json: missing required field 'language'"),
    (lambda t: t.update(id="other"), "t.json: translation is for 'other', not 'mini'"),
    (lambda t: t.update(version=3), "t.json: translation is for version 3, instrument is 2"),
    (lambda t: t.update(items=["A fr"]), "t.json: 'items' must be an object of texts"),
    (lambda t: t.update(stems={"s": 1}), "t.json: 'stems' must be an object of texts"),
    (lambda t: t.update(blocks={"b": 1}), "t.json: 'blocks' must be an object of texts"),
    (lambda t: t.update(response_sets={"YN": "Non"}),
     "t.json: 'response_sets' must be an object of code -> label objects"),
    (lambda t: t["items"].update(Z="z"), "t.json: unknown items ['Z']"),
    (lambda t: t["items"].pop("B"), "t.json: no text for items ['B']"),
    (lambda t: t["response_sets"]["YN"].pop("1"), "t.json: response set YN lacks labels for [1]"),
    (lambda t: t.pop("stems"), "t.json: no text for stems ['s']"),
])
def test_each_translation_refusal(edit, message):
    tr = copy.deepcopy(TR)
    edit(tr)
    with pytest.raises(InstrumentError) as info:
        apply_translation(parse_instrument(copy.deepcopy(DOC)), tr, "t.json")
    assert str(info.value) == message


def _write(folder: Path, name: str, data: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_folders_in_order_and_the_last_one_wins(tmp_path, monkeypatch):
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    for d in (one, two, three):
        _write(d, "mini.json", DOC)
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, f"{one}{os.pathsep}{two}")
    assert instrument_dirs() == (INSTRUMENT_DIR, one, two)
    assert instrument_dirs((three,)) == (INSTRUMENT_DIR, one, two, three)
    assert instrument_dir_of("mini") == two and instrument_dir_of("mini", [three]) == three
    assert instrument_dir_of("nope") == INSTRUMENT_DIR
    assert available_instruments() == ["csc", "mini", "rand36"]
    assert available_instruments(one) == ["mini"]
    monkeypatch.delenv(INSTRUMENTS_DIR_ENV)
    assert instrument_dirs() == (INSTRUMENT_DIR,)


def test_load_instrument_files(tmp_path):
    _write(tmp_path, "mini.json", DOC)
    _write(tmp_path, "mini.fr.json", TR)
    _write(tmp_path, "mini.zh_CN.json", {"language": "xx"})      # inline language: not read
    inst = load_instrument("mini", tmp_path)
    assert inst.languages == ("en", "zh_CN", "fr") and load_instrument("mini", tmp_path) is inst
    _write(tmp_path / "b", "mini.json", DOC)
    _write(tmp_path / "b", "mini.de.json", {**TR, "language": "fr"})
    with pytest.raises(InstrumentError) as info:
        load_instrument("mini", tmp_path / "b")
    assert str(info.value) == ("mini.de.json: declares language 'fr', the file name says 'de'")
    _write(tmp_path / "c", "maxi.json", DOC)
    with pytest.raises(InstrumentError) as info:
        load_instrument("maxi", tmp_path / "c")
    assert str(info.value) == "maxi.json: declares id 'mini'"


@pytest.mark.parametrize("content, message", [
    (None, "instrument file not found: mini.json"),
    (b"[1]", "mini.json: top level must be an object"),
    (b"\xff", "mini.json: not valid UTF-8 JSON ("),
    (b"{", "mini.json: not valid UTF-8 JSON (Expecting property name"),
])
def test_unreadable_instrument_files(tmp_path, content, message):
    if content is not None:
        (tmp_path / "mini.json").write_bytes(content)
    with pytest.raises(InstrumentError) as info:
        load_instrument("mini", tmp_path)
    assert str(info.value).startswith(message)


def test_a_translation_keeps_every_other_field():
    d = copy.deepcopy(DOC)
    d["meta"] = {"validated": True, "source": "x"}
    d["credit"] = {"en": "C"}
    inst = parse_instrument(d, "mini.json")
    tr = {**TR, "credit": "C fr", "intro": "I fr", "recall_period": "R fr"}
    fr = apply_translation(inst, tr, "mini.fr.json")
    assert (fr.id, fr.meta, fr.texts["fr"].language) == ("mini", d["meta"], "fr")
    assert (fr.credit, fr.intro, fr.recall_period) == (
        {"en": "C", "fr": "C fr"}, {"en": "", "fr": "I fr"}, {"en": "", "fr": "R fr"})
    assert fr.response_sets["YN"].id == "YN" and fr.blocks["b"].id == "b"
    assert fr.item("A").stem_id == "s" and fr.item("B").stem_id is None
    plain = apply_translation(inst, dict(TR), "mini.fr.json")
    assert (plain.credit, plain.intro, plain.recall_period) == (
        {"en": "C"}, {"en": ""}, {"en": ""})


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.pop("items"), "t.json: no text for items ['A', 'B']"),
    (lambda t: t.pop("response_sets"), "t.json: response set YN lacks labels for [0, 1]"),
    (lambda t: t["response_sets"].pop("YN"), "t.json: response set YN lacks labels for [0, 1]"),
])
def test_a_translation_without_a_section(edit, message):
    tr = copy.deepcopy(TR)
    edit(tr)
    with pytest.raises(InstrumentError) as info:
        apply_translation(parse_instrument(copy.deepcopy(DOC)), tr, "t.json")
    assert str(info.value) == message


def test_an_unnamed_document_is_called_instrument():
    with pytest.raises(InstrumentError) as info:
        parse_instrument({})
    assert str(info.value) == "instrument: missing required field 'id'"


def test_load_details(tmp_path, monkeypatch):
    _write(tmp_path, "mini.json", DOC)
    _write(tmp_path, "mini.en.json", {"language": "xx"})     # inline language: skipped ...
    _write(tmp_path, "mini.fr.json", TR)                     # ... and the next file still read
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(tmp_path))
    inst = load_instrument("mini")                           # found in the folders
    assert inst.languages == ("en", "zh_CN", "fr")
    assert (inst.texts["en"].language, inst.texts["en"].sha256) == ("en", inst.content_hash)
    broken = copy.deepcopy(DOC)
    del broken["items"]
    _write(tmp_path / "b", "mini.json", broken)
    with pytest.raises(InstrumentError) as info:
        load_instrument("mini", tmp_path / "b")
    assert str(info.value) == "mini.json: missing required field 'items'"


def test_a_title_that_is_not_text():
    assert _err(_set(("title",), {"en": 1, "zh_CN": "x"})) == (
        "mini.json: title: expected an object of language -> text")
