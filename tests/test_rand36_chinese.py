"""The shipped Simplified Chinese RAND-36 (a project translation) and the translation-file checker
behind ``epro instruments install`` (forms/translation.py)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forms.instrument import INSTRUMENT_DIR, load_instrument, localize
from forms.translation import TranslationFileError, check_translation

ZH_FILE = INSTRUMENT_DIR / "rand36.zh_CN.json"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def rand36():
    return load_instrument("rand36")


def test_every_item_stem_and_option_has_chinese_text(rand36):
    assert rand36.languages == ("en", "zh_CN")
    zh = localize(rand36, "zh_CN")
    assert not zh.fallback and HAN.search(zh.title()) and HAN.search(zh.intro())
    assert HAN.search(zh.recall_period())
    for item in rand36.items:
        assert HAN.search(item.text["zh_CN"]), item.id
        if item.stem is not None:
            assert HAN.search(item.stem["zh_CN"]), item.id
        for option in rand36.options_for(item).options:
            assert HAN.search(option.label["zh_CN"]), (item.id, option.code)


def test_codes_and_item_order_identical_to_english(rand36):
    en, zh = localize(rand36, "en"), localize(rand36, "zh_CN")
    for item in rand36.items:
        assert [c for c, _ in zh.options(item)] == [c for c, _ in en.options(item)], item.id
        assert zh.text(item) != en.text(item)
    doc = json.loads(ZH_FILE.read_text(encoding="utf-8"))
    assert list(doc["items"]) == [it.id for it in rand36.items]


def test_recall_periods_follow_the_chinese_convention(rand36):
    zh = localize(rand36, "zh_CN")
    assert zh.text("q2").startswith("与一年以前相比")
    for iid in ("q20", "q21", "q22", "q32"):
        assert zh.text(iid).startswith("过去4周里"), iid
    for iid in ("q13", "q17", "q23"):
        assert "过去4周里" in zh.stem(iid), iid
    assert "过去4周里" in zh.recall_period() and "与一年以前相比" in zh.recall_period()
    # patient-facing wording: no item numbers in the welcome text, either language
    for lang in ("en", "zh_CN"):
        assert not re.search(r"\d+\s*(to|至|-)\s*\d+", localize(rand36, lang).recall_period())


def test_marked_as_a_project_translation_not_a_validated_version(rand36):
    doc = json.loads(ZH_FILE.read_text(encoding="utf-8"))
    assert doc["status"] == "project_translation" and doc["validated"] is False
    assert doc["translator"] == "ePRO Desk team" and re.fullmatch(r"\d{4}-\d\d-\d\d", doc["date"])
    tv = rand36.text_version("zh_CN")
    assert tv.version_id == doc["text_version"] and tv.status == "project_translation"
    assert not tv.validated and len(tv.sha256) == 64
    assert rand36.text_version("en").version_id != tv.version_id
    assert rand36.text_version("en").sha256 == rand36.content_hash


# --- the checker -----------------------------------------------------------------------------

def _doc() -> dict:
    return json.loads(ZH_FILE.read_text(encoding="utf-8"))


def _bytes(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def test_the_shipped_translation_passes_the_install_check():
    checked = check_translation(ZH_FILE.read_bytes(), "rand36.zh_CN.json")
    assert (checked.instrument_id, checked.language) == ("rand36", "zh_CN")
    assert checked.instrument.text_version("zh_CN").sha256 == checked.file_sha256


def test_a_validated_site_translation_replaces_the_project_text():
    doc = _doc()
    doc.update(status="validated", validated=True, text_version="site-licensed-v2")
    doc["items"]["q1"] = "总体来讲，您的健康状况是："
    checked = check_translation(_bytes(doc), "site.json")
    zh = localize(checked.instrument, "zh_CN")
    assert zh.text("q1") == "总体来讲，您的健康状况是："
    assert checked.instrument.languages == ("en", "zh_CN")
    assert checked.instrument.text_version("zh_CN").validated


def test_json_syntax_error_names_the_line():
    raw = _bytes(_doc()).replace(b'"q5": ', b'"q5" ', 1)
    line = raw[:raw.index(b'"q5"')].count(b"\n") + 1
    with pytest.raises(TranslationFileError) as exc:
        check_translation(raw, "bad.json")
    assert f"line {line}, column" in str(exc.value) and "bad.json" in str(exc.value)


@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d["items"].pop("q36"), "items.q36: missing"),
    (lambda d: d["items"].__setitem__("q37", "多出来的"), "items.q37: rand36 1.0 has no item 'q37'"),
    (lambda d: d["response_sets"]["limited"].pop("3"), "response_sets.limited.3: missing"),
    (lambda d: d["response_sets"]["limited"].__setitem__("4", "四"), "no option code 4 here"),
    (lambda d: d["stems"].__setitem__("feelings", "  "), "stems.feelings: must be a non-empty"),
    (lambda d: d.pop("title"), "title: missing"),
    (lambda d: d.__setitem__("version", "2.0"), "version: the file is for rand36 2.0"),
    (lambda d: d.__setitem__("id", "sf12"), "id: no instrument 'sf12'"),
    (lambda d: d.pop("text_version"), "text_version: missing"),
])
def test_incomplete_or_foreign_files_are_refused_by_path(mutate, needle):
    doc = _doc()
    mutate(doc)
    with pytest.raises(TranslationFileError) as exc:
        check_translation(_bytes(doc), "site.json")
    assert needle in str(exc.value)


def test_problems_carry_their_line_and_all_are_listed():
    doc = _doc()
    doc["items"]["q3"] = ""
    doc["response_sets"]["yes_no"]["2"] = 2
    raw = _bytes(doc)
    with pytest.raises(TranslationFileError) as exc:
        check_translation(raw, "site.json")
    lines = raw.decode().splitlines()
    q3_line = next(n for n, t in enumerate(lines, 1) if t.strip().startswith('"q3"'))
    assert len(exc.value.errors) == 2
    assert exc.value.errors[0] == f"line {q3_line}, items.q3: must be a non-empty text"
    assert "response_sets.yes_no.2" in exc.value.errors[1]


def test_duplicate_keys_and_non_utf8_are_refused(tmp_path: Path):
    raw = _bytes(_doc()).replace(b'"q2":', b'"q1":', 1)
    with pytest.raises(TranslationFileError, match="duplicate key 'q1'"):
        check_translation(raw, "dup.json")
    with pytest.raises(TranslationFileError, match="line 1: not UTF-8"):
        check_translation("{\"id\": \"rand36\"}".encode("gb18030") + b"\xff\xfe", "gbk.json")
