"""Staff name a question by its short label from the instrument data (alerts, the PDF), in
their language; an instrument without one falls back to the question's text, never its id."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from forms.errors import InstrumentError
from forms.instrument import INSTRUMENT_DIR, parse_instrument
from forms.registry import item_label, registry


def test_every_csc_item_has_a_short_label_in_each_language():
    inst = registry().get("csc").instrument()
    for it in inst.items:
        for lang in inst.languages:
            assert it.meta["short"].get(lang), (it.id, lang)
            assert it.short_label(lang) == it.meta["short"][lang]
    assert item_label("A2", "zh_CN") == "黑便或血便"
    assert item_label("A2", "en", "csc") == "Black or bloody stools"


def test_without_a_short_label_the_question_text_not_the_id():
    rand36 = registry().get("rand36").instrument()
    assert item_label("q1", "en", "rand36") == rand36.item("q1").text["en"]


def test_a_short_label_without_english_is_refused():
    data = json.loads(Path(INSTRUMENT_DIR, "csc.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(data)
    bad["items"][0]["short"] = {"zh_CN": "食欲不振"}
    with pytest.raises(InstrumentError, match="item C1 short"):
        parse_instrument(bad, "csc.json")
