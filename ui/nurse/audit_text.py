"""Audit rows in words (issue 14 item 10): actions and fields as labels in the GUI language,
answers named by their questionnaire and question, answer codes as the option labels the
patient saw, JSON values as readable text. The stored row is never changed (the CSV export
keeps the raw values); this only decides what the Audit trail tab shows.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from forms.instrument import load_instrument, localize
from forms.not_done import REASONS, reason_text
from forms.outcome_defs import FORMS, field_label
from forms.outcomes import describe_outcome, kind_of_fields
from forms.registry import instrument_name
from ui.i18n import current_language

CTX = "AuditText"
ACTIONS = {
    "administration.interrupt": QT_TRANSLATE_NOOP("AuditText", "Questionnaire interrupted"),
    "administration.start": QT_TRANSLATE_NOOP("AuditText", "Questionnaire started"),
    "administration.submit": QT_TRANSLATE_NOOP("AuditText", "Questionnaire submitted"),
    "alert.acknowledge": QT_TRANSLATE_NOOP("AuditText", "Alert acknowledged"),
    "alert.raise": QT_TRANSLATE_NOOP("AuditText", "Alert raised"),
    "answer.correct": QT_TRANSLATE_NOOP("AuditText", "Answer corrected"),
    "answer.record": QT_TRANSLATE_NOOP("AuditText", "Answer saved"),
    "answer.skip": QT_TRANSLATE_NOOP("AuditText", "Question skipped"),
    "audit.exported": QT_TRANSLATE_NOOP("AuditText", "Audit trail exported"),
    "auth.login": QT_TRANSLATE_NOOP("AuditText", "Logged in"),
    "auth.logout": QT_TRANSLATE_NOOP("AuditText", "Logged out"),
    "clinical.enter": QT_TRANSLATE_NOOP("AuditText", "Clinical assessment saved"),
    "clinical.correct": QT_TRANSLATE_NOOP("AuditText", "Clinical assessment corrected"),
    "enrolment.override": QT_TRANSLATE_NOOP("AuditText", "Eligibility overridden"),
    "export.created": QT_TRANSLATE_NOOP("AuditText", "Data exported"),
    "patient.correct_arm": QT_TRANSLATE_NOOP("AuditText", "Arm corrected"),
    "patient.enrol": QT_TRANSLATE_NOOP("AuditText", "Patient enrolled"),
    "patients.import": QT_TRANSLATE_NOOP("AuditText", "Patients imported"),
    "visit.add_early_termination": QT_TRANSLATE_NOOP("AuditText",
                                                     "Early-termination visit added"),
    "visit.add_unscheduled": QT_TRANSLATE_NOOP("AuditText", "Unscheduled visit added"),
    "visit.lock": QT_TRANSLATE_NOOP("AuditText", "Visit locked"),
    "visit.out_of_window_reason": QT_TRANSLATE_NOOP("AuditText", "Out-of-window reason"),
    "visit.sign": QT_TRANSLATE_NOOP("AuditText", "Visit signed"),
    "outcome.record": QT_TRANSLATE_NOOP("AuditText", "Outcome form saved"),
    "outcome.correct": QT_TRANSLATE_NOOP("AuditText", "Outcome form corrected"),
    "kiosk.not_me": QT_TRANSLATE_NOOP("AuditText", "\"This is not me\" at the kiosk"),
    "questionnaire.not_done": QT_TRANSLATE_NOOP("AuditText", "Questionnaire not done"),
    "questionnaire.not_done_withdrawn": QT_TRANSLATE_NOOP("AuditText",
                                                          "Not-done record withdrawn"),
}
FIELDS = {
    "code": QT_TRANSLATE_NOOP("AuditText", "answer"),
    "status": QT_TRANSLATE_NOOP("AuditText", "status"),
    "skip_reason": QT_TRANSLATE_NOOP("AuditText", "reason for skipping"),
    "labs": QT_TRANSLATE_NOOP("AuditText", "laboratory values"),
    "sample_date": QT_TRANSLATE_NOOP("AuditText", "sample date"),
    "ascites": QT_TRANSLATE_NOOP("AuditText", "ascites"),
    "encephalopathy": QT_TRANSLATE_NOOP("AuditText", "encephalopathy"),
    "symptom_grades": QT_TRANSLATE_NOOP("AuditText", "symptom grades"),
    "imaging": QT_TRANSLATE_NOOP("AuditText", "imaging"),
    "vital_status": QT_TRANSLATE_NOOP("AuditText", "vital status"),
    "derived": QT_TRANSLATE_NOOP("AuditText", "derived scores"),
    "arm": QT_TRANSLATE_NOOP("AuditText", "arm"),
    "administration_id": QT_TRANSLATE_NOOP("AuditText", "questionnaire record"),
    "instrument_id": QT_TRANSLATE_NOOP("AuditText", "questionnaire"),
    "instrument_version": QT_TRANSLATE_NOOP("AuditText", "questionnaire version"),
    "item_id": QT_TRANSLATE_NOOP("AuditText", "question"),
    "answered_at": QT_TRANSLATE_NOOP("AuditText", "answered at"),
    "saved_at": QT_TRANSLATE_NOOP("AuditText", "saved at"),
    "change_count": QT_TRANSLATE_NOOP("AuditText", "number of changes"),
    "ms_on_item": QT_TRANSLATE_NOOP("AuditText", "time on the question (ms)"),
    "visit_id": QT_TRANSLATE_NOOP("AuditText", "visit"),
    "content_hash": QT_TRANSLATE_NOOP("AuditText", "content fingerprint (SHA-256)"),
    "language": QT_TRANSLATE_NOOP("AuditText", "language"),
    "text_version": QT_TRANSLATE_NOOP("AuditText", "text version"),
    "text_sha256": QT_TRANSLATE_NOOP("AuditText", "text fingerprint (SHA-256)"),
    "started_at": QT_TRANSLATE_NOOP("AuditText", "started at"),
    "submitted_at": QT_TRANSLATE_NOOP("AuditText", "submitted at"),
    "station_id": QT_TRANSLATE_NOOP("AuditText", "station"),
    "originator": QT_TRANSLATE_NOOP("AuditText", "entered by"),
    "proxy_user_id": QT_TRANSLATE_NOOP("AuditText", "entered for the patient by"),
    "proxy_reason": QT_TRANSLATE_NOOP("AuditText", "reason for entering for the patient"),
    "patient_id": QT_TRANSLATE_NOOP("AuditText", "patient"),
    "sequence": QT_TRANSLATE_NOOP("AuditText", "order"),
    "target_day": QT_TRANSLATE_NOOP("AuditText", "target study day"),
    "window_before": QT_TRANSLATE_NOOP("AuditText", "window before (days)"),
    "window_after": QT_TRANSLATE_NOOP("AuditText", "window after (days)"),
    "planned_date": QT_TRANSLATE_NOOP("AuditText", "planned date"),
    "actual_date": QT_TRANSLATE_NOOP("AuditText", "visit date"),
    "out_of_window": QT_TRANSLATE_NOOP("AuditText", "out of window"),
    "out_of_window_reason": QT_TRANSLATE_NOOP("AuditText", "out-of-window reason"),
    "unscheduled_reason": QT_TRANSLATE_NOOP("AuditText", "reason for the unscheduled visit"),
    "locked_at": QT_TRANSLATE_NOOP("AuditText", "locked at"),
    "locked_by": QT_TRANSLATE_NOOP("AuditText", "locked by"),
    "lock_reason": QT_TRANSLATE_NOOP("AuditText", "lock reason"),
    "dialysis": QT_TRANSLATE_NOOP("AuditText", "dialysis"),
    "child_pugh_variant": QT_TRANSLATE_NOOP("AuditText", "Child-Pugh variant"),
    "entered_by": QT_TRANSLATE_NOOP("AuditText", "entered by"),
    "entered_at": QT_TRANSLATE_NOOP("AuditText", "entered at"),
    "user_id": QT_TRANSLATE_NOOP("AuditText", "signer account"),
    "signer_name": QT_TRANSLATE_NOOP("AuditText", "signer"),
    "meaning": QT_TRANSLATE_NOOP("AuditText", "meaning"),
    "signed_at": QT_TRANSLATE_NOOP("AuditText", "signed at"),
    "invalidated_at": QT_TRANSLATE_NOOP("AuditText", "invalidated at"),
    "invalidated_reason": QT_TRANSLATE_NOOP("AuditText", "reason invalidated"),
    "study_id": QT_TRANSLATE_NOOP("AuditText", "study"),
    "site_id": QT_TRANSLATE_NOOP("AuditText", "site"),
    "subject_id": QT_TRANSLATE_NOOP("AuditText", "subject id"),
    "screening_number": QT_TRANSLATE_NOOP("AuditText", "screening number"),
    "initials": QT_TRANSLATE_NOOP("AuditText", "initials"),
    "sex": QT_TRANSLATE_NOOP("AuditText", "sex"),
    "birth_year": QT_TRANSLATE_NOOP("AuditText", "birth year"),
    "consent_date": QT_TRANSLATE_NOOP("AuditText", "consent date"),
    "day1_date": QT_TRANSLATE_NOOP("AuditText", "day 1"),
    "full_name": QT_TRANSLATE_NOOP("AuditText", "full name"),
    "created_at": QT_TRANSLATE_NOOP("AuditText", "created at"),
    "source": QT_TRANSLATE_NOOP("AuditText", "source"),
    "form": QT_TRANSLATE_NOOP("AuditText", "form"),
    "field": QT_TRANSLATE_NOOP("AuditText", "field"),
    "severity": QT_TRANSLATE_NOOP("AuditText", "severity"),
    "reason": QT_TRANSLATE_NOOP("AuditText", "reason"),
    "params": QT_TRANSLATE_NOOP("AuditText", "details"),
    "raised_at": QT_TRANSLATE_NOOP("AuditText", "raised at"),
    "acknowledged_at": QT_TRANSLATE_NOOP("AuditText", "acknowledged at"),
    "acknowledged_by": QT_TRANSLATE_NOOP("AuditText", "acknowledged by"),
    "ack_note": QT_TRANSLATE_NOOP("AuditText", "acknowledgement note"),
    "protocol_version_id": QT_TRANSLATE_NOOP("AuditText", "protocol version"),
    "screening_date": QT_TRANSLATE_NOOP("AuditText", "screening date"),
    "inputs": QT_TRANSLATE_NOOP("AuditText", "screening inputs"),
    "result": QT_TRANSLATE_NOOP("AuditText", "screening result"),
    "override_reason": QT_TRANSLATE_NOOP("AuditText", "override reason"),
    "override_by": QT_TRANSLATE_NOOP("AuditText", "override by"),
    "allocation_sequence": QT_TRANSLATE_NOOP("AuditText", "allocation number"),
    "recorded_at": QT_TRANSLATE_NOOP("AuditText", "recorded at"),
    "kind": QT_TRANSLATE_NOOP("AuditText", "outcome form"),
    "fields": QT_TRANSLATE_NOOP("AuditText", "outcome values"),
    "event_date": QT_TRANSLATE_NOOP("AuditText", "event date"),
}
#: outcome forms and their fields, labelled by ``forms.outcome_defs`` (en / zh_CN)
_OUTCOME_FIELDS = {f.key: f for form in FORMS.values() for f in form.fields}
ROLES = {
    "nurse": QT_TRANSLATE_NOOP("AuditText", "study nurse"),
    "investigator": QT_TRANSLATE_NOOP("AuditText", "investigator"),
    "admin": QT_TRANSLATE_NOOP("AuditText", "administrator"),
    "patient": QT_TRANSLATE_NOOP("AuditText", "patient"),
    "system": QT_TRANSLATE_NOOP("AuditText", "system"),
}
WORDS = {
    "answered": QT_TRANSLATE_NOOP("AuditText", "answered"),
    "skipped": QT_TRANSLATE_NOOP("AuditText", "skipped"),
    "not_applicable": QT_TRANSLATE_NOOP("AuditText", "not applicable"),
    "in_progress": QT_TRANSLATE_NOOP("AuditText", "in progress"),
    "submitted": QT_TRANSLATE_NOOP("AuditText", "submitted"),
    "interrupted": QT_TRANSLATE_NOOP("AuditText", "interrupted"),
    "planned": QT_TRANSLATE_NOOP("AuditText", "planned"),
    "completed": QT_TRANSLATE_NOOP("AuditText", "completed"),
    "signed": QT_TRANSLATE_NOOP("AuditText", "signed"),
    "resign_required": QT_TRANSLATE_NOOP("AuditText", "re-signature required"),
    "valid": QT_TRANSLATE_NOOP("AuditText", "valid"),
    "invalidated": QT_TRANSLATE_NOOP("AuditText", "invalidated"),
    "true": QT_TRANSLATE_NOOP("AuditText", "yes"),
    "false": QT_TRANSLATE_NOOP("AuditText", "no"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def role_text(role: str | None) -> str:
    return _tr(ROLES[role]) if role in ROLES else (role or "")


def action_text(action: str) -> str:
    """An action as words; an action without a label reads as its words ("user unlock")."""
    label = ACTIONS.get(action)
    return _tr(label) if label else action.replace(".", " ").replace("_", " ")


@lru_cache(maxsize=64)
def _localized(instrument_id: str, version_lang: str) -> Any:
    return localize(load_instrument(instrument_id), version_lang)


def question_text(instrument_id: str | None, item_id: str | None, lang: str) -> str:
    """"RAND-36 3. Vigorous activities, …" — the questionnaire and the question."""
    if not instrument_id or not item_id:
        return ""
    name = instrument_name(instrument_id, lang)
    try:
        loc = _localized(instrument_id, lang)
        return f"{name} {loc.instrument.item(item_id).number}. {loc.text(item_id)}".strip()
    except Exception:  # noqa: BLE001 - an instrument no longer installed: name the item
        return f"{name} {item_id}"


def field_text(field: str | None, instrument_id: str | None = None,
               item_id: str | None = None, lang: str = "en") -> str:
    if item_id:
        q = question_text(instrument_id, item_id, lang)
        what = _tr(FIELDS[field]) if field in FIELDS else (field or "")
        return f"{q} — {what}" if what else q
    if not field:
        return ""
    return _tr(FIELDS[field]) if field in FIELDS else field.replace("_", " ")


def _outcome_word(word: str) -> str | None:
    """An outcome form or field id (alert rows name them) as its label."""
    lang = current_language()
    if word in FORMS:
        return FORMS[word].label.get(lang) or FORMS[word].label["en"]
    fdef = _OUTCOME_FIELDS.get(word)
    return field_label(fdef, lang) if fdef is not None else None


def _not_done_words(v: dict) -> str:
    """A not-done record's detail (``storage.services.not_done_records``) in words: the
    questionnaire's name, and the reason as ``forms.not_done`` labels it."""
    lang = current_language()
    name = instrument_name(str(v.get("instrument_id")), lang)
    if v.get("reason") not in REASONS:
        return name
    return f"{name}: {reason_text(v['reason'], v.get('text') or '', lang)}"


