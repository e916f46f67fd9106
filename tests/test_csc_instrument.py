"""The shipped csc v1.0 instrument file against symptoms.md §1-2, and its branching."""
from __future__ import annotations

import json
import re

import pytest

from forms import csc
from forms.instrument import INSTRUMENT_DIR, load_instrument, localize

EXPECTED_ORDER = ["C1", "C2", "C2b", "C3", "C4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8",
                  "P1", "P2", "G1", "G2", "A1", "A2", "A3", "A4", "A5", "A6", "A7"]

SETS = {
    "SEV5": [(0, "None", "无"), (1, "Mild", "轻度"), (2, "Moderate", "中度"), (3, "Severe", "重度"),
             (4, "Very severe", "极重度")],
    "FRQ5": [(0, "Never", "从不"), (1, "Rarely", "很少"), (2, "Sometimes", "有时"),
             (3, "Often", "经常"), (4, "Almost always", "几乎总是")],
    "INT5": [(0, "Not at all", "完全没有"), (1, "A little bit", "有一点"), (2, "Somewhat", "有一些"),
             (3, "Quite a bit", "相当多"), (4, "Very much", "非常多")],
    "YN3": [(0, "No", "否"), (1, "Yes", "是"), (9, "Not sure", "不确定")],
    "PGIC7": [(1, "Very much better", "非常明显好转"), (2, "Much better", "明显好转"),
              (3, "A little better", "稍有好转"), (4, "No change", "无变化"),
              (5, "A little worse", "稍有加重"), (6, "Much worse", "明显加重"),
              (7, "Very much worse", "非常明显加重")],
}


@pytest.fixture(scope="module")
def inst():
    return load_instrument("csc")


