"""A submit reads the administration's answers ONCE for its branching, scores and warning signs
(``scoring.store_with_findings`` gets the codes the submit read; issue 16: a demo patient
submits ~8 questionnaires), and
stores the same scores and alerts as computing them apart."""
from __future__ import annotations

from sqlalchemy import event, select

from forms import csc
from storage import services as sv
from storage.models import Administration
from storage.services import scoring
from storage_fixtures import answer_all, enrol, sqlite_db, sqlite_template, staff  # noqa: F401


def test_submit_reads_the_answers_once_for_scores_and_alerts(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    v = enrol(db, "S-READS")
    nurse = staff(db, "nurse")
    aid = sv.start_administration(db, nurse, visit_id=v.visit_id,
                                  instrument_id=csc.INSTRUMENT_ID, language="en")
    answer_all(db, nurse, aid, lambda item, options: csc.YES if item == "A3"
               else 0 if 0 in options else options[0])
    reads: list[str] = []

    def seen(_conn, _cursor, sql, *_rest) -> None:  # noqa: ANN001
        if sql.lstrip().startswith("SELECT") and "FROM answer" in sql:
            reads.append(sql)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        flat = sv.submit_administration(db, nurse, aid)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(reads) == 1          # branching, scores and alerts: one read (was two)
    assert flat["alert"] == "red"
    assert [a.item_id for a in sv.list_alerts(db)] == ["A3"]
    with db.read_session() as s:
        adm = s.scalar(select(Administration).where(Administration.id == aid))
        both = scoring.store_with_findings(s, adm)
        assert scoring.compute(s, adm) and both[0] == scoring.stored_scores(s, aid)
        assert both[1] == scoring.findings(s, adm)
