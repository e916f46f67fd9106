"""Clinician assessment form: live scores from forms.calculators, plausibility messages, values()."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from forms import calculators as calc
from ui.nurse.clinical_form import ClinicalAssessmentForm


@pytest.fixture
def form(qtbot):
    f = ClinicalAssessmentForm()
    qtbot.addWidget(f)
    f.set_patient(sex="F", birth_year=1976)
    return f


def _set_grade(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def fill(form, bili=("2.0", "mg/dL"), alb=("3.5", "g/dL"), inr="1.7", cr=("1.0", "mg/dL"),
         na="135", ascites="none", he="none"):
    form.set_lab("bilirubin", *bili)
    form.set_lab("albumin", *alb)
    form.set_lab("inr", inr)
    form.set_lab("creatinine", *cr)
    form.set_lab("sodium", na)
    if ascites:
        _set_grade(form.ascites, ascites)
    if he:
        _set_grade(form.encephalopathy, he)


def test_nothing_preselected_and_no_scores(form):
    assert form.ascites.currentIndex() == -1 and form.encephalopathy.currentIndex() == -1
    assert all(c.currentIndex() == -1 for c in form.symptom_combos.values())
    assert form.scores.child_pugh is None and form.scores.meld is None
    assert "—" in form.score_labels["meld"].text()


def test_child_pugh_live_middle_bands_inclusive(form):
    fill(form)  # bilirubin 2.0, albumin 3.5, INR 1.7 -> 2+2+2, ascites/HE none 1+1
    assert form.scores.child_pugh.score == 8
    assert "<b>8</b>" in form.score_labels["child_pugh"].text()
    _set_grade(form.ascites, "moderate")
    assert form.scores.child_pugh.score == 10 and form.scores.child_pugh.child_class == "C"


def test_child_pugh_needs_clinician_grades(form):
    fill(form, ascites=None, he=None)
    assert form.scores.child_pugh is None and form.scores.meld is not None


@pytest.mark.parametrize("umol,points", [("34.1", 1), ("34.2", 2), ("51.3", 2), ("51.4", 3)])
def test_bilirubin_si_units_convert_exactly(form, umol, points):
    fill(form, bili=(umol, "umol/L"))
    assert form.scores.child_pugh.bilirubin_points == points


def test_meld_family_matches_calculators(form):
    fill(form, bili=("3.2", "mg/dL"), inr="1.9", cr=("150", "umol/L"), na="128")
    want = calc.meld("3.2", "1.9", "150", creatinine_unit="umol/L")
    want_na = calc.meld_na("3.2", "1.9", "150", "128", creatinine_unit="umol/L")
    assert form.scores.meld.score == want.score
    assert form.scores.meld_na.score == want_na.score
    assert f"<b>{want.score}</b>" in form.score_labels["meld"].text()
    assert form.scores.meld3 is not None


def test_all_ones_meld_is_six(form):
    fill(form, bili=("1.0", "mg/dL"), inr="1.0", cr=("1.0", "mg/dL"))
    assert form.scores.meld.score == 6


def test_meld3_shows_capped_and_uncapped(form):
    fill(form, bili=("30", "mg/dL"), alb=("1.5", "g/dL"), inr="4.0", cr=("3.0", "mg/dL"), na="125")
    assert form.scores.meld3.score == 40 and form.scores.meld3.uncapped == 47
    text = form.score_labels["meld3"].text()
    assert "<b>40</b>" in text and "47" in text


def test_meld3_needs_sex(qtbot):
    f = ClinicalAssessmentForm()
    qtbot.addWidget(f)
    fill(f)
    assert f.scores.meld is not None and f.scores.meld3 is None
    f.set_patient(sex="M", birth_year=1986)
    assert f.scores.meld3 is not None


def test_dialysis_changes_meld(form):
    fill(form, cr=("0.8", "mg/dL"))
    before = form.scores.meld.score
    form.dialysis.setChecked(True)
    assert form.scores.meld.creatinine_used == 4.0 and form.scores.meld.score > before


@pytest.mark.parametrize("name,value,unit,expect", [
    ("bilirubin", "900", "mg/dL", ["Total bilirubin", "900 mg/dL", "0.1–80 mg/dL"]),
    ("albumin", "35", "g/dL", ["Albumin", "35 g/dL", "0.5–7 g/dL"]),          # g/L typed as g/dL
    ("creatinine", "5000", "umol/L", ["Creatinine", "5000 µmol/L", "8.84–2210 µmol/L"]),
    ("sodium", "99", None, ["Sodium", "99 mmol/L", "100–180"]),
    ("inr", "abc", None, ["INR", "“abc” is not a number"]),
])
def test_implausible_values_named_and_save_blocked(form, name, value, unit, expect):
    fill(form)
    form.set_lab(name, value, unit)
    msg = form.problems_label.text()
    for part in expect:
        assert part in msg
    assert not form.save_button.isEnabled()
    form.set_lab(name, "")          # clearing the field clears the problem
    assert form.problems_label.text() == "" and form.save_button.isEnabled()


def test_optional_lab_and_imaging_checks(form):
    form.set_lab("platelets", "5000")
    assert "Platelets" in form.problems_label.text()
    form.set_lab("platelets", "85")
    form.imaging_edits["spleen_size_cm"].setText("150")
    assert "150" in form.problems_label.text() and not form.save_button.isEnabled()


def test_values_and_save_signal(form, qtbot):
    fill(form, bili=("40", "umol/L"))
    _set_grade(form.symptom_combos["appetite"], 2)
    _set_grade(form.vital, "alive")
    form.imaging_edits["spleen_size_cm"].setText("14.5")
    with qtbot.waitSignal(form.save_requested, timeout=1000) as got:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    v = got.args[0]
    assert v["labs"]["bilirubin"] == {"value": "40", "unit": "umol/L"}
    assert v["symptom_grades"] == {"appetite": 2}       # unanswered grades are absent, not 0
    assert v["ascites"] == "none" and v["vital_status"] == "alive" and v["death_date"] is None
    assert "derived" not in v                           # storage derives the scores itself
    assert form.scores.derived()["child_pugh"]["formula_id"] == "CTP-Pugh1973-INR"
    assert v["imaging"] == {"spleen_size_cm": 14.5}     # typed, not "k=v" text


def test_read_only_disables_inputs(form):
    form.set_read_only(True)
    assert not form.lab_edits["bilirubin"].isEnabled() and not form.save_button.isEnabled()
    form.set_read_only(False)
    assert form.lab_edits["bilirubin"].isEnabled() and form.unit_combos["bilirubin"].isEnabled()
    assert not form.unit_combos["sodium"].isEnabled()   # only one unit offered
