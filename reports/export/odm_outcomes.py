"""Outcome data in the ODM 1.3.2 export (issue 15 item 4): metadata and ClinicalData.

Metadata (``outcome_meta`` names every variable from ``forms.outcome_defs``):
* ``F.DISPOSITION`` / ``IG.DISPOSITION`` on the enrolment event: the DM-like subject data
  (``subjects.csv``: allocation, eligibility, disposition, termination, death date and cause,
  last known alive, overall survival, first HCC date);
* one FormDef per outcome form (``F.IMAGING`` …) with one ItemGroup each. A record is one
  FormData (``FormRepeatKey`` = record id, the forms repeat) — but the adverse events: one
  ``F.ADVERSE_EVENT`` per event whose ItemGroup ``IG.ADVERSE_EVENT`` repeats
  (``ItemGroupRepeatKey`` = record id);
* ItemDefs with the question text in en and zh-CN, the measurement unit (numbers), a soft
  RangeCheck, a CodeList for every coded item (decodes en + zh-CN); a field of several codes
  (AE seriousness criteria, HCC basis) is one item per code (``<name>_<code>``, 1 = selected);
* StudyEventDefs for the protocol visits the app makes no visit of but a record entered without
  a visit belongs to (``SE.SCR``: screening imaging, ``SE.D1``: infusion) and ``SE.OUTCOMES``
  for any other record entered without a visit.
Every record's FormData (an AE's ItemGroupData) carries an AuditRecord: who entered it, when
(UTC), the record id and version.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from forms.outcome_defs import FORMS
from forms.protocol import Arm
from reports.export.odm_units import unit_oid
from reports.export.outcome_meta import (DISPOSITION_FORM, REPEATING_KIND, OutcomeVar,
                                         disposition_vars, outcome_vars, value_text)
from reports.export.xmlstream import XmlStream

OUTCOMES_EVENT = "SE.OUTCOMES"
_TYPES = {"date": "date", "time": "time", "number": "float", "integer": "integer",
          "choice": "text", "text": "text"}
CHECKED = "CL.OUTCOME.SELECTED"
Audit = Callable[[XmlStream, Any], None]        # writes the AuditRecord of a record row


def xml_lang(lang: str) -> str:
    return lang.replace("_", "-")


def _up(name: str) -> str:
    return name.upper()


def form_oid(form: str) -> str:
    return f"F.{_up(form)}"


def group_oid(form: str) -> str:
    return f"IG.{_up(form)}"


def item_oid(form: str, name: str) -> str:
    return f"I.{_up(form)}.{name}"


def codelist_oid(v: OutcomeVar) -> str:
    return f"CL.{_up(v.form)}.{v.key}"


def _translated(x: XmlStream, texts: Mapping[str, str]) -> None:
    for lang, t in texts.items():
        x.leaf("TranslatedText", {"xml:lang": xml_lang(lang)}, t)


def _forms() -> list[tuple[str, Mapping[str, str]]]:
    """(form, label by language) of the disposition and every outcome form."""
    return [(DISPOSITION_FORM, {"en": "Disposition", "zh_CN": "受试者转归"}),
            *[(k, f.label) for k, f in FORMS.items()]]


def _vars(form: str, arms: Sequence[Arm]) -> Sequence[OutcomeVar]:
    return disposition_vars() if form == DISPOSITION_FORM else outcome_vars(form, arms)


def _items(v: OutcomeVar) -> list[tuple[str, str | None]]:
    """(item name, code) of a variable: one item, or one per code of a several-codes field."""
    if v.type == "choices":
        return [(f"{v.name}_{c}", c) for c, _ in v.codes]
    return [(v.name, None)]


def extra_event_defs(x: XmlStream, homes: Mapping[str, Sequence[str]],
                     labels: Mapping[str, str], event_oid: Callable[[str], str]) -> None:
    """StudyEventDefs of the home visits (code -> outcome kinds) and of ``SE.OUTCOMES``."""
    defs = [(event_oid(c), c, "Scheduled", f"{labels.get(c, c)}: outcome records entered "
             "without a visit", kinds) for c, kinds in homes.items()]
    defs.append((OUTCOMES_EVENT, "outcome records", "Common",
                 "outcome records entered without a visit", tuple(FORMS)))
    for oid, name, typ, desc, kinds in defs:
        with x.el("StudyEventDef", {"OID": oid, "Name": name, "Repeating": "No", "Type": typ}):
            with x.el("Description"):
                x.leaf("TranslatedText", {"xml:lang": "en"}, desc)
            for n, kind in enumerate(kinds, start=1):
                x.leaf("FormRef", {"FormOID": form_oid(kind), "OrderNumber": n,
                                   "Mandatory": "No"})


def form_refs(x: XmlStream, start: int) -> None:
    """FormRefs of every outcome form (on a visit's event), numbered from ``start``."""
    for n, kind in enumerate(FORMS, start=start):
        x.leaf("FormRef", {"FormOID": form_oid(kind), "OrderNumber": n, "Mandatory": "No"})


def disposition_ref(x: XmlStream) -> None:
    x.leaf("FormRef", {"FormOID": form_oid(DISPOSITION_FORM), "OrderNumber": 2,
                       "Mandatory": "No"})


def write_defs(x: XmlStream, what: str, arms: Sequence[Arm] ) -> None:
    """The outcome FormDefs, ItemGroupDefs, ItemDefs or CodeLists (``what``: form | group |
    item | codelist), in the place the ODM schema orders them."""
    for form, label in _forms():
        variables = _vars(form, arms)
        if what == "form":
            with x.el("FormDef", {"OID": form_oid(form), "Name": form,
                                  "Repeating": "No" if form in (DISPOSITION_FORM, REPEATING_KIND)
                                  else "Yes"}):
                with x.el("Description"):
                    _translated(x, label)
                x.leaf("ItemGroupRef", {"ItemGroupOID": group_oid(form), "OrderNumber": 1,
                                        "Mandatory": "Yes"})
        elif what == "group":
            with x.el("ItemGroupDef", {"OID": group_oid(form), "Name": form,
                                       "Repeating": "Yes" if form == REPEATING_KIND else "No"}):
                n = 0
                for v in variables:
                    for name, _ in _items(v):
                        n += 1
                        x.leaf("ItemRef", {"ItemOID": item_oid(form, name), "OrderNumber": n,
                                           "Mandatory": "Yes" if v.required else "No"})
        elif what == "item":
            for v in variables:
                _item_defs(x, v)
        else:
            for v in variables:
                if v.codes and v.type != "choices":
                    with x.el("CodeList", {"OID": codelist_oid(v), "Name": v.name,
                                           "DataType": "integer" if v.type == "integer"
                                           else "text"}):
                        for code, labels in v.codes:
                            with x.el("CodeListItem", {"CodedValue": code}):
                                with x.el("Decode"):
                                    _translated(x, labels)
    if what == "codelist":
        with x.el("CodeList", {"OID": CHECKED, "Name": "selected", "DataType": "integer"}):
            for code, labels in (("1", {"en": "selected", "zh_CN": "已选"}),
                                 ("0", {"en": "not selected", "zh_CN": "未选"})):
                with x.el("CodeListItem", {"CodedValue": code}):
                    with x.el("Decode"):
                        _translated(x, labels)


def _item_defs(x: XmlStream, v: OutcomeVar) -> None:
    labels = {lang: v.text(lang) for lang in ("en", "zh_CN")}
    for name, code in _items(v):
        question = labels
        if code is not None:
            decode = dict(v.codes)[code]
            question = {lang: f"{t}: {decode.get(lang) or decode['en']}"
                        for lang, t in labels.items()}
        typ = "integer" if code is not None else _TYPES.get(v.type, "text")
        with x.el("ItemDef", {"OID": item_oid(v.form, name), "Name": name, "DataType": typ,
                              "Origin": "Derived" if v.form == DISPOSITION_FORM
                              or v.key in ("record", "visit") else "CRF"}):
            with x.el("Question"):
                _translated(x, question)
            if v.unit:
                x.leaf("MeasurementUnitRef", {"MeasurementUnitOID": unit_oid(v.unit)})
            for comp, bound in (("GE", v.low), ("LE", v.high)):
                if bound is not None and code is None:
                    with x.el("RangeCheck", {"Comparator": comp, "SoftHard": "Soft"}):
                        x.leaf("CheckValue", None, str(bound))
            if code is not None:
                x.leaf("CodeListRef", {"CodeListOID": CHECKED})
            elif v.codes:
                x.leaf("CodeListRef", {"CodeListOID": codelist_oid(v)})


def _item_data(x: XmlStream, form: str, variables: Iterable[OutcomeVar],
               values: Mapping[str, Any]) -> None:
    for v in variables:
        value = values.get(v.key)
        if v.type == "choices":
            if value:
                for name, code in _items(v):
                    x.leaf("ItemData", {"ItemOID": item_oid(form, name),
                                        "Value": "1" if code in value else "0"})
            continue
        text = value_text(v, value)
        if text is None:
            continue
        attrs = {"ItemOID": item_oid(form, v.name), "Value": text}
        if v.unit:
            with x.el("ItemData", attrs):
                x.leaf("MeasurementUnitRef", {"MeasurementUnitOID": unit_oid(v.unit)})
        else:
            x.leaf("ItemData", attrs)


def write_disposition(x: XmlStream, row: Mapping[str, Any] | None) -> None:
    if row is None:
        return
    with x.el("FormData", {"FormOID": form_oid(DISPOSITION_FORM)}):
        with x.el("ItemGroupData", {"ItemGroupOID": group_oid(DISPOSITION_FORM)}):
            _item_data(x, DISPOSITION_FORM, disposition_vars(), row)


def write_records(x: XmlStream, records: Sequence[Mapping[str, Any]], arms: Sequence[Arm],
                  audit: Audit) -> None:
    """The FormData of one event's outcome records (dataset rows with ``kind``), by form."""
    for kind in FORMS:
        recs = sorted((r for r in records if r["kind"] == kind), key=lambda r: r["record_id"])
        if not recs:
            continue
        variables = outcome_vars(kind, arms)
        if kind == REPEATING_KIND:
            with x.el("FormData", {"FormOID": form_oid(kind)}):
                for r in recs:
                    with x.el("ItemGroupData", {"ItemGroupOID": group_oid(kind),
                                                "ItemGroupRepeatKey": r["record_id"]}):
                        audit(x, r)
                        _item_data(x, kind, variables, {**r, "record": r["record_id"]})
            continue
        for r in recs:
            with x.el("FormData", {"FormOID": form_oid(kind), "FormRepeatKey": r["record_id"]}):
                audit(x, r)
                with x.el("ItemGroupData", {"ItemGroupOID": group_oid(kind)}):
                    _item_data(x, kind, variables, {**r, "record": r["record_id"]})
