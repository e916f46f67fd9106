"""Which outcome forms a visit offers (issue 15): adverse events and vital status at every visit
after dosing, HCC at every imaging visit after dosing, nothing of the kind before the dose; a
record without a visit (between visits) is taken too. Through the services on the real storage,
with the bundled NCT01342250 protocol the database stores."""
from __future__ import annotations

from datetime import date, timedelta

from forms.outcomes import visit_outcome_kinds
from storage import services as sv
from storage_fixtures import enrol, sqlite_db, sqlite_template, staff  # noqa: F401

AE = {"term": "Nausea", "grade": 1, "serious": "no", "relatedness": "possible",
      "action": "none", "outcome": "recovered"}


def test_adverse_events_and_vital_status_at_every_visit_after_dosing(  # noqa: F811
        sqlite_db) -> None:
    protocol = sv.current_protocol(sqlite_db)
    kinds = {v.id: visit_outcome_kinds(protocol, v.id) for v in protocol.visits}
    for code in ("W1", "W2", "W4", "W8", "W12", "W24", "W36", "W52", "ET", "UNS1"):
        got = visit_outcome_kinds(protocol, code)
        assert {"adverse_event", "vital_status"} <= set(got), code
    for code in ("W12", "W24", "W36", "W52", "ET", "UNS3"):
        assert "hcc" in visit_outcome_kinds(protocol, code), code
    assert "adverse_event" in kinds["D1"]                    # infusion reactions on the day
    for code in ("SCR", "BL"):                               # before the dose: no AE yet
        assert not {"adverse_event", "vital_status", "hcc"} & set(kinds[code]), code


def test_an_adverse_event_is_recorded_at_a_follow_up_visit_and_between_visits(  # noqa: F811
        sqlite_db) -> None:
    v = enrol(sqlite_db, "T-AEW4", day1=date.today() - timedelta(days=40))
    nurse = staff(sqlite_db, "nurse")
    w4 = next(x for x in v.visits if x.code == "W4")
    onset = (date.today() - timedelta(days=12)).isoformat()
    sv.record_outcome(sqlite_db, nurse, v.patient_id, "adverse_event", {**AE, "onset": onset},
                      visit_id=w4.id)
    sv.record_outcome(sqlite_db, nurse, v.patient_id, "adverse_event",
                      {**AE, "term": "Headache", "onset": onset})          # between visits
    sv.record_outcome(sqlite_db, nurse, v.patient_id, "vital_status",
                      {"contact_date": onset, "status": "alive", "last_known_alive": onset},
                      visit_id=w4.id)
    recs = sv.list_outcomes(sqlite_db, None, patient_id=v.patient_id)
    assert sorted((r.kind, r.fields.get("term"), r.visit_code) for r in recs) == [
        ("adverse_event", "Headache", None), ("adverse_event", "Nausea", "W4"),
        ("vital_status", None, "W4")]
    assert set(visit_outcome_kinds(sv.current_protocol(sqlite_db), "W4")) >= {
        "adverse_event", "vital_status"}