@pytest.fixture(scope="module")
def spec_text(spec_dir):
    return (spec_dir / "symptoms.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec_items(spec_text):
    """{id: (set, en, zh_CN)} parsed from the item tables of symptoms.md §1."""
    rows = {}
    for line in spec_text.splitlines():
        m = re.match(r"^\| ([A-Z]\d+b?) \| ([A-Z0-9]+) \| (.+?) \| (.+?) \|$", line)
        if m:
            iid, rs, en, zh = m.groups()
            rows[iid] = (rs, re.sub(r"^\*\(.*?\)\* ", "", en), zh)
    return rows


def _norm(s: str) -> str:
    return " ".join(s.split())


def test_identity_and_languages(inst):
    assert (inst.id, inst.version) == ("csc", "1.0")
    assert inst.languages == ("en", "zh_CN")
    assert inst.title["en"] == "Cirrhosis Symptom Checklist" and inst.title["zh_CN"]
    assert inst.recall_period["en"] == "past 7 days" and inst.recall_period["zh_CN"]
    assert "study-specific, not yet validated" in inst.credit["en"]
    assert "本研究专用" in inst.credit["zh_CN"] and "尚未经过验证" in inst.credit["zh_CN"]


def test_all_24_items_in_spec_order(inst, spec_items):
    assert list(inst.item_ids) == EXPECTED_ORDER == list(spec_items)
    assert [it.number for it in inst.items] == list(range(1, 25))
    assert inst.item_ids == csc.ITEM_IDS == csc.BATCH_INPUT_COLUMNS


def test_item_texts_and_sets_match_spec_in_both_languages(inst, spec_items):
    for it in inst.items:
        rs, en, zh = spec_items[it.id]
        assert it.response_set == rs, it.id
        assert it.text == {"en": en, "zh_CN": zh}, it.id


def test_intro_and_warning_block_match_spec(inst, spec_text):
    flat = _norm(spec_text)
    for lang in ("en", "zh_CN"):
        assert f'"{inst.intro[lang]}"' in flat
        assert f'"{inst.blocks["warning"].intro[lang]}"' in flat
    assert inst.intro["en"].startswith("These questions ask about symptoms")
    assert inst.blocks["warning"].intro["en"].endswith("please tell the nurse today.")


def test_response_sets_exact(inst):
    assert set(inst.response_sets) == set(SETS)
    for sid, opts in SETS.items():
        got = [(o.code, o.label["en"], o.label["zh_CN"]) for o in inst.response_sets[sid].options]
        assert got == opts, sid


def test_scored_flags_and_warning_block(inst):
    scored = [it.id for it in inst.items if it.scored]
    assert scored == list(csc.SCORED_ITEMS)
    assert [it.id for it in inst.items if it.block == "warning"] == list(csc.ALERT_ITEMS)
    assert all(it.block is None for it in inst.items if not it.id.startswith("A"))


def test_scoring_valid_codes_match_instrument_response_sets(inst):
    for it in inst.items:
        assert csc.VALID_CODES[it.id] == frozenset(inst.options_for(it).codes), it.id


def test_localized_texts_for_both_languages(inst):
    zh = localize(inst, "zh_CN")
    assert not zh.fallback
    assert zh.text("C1") == "在过去7天内，您食欲不振（不想吃东西）的程度如何？"
    assert zh.options("A1") == [(0, "否"), (1, "是"), (9, "不确定")]
    assert localize(inst, "en").options("G2")[3] == (4, "No change")


# --- branching ------------------------------------------------------------------------------

def test_c2b_only_when_c2_at_least_one(inst):
    assert not inst.is_applicable("C2b", {"C2": 0})
    assert not inst.is_applicable("C2b", {"C2": None})
    assert not inst.is_applicable("C2b", {})
    for v in (1, 2, 3, 4):
        assert inst.is_applicable("C2b", {"C2": v})


def test_g2_not_at_baseline(inst):
    """Not at a visit of the protocol's kind 'baseline', whatever its code."""
    assert not inst.is_applicable("G2", {}, {"visit": "BL", "visit_kind": "baseline"})
    for v, kind in (("W1", "follow_up"), ("W52", "end_of_study"), ("UNS1", "unscheduled"),
                    ("ET", "early_termination")):
        assert inst.is_applicable("G2", {}, {"visit": v, "visit_kind": kind})


def test_other_items_always_applicable(inst):
    for it in inst.items:
        if it.id not in ("C2b", "G2"):
            assert inst.is_applicable(it, {}, {"visit": "BL", "visit_kind": "baseline"}), it.id


def test_file_is_valid_json_with_hash_stable(inst):
    raw = json.loads((INSTRUMENT_DIR / "csc.json").read_text(encoding="utf-8"))
    assert raw["id"] == "csc"
    from forms.instrument import parse_instrument
    again = parse_instrument(raw, "csc.json")
    assert again.content_hash == inst.content_hash and len(inst.content_hash) == 64
    raw["items"][0]["text"]["en"] += " "
    assert parse_instrument(raw, "csc.json").content_hash != inst.content_hash


# --- instrument.py fixes found while building csc -------------------------------------------

def _raw():
    return json.loads((INSTRUMENT_DIR / "csc.json").read_text(encoding="utf-8"))


def test_declared_inline_language_must_be_complete():
    from forms.errors import InstrumentError
    from forms.instrument import parse_instrument
    raw = _raw()
    del raw["items"][5]["text"]["zh_CN"]
    with pytest.raises(InstrumentError, match="item S1 has no 'zh_CN' text"):
        parse_instrument(raw, "csc.json")
    raw = _raw()
    raw["response_sets"]["YN3"]["options"][2]["label"]["zh_CN"] = ""
    with pytest.raises(InstrumentError, match="YN3/9 has no 'zh_CN' text"):
        parse_instrument(raw, "csc.json")
    raw = _raw()
    del raw["blocks"]["warning"]["intro"]["zh_CN"]
    with pytest.raises(InstrumentError, match="block warning"):
        parse_instrument(raw, "csc.json")


def test_condition_on_the_item_itself_is_rejected():
    from forms.errors import InstrumentError
    from forms.instrument import parse_instrument
    raw = _raw()
    raw["items"][2]["condition"] = {"item": "C2b", "op": ">=", "value": 1}
    with pytest.raises(InstrumentError, match="not an earlier item"):
        parse_instrument(raw, "csc.json")
