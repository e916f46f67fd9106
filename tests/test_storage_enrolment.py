"""Enrolment through storage (protocol.md §3-§4): screening recomputed from raw inputs, stored
with its per-criterion results; override only by an investigator with a reason; arm from the
concealed allocation list, never by hand; correction audited; import of a sealed list."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forms.errors import UserError
from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.errors import PermissionDenied
from storage.models import AllocationSlot, AuditEvent, Enrolment, Patient
from storage_fixtures import (db, eligible_screening, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)

DAY1 = date.today()


def _enrol(db, subject, actor=None, **kw):  # noqa: ANN001, ANN003, ANN202, F811
    screening = kw.pop("screening", None) or eligible_screening(db, DAY1)
    return sv.enrol_patient(db, actor or staff(db, "nurse"), subject_id=subject, initials="AB",
                            sex="F", day1_date=DAY1, screening=screening, **kw)


def test_storage_recomputes_and_stores_inputs_criteria_and_result(db) -> None:  # noqa: F811
    pid = _enrol(db, "E-1")
    rec = sv.enrolment_record(db, pid)
    proto = sv.current_protocol(db)
    assert rec.result == "eligible" and rec.override_by is None
    assert [c.id for c in rec.criteria] == [c.id for c in proto.criteria]
    assert all(c.met is True for c in rec.criteria)
    assert rec.derived["child_pugh"]["score"] == 8 and rec.derived["meld"]["score"] == 14
    assert rec.screening == eligible_screening(db, DAY1)              # raw inputs kept as typed
    assert (rec.protocol_id, rec.protocol_version) == (proto.protocol_id, proto.version)
    with db.session() as s:
        e = s.scalar(select(Enrolment).where(Enrolment.patient_id == pid))
        assert e.inputs["labs"]["bilirubin"] == {"value": "2.5", "unit": "mg/dL"}
    assert verify_audit(db).ok


@pytest.mark.parametrize("change, result, ids", [
    (dict(decompensated=False, decompensation_kinds=()), "ineligible", ["decompensated_cirrhosis"]),
    (dict(labs={}), "undetermined", ["decompensated_cirrhosis"]),        # scores unknown
    (dict(antiviral=None), "undetermined", ["hbv_antiviral"]),
    (dict(consent_date=DAY1 - timedelta(days=3)), "ineligible", ["consent"]),  # after screening
])
def test_not_eligible_or_undetermined_is_refused_without_an_override(sqlite_db, change, result,
                                                                      ids) -> None:  # noqa: F811
    db = sqlite_db
    raw = eligible_screening(db, DAY1, **change)
    with pytest.raises(PermissionDenied, match=result):
        _enrol(db, "E-2", screening=raw)
    with pytest.raises(PermissionDenied):                    # a nurse cannot override
        _enrol(db, "E-2", screening=raw, override_by=staff(db, "nurse"), override_reason="x")
    with pytest.raises(UserError, match="reason"):
        _enrol(db, "E-2", screening=raw, override_by=staff(db, "investigator"),
               override_reason="  ")
    with db.session() as s:                                   # nothing half-enrolled
        assert s.scalar(select(Patient.id).where(Patient.subject_id == "E-2")) is None
        assert s.scalar(select(AllocationSlot.id).where(AllocationSlot.used_by.isnot(None))) \
            is None
    pid = _enrol(db, "E-2", screening=raw, override_by=staff(db, "investigator"),
                 override_reason="PI decision, see note 12")
    rec = sv.enrolment_record(db, pid)
    assert rec.result == result and rec.override_by == "investigator"
    assert [c.id for c in rec.criteria if c.met is not True] == ids
    with db.session() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.override"))
        assert ev.reason == "PI decision, see note 12" and ev.actor_username == "nurse"


def test_arm_comes_from_the_allocation_list_never_from_the_caller(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    with pytest.raises(UserError, match="never chosen by hand"):
        _enrol(db, "A-0", arm="low")
    arms = [sv.get_patient(db, _enrol(db, f"A-{i}")).arm for i in range(1, 19)]
    proto = sv.current_protocol(db)
    assert set(arms) <= {a.id for a in proto.arms}
    # permuted blocks of 3 or 6 with ratio 1:1:1: after whole blocks the arms are balanced,
    # and never more than 2 apart at any point
    for n in range(1, len(arms) + 1):
        c = Counter(arms[:n])
        assert max(c.values()) - min(c.get(a.id, 0) for a in proto.arms) <= 2
    seqs = [sv.enrolment_record(db, sv.find_patient(db, f"A-{i}").id).allocation_sequence
            for i in range(1, 19)]
    assert seqs == list(range(1, 19))


def test_unused_slots_stay_concealed_from_the_audit_trail_and_status(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    st = sv.allocation_status(db)
    assert st.method == "permuted_blocks" and st.used == 0 and st.unused >= 60
    with db.session() as s:
        slot_fields = {f for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "allocation_slot")) for f in e.fields()}
        gen = s.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "allocation.generated"))
    assert "arm" not in slot_fields and "sha256=" in gen
    assert not any(a.id in gen for a in sv.current_protocol(db).arms)
    _enrol(db, "C-1")
    assert sv.allocation_status(db).used == 1


def test_arm_correction_only_by_an_investigator_with_a_reason(sqlite_db) -> None:  # noqa: F811
    db = sqlite_db
    pid = _enrol(db, "K-1")
    old = sv.get_patient(db, pid).arm
    other = next(a.id for a in sv.current_protocol(db).arms if a.id != old)
    with pytest.raises(PermissionDenied):
        sv.correct_arm(db, staff(db, "nurse"), pid, arm=other, reason="wrong envelope")
    with pytest.raises(UserError):
        sv.correct_arm(db, staff(db, "investigator"), pid, arm=other, reason=" ")
    with pytest.raises(UserError, match="Unknown arm"):
        sv.correct_arm(db, staff(db, "investigator"), pid, arm="A", reason="x")
    sv.correct_arm(db, staff(db, "investigator"), pid, arm=other, reason="wrong envelope")
    assert sv.get_patient(db, pid).arm == other
    with db.session() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.entity == "patient",
                                               AuditEvent.operation == "update"))
        assert (ev.fields()["arm"], ev.reason) == ([old, other], "wrong envelope")
    assert verify_audit(db).ok


def _protocol_variant(tmp_path, **changes):  # noqa: ANN001, ANN003, ANN202
    from forms.protocol import DEFAULT_PROTOCOL_PATH
    data = json.loads(DEFAULT_PROTOCOL_PATH.read_text(encoding="utf-8"))
    for path, value in changes.items():
        node = data
        *head, last = path.split("__")
        for k in head:
            node = node[k]
        node[last] = value
    p = tmp_path / "changed.json"
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return p


def test_study_load_same_file_is_a_noop_changed_file_a_new_audited_version(sqlite_db,
                                                                           tmp_path) -> None:  # noqa: F811
    from forms.protocol import DEFAULT_PROTOCOL_PATH
    db, admin = sqlite_db, staff(sqlite_db, "admin")
    first = sv.current_protocol(db)
    same = sv.load_protocol_version(db, admin, DEFAULT_PROTOCOL_PATH)
    assert not same.changed and same.sha256 == first.sha256
    with pytest.raises(PermissionDenied):
        sv.load_protocol_version(db, staff(db, "nurse"), DEFAULT_PROTOCOL_PATH)
    old_pid = _enrol(db, "V-1")
    changed = sv.load_protocol_version(db, admin, _protocol_variant(tmp_path, version="1.1"))
    assert changed.changed and changed.version == "1.1" and changed.sha256 != first.sha256
    assert sv.study_show(db)["version"] == "1.1"
    new_pid = _enrol(db, "V-2")
    assert sv.enrolment_record(db, old_pid).protocol_version == "1.0"   # enrolled under 1.0
    assert sv.enrolment_record(db, new_pid).protocol_version == "1.1"
    with db.session() as s:
        loads = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "protocol.load",
                                                        AuditEvent.operation == "event")))
    assert [e.actor_username for e in loads][-1] == "admin" and "1.1" in loads[-1].detail
    other = _protocol_variant(tmp_path, study__protocol_id="OTHER-1")
    with pytest.raises(UserError, match="runs study"):
        sv.load_protocol_version(db, admin, other)


def test_imported_allocation_list_for_a_list_protocol(sqlite_db, tmp_path) -> None:  # noqa: F811
    db, admin = sqlite_db, staff(sqlite_db, "admin")
    lst = tmp_path / "sealed.csv"
    lst.write_text("seq,arm\n1001,high\n1002,low\n", encoding="utf-8")
    with pytest.raises(UserError, match="permuted blocks"):      # not a list protocol
        sv.import_allocation_list(db, admin, lst)
    sv.load_protocol_version(db, admin, _protocol_variant(
        tmp_path, version="2.0", allocation={"method": "list",
                                             "ratio": {"low": 1, "medium": 1, "high": 1}}))
    with pytest.raises(UserError, match="allocation list is used up"):
        _enrol(db, "L-0")
    with pytest.raises(PermissionDenied):
        sv.import_allocation_list(db, staff(db, "nurse"), lst)
    assert sv.import_allocation_list(db, admin, lst) == 2
    with pytest.raises(UserError, match="already in the allocation table"):
        sv.import_allocation_list(db, admin, lst)
    arms = [sv.get_patient(db, _enrol(db, f"L-{i}")).arm for i in (1, 2)]
    assert arms == ["high", "low"]                                    # in sequence order
    with pytest.raises(UserError, match="used up"):
        _enrol(db, "L-3")


def test_study_show_on_a_fresh_database_meets_the_issue(sqlite_db) -> None:  # noqa: F811
    show = sv.study_show(sqlite_db)
    assert len(show["arms"]) == 3 and all(set(a["label"]) >= {"en", "zh_CN"}
                                          for a in show["arms"])
    visits = {v["id"]: v for v in show["visits"]}
    assert visits["W52"]["day"] == 365 and "W48" not in visits
    assert {"ET", "UNS"} <= set(visits)
    sf36 = sorted(k for k, v in visits.items() if "rand36" in v["battery"])
    assert sf36 == sorted(["BL", "W4", "W12", "W24", "W36", "W52", "ET", "UNS"])
    assert len(show["eligibility"]["inclusion"]) == 5
    assert len(show["eligibility"]["exclusion"]) == 9


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_visit_summary_prints_the_arm_label_not_its_id(sqlite_db, lang) -> None:  # noqa: F811
    from reports.summary_loader import load_visit_summary
    pid = _enrol(sqlite_db, "PDF-ARM")
    arm = sv.get_patient(sqlite_db, pid).arm
    summary = load_visit_summary(sqlite_db, "PDF-ARM", "BL", lang=lang)
    assert summary.arm == sv.current_protocol(sqlite_db).arm(arm).label[lang] != arm


def test_concurrent_enrolments_take_distinct_slots_in_order(db) -> None:  # noqa: F811
    """Two stations enrolling at the same time (threads, own transactions): every slot used
    once, sequence numbers 1..n without a gap, no extra batch generated."""
    from concurrent.futures import ThreadPoolExecutor
    unused = sv.allocation_status(db).unused

    def station(k: int) -> list[int]:
        return [_enrol(db, f"T{k}-{i}") for i in range(5)]

    with ThreadPoolExecutor(2) as pool:
        pids = [p for chunk in pool.map(station, (1, 2)) for p in chunk]
    seqs = sorted(sv.enrolment_record(db, p).allocation_sequence for p in pids)
    assert seqs == list(range(1, 11))
    st = sv.allocation_status(db)
    assert (st.used, st.used + st.unused) == (10, unused)
