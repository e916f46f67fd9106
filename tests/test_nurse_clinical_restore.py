"""The nurse clinical form round-trips dialysis (and the stored Child-Pugh variant) through
real storage: saved from the tick box, restored into it, live scores equal the stored ones."""
from __future__ import annotations

from datetime import date

from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.clinical_form import ClinicalAssessmentForm
from ui.nurse.clinical_load import fill_form


def _form(qtbot) -> ClinicalAssessmentForm:  # noqa: ANN001
    f = ClinicalAssessmentForm()
    qtbot.addWidget(f)
    f.set_patient(sex="F", birth_year=1966)
    return f


def _pitfall2(form: ClinicalAssessmentForm) -> None:
    for name, value, unit in (("bilirubin", "1.5", "mg/dL"), ("albumin", "3.0", "g/dL"),
                              ("inr", "1.6", None), ("creatinine", "0.8", "mg/dL"),
                              ("sodium", "128", None)):
        form.set_lab(name, value, unit)
    form.ascites.setCurrentIndex(form.ascites.findData("slight"))
    form.encephalopathy.setCurrentIndex(form.encephalopathy.findData("none"))


def test_dialysis_tick_is_saved_and_restored(qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    backend = StorageBackend(sqlite_db)
    form = _form(qtbot)
    _pitfall2(form)
    form.dialysis.setChecked(True)
    assert form.scores.meld_na.score == 30
    backend.save_clinical(staff(sqlite_db, "nurse"), v.visit_id, form.values())
    stored = backend.clinical(v.visit_id)
    assert stored["dialysis"] is True
    assert stored["derived"]["meld_na"]["score"] == 30     # storage agrees with the form

    again = _form(qtbot)
    fill_form(again, stored)
    assert again.dialysis.isChecked()
    assert again.scores.meld_na.score == 30 and again.scores.meld.score == 26
    fill_form(again, None)                                 # another visit: cleared
    assert not again.dialysis.isChecked()


def test_stored_pbc_variant_is_kept_on_re_save(qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    sv.enter_clinical_assessment(sqlite_db, nurse, v.visit_id, {
        "sample_date": date.today(), "ascites": "slight", "encephalopathy": "none",
        "child_pugh_variant": "pbc", "dialysis": False,
        "labs": {"bilirubin": {"value": 3.5, "unit": "mg/dL"},
                 "albumin": {"value": 3.0, "unit": "g/dL"}, "inr": {"value": 1.6},
                 "creatinine": {"value": 0.8, "unit": "mg/dL"}}})
    backend = StorageBackend(sqlite_db)
    form = _form(qtbot)
    fill_form(form, backend.clinical(v.visit_id))
    assert form.scores.child_pugh.formula_id == "CTP-Pugh1973-INR-PBC"
    values = form.values()
    assert values["child_pugh_variant"] == "pbc"
    backend.save_clinical(nurse, v.visit_id, {**values, "reason": "re-checked",
                                              "expected_version": form.existing_version})
    assert backend.clinical(v.visit_id)["child_pugh_variant"] == "pbc"
