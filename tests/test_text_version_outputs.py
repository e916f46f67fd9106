"""The text version a patient saw (language, id, SHA-256) reaches the CSV export, the visit summary
PDF appendix and the nurse Review header, on the real storage."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from pdf_text import pages_text

from forms.instrument import INSTRUMENT_DIR, load_instrument
from reports.export.commands import run_export
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401
from ui.nurse.backend import StorageBackend

NOW = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def done(sqlite_db):  # noqa: F811
    """rand36 answered in Chinese (project text) at the first visit; installed text later."""
    v = enrol(sqlite_db)
    nurse = staff(sqlite_db, "nurse")
    aid = sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id, instrument_id="rand36",
                                  language="zh_CN", station_id="K-1")
    answer_all(sqlite_db, nurse, aid)
    sv.submit_administration(sqlite_db, nurse, aid)
    # a site translation installed afterwards must not change what this visit shows
    doc = json.loads((INSTRUMENT_DIR / "rand36.zh_CN.json").read_text(encoding="utf-8"))
    doc.update(text_version="site-later", status="validated", validated=True)
    doc["response_sets"]["general_health"]["1"] = "极好"
    sv.install_translation(sqlite_db, staff(sqlite_db, "admin"),
                           json.dumps(doc, ensure_ascii=False).encode(), "site.json")
    return sqlite_db, v, aid


def _zh():
    return load_instrument("rand36").text_version("zh_CN")


def test_csv_export_has_text_version_and_hash(done, tmp_path):
    db, _v, aid = done
    run_export(db, staff(db, "investigator"), "csv", tmp_path / "out")
    with open(tmp_path / "out" / "administrations_wide.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["administration_id"] == str(aid))
    assert (row["language"], row["text_version"], row["text_sha256"]) == (
        "zh_CN", _zh().version_id, _zh().sha256)
    with open(tmp_path / "out" / "data_dictionary.csv", encoding="utf-8-sig") as f:
        names = [r["variable"] for r in csv.DictReader(f)]
    assert {"text_version", "text_sha256"} <= set(names)


def test_pdf_appendix_names_the_text_version_and_prints_that_text(done):
    db, v, _aid = done
    visit = sv.patient_visits(db, v.patient_id)[0]
    summary = load_visit_summary(db, "S-001", visit.code, lang="en", now=NOW)
    [sec] = [s for s in summary.appendix if s.instrument_id == "rand36"]
    assert sec.language == "zh_CN"
    assert sec.text_version == f"{_zh().version_id} · sha256 {_zh().sha256[:12]}"
    q1 = next(i for i in sec.items if i.label == "1")
    assert q1.text == "总的来说，您觉得您的健康状况是：" and q1.answer == "非常好"  # not "极好"
    buf = io.BytesIO()
    build_visit_summary(summary, buf)
    text = "\n".join(pages_text(buf.getvalue()))
    assert f"Text version shown: {_zh().version_id}" in text


def test_nurse_review_header_shows_language_and_text_version(qtbot, done):
    from ui.nurse.review import ReviewWidget
    db, v, _aid = done
    review = StorageBackend(db).review(v.visit_id)
    [ins] = [i for i in review.instruments if i.instrument_id == "rand36"]
    assert ins.language == "zh_CN" and ins.text_version.startswith(_zh().version_id)
    w = ReviewWidget()
    qtbot.addWidget(w)
    w.set_review(review)
    header = w.tree.topLevelItem(0).text(0)
    # the language by name (no internal code on screen, issue 14 item 8) and the text version
    assert "Simplified Chinese" in header and f"text {_zh().version_id}" in header
