"""forms.alerts: the finding record itself (its checks, the stored reason code of every reason
key, the level of a set of findings)."""
from __future__ import annotations

import pytest

from forms import alerts
from forms.alerts import AlertFinding, level_of


def test_reason_keys_and_severities():
    assert alerts.SEVERITIES == ("red", "amber")
    assert alerts.STAFF_REASONS == ("death", "serious_ae", "ae_grade_3plus", "new_hcc",
                                    "child_pugh_rise")
    assert alerts.REASONS == ("warning_sign_yes", "warning_sign_unsure", "core_worsened",
                              "answer_threshold", *alerts.STAFF_REASONS)


def test_unknown_severity_or_reason_is_refused_naming_it():
    with pytest.raises(ValueError) as err:
        AlertFinding("green", alerts.DEATH, "X")
    assert str(err.value) == "unknown alert severity 'green'"
    with pytest.raises(ValueError) as err:
        AlertFinding("red", "bored", "X")
    assert str(err.value) == "unknown alert reason 'bored'"
    assert AlertFinding("amber", alerts.DEATH, "X").params == {}


@pytest.mark.parametrize("reason, item, params, code", [
    ("warning_sign_yes", "A3", {"code": 1}, "A3=yes"),
    ("warning_sign_unsure", "A5", {"code": 9}, "A5=not_sure"),
    ("core_worsened", "C2", {"previous": 1, "now": 4}, "C2+3_vs_previous"),
    ("core_worsened", "C1", {"previous": "0", "now": "2"}, "C1+2_vs_previous"),
    ("answer_threshold", "F1", {"code": 4, "op": ">=", "value": 4.0}, "F1>=4"),
    ("answer_threshold", "F2", {"code": 1, "op": "<", "value": 1.5}, "F2<1.5"),
    *((r, "ae:7", {"grade": 3}, r) for r in alerts.STAFF_REASONS)])
def test_code_of_every_reason(reason, item, params, code):
    assert AlertFinding("amber", reason, item, params).code == code


def test_level_is_the_highest_severity():
    red = AlertFinding("red", alerts.DEATH, "d")
    amber = AlertFinding("amber", alerts.NEW_HCC, "h")
    assert level_of([]) == "" and level_of(()) == ""
    assert level_of([amber]) == "amber"
    assert level_of([amber, red]) == "red" == level_of((red, amber))
