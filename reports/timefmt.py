"""Times for people: local time with its UTC offset (storage keeps aware UTC; reliability.md
§4.3). The one formatter of the PDFs (``reports.pdf_kit.fmt_local``), the alert words and the
screens (``ui.widgets.timefmt``). Stdlib only: the kiosk imports it."""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo


def local_time_text(dt: datetime | None, tz: tzinfo | None = None, seconds: bool = True) -> str:
    """``2025-03-10 10:00:05 (UTC+08:00)`` in ``tz`` (default this computer's zone); "" for
    None; naive datetimes are refused (ambiguous)."""
    if dt is None:
        return ""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: storage must return aware UTC times")
    loc = dt.astimezone(tz) if tz is not None else dt.astimezone()
    off = loc.utcoffset() or (loc - loc.replace(tzinfo=timezone.utc))
    total = int(off.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hh, mm = divmod(abs(total), 60)
    return f"{loc:%Y-%m-%d %H:%M{':%S' if seconds else ''}} (UTC{sign}{hh:02d}:{mm:02d})"
