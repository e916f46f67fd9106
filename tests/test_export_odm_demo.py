"""Issue 17's ODM receiving rules on the export of the demo database (unscheduled visits, early
terminations, a death, AEs; made through the services, as ``epro demo-data`` does) -- the rules
test_export_odm_content pins on a small study, here over the whole file: every coded value in
its item's CodeList, every value of an item with units carrying one of them, en + zh-CN texts
for every item, every AuditRecord and Signature located at the station the audit
trail recorded (never "location not recorded" when it is known)."""
from __future__ import annotations

import re

from sqlalchemy import select

from reports.export.odm_validate import odm_errors
from storage.models import AuditEvent
from test_export_odm_outcomes import O, XL, env  # noqa: F401  (the demo export, per module)


def _defs(root):
    return {d.get("OID"): d for d in root.iter(f"{O}ItemDef")}


def test_the_demo_has_what_the_issue_asks_and_the_file_is_valid(env):
    _, path, root = env
    assert odm_errors(path) == []
    events = [e.get("StudyEventOID") for e in root.iter(f"{O}StudyEventData")]
    assert events.count("SE.ET") == 2 and events.count("SE.UNSCHEDULED") == 2
    values = {i.get("ItemOID"): i.get("Value") for i in root.iter(f"{O}ItemData")}
    assert values["I.VITAL_STATUS.vs_status"] and "I.ADVERSE_EVENT.ae_term" in values


def test_every_coded_value_is_in_its_code_list(env):
    _, _, root = env
    lists = {c.get("OID"): {i.get("CodedValue") for i in c.findall(f"{O}CodeListItem")}
             for c in root.iter(f"{O}CodeList")}
    defs = _defs(root)
    checked = set()
    for it in root.iter(f"{O}ItemData"):
        ref = defs[it.get("ItemOID")].find(f"{O}CodeListRef")
        if ref is not None and it.get("Value") is not None:
            assert it.get("Value") in lists[ref.get("CodeListOID")], (it.get("ItemOID"),
                                                                      it.get("Value"))
            checked.add(it.get("ItemOID"))
    assert len(checked) > 60                 # answers, clinical grades, outcome codes, arm


def test_every_value_of_an_item_with_units_names_its_unit(env):
    _, _, root = env
    defs = _defs(root)
    with_unit = 0
    for it in root.iter(f"{O}ItemData"):
        allowed = {r.get("MeasurementUnitOID")
                   for r in defs[it.get("ItemOID")].findall(f"{O}MeasurementUnitRef")}
        got = [r.get("MeasurementUnitOID") for r in it.findall(f"{O}MeasurementUnitRef")]
        if allowed and it.get("Value") is not None:
            assert len(got) == 1 and got[0] in allowed, it.get("ItemOID")
            with_unit += 1
        else:
            assert not got, it.get("ItemOID")
    assert with_unit > 100
    # the overall survival time is in days (a MeasurementUnit the file defines)
    os_days = [d for oid, d in defs.items() if oid.endswith(".ds_os_days")]
    units = {u.get("OID"): u.get("Name") for u in root.iter(f"{O}MeasurementUnit")}
    assert [units[r.get("MeasurementUnitOID")] for d in os_days
            for r in d.findall(f"{O}MeasurementUnitRef")] == ["days"]


def test_every_item_has_its_text_in_en_and_zh(env):
    """Collected and derived (administration, scores: they had an English Description only)."""
    _, _, root = env
    defs = list(_defs(root).values())
    assert len([d for d in defs if d.get("Origin") == "Derived"]) > 50
    for d in defs:
        texts = {t.get(XL): t.text for t in d.findall(f"{O}Question/{O}TranslatedText")}
        assert set(texts) == {"en", "zh-CN"} and all(texts.values()), d.get("OID")
        assert re.search(r"[\u4e00-\u9fff]", texts["zh-CN"]), d.get("OID")   # Chinese text


def test_audit_records_and_signatures_name_the_station_of_the_audit_trail(env):
    """Outcome records said "location not recorded" although their insert was audited with
    the station (every demo record: DEMO-WS)."""
    db, _, root = env
    with db.session() as s:
        inserted = {(e, i): st for e, i, st in s.execute(
            select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.station_id)
            .where(AuditEvent.operation == "insert"))}
    locations = {loc.get("OID") for loc in root.iter(f"{O}Location")}
    records = signatures = 0
    for ar in root.iter(f"{O}AuditRecord"):
        loc = ar.find(f"{O}LocationRef").get("LocationOID")
        assert loc in locations and loc != "LOC.UNKNOWN"
        m = re.fullmatch(r"outcome record (\d+) version \d+", ar.findtext(f"{O}SourceID") or "")
        if m:
            assert loc == f"LOC.{inserted[('outcome_record', int(m.group(1)))]}"
            records += 1
    for sig in root.iter(f"{O}Signature"):
        sid = int(sig.get("ID").removeprefix("SIG."))
        assert sig.find(f"{O}LocationRef").get("LocationOID") == \
            f"LOC.{inserted[('signature', sid)]}"
        signatures += 1
    assert records > 50 and signatures > 5
