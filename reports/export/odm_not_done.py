"""ODM 1.3.2 of a questionnaire recorded not done at a visit (``forms.not_done``).

ODM has no status of a form, so the questionnaire travels as its own FormData (the instrument's
FormDef, ``FormRepeatKey`` ``ND``) holding only the ItemGroup ``IG.<INSTRUMENT>.NOT_DONE``:
the reason (code of ``forms.not_done.REASONS``, CodeList ``CL.NOT_DONE_REASON`` decoded in
English and Chinese), the staff's text and the UTC time it was recorded; the reason's
AuditRecord names who recorded it. The answers group stays absent: the FormDef marks it
mandatory, so the form reads as not complete. Defs are written by ``odm_meta`` in the places
the schema orders them; data by ``odm_data``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Sequence

from forms.instrument import Instrument
from forms.not_done import REASON_LABELS, REASONS
from reports.export.odm_outcomes import xml_lang
from reports.export.xmlstream import XmlStream
from storage.services.not_done_records import NotDoneRecord

REPEAT_KEY = "ND"
CODELIST = "CL.NOT_DONE_REASON"
#: (name, ODM data type, question as staff read it, en and zh_CN) of the group's items
ITEMS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("reason", "text", {"en": "Reason the questionnaire was not done",
                        "zh_CN": "问卷未完成的原因"}),
    ("text", "text", {"en": "Why not done (staff's words)", "zh_CN": "未完成原因说明（工作人员填写）"}),
    ("recorded_at", "datetime", {"en": "Recorded as not done (UTC)",
                                 "zh_CN": "记录为未完成的时间（UTC）"}))


def group_oid(inst: Instrument | str) -> str:
    return f"IG.{(inst if isinstance(inst, str) else inst.id).upper()}.NOT_DONE"


def item_oid(inst: Instrument | str, name: str) -> str:
    return f"I.{(inst if isinstance(inst, str) else inst.id).upper()}.NOT_DONE.{name}"


def _translated(x: XmlStream, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        x.leaf("TranslatedText", {"xml:lang": xml_lang(lang)}, text)


def group_ref(x: XmlStream, inst: Instrument, order: int) -> None:
    """The ItemGroupRef of the instrument's FormDef (not mandatory: only a form not done)."""
    x.leaf("ItemGroupRef", {"ItemGroupOID": group_oid(inst), "OrderNumber": order,
                            "Mandatory": "No"})


def write_defs(x: XmlStream, insts: Sequence[Instrument], what: str) -> None:
    """The ItemGroupDefs, ItemDefs or the CodeList (``what``: group | item | codelist)."""
    if what == "codelist":
        with x.el("CodeList", {"OID": CODELIST, "Name": "Reason questionnaire not done",
                               "DataType": "text"}):
            for code in REASONS:
                with x.el("CodeListItem", {"CodedValue": code}):
                    with x.el("Decode"):
                        _translated(x, dict(REASON_LABELS[code]))
        return
    for inst in insts:
        if what == "group":
            with x.el("ItemGroupDef", {"OID": group_oid(inst),
                                       "Name": f"{inst.id} not done", "Repeating": "No"}):
                for n, (name, _, _) in enumerate(ITEMS, start=1):
                    x.leaf("ItemRef", {"ItemOID": item_oid(inst, name), "OrderNumber": n,
                                       "Mandatory": "Yes" if name == "reason" else "No"})
        elif what == "item":
            for name, typ, question in ITEMS:
                with x.el("ItemDef", {"OID": item_oid(inst, name),
                                      "Name": f"{inst.id}_nd_{name}", "DataType": typ,
                                      "Origin": "CRF", "Comment": "questionnaire not done "
                                      "(entered by staff; CDISC QSSTAT NOT DONE, QSREASND)"}):
                    with x.el("Question"):
                        _translated(x, question)
                    if name == "reason":
                        x.leaf("CodeListRef", {"CodeListOID": CODELIST})


def write_group(x: XmlStream, inst: Instrument, rec: NotDoneRecord,
                audit: Callable[[XmlStream, str, str | None, str | None, datetime, str | None,
                                 str | None], None]) -> None:
    """The not-done ItemGroupData of ``rec`` (inside the instrument's FormData); ``audit``
    writes an AuditRecord (kind, user, station, time, reason, source)."""
    with x.el("ItemGroupData", {"ItemGroupOID": group_oid(inst)}):
        with x.el("ItemData", {"ItemOID": item_oid(inst, "reason"), "Value": rec.reason}):
            audit(x, "user", rec.recorded_by, None, rec.recorded_at, None,
                  "questionnaire.not_done")
        if rec.text:
            x.leaf("ItemData", {"ItemOID": item_oid(inst, "text"), "Value": rec.text})
        x.leaf("ItemData", {"ItemOID": item_oid(inst, "recorded_at"),
                            "Value": rec.recorded_at.isoformat()})
