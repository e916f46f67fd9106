"""CDISC ODM 1.3.2 metadata: Study / GlobalVariables / MetaDataVersion, streamed.

One StudyEventDef per visit of the schedule (plus a repeating unscheduled event), one FormDef per
instrument, an item group for the answers and one for the computed scores, ItemDefs with the
question text per language (``xml:lang`` as BCP 47: ``zh_CN`` -> ``zh-CN``), CodeLists with the
decodes per language, ConditionDefs for branching (ODM's CollectionExceptionCondition is the
condition under which an item is *not* collected, so it is the negation of "shown if") and a
MethodDef per scoring algorithm. The OIDs are stable and shared with the ClinicalData writer.
The outcome forms, the disposition and their events come from ``odm_outcomes``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Sequence

from forms.instrument import BASE_LANGUAGE, Condition, Instrument
from forms.protocol import Arm
from forms.schedule import VisitDef
from reports.export import odm_not_done as ND
from reports.export.odm_admin import (ADMIN_ITEMS, texts, write_admin_codelists,
                                      write_admin_item_defs)
from reports.export import odm_outcomes as O
from reports.export.clinical_meta import (CLINICAL_VARS, SUBJECT_VARS, FieldVar,
                                          field_labels)
from reports.export.odm_units import field_units, measurement_units, unit_oid
from reports.export.scoredefs import ScoreDef
from reports.export.variables import item_vars, safe_name, scores_for
from reports.export.xmlstream import XmlStream

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
UNSCHEDULED_EVENT = "SE.UNSCHEDULED"
ENROLMENT_EVENT = "SE.ENROLMENT"
SUBJECT_FORM, SUBJECT_GROUP = "F.SUBJECT", "IG.SUBJECT"
CLINICAL_FORM, CLINICAL_GROUP = "F.CLINICAL", "IG.CLINICAL"
_NEGATE = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}
_ODM_TYPES = {"integer": "integer", "float": "float", "text": "text", "boolean": "boolean",
              "date": "date", "datetime": "datetime"}


def xml_lang(lang: str) -> str:
    return lang.replace("_", "-")


def study_oid(protocol: str) -> str:
    return f"ST.{safe_name(protocol).upper()}"


def event_oid(visit_code: str) -> str:
    return f"SE.{safe_name(visit_code).upper()}"


def form_oid(inst: Instrument | str) -> str:
    return f"F.{(inst if isinstance(inst, str) else inst.id).upper()}"


def items_group_oid(inst: Instrument | str) -> str:
    return f"IG.{(inst if isinstance(inst, str) else inst.id).upper()}.ITEMS"


def admin_group_oid(inst: Instrument | str) -> str:
    return f"IG.{(inst if isinstance(inst, str) else inst.id).upper()}.ADMIN"


def admin_item_oid(inst: Instrument | str, name: str) -> str:
    return f"I.{(inst if isinstance(inst, str) else inst.id).upper()}.ADMIN.{name}"


def field_oid(form: str, name: str) -> str:
    return f"I.{form}.{name}"


def scores_group_oid(inst: Instrument | str) -> str:
    return f"IG.{(inst if isinstance(inst, str) else inst.id).upper()}.SCORES"


def item_oid(inst: Instrument | str, item_id: str) -> str:
    return f"I.{(inst if isinstance(inst, str) else inst.id).upper()}.{item_id}"


def score_oid(s: ScoreDef) -> str:
    return f"I.{s.instrument.upper()}.SCORE.{s.name}"


def codelist_oid(inst: Instrument, response_set: str) -> str:
    return f"CL.{inst.id.upper()}.{response_set}"


def method_oid(algorithm: str) -> str:
    return f"MT.{algorithm}"


def condition_oid(inst: Instrument, item_id: str) -> str:
    return f"COND.{inst.id.upper()}.{item_id}.NOT_COLLECTED"


def _translated(x: XmlStream, texts: dict[str, str]) -> None:
    for lang, t in texts.items():
        x.leaf("TranslatedText", {"xml:lang": xml_lang(lang)}, t)


def _not_collected_expression(cond: Condition, inst: Instrument) -> str:
    """Python-style expression over variable names, true when the item is NOT collected."""
    left = safe_name(f"{inst.id}_{cond.item}") if cond.item else (cond.context or "")
    value = repr(cond.value)
    return f"{left} is None or not ({left} {cond.op} {value})" if cond.item else \
        f"{left} {_NEGATE[cond.op]} {value}"


def _description(x: XmlStream, text: str) -> None:
    with x.el("Description"):
        x.leaf("TranslatedText", {"xml:lang": "en"}, text)


def _event_defs(x: XmlStream, insts: Sequence[Instrument], schedule: Sequence[VisitDef],
                on_demand: Sequence[str] = (), homes: Mapping[str, Sequence[str]] = {},
                labels: Mapping[str, str] = {}) -> None:
    events = [(event_oid(v.code), v.code, "No", "Scheduled",
               f"target day {v.target_day}, window day {v.earliest_day} to {v.latest_day}")
              for v in schedule]
    events += [(event_oid(c), c, "No", "Unscheduled", "early termination visit (added with a "
                "reason)") for c in on_demand]
    events.append((UNSCHEDULED_EVENT, "unscheduled", "Yes", "Unscheduled",
                   "unscheduled visit (added with a reason)"))
    for oid, name, repeating, typ, desc in events:
        with x.el("StudyEventDef", {"OID": oid, "Name": name, "Repeating": repeating,
                                    "Type": typ}):
            _description(x, desc)
            for n, inst in enumerate(insts, start=1):
                x.leaf("FormRef", {"FormOID": form_oid(inst), "OrderNumber": n,
                                   "Mandatory": "No"})
            x.leaf("FormRef", {"FormOID": "F.CLINICAL", "OrderNumber": len(insts) + 1,
                               "Mandatory": "No"})
            O.form_refs(x, len(insts) + 2)
    with x.el("StudyEventDef", {"OID": ENROLMENT_EVENT, "Name": "enrolment", "Repeating": "No",
                                "Type": "Common"}):
        _description(x, "subject enrolment data")
        x.leaf("FormRef", {"FormOID": SUBJECT_FORM, "OrderNumber": 1, "Mandatory": "Yes"})
        O.disposition_ref(x)
    O.extra_event_defs(x, homes, labels, event_oid)


def _form_def(x: XmlStream, inst: Instrument) -> None:
    # repeating: one FormData per administration (FormRepeatKey = administration id), so an
    # entered-in-error administration and its replacement both travel
    with x.el("FormDef", {"OID": form_oid(inst), "Name": f"{inst.id} {inst.version}",
                          "Repeating": "Yes"}):
        with x.el("Description"):
            _translated(x, inst.title)
        x.leaf("ItemGroupRef", {"ItemGroupOID": items_group_oid(inst), "OrderNumber": 1,
                                "Mandatory": "Yes"})
        x.leaf("ItemGroupRef", {"ItemGroupOID": admin_group_oid(inst), "OrderNumber": 2,
                                "Mandatory": "Yes"})
        if scores_for(inst):
            x.leaf("ItemGroupRef", {"ItemGroupOID": scores_group_oid(inst), "OrderNumber": 3,
                                    "Mandatory": "No"})
        ND.group_ref(x, inst, 4)


def _item_groups(x: XmlStream, inst: Instrument) -> None:
    with x.el("ItemGroupDef", {"OID": items_group_oid(inst), "Name": f"{inst.id} answers",
                               "Repeating": "No"}):
        for n, v in enumerate(item_vars(inst), start=1):
            x.leaf("ItemRef", {
                "ItemOID": item_oid(inst, v.item.id), "OrderNumber": n, "Mandatory": "No",
                "CollectionExceptionConditionOID":
                    condition_oid(inst, v.item.id) if v.item.condition else None})
    with x.el("ItemGroupDef", {"OID": admin_group_oid(inst), "Name": f"{inst.id} administration",
                               "Repeating": "No"}):
        for n, (name, *_) in enumerate(ADMIN_ITEMS, start=1):
            x.leaf("ItemRef", {"ItemOID": admin_item_oid(inst, name), "OrderNumber": n,
                               "Mandatory": "No"})
    scores = scores_for(inst)
    if scores:
        with x.el("ItemGroupDef", {"OID": scores_group_oid(inst), "Name": f"{inst.id} scores",
                                   "Repeating": "No"}):
            for n, s in enumerate(scores, start=1):
                x.leaf("ItemRef", {"ItemOID": score_oid(s), "OrderNumber": n,
                                   "Mandatory": "No", "MethodOID": method_oid(s.algorithm)})


def _item_defs(x: XmlStream, inst: Instrument) -> None:
    for v in item_vars(inst):
        it = v.item
        with x.el("ItemDef", {"OID": item_oid(inst, it.id), "Name": v.name,
                              "DataType": "integer", "Origin": "CRF",
                              "Comment": f"item {it.id} (number {it.number})"
                                         + (f", matrix group {v.matrix_group}"
                                            if v.matrix_group else "")}):
            with x.el("Question"):
                _translated(x, it.text)
            x.leaf("CodeListRef", {"CodeListOID": codelist_oid(inst, it.response_set)})
    write_admin_item_defs(x, inst, lambda name: admin_item_oid(inst, name), _translated)
    for s in scores_for(inst):
        with x.el("ItemDef", {"OID": score_oid(s), "Name": s.name,
                              "DataType": _ODM_TYPES[s.type], "Origin": "Derived",
                              "Comment": f"algorithm {s.algorithm}"}):
            texts(x, {"en": s.label, "zh_CN": s.text("zh_CN")}, _translated)
            if s.codes:
                x.leaf("CodeListRef", {"CodeListOID": f"CL.{s.instrument.upper()}.{s.name}"})


def field_codelist_oid(form: str, name: str) -> str:
    return f"CL.{form}.{name}"


def _field_codes(v: FieldVar, arms: Sequence[Arm]) -> tuple[tuple[str, str], ...]:
    if v.name == "arm":
        return tuple((a.id, a.label.get(BASE_LANGUAGE, a.id)) for a in arms)
    return v.codes


def _fixed_forms(x: XmlStream, what: str, arms: Sequence[Arm] = ()) -> None:
    forms = ((SUBJECT_FORM, SUBJECT_GROUP, "subject enrolment", SUBJECT_VARS),
             (CLINICAL_FORM, CLINICAL_GROUP, "clinician assessment", CLINICAL_VARS))
    for form, group, label, variables in forms:
        if what == "form":
            with x.el("FormDef", {"OID": form, "Name": label, "Repeating": "No"}):
                x.leaf("ItemGroupRef", {"ItemGroupOID": group, "Mandatory": "Yes"})
        elif what == "group":
            with x.el("ItemGroupDef", {"OID": group, "Name": label, "Repeating": "No"}):
                for n, v in enumerate(variables, start=1):
                    x.leaf("ItemRef", {"ItemOID": field_oid(form, v.name), "OrderNumber": n,
                                       "Mandatory": "No"})
        elif what == "item":
            for v in variables:
                with x.el("ItemDef", {"OID": field_oid(form, v.name), "Name": v.name,
                                      "DataType": v.type, "Origin": "CRF"}):
                    _description(x, v.label)
                    with x.el("Question"):
                        _translated(x, field_labels(v))
                    for u in field_units(v):
                        x.leaf("MeasurementUnitRef", {"MeasurementUnitOID": unit_oid(u)})
                    for comp, bound in (("GE", v.minimum), ("LE", v.maximum)):
                        if bound is not None:
                            with x.el("RangeCheck", {"Comparator": comp, "SoftHard": "Soft"}):
                                x.leaf("CheckValue", None, str(bound))
                    if _field_codes(v, arms):
                        x.leaf("CodeListRef",
                               {"CodeListOID": field_codelist_oid(form, v.name)})
        else:
            for v in variables:
                codes = _field_codes(v, arms)
                if not codes:
                    continue
                with x.el("CodeList", {"OID": field_codelist_oid(form, v.name),
                                       "Name": v.name,
                                       "DataType": "integer" if v.type == "integer" else "text"}):
                    for code, label in codes:
                        with x.el("CodeListItem", {"CodedValue": code}):
                            with x.el("Decode"):
                                x.leaf("TranslatedText", {"xml:lang": "en"}, label)


def _code_lists(x: XmlStream, inst: Instrument) -> None:
    for sid, rs in inst.response_sets.items():
        with x.el("CodeList", {"OID": codelist_oid(inst, sid), "Name": f"{inst.id} {sid}",
                               "DataType": "integer"}):
            for o in rs.options:
                with x.el("CodeListItem", {"CodedValue": o.code}):
                    with x.el("Decode"):
                        _translated(x, o.label)
    for s in scores_for(inst):
        if s.codes:
            with x.el("CodeList", {"OID": f"CL.{s.instrument.upper()}.{s.name}",
                                   "Name": s.name, "DataType": "text"}):
                for code, label in s.codes:
                    with x.el("CodeListItem", {"CodedValue": code}):
                        with x.el("Decode"):
                            x.leaf("TranslatedText", {"xml:lang": "en"}, label)


def _condition_defs(x: XmlStream, inst: Instrument) -> None:
    for it in inst.items:
        c = it.condition
        if c is None:
            continue
        shown = (f"{safe_name(inst.id + '_' + c.item)} {c.op} {c.value}" if c.item
                 else f"{c.context} {c.op} {c.value}")
        with x.el("ConditionDef", {"OID": condition_oid(inst, it.id),
                                   "Name": f"{inst.id} {it.id} not collected"}):
            _description(x, f"{it.id} is shown only if {shown}; otherwise it is not "
                            f"applicable (stored as such, distinct from skipped)")
            x.leaf("FormalExpression", {"Context": "Python"},
                   _not_collected_expression(c, inst))


def write_metadata_version(x: XmlStream, insts: Sequence[Instrument],
                           schedule: Sequence[VisitDef], *, oid: str = "MDV.1",
                           name: str = "ePRO Desk instruments",
                           arms: Sequence[Arm] = (), on_demand: Sequence[str] = (),
                           homes: Mapping[str, Sequence[str]] = {},
                           labels: Mapping[str, str] = {}) -> None:
    """The whole MetaDataVersion element, in the order the ODM 1.3.2 schema requires.
    ``on_demand``: the protocol's early-termination visit codes (own non-repeating events;
    unscheduled visits share the repeating ``SE.UNSCHEDULED``); ``homes``: protocol visits the
    app makes no visit of -> the outcome forms recorded for them (``odm_outcomes``)."""
    desc = "; ".join(f"{i.id} {i.version} sha256:{i.content_hash}" for i in insts)
    with x.el("MetaDataVersion", {"OID": oid, "Name": name, "Description": desc}):
        with x.el("Protocol"):
            for n, v in enumerate(schedule, start=1):
                x.leaf("StudyEventRef", {"StudyEventOID": event_oid(v.code), "OrderNumber": n,
                                         "Mandatory": "Yes"})
            n = len(schedule)
            for n, c in enumerate(on_demand, start=n + 1):
                x.leaf("StudyEventRef", {"StudyEventOID": event_oid(c), "OrderNumber": n,
                                         "Mandatory": "No"})
            x.leaf("StudyEventRef", {"StudyEventOID": UNSCHEDULED_EVENT,
                                     "OrderNumber": n + 1, "Mandatory": "No"})
            x.leaf("StudyEventRef", {"StudyEventOID": ENROLMENT_EVENT,
                                     "OrderNumber": n + 2, "Mandatory": "Yes"})
            for n, oid in enumerate([*map(event_oid, homes), O.OUTCOMES_EVENT], start=n + 3):
                x.leaf("StudyEventRef", {"StudyEventOID": oid, "OrderNumber": n,
                                         "Mandatory": "No"})
        _event_defs(x, insts, schedule, on_demand, homes, labels)
        for inst in insts:
            _form_def(x, inst)
        _fixed_forms(x, "form")
        O.write_defs(x, "form", arms)
        for inst in insts:
            _item_groups(x, inst)
        ND.write_defs(x, insts, "group")
        _fixed_forms(x, "group")
        O.write_defs(x, "group", arms)
        for inst in insts:
            _item_defs(x, inst)
        ND.write_defs(x, insts, "item")
        _fixed_forms(x, "item", arms)
        O.write_defs(x, "item", arms)
        for inst in insts:
            _code_lists(x, inst)
            write_admin_codelists(x, inst, _translated)
        ND.write_defs(x, insts, "codelist")
        _fixed_forms(x, "codelist", arms)
        O.write_defs(x, "codelist", arms)
        for inst in insts:
            _condition_defs(x, inst)
        algos: dict[str, None] = {}
        for inst in insts:
            for s in scores_for(inst):
                algos.setdefault(s.algorithm)
        for a in algos:
            with x.el("MethodDef", {"OID": method_oid(a), "Name": a, "Type": "Computation"}):
                _description(x, f"ePRO Desk scoring algorithm {a} (see the instrument's "
                                f"scoring specification)")


def write_study(x: XmlStream, insts: Sequence[Instrument], schedule: Sequence[VisitDef], *,
                protocol: str = "EPRO", title: str = "ePRO Desk study",
                mdv_oid: str = "MDV.1", arms: Sequence[Arm] = (),
                on_demand: Sequence[str] = (), homes: Mapping[str, Sequence[str]] = {},
                labels: Mapping[str, str] = {}) -> None:
    with x.el("Study", {"OID": study_oid(protocol)}):
        with x.el("GlobalVariables"):
            x.leaf("StudyName", None, title)
            x.leaf("StudyDescription", None, title)
            x.leaf("ProtocolName", None, protocol)
        with x.el("BasicDefinitions"):
            for u in measurement_units():
                with x.el("MeasurementUnit", {"OID": unit_oid(u), "Name": u}):
                    with x.el("Symbol"):
                        x.leaf("TranslatedText", {"xml:lang": "en"}, u)
        write_metadata_version(x, insts, schedule, oid=mdv_oid, arms=arms, on_demand=on_demand,
                               homes=homes, labels=labels)


def odm_root_attrs(file_oid: str, created_utc: str, *, file_type: str = "Snapshot",
                   source_version: str = "") -> dict[str, object]:
    return {"xmlns": ODM_NS, "xmlns:xlink": "http://www.w3.org/1999/xlink",
            "FileType": file_type, "FileOID": file_oid, "CreationDateTime": created_utc,
            "ODMVersion": "1.3.2", "Originator": "ePRO Desk", "SourceSystem": "ePRO Desk",
            "SourceSystemVersion": source_version or None}


def write_metadata_file(path: str | Path, insts: Sequence[Instrument],
                        schedule: Sequence[VisitDef], *, protocol: str = "EPRO",
                        title: str = "ePRO Desk study") -> None:
    """An ODM file holding only the Study metadata (no subject data)."""
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with open(path, "wb") as fh:
        x = XmlStream(fh)
        x.start_document()
        with x.el("ODM", odm_root_attrs(f"EPRO.META.{created}", created)):
            write_study(x, insts, schedule, protocol=protocol, title=title)
        x.end_document()
