"""The outcome data the REDCap and ODM exports carry, read once per export.

``subjects``: the ``subjects.csv`` rows of the outcome dataset (disposition, death, last known
alive … derived there, once) by subject id; ``records``: every outcome record as a flat dict
(``record_id``, ``kind``, ``visit`` code, ``visit_id``, ``version``, ``entered_by``,
``entered_at_utc`` and the stored fields) by subject id, by record id; ``homes``: outcome kind ->
the protocol visit a record entered without a visit belongs to (``outcome_meta.home_visits``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from forms.protocol import Arm
from reports.export.outcome_meta import home_visits
from reports.outcome_report.dataset import build_dataset
from storage import services as sv
from storage.services.protocol_store import current_protocol


@dataclass
class Outcomes:
    subjects: dict[str, dict] = field(default_factory=dict)
    records: dict[str, list[dict]] = field(default_factory=dict)
    homes: dict[str, str] = field(default_factory=dict)
    arms: Sequence[Arm] = ()

    def home_events(self) -> dict[str, tuple[str, ...]]:
        """home visit code -> the outcome kinds recorded for it."""
        out: dict[str, tuple[str, ...]] = {}
        for kind, code in self.homes.items():
            out[code] = out.get(code, ()) + (kind,)
        return out


def read_outcomes(db: Any, schedule_codes: Sequence[str], *, subject: str | None = None,
                  since: datetime | None = None) -> Outcomes:
    """The export's outcome data (``subject``: one subject's; ``since``: records entered at or
    after that UTC instant). ``schedule_codes``: the visits the app plans (not homes)."""
    protocol = current_protocol(db)
    ds = build_dataset(db)
    out = Outcomes({r["subject_id"]: r for r in ds.subjects
                    if subject is None or r["subject_id"] == subject}, {},
                   home_visits(protocol, schedule_codes), protocol.arms)
    for r in sorted(sv.list_outcomes(db), key=lambda r: r.id):
        if (subject is not None and r.subject_id != subject) or \
                (since is not None and r.entered_at < since):
            continue
        out.records.setdefault(r.subject_id, []).append({
            **r.fields, "record_id": r.id, "kind": r.kind, "visit": r.visit_code,
            "visit_id": r.visit_id, "version": r.version, "entered_by": r.entered_by,
            "entered_at_utc": r.entered_at})
    return out
