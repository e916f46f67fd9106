"""The visit summary PDF lists the questionnaires recorded not done with their reason (the
signed record covers them; the page an investigator signs from must show them), in English and
Chinese; a signed visit shows the records its signature covers."""
from __future__ import annotations

import io
from datetime import date, timedelta

from forms.not_done import reason_text
from forms.registry import instrument_name
from pdf_text import pages_text
from reports.summary_loader import load_visit_summary
from reports.summary_model import NotDoneQuestionnaire
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage_fixtures import (PASSWORDS, answer_all, at_kiosk, enrol, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def _text(summary) -> str:  # noqa: ANN001
    buf = io.BytesIO()
    assert build_visit_summary(summary, buf) == []          # every character printable
    return " ".join(" ".join(pages_text(buf.getvalue())).split())


def test_not_done_questionnaires_are_printed_with_their_reason(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db, "T-ND", day1=date.today() - timedelta(days=1))
    first, second = sv.remaining_battery(db, v.visit_id)[:2]
    nurse = staff(db, "nurse")
    sv.mark_not_done(db, nurse, v.visit_id, first, reason="too_unwell", text="ascites 腹水")
    adm = sv.start_administration(db, nurse, visit_id=v.visit_id, instrument_id=second,
                                  language="en")
    pat = at_kiosk(db, v.visit_id)
    answer_all(db, pat, adm)
    sv.submit_administration(db, pat, adm)
    code = sv.patient_visits(db, v.patient_id)[0].code
    s = load_visit_summary(db, "T-ND", code)
    assert s.missing.not_done == (NotDoneQuestionnaire(first, "too_unwell", "ascites 腹水"),)
    text = _text(s)
    assert "Questionnaires not done" in text
    why = reason_text("too_unwell", "ascites 腹水", "en")
    assert f"{instrument_name(first, 'en')}: {why}" in text           # under "Missing data"
    assert f"Not done: {why}" in text                                 # in the instrument's block
    assert text.count("No questionnaire submitted") == 0              # the other one was
    zh = _text(load_visit_summary(db, "T-ND", code, lang="zh_CN"))
    zh_why = reason_text("too_unwell", "ascites 腹水", "zh_CN")
    assert "未完成的问卷" in zh and f"未完成：{zh_why}" in zh
    # signed: the page shows the records the signature covers
    sv.sign_visit(db, staff(db, "investigator"), v.visit_id,
                  password=PASSWORDS["investigator"], meaning="reviewed and approved",
                  username="investigator")
    assert load_visit_summary(db, "T-ND", code).missing.not_done == s.missing.not_done


def test_no_not_done_record_no_section(sqlite_db) -> None:  # noqa: F811
    v = enrol(sqlite_db, "T-ND0", day1=date.today() - timedelta(days=1))
    code = sv.patient_visits(sqlite_db, v.patient_id)[0].code
    s = load_visit_summary(sqlite_db, "T-ND0", code)
    assert s.missing.not_done == ()
    assert "Questionnaires not done" not in _text(s)
