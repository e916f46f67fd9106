"""forms.not_done: the check of a "questionnaire not done" record on both sides of each rule, and
its labels (issue 18: mutation testing of forms/not_done.py)."""
from __future__ import annotations

import pytest

from forms.errors import UserError
from forms.not_done import (OTHER, REASON_LABELS, REASONS, TEXT_MAX, NotDone, check_not_done,
                            reason_label, reason_text)

BATTERY = ("rand36", "csc")


def test_the_reason_codes_and_their_labels():
    assert REASONS == ("refused", "too_unwell", "unable", "staff_error", "other")
    assert set(REASON_LABELS) == set(REASONS) and TEXT_MAX == 200
    assert all(REASON_LABELS[r]["en"] and REASON_LABELS[r]["zh_CN"] for r in REASONS)
    assert reason_label("refused") == "Patient refused"
    assert reason_label("refused", "zh_CN") == "患者拒绝"
    assert reason_label("other", "fr") == "Other"


def test_reason_text_in_each_language():
    assert reason_text("other", "no interpreter") == "Other: no interpreter"
    assert reason_text("other", "没有翻译", "zh_CN") == "其他：没有翻译"
    assert reason_text("refused") == "Patient refused"
    assert reason_text("refused", "", "zh_CN") == "患者拒绝"
    assert NotDone("csc", "other", "x").label() == "Other: x"
    assert NotDone("csc", "refused").label("zh_CN") == "患者拒绝"


def test_a_valid_record_with_its_text_cleaned():
    assert check_not_done("csc", BATTERY, "refused", None) == NotDone("csc", "refused", "")
    assert check_not_done("rand36", BATTERY, "other", "  no \n interpreter ") == NotDone(
        "rand36", "other", "no interpreter")


@pytest.mark.parametrize("iid, reason, text, message", [
    ("fat5", "refused", "", "fat5 is not a questionnaire of this visit."),
    ("csc", "bored", "", "Reason not done must be one of: refused, too_unwell, unable, "
                         "staff_error, other."),
    ("csc", OTHER, None, "Say why the questionnaire was not done (reason: other)."),
    ("csc", OTHER, "  \t ", "Say why the questionnaire was not done (reason: other)."),
    ("csc", "refused", "x" * 201, "The reason text is too long (at most 200 characters)."),
])
def test_each_refusal(iid, reason, text, message):
    with pytest.raises(UserError) as info:
        check_not_done(iid, BATTERY, reason, text)
    assert str(info.value) == message


def test_text_length_limit_on_both_sides():
    assert check_not_done("csc", BATTERY, "other", "x" * 200).text == "x" * 200
    assert check_not_done("csc", BATTERY, "other", " " + "x" * 200 + " ").text == "x" * 200
    with pytest.raises(UserError):
        check_not_done("csc", BATTERY, "other", "x" * 201)
