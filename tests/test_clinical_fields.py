"""forms.clinical_fields: imaging and vital status as typed values, one check for screen and storage."""
from __future__ import annotations

from datetime import date

import pytest

from forms.clinical_fields import FieldProblem, VitalStatus, check_imaging, check_vital_status


def test_imaging_numbers_become_json_numbers_and_empty_fields_are_absent() -> None:
    img, problems = check_imaging({"liver_size_cm": "13,5", "portal_vein_mm": 12,
                                   "spleen_size_cm": "", "new_lesion_hcc": "no"})
    assert problems == ()
    assert img == {"liver_size_cm": 13.5, "portal_vein_mm": 12, "new_lesion_hcc": "no"}
    assert isinstance(img["portal_vein_mm"], int)
    assert check_imaging(None) == ({}, ()) and check_imaging({"new_lesion_hcc": None}) == ({}, ())


@pytest.mark.parametrize("value, ok", [("0.99", False), ("1", True), ("40", True),
                                       ("40.01", False)])
def test_imaging_range_ends_inclusive(value, ok) -> None:
    img, problems = check_imaging({"spleen_size_cm": value})
    assert bool(img) is ok and (problems == ()) is ok
    if not ok:
        assert problems == (FieldProblem("spleen_size_cm", value, "out_of_range", "1", "40"),)


@pytest.mark.parametrize("raw, kind", [({"liver_size_cm": "abc"}, "not_a_number"),
                                       ({"liver_size_cm": True}, "not_a_number"),
                                       ({"liver_size_cm": "nan"}, "not_a_number"),
                                       ({"new_lesion_hcc": "maybe"}, "invalid"),
                                       ({"liver_volume": "3"}, "invalid")])
def test_imaging_problems(raw, kind) -> None:
    img, problems = check_imaging(raw)
    assert img == {} and [p.kind for p in problems] == [kind]


def test_vital_status_codes_and_death_date_rules() -> None:
    today = date(2026, 12, 4)
    assert check_vital_status(None, None) == (None, ())
    assert check_vital_status("alive", None) == (VitalStatus("alive"), ())
    assert check_vital_status("died", "2026-12-02", today=today) == \
        (VitalStatus("died", date(2026, 12, 2)), ())
    assert check_vital_status("died", today, today=today)[0].death_date == today
    for status, death, kind in (("died", None, "required"), ("alive", "2026-12-01", "not_allowed"),
                                ("died", "2026-12-05", "future"), ("died", "12/02/2026", "invalid"),
                                ("dead", None, "invalid"), (None, "2026-12-01", "not_allowed")):
        vital, problems = check_vital_status(status, death, today=today)
        assert vital is None and [p.kind for p in problems] == [kind], (status, death)
