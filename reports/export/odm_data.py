"""``--format odm``: one CDISC ODM 1.3.2 Snapshot file, streamed patient by patient.

Study (metadata, ``odm_meta``), AdminData (staff users plus the participant and the system as
data originators; locations = sites and stations; one SignatureDef per signature meaning) and
ClinicalData: SubjectData → StudyEventData (one per visit; enrolment data in its own event) →
FormData (one per administration, FormRepeatKey = administration id) → ItemGroupData (answers,
administration facts, scores) → ItemData. An answer whose code changed carries an AuditRecord
of its latest change (user, location, UTC time, reason) and an Annotation listing every change
with old and new values; a skipped item is ``IsNull="Yes"`` with the reason. The visit's valid
signature is an ODM Signature on the StudyEventData. Outcome records (``odm_outcomes``) go to
their visit's event; one entered without a visit to its protocol visit's event (``SE.SCR``,
``SE.D1``) or ``SE.OUTCOMES``; the disposition to the enrolment event.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import select, union

from forms.instrument import Instrument
from forms.labs import LabValueError, normalise_unit
from reports.export import odm_meta as M
from reports.export import odm_not_done as ND
from reports.export import odm_outcomes as O
from reports.export.clinical_meta import CLINICAL_VARS, LABS, SUBJECT_VARS
from reports.export.outcome_data import Outcomes, read_outcomes
from reports.export.reader import AdminData, PatientData, iter_patients, study_info, users
from reports.export.scoredefs import score_defs
from reports.export.variables import safe_name
from reports.export.xmlstream import XmlStream
from storage.db import Database
from storage.models import Administration, AuditEvent, Signature, Site, Station
from storage.services import MEANINGS
from storage.services.protocol_store import current_protocol

PARTICIPANT, SYSTEM, UNKNOWN_LOC = "USR.PARTICIPANT", "USR.SYSTEM", "LOC.UNKNOWN"


def user_oid(kind: str, username: str | None) -> str:
    if kind == "patient":
        return PARTICIPANT
    if kind == "system" or not username:
        return SYSTEM
    return f"USR.{username}"


def loc_oid(station: str | None) -> str:
    return f"LOC.{station}" if station else UNKNOWN_LOC


def meaning_oid(meaning: str) -> str:
    return f"SD.{safe_name(meaning)}"


def _value(v: Any) -> str | None:
    if v is None or v == "" or isinstance(v, (dict, list)):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def _ref_data(db: Database) -> tuple[list[str], list[str], list[str]]:
    with db.session() as s:
        stations = set(s.scalars(union(
            select(Administration.station_id), select(Station.code),
            select(AuditEvent.station_id))))
        sites = list(s.scalars(select(Site.code).order_by(Site.code)))
        meanings = set(s.scalars(select(Signature.meaning).distinct()))
    return (sorted(x for x in stations if x), sites, sorted(meanings | set(MEANINGS)))


def write_admin_data(x: XmlStream, db: Database, study_oid: str, mdv: str) -> dict[int, str]:
    """AdminData; returns user id -> username (for signatures)."""
    stations, sites, meanings = _ref_data(db)
    staff = users(db)
    today = datetime.now(timezone.utc).date().isoformat()
    with x.el("AdminData", {"StudyOID": study_oid}):
        for uid, username, full_name, role in staff:
            with x.el("User", {"OID": user_oid("user", username),
                               "UserType": "Investigator" if role == "investigator" else "Other"}):
                x.leaf("LoginName", None, username)
                x.leaf("DisplayName", None, f"{full_name} ({role})")
                x.leaf("FullName", None, full_name)
        for oid, name in ((PARTICIPANT, "study participant (kiosk entry)"),
                          (SYSTEM, "ePRO Desk (system)")):
            with x.el("User", {"OID": oid, "UserType": "Other"}):
                x.leaf("DisplayName", None, name)
        locs = [(f"LOC.SITE.{c}", f"site {c}", "Site") for c in sites]
        locs += [(loc_oid(st), f"station {st}", "Other") for st in stations]
        locs.append((UNKNOWN_LOC, "location not recorded", "Other"))
        for oid, name, typ in locs:
            with x.el("Location", {"OID": oid, "Name": name, "LocationType": typ}):
                x.leaf("MetaDataVersionRef", {"StudyOID": study_oid, "MetaDataVersionOID": mdv,
                                              "EffectiveDate": today})
        for meaning in meanings:
            with x.el("SignatureDef", {"OID": meaning_oid(meaning),
                                       "Methodology": "Electronic"}):
                x.leaf("Meaning", None, meaning)
                x.leaf("LegalReason", None, "21 CFR Part 11 electronic signature "
                                            "(password re-entered at signing)")
    return {uid: username for uid, username, _, _ in staff}


def _audit_record(x: XmlStream, kind: str, username: str | None, station: str | None,
                  at: datetime, reason: str | None, source: str | None) -> None:
    with x.el("AuditRecord"):
        x.leaf("UserRef", {"UserOID": user_oid(kind, username)})
        x.leaf("LocationRef", {"LocationOID": loc_oid(station)})
        x.leaf("DateTimeStamp", None, at.isoformat())
        if reason:
            x.leaf("ReasonForChange", None, reason)
        if source:
            x.leaf("SourceID", None, source)


def _record_audit(x: XmlStream, r: Any) -> None:
    """Who entered an outcome record, where (``station``: the station of its audited insert)
    and when (its corrections are in the audit trail)."""
    _audit_record(x, "user", r["entered_by"], r.get("station"), r["entered_at_utc"], None,
                  f"outcome record {r['record_id']} version {r['version']}")


def _comment(x: XmlStream, seq: int, text: str) -> None:
    with x.el("Annotation", {"SeqNum": seq}):
        x.leaf("Comment", {"SponsorOrSite": "Site"}, text)


def _items_group(x: XmlStream, pd: PatientData, ad: AdminData, inst: Instrument) -> None:
    with x.el("ItemGroupData", {"ItemGroupOID": M.items_group_oid(inst)}):
        for ans in ad.answers:
            if ans.item_id not in inst.item_ids or ans.status == "not_applicable":
                continue
            oid = M.item_oid(inst, ans.item_id)
            if ans.status == "skipped":
                with x.el("ItemData", {"ItemOID": oid, "IsNull": "Yes"}):
                    _comment(x, 1, f"skipped: {ans.skip_reason}")
                continue
            changes = pd.changes.get(ans.id, [])
            if not changes:
                x.leaf("ItemData", {"ItemOID": oid, "Value": ans.code})
                continue
            last = changes[-1]
            with x.el("ItemData", {"ItemOID": oid, "Value": ans.code}):
                _audit_record(x, last.actor_kind, last.username, last.station, last.at,
                              last.reason, f"audit seq {last.seq}")
                history = "; ".join(
                    f"seq {c.seq} {c.at.isoformat()} {c.action} {c.old} -> {c.new} by "
                    f"{c.username or c.actor_kind}" + (f" ({c.role})" if c.role else "")
                    + (f" reason: {c.reason}" if c.reason else "") for c in changes)
                _comment(x, 1, f"changes: {history}")


def _admin_group(x: XmlStream, ad: AdminData, inst: Instrument) -> None:
    a = ad.adm
    values = {"status": a.status, "language": a.language,
              "instrument_version": a.instrument_version, "content_hash": a.content_hash,
              "started_at": a.started_at, "submitted_at": a.submitted_at,
              "station": a.station_id,
              "originator": "participant" if a.originator == "patient"
              else f"proxy user {a.proxy_user_id}", "proxy_reason": a.proxy_reason}
    with x.el("ItemGroupData", {"ItemGroupOID": M.admin_group_oid(inst)}):
        for name, *_ in M.ADMIN_ITEMS:
            v = _value(values[name])
            if v is not None:
                x.leaf("ItemData", {"ItemOID": M.admin_item_oid(inst, name), "Value": v})


def _scores_group(x: XmlStream, ad: AdminData, inst: Instrument) -> None:
    defs = score_defs(inst.id)
    values = ad.score_values()
    present = [(d, _value(values.get(d.key))) for d in defs]
    present = [(d, v) for d, v in present if v is not None]
    if not present:
        return
    with x.el("ItemGroupData", {"ItemGroupOID": M.scores_group_oid(inst)}):
        for d, v in present:
            x.leaf("ItemData", {"ItemOID": M.score_oid(d), "Value": v})


def _entered_unit(obj: Any, name: str) -> str | None:
    """The display unit a lab value was entered in (None: not a lab, or no unit)."""
    if not name.startswith("lab_") or name[4:] not in LABS:
        return None
    entry = (getattr(obj, "labs", None) or {}).get(name[4:])
    try:
        unit = normalise_unit(name[4:], (entry or {}).get("unit"))[0]
    except LabValueError:
        return None
    return unit or None


def _fixed_form(x: XmlStream, form: str, group: str, variables, obj) -> None:  # noqa: ANN001
    vals = [(v, _value(v.get(obj))) for v in variables]
    with x.el("FormData", {"FormOID": form}):
        with x.el("ItemGroupData", {"ItemGroupOID": group}):
            for v, val in vals:
                if val is None:
                    continue
                unit = _entered_unit(obj, v.name) or (v.unit or None)
                attrs = {"ItemOID": M.field_oid(form, v.name), "Value": val}
                if unit is None:
                    x.leaf("ItemData", attrs)
                else:
                    with x.el("ItemData", attrs):
                        x.leaf("MeasurementUnitRef",
                               {"MeasurementUnitOID": M.unit_oid(unit)})


def insert_stations(db: Database, entity: str) -> dict[int, str]:
    """``entity`` row id -> station it was made at (from the audit row of its insert)."""
    with db.session() as s:
        return {sid: st for sid, st in s.execute(
            select(AuditEvent.entity_id, AuditEvent.station_id)
            .where(AuditEvent.entity == entity, AuditEvent.operation == "insert"))
            if st}


def signature_stations(db: Database) -> dict[int, str]:
    """signature id -> station it was made at."""
    return insert_stations(db, "signature")


def by_visit(records: list[dict]) -> dict[int | None, list[dict]]:
    out: dict[int | None, list[dict]] = {}
    for r in records:
        out.setdefault(r["visit_id"], []).append(r)
    return out


def _event_attrs(code: str, visit_id: int, scheduled: set[str]) -> dict[str, object]:
    if code in scheduled:
        return {"StudyEventOID": M.event_oid(code)}
    return {"StudyEventOID": M.UNSCHEDULED_EVENT, "StudyEventRepeatKey": visit_id}


def write_subject(x: XmlStream, pd: PatientData, insts: dict[str, Instrument],
                  scheduled: set[str], usernames: dict[int, str],
                  stations: dict[int, str] | None = None,
                  outcomes: Outcomes | None = None) -> None:
    p = pd.patient
    out = outcomes or Outcomes()
    recs = by_visit(out.records.get(p.subject_id, []))
    with x.el("SubjectData", {"SubjectKey": p.subject_id}):
        if pd.site_code:
            x.leaf("SiteRef", {"LocationOID": f"LOC.SITE.{pd.site_code}"})
        with x.el("StudyEventData", {"StudyEventOID": M.ENROLMENT_EVENT}):
            _fixed_form(x, M.SUBJECT_FORM, M.SUBJECT_GROUP, SUBJECT_VARS, p)
            O.write_disposition(x, out.subjects.get(p.subject_id))
        for vd in pd.visits:
            v = vd.visit
            if not (vd.administrations or vd.clinical or vd.signatures or vd.not_done
                    or recs.get(v.id)):
                continue
            with x.el("StudyEventData", _event_attrs(v.code, v.id, scheduled)):
                valid = [sg for sg in vd.signatures if sg.status == "valid"]
                if valid:
                    sg = valid[-1]
                    with x.el("Signature", {"ID": f"SIG.{sg.id}"}):
                        x.leaf("UserRef", {"UserOID": user_oid(
                            "user", usernames.get(sg.user_id, str(sg.user_id)))})
                        x.leaf("LocationRef", {"LocationOID": loc_oid(
                            (stations or {}).get(sg.id))})
                        x.leaf("SignatureRef", {"SignatureOID": meaning_oid(sg.meaning)})
                        x.leaf("DateTimeStamp", None, sg.signed_at.isoformat())
                        x.leaf("CryptoBindingManifest", None, f"sha256:{sg.content_hash}")
                for ad in vd.administrations:
                    inst = insts.get(ad.adm.instrument_id)
                    if inst is None:
                        continue
                    with x.el("FormData", {"FormOID": M.form_oid(inst),
                                           "FormRepeatKey": ad.adm.id}):
                        _items_group(x, pd, ad, inst)
                        _admin_group(x, ad, inst)
                        _scores_group(x, ad, inst)
                for inst_id, nd in vd.not_done.items():      # recorded not done
                    inst = insts.get(inst_id)
                    if inst is not None:
                        with x.el("FormData", {"FormOID": M.form_oid(inst),
                                               "FormRepeatKey": ND.REPEAT_KEY}):
                            ND.write_group(x, inst, nd, _audit_record)
                if vd.clinical is not None:
                    _fixed_form(x, M.CLINICAL_FORM, M.CLINICAL_GROUP, CLINICAL_VARS, vd.clinical)
                O.write_records(x, recs.pop(v.id, []), out.arms, _record_audit)
        write_other_records(x, recs, scheduled, out)


def write_other_records(x: XmlStream, recs: dict[int | None, list[dict]], scheduled: set[str],
                        out: Outcomes) -> None:
    """Outcome records not written with a visit above: at a visit this export leaves out
    (``--since``), or entered without a visit (its protocol visit's event, else
    ``SE.OUTCOMES``)."""
    events: dict[tuple[str, int | None], list[dict]] = {}
    for visit_id, rs in recs.items():
        for r in rs:
            if visit_id is not None:
                attrs = _event_attrs(r["visit"], visit_id, scheduled)
                key = (str(attrs["StudyEventOID"]), attrs.get("StudyEventRepeatKey"))
            elif r["kind"] in out.homes:
                key = (M.event_oid(out.homes[r["kind"]]), None)
            else:
                key = (O.OUTCOMES_EVENT, None)
            events.setdefault(key, []).append(r)  # type: ignore[arg-type]
    for (oid, repeat), rs in events.items():
        with x.el("StudyEventData", {"StudyEventOID": oid, "StudyEventRepeatKey": repeat}):
            O.write_records(x, rs, out.arms, _record_audit)


def export_odm(db: Database, path: Path, insts: Sequence[Instrument], *,
               subject: str | None = None, since: datetime | None = None,
               schedule: Sequence[Any] | None = None) -> dict[str, int]:
    with db.session() as s:
        info = study_info(s)
    sched = tuple(schedule or info.schedule)
    et_codes = tuple(info.visit_kinds.get("early_termination", ()))
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    study_oid, mdv = M.study_oid(info.protocol_id), "MDV.1"
    by_id = {i.id: i for i in insts}
    outcomes = read_outcomes(db, [v.code for v in sched], subject=subject, since=since)
    entered_at = insert_stations(db, "outcome_record")
    for recs in outcomes.records.values():
        for r in recs:
            r["station"] = entered_at.get(r["record_id"])
    protocol = current_protocol(db)
    labels = {v.id: v.label.get("en", v.id) for v in protocol.visits}
    counts = {"subjects": 0}
    with open(path, "wb") as fh:
        x = XmlStream(fh)
        x.start_document()
        with x.el("ODM", M.odm_root_attrs(f"EPRO.{info.protocol_id}.{created}", created)):
            M.write_study(x, insts, sched, protocol=info.protocol_id, title=info.title,
                          mdv_oid=mdv, arms=protocol.arms, on_demand=et_codes,
                          homes=outcomes.home_events(), labels=labels)
            usernames = write_admin_data(x, db, study_oid, mdv)
            stations = signature_stations(db)
            with x.el("ClinicalData", {"StudyOID": study_oid, "MetaDataVersionOID": mdv}):
                scheduled = {v.code for v in sched} | set(et_codes)
                for pd in iter_patients(db, subject=subject, since=since):
                    write_subject(x, pd, by_id, scheduled, usernames, stations, outcomes)
                    counts["subjects"] += 1
                    outcomes.records.pop(pd.patient.subject_id, None)
                for sid in sorted(outcomes.records):     # outcome records only (--since)
                    with x.el("SubjectData", {"SubjectKey": sid}):
                        write_other_records(x, by_visit(outcomes.records[sid]), scheduled,
                                            outcomes)
                    counts["subjects"] += 1
        x.end_document()
    return counts


