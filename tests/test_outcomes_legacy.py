"""forms.outcomes_legacy: the old clinician imaging / vital status mapped onto the outcome forms
(migration 0012): what converts, what is left over, what is refused (issue 18: mutation testing
of forms/outcomes_legacy.py)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from forms.clinical_fields import VitalStatus
from forms.outcomes_legacy import IMAGING_KEYS, NOT_CAPTURED, imaging_record, vital_record

CONSENT, TODAY, DAY = date(2026, 1, 1), date(2026, 6, 1), date(2026, 3, 1)
KW = {"consent": CONSENT, "today": TODAY}
D = Decimal


def test_what_the_old_form_never_asked():
    assert IMAGING_KEYS == ("liver_size_cm", "portal_vein_mm")
    assert NOT_CAPTURED == {"imaging": frozenset({"modality"}),
                            "vital_status": frozenset({"death_cause"})}


def test_imaging_converts_and_leaves_the_rest_over():
    old = {"liver_size_cm": D("12.5"), "portal_vein_mm": D(11), "spleen_cm": D(14),
           "hcc_suspected": True}
    assert imaging_record(old, DAY, **KW) == (
        {"date": "2026-03-01", "liver_size_cm": 12.5, "portal_vein_mm": 11},
        {"spleen_cm": D(14), "hcc_suspected": True})


def test_a_refused_value_is_left_over_and_the_other_kept():
    old = {"liver_size_cm": D(99), "portal_vein_mm": D(11)}
    assert imaging_record(old, DAY, **KW) == ({"date": "2026-03-01", "portal_vein_mm": 11},
                                              {"liver_size_cm": D(99)})
    assert imaging_record({"liver_size_cm": D(99)}, DAY, **KW) == (None, {"liver_size_cm": D(99)})


def test_imaging_not_converted():
    old = {"liver_size_cm": D(12), "spleen_cm": D(14)}
    assert imaging_record(old, date(2025, 12, 31), **KW) == (None, old)      # before consent
    assert imaging_record(old, date(2026, 6, 2), **KW) == (None, old)        # in the future
    assert imaging_record(old, None, **KW) == (None, old)
    assert imaging_record({"note": "liver big"}, DAY, **KW) == (None, {"note": "liver big"})
    noted = {"note": "unreadable old text", "liver_size_cm": D(12)}      # a note: all left over
    assert imaging_record(noted, DAY, **KW) == (None, noted)
    assert imaging_record({"liver_size_cm": None, "spleen_cm": D(14)}, DAY, **KW) == (
        None, {"liver_size_cm": None, "spleen_cm": D(14)})


def test_vital_status_alive_and_died():
    assert vital_record(VitalStatus("alive"), DAY, **KW) == {
        "contact_date": "2026-03-01", "status": "alive", "last_known_alive": "2026-03-01"}
    assert vital_record(VitalStatus("died", date(2026, 4, 1)), DAY, **KW) == {
        "contact_date": "2026-04-01", "status": "dead", "death_date": "2026-04-01"}
    assert vital_record(VitalStatus("died", date(2026, 2, 1)), DAY, **KW) == {
        "contact_date": "2026-03-01", "status": "dead", "death_date": "2026-02-01"}


def test_vital_status_not_converted():
    assert vital_record(VitalStatus("died"), DAY, **KW) is None
    assert vital_record(VitalStatus("unknown"), DAY, **KW) is None
    assert vital_record(VitalStatus("alive"), None, **KW) is None
    assert vital_record(VitalStatus("died", date(2025, 2, 1)), DAY, **KW) is None
    assert vital_record(VitalStatus("alive"), date(2026, 6, 2), **KW) is None
