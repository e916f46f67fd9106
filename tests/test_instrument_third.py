"""THE proof of the instrument registry (issue 11 item 2): a made-up third instrument -- one data
file and its golden vectors in ``tests/fixtures/instruments/``, found through
``EPRO_INSTRUMENTS_DIR`` -- is scored on submit, shown in the nurse review data and trends, printed in
the visit summary PDF and exported (CSV, SDTM-QS), with no code change, on the real storage.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pdf_text import lines_of
from storage_fixtures import at_kiosk, PASSWORDS, enrol, staff

from forms.errors import UserError
from forms.instrument import INSTRUMENTS_DIR_ENV
from forms.registry import registry
from reports.export.commands import run_export
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.db import open_database
from ui.nurse.backend import StorageBackend
from ui.nurse.review import ReviewWidget
from ui.nurse.trends import TrendsWidget

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instruments"
PROTOCOL = Path(__file__).resolve().parent / "fixtures" / "protocols" / "madeup_fat5.json"
ANSWERS = {"F1": 1, "F2": 2, "F3": 3, "F4": 4, "F5": 0}          # vector "mixed"
WANT = {"total": 10.0, "mean": 2.0, "n_severe": 2, "alert": ""}


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A study run under the made-up protocol (its battery gives fat5), fat5 answered by the
    patient at the baseline visit and submitted, all through the services."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES))
        assert "fat5" in registry()
        db = open_database(f"sqlite:///{tmp_path_factory.mktemp('fat5') / 'epro.db'}")
        system = system_actor()
        sv.create_study(db, system, protocol=PROTOCOL)
        for role in ("nurse", "investigator"):
            sv.create_user(db, system, username=role, full_name=f"{role.title()} Person",
                           role=role, password=PASSWORDS[role])
        v1 = enrol(db, "S-301")
        visit = next(v for v in v1.visits if v.code == "BASE")
        nurse = staff(db, "nurse")
        adm = sv.start_administration(db, nurse, visit_id=visit.id, instrument_id="fat5",
                                      language="zh_CN", station_id="KIOSK-1")
        patient = at_kiosk(db, visit.id, "KIOSK-1")
        for item, code in ANSWERS.items():
            sv.record_answer(db, patient, adm, item, code)
        scores = sv.submit_administration(db, patient, adm)
        yield db, v1, visit, adm, scores
        db.dispose()


def test_scored_on_submit_as_its_vectors_say(submitted):
    *_, scores = submitted
    for key, value in WANT.items():
        assert scores[key] == value
    assert scores["alert_reasons"] == []


def test_shown_in_the_nurse_review_data(submitted):
    db, _v1, visit, adm, _ = submitted
    review = StorageBackend(db).review(visit.id)
    ins = next(i for i in review.instruments if i.administration_id == adm)
    assert ins.instrument_id == "fat5" and ins.title == "Fatigue Five (made-up test instrument)"
    assert ins.language == "zh_CN"           # as the patient saw it
    assert [a.item_id for a in ins.answers] == list(ANSWERS)
    assert {k: ins.scores[k] for k in WANT} == WANT


def test_scores_on_the_review_screen(submitted, qtbot):
    db, _v1, visit, *_ = submitted
    w = ReviewWidget()
    qtbot.addWidget(w)
    w.set_review(StorageBackend(db).review(visit.id))
    text = w.scores.toPlainText()
    lines = text.splitlines()
    i = lines.index("Fatigue total (0-20)")
    assert lines[i:i + 6] == ["Fatigue total (0-20)", "10.0", "Fatigue mean (0-4)", "2.0",
                              "Items quite a bit or more", "2"]
    assert "ALERT" not in text                         # F5 = 0: no alert rule holds


def test_printed_in_the_visit_summary(submitted):
    db, v1, visit, _adm, _ = submitted
    summary = load_visit_summary(db, "S-301", visit.code)
    block = next(b for b in summary.scores if b.instrument_id == "fat5")
    assert [(r.key, r.measure.now) for r in block.rows] == [("total", 10.0), ("mean", 2.0),
                                                            ("n_severe", 2)]
    buf = io.BytesIO()
    build_visit_summary(summary, buf)
    lines = lines_of(buf.getvalue())
    assert "Fatigue Five (made-up test instrument) 0.9" in lines
    def cells(label: str) -> list[str]:      # now, baseline, Δ, previous, Δ (none before BASE)
        i = lines.index(label)
        return lines[i + 1:i + 6]
    assert cells("Fatigue total (0-20) (points)") == ["10.0", "\u2013", "\u2013", "\u2013",
                                                      "\u2013"]
    assert cells("Fatigue mean (0-4)")[0] == "2.0"
    assert cells("Items quite a bit or more")[0] == "2"
    assert "Fatigue five" in lines                     # its trend chart (registry series)
    # the appendix: every answer as the patient saw it (Chinese)
    assert "F1 我感到疲倦。 有一点" in lines and "F5 疲倦使我无法进行日常活动。 完全没有" in lines


def test_exported_to_csv_and_sdtm(submitted, tmp_path):
    db, *_ = submitted
    investigator = staff(db, "investigator")
    out = tmp_path / "csv"
    run_export(db, investigator, "csv", out)
    with open(out / "scores.csv", encoding="utf-8-sig", newline="") as f:
        long = {r["score"]: r["value"] for r in csv.DictReader(f) if r["instrument"] == "fat5"}
    assert float(long["fat_total"]) == 10.0 and float(long["fat_mean"]) == 2.0  # wide names
    assert int(long["fat_n_severe"]) == 2
    with open(out / "administrations_wide.csv", encoding="utf-8-sig", newline="") as f:
        wide = [r for r in csv.DictReader(f) if r["instrument"] == "fat5"]
    assert len(wide) == 1 and [wide[0][f"fat5_{i.lower()}"] for i in ANSWERS] == ["1", "2", "3",
                                                                                  "4", "0"]
    assert float(wide[0]["fat_total"]) == 10.0 and wide[0]["fat_n_severe"] == "2"
    with open(out / "data_dictionary.csv", encoding="utf-8-sig", newline="") as f:
        text = f.read()
    assert "fat_total" in text and "fat5_f1" in text.lower()
    qs = tmp_path / "qs.csv"
    run_export(db, investigator, "sdtm-qs", qs)
    with open(qs, encoding="utf-8-sig", newline="") as f:
        recs = [r for r in csv.DictReader(f) if r["QSCAT"] == "FATIGUE FIVE (TEST) 0.9"]
    assert {r["QSTESTCD"] for r in recs} >= {"FATF1", "FATF5", "FATTOTAL"}
    assert {r["QSEVLINT"] for r in recs} == {"-P7D"}


def test_charted_on_the_nurse_trends(submitted, qtbot):
    db, v1, visit, *_ = submitted
    points = StorageBackend(db).trend_points(v1.patient_id)
    here = next(p for p in points if p.visit == visit.code)
    assert here.values["fat5_total"] == 10.0            # the registry's trend series
    w = TrendsWidget()
    qtbot.addWidget(w)
    w.set_points(points)
    assert "fat5_trend" in w.plots and w.axis_labels("fat5_trend")[0] == here.label != ""


def test_a_protocol_naming_an_unregistered_instrument_is_refused(monkeypatch):
    monkeypatch.delenv(INSTRUMENTS_DIR_ENV, raising=False)       # fat5 not registered here
    with pytest.raises(UserError, match="fat5"):
        sv.read_protocol_file(PROTOCOL)
