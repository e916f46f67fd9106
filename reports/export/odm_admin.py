"""The administration items of every instrument's ODM form (how a questionnaire was given: ODM
1.3.2 FormData has no status of its own) and the texts of the derived items.

Every ItemDef carries its text in en and zh-CN, as Description and Question (a receiving EDC
labels a field by its Question; derived items are not asked, the text names them). The coded
administration items -- status and language -- have CodeLists (decodes en + zh-CN): status the
stored administration statuses, language the instrument's languages.
"""
from __future__ import annotations

from typing import Callable

from forms.instrument import Instrument
from reports.export.xmlstream import XmlStream
from reports.i18n import language_name
from storage.models import ADMIN_STATUSES

# (name, ODM data type, English label, Chinese label)
ADMIN_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("status", "text", "Administration status", "施测状态"),
    ("language", "text", "Language shown", "显示语言"),
    ("instrument_version", "text", "Instrument version", "量表版本"),
    ("content_hash", "text", "SHA-256 of the text shown", "所显示文本的 SHA-256"),
    ("started_at", "datetime", "Started (UTC)", "开始时间（UTC）"),
    ("submitted_at", "datetime", "Submitted (UTC)", "提交时间（UTC）"),
    ("station", "text", "Station", "工作站"),
    ("originator", "text", "Data originator", "数据来源"),
    ("proxy_reason", "text", "Reason for proxy entry", "代录原因"))
#: decodes of the stored administration statuses (storage.models.ADMIN_STATUSES)
STATUS_LABELS = {"in_progress": ("in progress", "进行中"), "submitted": ("submitted", "已提交"),
                 "interrupted": ("interrupted", "已中断"),
                 "entered_in_error": ("entered in error", "录入错误")}
Translated = Callable[[XmlStream, dict[str, str]], None]


def admin_codes(inst: Instrument, name: str) -> list[tuple[str, tuple[str, str]]]:
    """(code, (en, zh_CN) decode) of a coded administration item; [] for the others."""
    if name == "status":
        return [(s, STATUS_LABELS.get(s, (s, s))) for s in ADMIN_STATUSES]
    if name == "language":
        return [(lang, (language_name(lang, "en"), language_name(lang, "zh_CN")))
                for lang in inst.languages]
    return []


def admin_codelist_oid(inst: Instrument, name: str) -> str:
    return f"CL.{inst.id.upper()}.ADMIN.{name}"


def texts(x: XmlStream, labels: dict[str, str], translated: Translated) -> None:
    """Description and Question of a derived item, both in every language of ``labels``."""
    for tag in ("Description", "Question"):
        with x.el(tag):
            translated(x, labels)


def write_admin_item_defs(x: XmlStream, inst: Instrument, item_oid: Callable[[str], str],
                          translated: Translated) -> None:
    for name, typ, en, zh in ADMIN_ITEMS:
        with x.el("ItemDef", {"OID": item_oid(name), "Name": f"{inst.id}_{name}",
                              "DataType": typ, "Origin": "Derived"}):
            texts(x, {"en": en, "zh_CN": zh}, translated)
            if admin_codes(inst, name):
                x.leaf("CodeListRef", {"CodeListOID": admin_codelist_oid(inst, name)})


def write_admin_codelists(x: XmlStream, inst: Instrument, translated: Translated) -> None:
    for name, _typ, en, _zh in ADMIN_ITEMS:
        codes = admin_codes(inst, name)
        if not codes:
            continue
        with x.el("CodeList", {"OID": admin_codelist_oid(inst, name),
                               "Name": f"{inst.id} {en.lower()}", "DataType": "text"}):
            for code, (dec_en, dec_zh) in codes:
                with x.el("CodeListItem", {"CodedValue": code}):
                    with x.el("Decode"):
                        translated(x, {"en": dec_en, "zh_CN": dec_zh})
