"""forms.instrument_model: response labels, show-if conditions on both sides of each operator, short
labels, text versions, the per-language hash and the English fallback (issue 18: mutation testing
of forms/instrument_model.py)."""
from __future__ import annotations

import copy
import hashlib

import pytest

from forms.instrument import apply_translation, parse_instrument
from forms.instrument_model import OPERATORS, Condition, Item, Localized, Option, ResponseSet
from test_instrument_parse import DOC, TR

RS = ResponseSet("YN", (Option(0, {"en": "No", "zh_CN": "否"}), Option(1, {"en": "Yes"})))


def test_response_set_codes_and_labels():
    assert RS.codes == (0, 1)
    assert RS.label(0) == "No" and RS.label(0, "zh_CN") == "否"
    assert RS.label(1, "zh_CN") == "Yes"                       # no Chinese: English
    with pytest.raises(KeyError) as info:
        RS.label(7)
    assert info.value.args == (7,)


@pytest.mark.parametrize("op, below, equal, above", [
    (">=", False, True, True), (">", False, False, True), ("<=", True, True, False),
    ("<", True, False, False), ("==", False, True, False), ("!=", True, False, True)])
def test_each_operator_on_both_sides(op, below, equal, above):
    c = Condition(op, 2, item="A")
    assert [c.holds({"A": v}, {}) for v in (1, 2, 3)] == [below, equal, above]
    ctx = Condition(op, 2, context="k")
    assert [ctx.holds({"k": 9}, {"k": v}) for v in (1, 2, 3)] == [below, equal, above]
    assert sorted(OPERATORS) == sorted([">=", ">", "<=", "<", "==", "!="])


def test_a_condition_on_nothing_is_false():
    assert Condition("!=", 2, item="A").holds({}, {"A": 1}) is False
    assert Condition("!=", 2, item="A").holds({"A": None}, {}) is False
    assert Condition("!=", 2, context="k").holds({"k": 1}, {}) is False
    assert Condition("!=", 2).holds({"": 1}, {"": 1}) is True   # no context key: the '' entry
    assert Condition("!=", 2).holds({}, {}) is False


def test_short_label_order_of_preference():
    text = {"en": "Question?", "zh_CN": "问题？"}
    both = Item("A", 1, text, "YN", meta={"short": {"en": "Short", "zh_CN": "短"}})
    assert both.short_label() == "Short" and both.short_label("zh_CN") == "短"
    en_only = Item("A", 1, text, "YN", meta={"short": {"en": "Short"}})
    assert en_only.short_label("zh_CN") == "Short"
    none = Item("A", 1, text, "YN")
    assert none.short_label("zh_CN") == "问题？" and none.short_label("fr") == "Question?"


@pytest.fixture()     # per test: mutation testing maps each test to the code it runs
def inst():  # noqa: ANN201
    return parse_instrument(copy.deepcopy(DOC), "mini.json")


def test_items_options_and_applicability(inst):
    assert inst.item_ids == ("A", "B")
    with pytest.raises(KeyError) as info:
        inst.item("Z")
    assert info.value.args == ("Z",)
    assert inst.options_for("B") is inst.response_sets["YN"]
    assert inst.options_for(inst.item("A")) is inst.response_sets["YN"]
    assert inst.is_applicable("A", {}) is True
    assert inst.is_applicable("B", {"A": 1}) is True
    assert inst.is_applicable(inst.item("B"), {"A": 0}) is False
    ctx = parse_instrument({**copy.deepcopy(DOC), "items": [
        {**DOC["items"][0], "condition": {"op": ">=", "value": 65, "context": "age"}}]})
    assert ctx.is_applicable("A", {}, {"age": 70}) and not ctx.is_applicable("A", {}, {"age": 64})
    assert not ctx.is_applicable("A", {})


def test_hash_and_text_version_per_language(inst):
    fr = apply_translation(inst, dict(TR), "mini.fr.json", sha256="cd" * 32)
    assert fr.hash_for("en") == fr.hash_for("zh_CN") == inst.content_hash
    assert fr.hash_for("fr") == hashlib.sha256((inst.content_hash + "cd" * 32).encode()
                                               ).hexdigest()
    assert fr.has_language("fr") and not inst.has_language("fr")
    assert fr.text_version("fr").sha256 == "cd" * 32
    assert inst.text_version("fr") is inst.texts["en"]
    assert inst.text_version("zh_CN") is inst.texts["zh_CN"]


def test_localized_texts_and_fallback(inst):
    zh = Localized(inst, "zh_CN")
    assert (zh.fallback, zh.shown_language) == (False, "zh_CN")
    assert (zh.title(), zh.text("A"), zh.stem("A"), zh.block_intro("b")) == (
        "迷你", "甲？", "题干", "引言")
    assert zh.options("A") == [(0, "否"), (1, "是")]
    assert (zh.stem("B"), zh.block_intro("zz"), zh.intro(), zh.credit(),
            zh.recall_period()) == ("", "", "", "", "")
    assert Localized(inst, "fr").text(Item("X", 1, {"zh_CN": "甲"}, "YN")) == ""   # no English
    fr = Localized(inst, "fr")
    assert (fr.fallback, fr.shown_language) == (True, "en")
    assert (fr.title(), fr.text(inst.item("B")), fr.stem(inst.item("A"))) == ("Mini", "B?", "Stem")
    full = parse_instrument({**copy.deepcopy(DOC), "credit": {"en": "C", "zh_CN": "版权"},
                             "intro": {"en": "I"}, "recall_period": {"en": "R", "zh_CN": "近"}})
    z = Localized(full, "zh_CN")
    assert (z.credit(), z.intro(), z.recall_period()) == ("版权", "I", "近")   # intro: English
