"""One staff alert as words, in the reader's language (the PDF alert box and the staff screens).

An alert is stored as a reason key and parameters (``forms.alerts``); this turns it into
"Black or bloody stools: patient answered Yes" through the report labels
(``reports.i18n``), so the paper and the screens say the same thing. A question is named by its
short label from the instrument data, in the reader's language — never by its item id. Qt-free.
"""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, Mapping

from forms.alerts import STAFF_REASONS
from reports.i18n import symptom_label, tr
from reports.timefmt import local_time_text

DASH = "\u2013"


def _int(v: Any) -> str:
    return DASH if v is None else f"{int(v):d}"


def alert_reason(kind: str, item_id: str | None, params: Mapping[str, Any], lang: str,
                 instrument_id: str | None = None) -> str:
    """The reason of one alert (``kind`` = forms.alerts reason key; ``instrument_id``: the
    questionnaire of an answer alert, when known)."""
    item = item_id or ""
    fields: dict[str, Any] = {
        "label": symptom_label(item, lang, instrument_id) if item else ""}
    if kind == "core_worsened":
        prev, now = params.get("previous"), params.get("now")
        delta = int(now) - int(prev) if prev is not None and now is not None else None
        fields |= {"previous": _int(prev), "now": _int(now),
                   "delta": DASH if delta is None else f"{delta:d}"}
    elif kind == "answer_threshold":
        value = params.get("value")
        fields |= {"answer": _int(params.get("code")), "op": params.get("op", ""),
                   "value": DASH if value is None else f"{float(value):g}"}
    elif kind in STAFF_REASONS:          # staff data: dates, term, grade as stored
        fields |= {k: DASH if v in (None, "") else str(v) for k, v in params.items()}
        fields |= {k: DASH for k in ("date", "term", "onset", "grade", "baseline", "now")
                   if k not in fields}
    return tr("alert_" + kind, lang, **fields)


def alert_words(a: Any, lang: str) -> str:
    """The reason of a stored staff alert (``storage.services.AlertInfo``): the kiosk staff
    list, the workstation and its notice say it the same way."""
    return alert_reason(a.reason, a.item_id or a.field, a.params, lang,
                        getattr(a, "instrument_id", None))


def alert_level(severity: str, lang: str) -> str:
    return tr("alert_" + severity, lang)


def acknowledgement(by: str | None, at: datetime | None, lang: str,
                    tz: tzinfo | None = None) -> str:
    """"acknowledged by nurse, 2026-03-01 10:15 (UTC+08:00)" (local time in ``tz``, default
    this computer's zone) or "not yet acknowledged"."""
    if at is None:
        return tr("alert_unacknowledged", lang)
    return tr("alert_acknowledged", lang, who=by or DASH,
              when=local_time_text(at, tz, seconds=False))


__all__ = ["acknowledgement", "alert_level", "alert_reason", "alert_words"]
