"""One authority for the liver scores, seen from the nurse screens on the REAL storage (SQLite
template copy): the clinician form previews with forms.liver, storage derives and stores on
save, the Review tab and the form show what storage stored. Imaging and vital status travel
typed (no "k=v" / "died DATE" text)."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select, update

from forms.errors import UserError
from forms.liver import LiverInputs, age_on, derive_liver_scores
from storage import services as sv
from storage.models import ClinicalAssessment
from storage.services.clinical import read_imaging, read_vital_status
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import db, enrol, pg_template, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.clinical_form import ClinicalAssessmentForm
from ui.nurse.clinical_load import fill_form
from ui.nurse.review import ReviewWidget

LABS = (("bilirubin", "51.3", "umol/L"), ("albumin", "30", "g/L"), ("inr", "1.8", None),
        ("creatinine", "1.2", "mg/dL"), ("sodium", "130", None))


def _form(qtbot, backend: StorageBackend, patient_id: int) -> ClinicalAssessmentForm:  # noqa: ANN001
    info = backend.patient(patient_id)
    f = ClinicalAssessmentForm()
    qtbot.addWidget(f)
    f.set_patient(sex=info.sex, birth_year=info.birth_year)
    return f


def _fill(form: ClinicalAssessmentForm) -> None:
    for name, value, unit in LABS:
        form.set_lab(name, value, unit)
    form.ascites.setCurrentIndex(form.ascites.findData("slight"))
    form.encephalopathy.setCurrentIndex(form.encephalopathy.findData("none"))


def _saved(qtbot, sqlite_db):  # noqa: ANN001, F811
    v = enrol(sqlite_db)
    backend = StorageBackend(sqlite_db)
    form = _form(qtbot, backend, v.patient_id)
    _fill(form)
    with qtbot.waitSignal(form.save_requested, timeout=2000) as sent:
        form.save_button.click()
    backend.save_clinical(staff(sqlite_db, "nurse"), v.visit_id, sent.args[0])
    return v, backend, form


def test_review_tab_shows_the_stored_liver_scores(qtbot, sqlite_db) -> None:  # noqa: F811
    v, backend, _ = _saved(qtbot, sqlite_db)
    derived = backend.clinical(v.visit_id)["derived"]
    assert derived["child_pugh"]["score"] == 9 and derived["meld_na"]["score"] == 24
    review = ReviewWidget()
    qtbot.addWidget(review)
    review.set_review(backend.review(v.visit_id), [])
    text = review.scores.toPlainText()
    assert "Child-Pugh 9 (class B)" in text
    for label, key in (("MELD", "meld"), ("MELD-Na", "meld_na"), ("MELD 3.0", "meld3")):
        assert f"{label} {derived[key]['score']}" in text
    assert "—" not in text


def test_form_shows_what_storage_stored_beside_the_live_preview(qtbot, sqlite_db) -> None:  # noqa: F811
    v, backend, form = _saved(qtbot, sqlite_db)
    stored = backend.clinical(v.visit_id)
    preview = form.scores.derived()
    assert {k: stored["derived"][k]["score"] for k in preview} == \
        {k: preview[k]["score"] for k in preview}                  # one function, same values
    shown = _form(qtbot, backend, v.patient_id)
    fill_form(shown, stored)
    assert "Child-Pugh: <b>9</b>" in shown.stored_label.text()
    assert f"MELD-Na: <b>{stored['derived']['meld_na']['score']}</b>" in shown.stored_label.text()
    shown.ascites.setCurrentIndex(shown.ascites.findData("moderate"))   # an unsaved edit
    assert "<b>10</b>" in shown.score_labels["child_pugh"].text()       # the live preview
    assert "Child-Pugh: <b>9</b>" in shown.stored_label.text()          # storage still holds 9
    fill_form(shown, None)
    assert shown.stored_label.text() == ""


def test_storage_derives_itself_and_ignores_scores_sent_by_a_screen(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    labs = {n: {"value": val, "unit": u or ""} for n, val, u in LABS}
    sample = date.today() - timedelta(days=1)
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "nurse"), v.visit_id, {
        "sample_date": sample, "labs": labs, "ascites": "slight", "encephalopathy": "none",
        "derived": {"child_pugh": {"score": 15, "class": "C"}}})
    info = StorageBackend(sqlite_db).patient(v.patient_id)
    want = derive_liver_scores(LiverInputs(labs=labs, ascites="slight", encephalopathy="none",
                                           sex=info.sex, age=age_on(info.birth_year, sample)))
    assert sv.clinical_assessment(sqlite_db, v.visit_id)["derived"] == json.loads(
        json.dumps(want.derived()))


def test_imaging_and_vital_status_are_stored_typed_and_restored(qtbot, sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    backend = StorageBackend(sqlite_db)
    form = _form(qtbot, backend, v.patient_id)
    form.imaging_edits["liver_size_cm"].setText("13,5")
    form.imaging_edits["portal_vein_mm"].setText("12")
    form.new_lesion.setCurrentIndex(form.new_lesion.findData("no"))
    form.vital.setCurrentIndex(form.vital.findData("died"))
    died = date.today() - timedelta(days=3)
    form.death_date.setDate(died)
    backend.save_clinical(staff(sqlite_db, "nurse"), v.visit_id, form.values())
    stored = backend.clinical(v.visit_id)
    assert stored["imaging"] == {"liver_size_cm": 13.5, "portal_vein_mm": 12,
                                 "new_lesion_hcc": "no"}
    assert stored["vital_status"] == "died" and stored["death_date"] == died
    with sqlite_db.session() as s:
        row = s.scalar(select(ClinicalAssessment).where(ClinicalAssessment.visit_id == v.visit_id))
        assert json.loads(row.imaging) == stored["imaging"] and "=" not in row.imaging
        assert json.loads(row.vital_status) == ["died", died.isoformat()]
    again = _form(qtbot, backend, v.patient_id)
    fill_form(again, stored)
    assert again.imaging_edits["liver_size_cm"].text() == "13.5"
    assert again.new_lesion.currentData() == "no" and again.vital.currentData() == "died"
    assert again.death_date.date().toPython() == died


def test_text_imaging_or_a_death_without_date_is_refused(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    for bad in ({"imaging": "liver_size_cm=13"}, {"imaging": {"spleen_size_cm": 90}},
                {"vital_status": "died"}, {"vital_status": "alive", "death_date": date.today()},
                {"vital_status": "died", "death_date": date.today() + timedelta(days=2)}):
        try:
            sv.enter_clinical_assessment(sqlite_db, nurse, v.visit_id, bad)
        except UserError:
            continue
        raise AssertionError(f"accepted {bad}")
    assert sv.clinical_assessment(sqlite_db, v.visit_id) is None


def test_rows_stored_before_the_typed_form_are_still_read(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db)
    sv.enter_clinical_assessment(sqlite_db, staff(sqlite_db, "nurse"), v.visit_id,
                                 {"vital_status": "alive"})
    with sqlite_db.session() as s:       # an old row's text, as the nurse form wrote it before
        s.execute(update(ClinicalAssessment).values(
            imaging="liver_size_cm=13.5; new_lesion_hcc=no", vital_status="died 2026-01-02"))
    stored = sv.clinical_assessment(sqlite_db, v.visit_id)
    assert stored["imaging"] == {"liver_size_cm": 13.5, "new_lesion_hcc": "no"}
    assert stored["vital_status"] == "died" and stored["death_date"] == date(2026, 1, 2)
    assert read_imaging("free text") == {"note": "free text"}
    assert read_vital_status("alive").status == "alive" and read_vital_status(None) is None


def test_typed_imaging_and_vital_status_fit_their_columns(db) -> None:  # noqa: F811
    """SQLite and PostgreSQL (vital_status is VARCHAR(32) there)."""
    v = enrol(db)
    died = date.today() - timedelta(days=1)
    imaging = {"liver_size_cm": 39.5, "portal_vein_mm": 40, "spleen_size_cm": 1.5,
               "new_lesion_hcc": "not_done"}
    sv.enter_clinical_assessment(db, staff(db, "nurse"), v.visit_id, {
        "imaging": imaging, "vital_status": "died", "death_date": died.isoformat()})
    stored = sv.clinical_assessment(db, v.visit_id)
    assert stored["imaging"] == imaging and stored["death_date"] == died
