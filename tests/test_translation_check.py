"""forms.translation: every refusal of a translation file with its line and JSON path, the limits
on both sides, and what an accepted file carries (issue 18: mutation testing of
forms/translation.py; the instrument is the small made-up one of test_instrument_parse)."""
from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from forms.translation import (MAX_BYTES, STATUSES, TranslationFileError, apply_installed,
                               check_translation, file_sha256, text_version_label)
from test_instrument_parse import DOC

GOOD = {"id": "mini", "version": "2", "language": "fr", "text_version": "fr-1",
        "title": "Mini fr", "items": {"A": "A fr", "B": "B fr"}, "stems": {"s": "Tige"},
        "blocks": {"b": "Intro fr"}, "response_sets": {"YN": {"0": "Non", "1": "Oui"}}}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "mini.json").write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _raw(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _errors(folder: Path, doc_or_raw) -> tuple[str, ...]:  # noqa: ANN001
    raw = doc_or_raw if isinstance(doc_or_raw, bytes) else _raw(doc_or_raw)
    with pytest.raises(TranslationFileError) as info:
        check_translation(raw, "t.json", folder)
    assert str(info.value).startswith("t.json: translation refused (")     # names the file
    return info.value.errors


def _doc(**changes) -> dict:  # noqa: ANN003
    d = copy.deepcopy(GOOD)
    for k, v in changes.items():
        if v is KeyError:
            d.pop(k)
        else:
            d[k] = v
    return d


def test_an_accepted_file(folder):
    raw = _raw(_doc(status="validated", validated=True, text_version=" fr-1 "))
    ok = check_translation(raw, "t.json", folder)
    assert (ok.instrument_id, ok.instrument_version, ok.language, ok.text_version, ok.status,
            ok.validated) == ("mini", "2", "fr", "fr-1", "validated", True)
    assert ok.content == raw.decode() and ok.file_sha256 == hashlib.sha256(raw).hexdigest()
    assert ok.instrument.item("A").text["fr"] == "A fr"
    assert ok.instrument.texts["fr"].sha256 == ok.file_sha256
    assert ok.instrument.texts["fr"].source == "t.json"
    plain = check_translation(_raw(_doc()), "t.json", folder)
    assert (plain.status, plain.validated) == ("translation", False)
    again = apply_installed(plain.instrument, plain.content, "ab" * 32, "db")
    assert again.texts["fr"].sha256 == "ab" * 32 and again.texts["fr"].source == "db"
    bom = check_translation(b"\xef\xbb\xbf" + _raw(_doc()), "t.json", folder)
    assert bom.language == "fr"


def test_the_refusal_message():
    one = TranslationFileError("t.json", ["a"])
    assert str(one) == "t.json: translation refused (1 problem):\n  a"
    two = TranslationFileError("t.json", ["a", "b"])
    assert str(two) == "t.json: translation refused (2 problems):\n  a\n  b"
    assert two.errors == ("a", "b")


def test_size_limit_on_both_sides(folder):
    assert MAX_BYTES == 2_000_000
    assert _errors(folder, b" " * (MAX_BYTES + 1)) == (
        "the file is larger than 2000000 bytes",)
    assert _errors(folder, b" " * MAX_BYTES)[0].startswith("line 1, column ")


@pytest.mark.parametrize("raw, message", [
    (b'{\n"id": "mini",\n"x": "\xff"}', "line 3: not UTF-8 text"),
    (b'{\n"id": "mini",\n', "line 3, column 1: not valid JSON (Expecting property name "
                            "enclosed in double quotes)"),
    (b'{\n"id": "mini",\n"id": "mini"}', "line 2: duplicate key 'id' (each key only once)"),
    (b'[1]', "line 1: the file must be one JSON object"),
    (b'{\n"x": "\xff"\n}\n', "line 2: not UTF-8 text"),
    (b'\n\n"\xff"', "line 3: not UTF-8 text"),
    (b'{"n": ' + b"9" * 5000 + b"}", "not valid JSON (Exceeds the limit (4300 digits) for "
                                     "integer string conversion: value has 5000 digits; use "
                                     "sys.set_int_max_str_digits() to increase the limit)"),
])
def test_unreadable_files(folder, raw, message):
    assert _errors(folder, raw) == (message,)


def test_head_fields(folder):
    d = _doc(id=KeyError, version=" ", language=3)
    assert _errors(folder, d) == ("id: missing or not a text",
                                  "line 2, version: missing or not a text",
                                  "line 3, language: missing or not a text")
    assert _errors(folder, _doc(id="maxi")) == (
        "line 2, id: no instrument 'maxi' (known: mini)",)
    assert _errors(folder, _doc(language="French")) == (
        "line 4, language: 'French' is not a language code such as zh_CN",)
    assert _errors(folder, _doc(text_version="v" * 65)) == (
        "line 5, text_version: at most 64 characters",)
    assert check_translation(_raw(_doc(text_version="v" * 64)), "t", folder).text_version == \
        "v" * 64
    assert _errors(folder, _doc(version="3")) == (
        "line 3, version: the file is for mini 3, this app has mini 2",)
    assert _errors(folder, _doc(language="en")) == (
        "line 4, language: en is the instrument's own text, not a translation",)


@pytest.mark.parametrize("language", ["zh", "yue", "zh_CN", "zh_Hant", "sr_Latn"])
def test_language_codes_accepted(folder, language):
    assert check_translation(_raw(_doc(language=language)), "t", folder).language == language


@pytest.mark.parametrize("language", ["z", "zh_cn", "zhCN", "zh_CN_x", "ZH", "zh_Hantx"])
def test_language_codes_refused(folder, language):
    assert _errors(folder, _doc(language=language))[0].endswith(
        f"language: '{language}' is not a language code such as zh_CN")


def test_text_problems_with_line_and_path(folder):
    d = _doc(title=" ", items={"A": "A fr", "B": None, "Z": "z"}, stems={"s": "a\x07b"},
             blocks=[], response_sets={"YN": {"0": "Non", "2": "Deux"}}, colour="blue",
             status="draft", validated="yes")
    assert _errors(folder, d) == (
        "line 6, title: must be a non-empty text",
        "line 10, items.Z: mini 2 has no item 'Z'",
        "line 9, items.B: missing",
        "line 13, stems.s: contains a control character",
        "line 19, response_sets.YN.2: no option code 2 here (codes are 0, 1)",
        "line 17, response_sets.YN.1: missing",             # the line of the nearest key found
        "line 15, blocks: must be an object",
        "line 15, blocks.b: missing",
        "line 22, colour: unknown field",
        "line 23, status: must be one of validated, project_translation, translation",
        "line 24, validated: must be true or false")
    assert STATUSES == ("validated", "project_translation", "translation")


def test_missing_sections(folder):
    d = _doc(items=KeyError, stems=KeyError, blocks=KeyError, response_sets=KeyError,
             title=KeyError)
    assert _errors(folder, d) == (
        "title: missing",
        "items: missing (needs item A, B)", "items.A: missing", "items.B: missing",
        "stems: missing (needs stem s)", "stems.s: missing",
        "response_sets: missing (needs response set YN)",
        "response_sets.YN: missing (needs the labels of codes 0, 1)",
        "blocks: missing (needs block b)", "blocks.b: missing")
    assert _errors(folder, _doc(response_sets={"YN": ["Non", "Oui"]})) == (
        "line 18, response_sets.YN: must be an object of code -> label",)


def test_intro_recall_and_credit_only_when_the_instrument_has_them(folder):
    base = json.loads((folder / "mini.json").read_text(encoding="utf-8"))
    base["intro"] = {"en": "Think", "zh_CN": "想"}
    (folder / "mini.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    assert _errors(folder, _doc()) == ("intro: missing",)
    assert _errors(folder, _doc(intro="Pensez", recall_period="", credit=1)) == (
        "line 24, recall_period: must be a non-empty text",
        "line 25, credit: must be a non-empty text")


def test_text_version_label():
    assert text_version_label(None, "ab") == "" and text_version_label("", None) == ""
    assert text_version_label("fr-1", None) == "fr-1"
    assert text_version_label("fr-1", "0123456789abcdef") == "fr-1 · sha256 0123456789ab"
    assert file_sha256(b"x") == hashlib.sha256(b"x").hexdigest()


def test_line_numbers_count_a_leading_newline_and_non_ascii_keys(folder):
    d = _doc(items={"A": "A fr", "B": "B fr", "题": "x"})
    assert _errors(folder, _raw(d)) == ("line 10, items.题: mini 2 has no item '题'",)
    assert _errors(folder, b"\n" + _raw(d)) == ("line 11, items.题: mini 2 has no item '题'",)


def test_every_response_set_is_checked(folder):
    base = copy.deepcopy(DOC)
    base["response_sets"]["ZZ"] = {"options": [{"code": 5, "label": {"en": "Five",
                                                                     "zh_CN": "五"}}]}
    (folder / "mini.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    d = _doc(response_sets={"YN": ["Non", "Oui"], "ZZ": {}})
    assert _errors(folder, d) == (
        "line 18, response_sets.YN: must be an object of code -> label",
        "line 22, response_sets.ZZ.5: missing")


def test_unknown_instrument_names_every_known_one(folder):
    maxi = {**copy.deepcopy(DOC), "id": "maxi"}
    (folder / "maxi.json").write_text(json.dumps(maxi, ensure_ascii=False), encoding="utf-8")
    assert _errors(folder, _doc(id="midi")) == (
        "line 2, id: no instrument 'midi' (known: maxi, mini)",)