def _readable(v: Any) -> str:
    if isinstance(v, dict) and "instrument_id" in v and set(v) <= {"instrument_id", "reason",
                                                                   "text"}:
        return _not_done_words(v)
    kind = kind_of_fields(v) if isinstance(v, dict) and not set(v) <= {"value", "unit"} else None
    if kind is not None:                 # an outcome record's typed values, in words
        return describe_outcome(kind, v, current_language())[1] or "\u2013"
    if v is None:
        return "\u2013"
    if isinstance(v, bool):
        return _tr(WORDS["true" if v else "false"])
    if isinstance(v, dict):
        if v and set(v) <= {"value", "unit"}:
            return f"{_readable(v.get('value'))} {v.get('unit') or ''}".strip()
        parts = [f"{_tr(FIELDS[k]) if k in FIELDS else str(k).replace('_', ' ')}: "
                 f"{_readable(x)}" for k, x in v.items() if x not in (None, "", {}, [])]
        return "; ".join(parts) or "\u2013"
    if isinstance(v, list):
        return ", ".join(_readable(x) for x in v) or "\u2013"
    if isinstance(v, str):
        return _tr(WORDS[v]) if v in WORDS else (_outcome_word(v) or v)
    return str(v)


def value_text(raw: str | None, field: str | None = None, instrument_id: str | None = None,
               item_id: str | None = None, lang: str = "en") -> str:
    """A stored audit value as the reader should see it."""
    if raw is None or raw == "":
        return ""
    if field == "code" and instrument_id and item_id:
        try:
            labels = dict(_localized(instrument_id, lang).options(item_id))
            code = int(float(raw))
            if code in labels:
                return f"{labels[code]} ({code})"
        except Exception:  # noqa: BLE001 - not a code of this item: show it as stored
            pass
    # only an object, array, true/false or null reads differently from the text as stored:
    # anything else (times, numbers, words) is not parsed (thousands per opened patient)
    if raw.lstrip()[:1] in _JSON_STARTS:
        try:
            parsed = json.loads(raw)
        except (ValueError, TypeError):
            parsed = raw
        if isinstance(parsed, (dict, list, bool)) or parsed is None:
            return _readable(parsed)
    return _tr(WORDS[raw]) if raw in WORDS else (_outcome_word(raw) or raw)


_JSON_STARTS = frozenset("{[tfn")


__all__ = ["action_text", "field_text", "question_text", "role_text", "value_text"]
