"""The visit summary's appendix on a real corrected + skipped visit (issue 14 item 4): the
patient's ORIGINAL answer is printed; each corrected item is marked with the corrected value
and the correction's reason; a skipped item is marked skipped with its reason and is listed
under "Missing data". Read back from the PDF's text layer (pypdf)."""
from __future__ import annotations

import io

import pytest
from pdf_text import lines_of

from forms.instrument import load_instrument, localize
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage_fixtures import (answer_all, at_kiosk, enrol, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


@pytest.fixture
def corrected_visit(sqlite_db):
    """Baseline SF-36 (rand36) answered at the kiosk: q1 later corrected by a nurse, q2 skipped
    by the patient."""
    v = enrol(sqlite_db, "S-042")
    kiosk = at_kiosk(sqlite_db, v.visit_id, "KIOSK-1")
    aid = sv.start_administration(sqlite_db, staff(sqlite_db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    answer_all(sqlite_db, kiosk, aid, lambda item, codes: codes[0])
    sv.skip_item(sqlite_db, kiosk, aid, "q2", "prefer_not_to_answer")
    sv.submit_administration(sqlite_db, kiosk, aid)
    sv.correct_answer(sqlite_db, staff(sqlite_db, "nurse"), aid, "q1", 3,
                      reason="transcription_error: the patient pointed at box 3")
    code = sv.patient_visits(sqlite_db, v.patient_id)[0].code
    return sqlite_db, code


def _pdf_lines(db, code: str, lang: str) -> tuple[list[str], object]:
    s = load_visit_summary(db, "S-042", code, lang=lang)
    buf = io.BytesIO()
    build_visit_summary(s, buf)
    return lines_of(buf.getvalue()), s


def test_appendix_prints_the_original_and_marks_the_correction_and_the_skip(corrected_visit):
    db, code = corrected_visit
    lines, s = _pdf_lines(db, code, "en")
    opts = dict(localize(load_instrument("rand36"), "en").options("q1"))
    original, corrected = opts[1], opts[3]
    q1 = next(i for sec in s.appendix for i in sec.items if i.label == "1")
    assert (q1.answer, q1.code) == (original, 1)                    # the patient's own answer
    assert q1.corrections == ((corrected, "transcription_error: the patient pointed at box 3"),)
    text = "\n".join(lines)
    appendix = text[text.index("Answers as entered"):]
    assert original in appendix
    flat = " ".join(appendix.split())
    assert (f"Corrected to: {corrected}. Reason: Transcription / entry error: the patient "
            "pointed at box 3") in flat
    assert "transcription_error" not in flat
    assert "(skipped: prefers not to answer)" in flat
    missing = " ".join(text[text.index("Missing data"):text.index("Answers as entered")].split())
    assert "Skipped items" in missing and "prefers not to answer" in missing
    q2_text = localize(load_instrument("rand36"), "en").text("q2")
    assert " ".join(q2_text.split())[:25] in missing


def test_appendix_marks_in_chinese(corrected_visit):
    db, code = corrected_visit
    lines, _s = _pdf_lines(db, code, "zh_CN")
    flat = "".join("".join(lines).split())
    assert "已更正为" in flat and "转录/录入错误" in flat and "跳过：不愿回答" in flat
