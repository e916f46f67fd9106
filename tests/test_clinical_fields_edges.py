"""forms.clinical_fields: each problem exactly as the screen shows it (field, value as typed,
kind, range), the order of several problems, and the edges of the vital-status rules."""
from __future__ import annotations

from datetime import date

from forms.clinical_fields import (IMAGING_NUMBERS, NEW_LESION_CODES, VITAL_STATUSES,
                                   FieldProblem, VitalStatus, check_imaging, check_vital_status)

TODAY = date(2026, 12, 4)


def test_codes():
    assert NEW_LESION_CODES == ("no", "yes", "not_done") and VITAL_STATUSES == ("alive", "died")
    assert list(IMAGING_NUMBERS) == ["liver_size_cm", "portal_vein_mm", "spleen_size_cm"]


def test_imaging_values_canonical():
    for code in NEW_LESION_CODES:
        assert check_imaging({"new_lesion_hcc": code}) == ({"new_lesion_hcc": code}, ())
    img, problems = check_imaging({"liver_size_cm": " 12.0 ", "portal_vein_mm": None,
                                   "spleen_size_cm": 1, "new_lesion_hcc": ""})
    assert problems == () and img == {"liver_size_cm": 12, "spleen_size_cm": 1}
    assert type(img["liver_size_cm"]) is int
    assert check_imaging({"new_lesion_hcc": None, "liver_size_cm": "12"}) == (
        {"liver_size_cm": 12}, ())                      # an empty field first stops nothing
    img, _ = check_imaging({"portal_vein_mm": "39,95"})
    assert img == {"portal_vein_mm": 39.95} and type(img["portal_vein_mm"]) is float


def test_imaging_problems_exactly_and_in_order():
    img, problems = check_imaging({"liver_size_cm": " a,b ", "new_lesion_hcc": "maybe",
                                   "liver_volume": 3, "portal_vein_mm": False,
                                   "spleen_size_cm": "inf"})
    assert img == {}
    assert problems == (FieldProblem("liver_size_cm", "a.b", "not_a_number"),
                        FieldProblem("new_lesion_hcc", "maybe", "invalid"),
                        FieldProblem("liver_volume", "3", "invalid"),
                        FieldProblem("portal_vein_mm", "False", "not_a_number"),
                        FieldProblem("spleen_size_cm", "inf", "not_a_number"))
    img, problems = check_imaging({"portal_vein_mm": "0", "liver_size_cm": "5"})
    assert img == {"liver_size_cm": 5}
    assert problems == (FieldProblem("portal_vein_mm", "0", "out_of_range", "1", "40"),)


def test_vital_status_problems_exactly():
    cases = [(("", ""), (None, ())),
             ((None, "2026-12-01"), (None, (FieldProblem("death_date", "2026-12-01",
                                                         "not_allowed"),))),
             (("", TODAY), (None, (FieldProblem("death_date", "2026-12-04", "not_allowed"),))),
             (("dead", None), (None, (FieldProblem("vital_status", "dead", "invalid"),))),
             (("alive", ""), (VitalStatus("alive"), ())),
             (("alive", TODAY), (None, (FieldProblem("death_date", "2026-12-04",
                                                     "not_allowed"),))),
             (("died", ""), (None, (FieldProblem("death_date", "", "required"),))),
             (("died", " 2026-12-02 "), (VitalStatus("died", date(2026, 12, 2)), ())),
             (("died", "02.12.2026"), (None, (FieldProblem("death_date", "02.12.2026",
                                                          "invalid"),))),
             (("died", 20261202), (None, (FieldProblem("death_date", "20261202", "invalid"),))),
             (("died", date(2026, 12, 5)), (None, (FieldProblem("death_date", "2026-12-05",
                                                                "future"),))),
             (("died", "2026-12-05"), (None, (FieldProblem("death_date", "2026-12-05",
                                                           "future"),)))]
    for (status, death), want in cases:
        assert check_vital_status(status, death, today=TODAY) == want, (status, death)


def test_a_death_date_is_future_only_against_a_given_today():
    assert check_vital_status("died", "2099-01-01") == (VitalStatus("died", date(2099, 1, 1)), ())
    assert check_vital_status("died", TODAY, today=TODAY) == (VitalStatus("died", TODAY), ())
