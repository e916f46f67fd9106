"""Installed translations and the text version an administration records (real storage)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forms.instrument import INSTRUMENT_DIR, load_instrument, localize
from forms.translation import TranslationFileError
from storage import services as sv
from storage.audit_verify import verify_audit
from storage.errors import PermissionDenied
from storage.models import Administration, AuditEvent, InstalledTranslation
from pg_server import pg_server_url  # noqa: F401
from storage_fixtures import (db, enrol, pg_template, sqlite_db, sqlite_template,  # noqa: F401
                              staff)

ZH = INSTRUMENT_DIR / "rand36.zh_CN.json"


def site_file(q1: str = "总体来讲，您的健康状况是：", version: str = "site-v2") -> bytes:
    doc = json.loads(ZH.read_text(encoding="utf-8"))
    doc.update(status="validated", validated=True, text_version=version)
    doc["items"]["q1"] = q1
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def start(db, visit_id: int, lang: str, instrument: str = "rand36") -> int:  # noqa: F811
    return sv.start_administration(db, staff(db, "nurse"), visit_id=visit_id,
                                   instrument_id=instrument, language=lang, station_id="K-1")


def stored(db, aid: int) -> Administration:  # noqa: F811
    with db.session() as s:
        adm = s.get(Administration, aid)
        s.expunge(adm)
        return adm


def test_administration_records_language_and_text_version(db) -> None:  # noqa: F811
    v = enrol(db)
    shipped = load_instrument("rand36")
    zh_id = start(db, v.visit_id, "zh_CN")
    adm = stored(db, zh_id)
    assert adm.language == "zh_CN"
    assert adm.text_version == shipped.text_version("zh_CN").version_id
    assert adm.text_sha256 == shipped.text_version("zh_CN").sha256
    assert adm.content_hash == shipped.hash_for("zh_CN")
    st = sv.administration_state(db, zh_id)
    assert (st.text_version, st.text_sha256) == (adm.text_version, adm.text_sha256)
    en_id = start(db, v.visit_id, "en", "csc")
    adm = stored(db, en_id)
    assert adm.language == "en"
    csc = load_instrument("csc")
    assert (adm.text_version, adm.text_sha256) == (csc.text_version("en").version_id,
                                                   csc.content_hash)


def test_installed_translation_is_used_from_the_next_administration(db) -> None:  # noqa: F811
    v = enrol(db)
    before = start(db, v.visit_id, "zh_CN")
    admin = staff(db, "admin")
    raw = site_file()
    info = sv.install_translation(db, admin, raw, "/media/usb/rand36_zh_CN_validated.json")
    assert info.changed and info.installed_by == "admin" and info.validated
    assert (info.language, info.text_version, info.status) == ("zh_CN", "site-v2", "validated")
    shown = sv.shown_instrument(db, "rand36")
    assert localize(shown, "zh_CN").text("q1") == "总体来讲，您的健康状况是："
    assert shown.text_version("zh_CN").sha256 == info.sha256
    # the open administration keeps the text it started with
    assert localize(sv.administration_instrument(db, before), "zh_CN").text("q1") == \
        localize(load_instrument("rand36"), "zh_CN").text("q1")
    # the next administration (next visit) gets the installed text and records it
    nxt = start(db, v.visits[1].id, "zh_CN")
    adm = stored(db, nxt)
    assert (adm.text_version, adm.text_sha256) == ("site-v2", info.sha256)
    assert localize(sv.administration_instrument(db, nxt), "zh_CN").text("q1") == \
        "总体来讲，您的健康状况是："
    with db.session() as s:
        row = s.scalar(select(InstalledTranslation))
        assert row.content == raw.decode("utf-8") and row.sha256 == info.sha256
        events = {(f, new) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action == "instrument.install_translation"))
            for f, _old, new in e.field_rows()}
    assert ("sha256", info.sha256) in events
    assert ("source", "/media/usb/rand36_zh_CN_validated.json") in events
    assert verify_audit(db).ok


def test_same_file_twice_changes_nothing(sqlite_db) -> None:  # noqa: F811
    admin = staff(sqlite_db, "admin")
    first = sv.install_translation(sqlite_db, admin, site_file(), "a.json")
    again = sv.install_translation(sqlite_db, admin, site_file(), "b.json")
    assert not again.changed and again.id == first.id
    newer = sv.install_translation(sqlite_db, admin, site_file("总体而言，您的健康状况是：", "v3"),
                                   "c.json")
    assert newer.changed and [i.text_version for i in sv.installed_translations(sqlite_db)] == \
        ["site-v2", "v3"]
    assert sv.shown_instrument(sqlite_db, "rand36").text_version("zh_CN").version_id == "v3"


def test_only_an_admin_installs_and_a_bad_file_stores_nothing(sqlite_db) -> None:  # noqa: F811
    with pytest.raises(PermissionDenied):
        sv.install_translation(sqlite_db, staff(sqlite_db, "nurse"), site_file(), "a.json")
    bad = site_file().replace(b'"q36"', b'"q99"')
    with pytest.raises(TranslationFileError, match=r"items\.q36: missing"):
        sv.install_translation(sqlite_db, staff(sqlite_db, "admin"), bad, "bad.json")
    assert sv.installed_translations(sqlite_db) == []


def _document_of(inst, lang: str, text_version: str) -> dict:
    """A translation file made from an instrument's inline texts of ``lang``."""
    return {"id": inst.id, "version": inst.version, "language": lang,
            "text_version": text_version, "status": "validated", "validated": True,
            "title": inst.title[lang], "intro": inst.intro[lang],
            "recall_period": inst.recall_period[lang], "credit": inst.credit[lang],
            "items": {it.id: it.text[lang] for it in inst.items},
            "stems": {it.stem_id: it.stem[lang] for it in inst.items if it.stem_id},
            "blocks": {b.id: b.intro[lang] for b in inst.blocks.values()},
            "response_sets": {sid: {str(o.code): o.label[lang] for o in rs.options}
                              for sid, rs in inst.response_sets.items()}}


def test_same_mechanism_for_another_instrument(sqlite_db) -> None:  # noqa: F811
    """The symptom checklist's inline Chinese replaced by an installed text, like the SF-36."""
    csc = load_instrument("csc")
    doc = _document_of(csc, "zh_CN", "csc-site-1")
    first = csc.item_ids[0]
    doc["items"][first] = "（站点版本）" + doc["items"][first]
    info = sv.install_translation(sqlite_db, staff(sqlite_db, "admin"),
                                  json.dumps(doc, ensure_ascii=False).encode("utf-8"), "csc.json")
    v = enrol(sqlite_db)
    aid = start(sqlite_db, v.visit_id, "zh_CN", "csc")
    assert (stored(sqlite_db, aid).text_version, stored(sqlite_db, aid).text_sha256) == (
        "csc-site-1", info.sha256)
    shown = localize(sv.administration_instrument(sqlite_db, aid), "zh_CN")
    assert shown.text(first).startswith("（站点版本）")
    assert localize(sv.shown_instrument(sqlite_db, "csc"), "en").text(first) == \
        csc.item(first).text["en"]                                   # English untouched
