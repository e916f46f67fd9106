"""``import-patients`` through the enrolment service (issue 13 item 7): the whole list is
checked first with the rules of one enrolment (``check_enrolment``, one read transaction, no
write lock), then written in batches, each its own short transaction, so other stations save
in between. All or nothing holds for every rule of the data; a batch that still fails (another
station enrolled one of the ids meanwhile, a full disk) stops the import and names exactly what
was written and what was not (written batches are kept and audited, never silently undone)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from forms.enrolment import RawScreening
from forms.errors import UserError
from storage import audit
from storage.actors import Actor
from storage.db import Database
from storage.errors import ConflictError
from storage.services._tx import check_permission, tx
from storage.services.enrolment import check_demographics, check_enrolment, enrol_in_session


class BatchRefused(UserError):
    """A batch (``import-patients``) refused as a whole; ``problems`` lists each by line."""
    MAX_LISTED = 30

    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:self.MAX_LISTED]
        more = (f"\n  … and {len(problems) - self.MAX_LISTED} more"
                if len(problems) > self.MAX_LISTED else "")
        super().__init__(f"{name}: {len(problems)} problem(s); nothing was imported.\n  "
                         + "\n  ".join(shown) + more)


@dataclass(frozen=True)
class EnrolmentRow:
    """One subject of a batch: its line in the file, demographics, raw screening, day 1."""
    line: int
    subject_id: str
    initials: str
    sex: str
    day1_date: date
    screening: RawScreening
    screening_number: str | None = None
    arm: str | None = None            # only in a non-randomised study


#: rows per write transaction of ``enrol_many``: short enough that other stations' saves wait
#: well under the 10 s busy timeout (about a second here), large enough to be quick
BATCH_ROWS = 500


class BatchPartlyImported(UserError):
    """A batch failed AFTER the whole file was checked (another station enrolled one of the
    subject ids meanwhile, the disk filled up, …): the batches before it stay enrolled."""

    def __init__(self, name: str, written: list[EnrolmentRow], rest: list[EnrolmentRow],
                 why: str) -> None:
        self.written, self.rest = written, rest
        done = (f"lines {written[0].line}–{written[-1].line} ({len(written)} subjects, "
                f"{written[0].subject_id} … {written[-1].subject_id}) were enrolled and stay "
                "enrolled (audited as patients.import_batch)") if written else "nothing was enrolled"
        super().__init__(f"{name}: stopped at line {rest[0].line}: {why} — {done}; lines "
                         f"{rest[0].line}–{rest[-1].line} ({len(rest)} subjects) were NOT "
                         "imported: import them from a file with only those lines.")


def enrol_many(db: Database, actor: Actor, rows: list[EnrolmentRow], *, file_name: str,
               sha256: str, batch_rows: int = BATCH_ROWS,
               progress: Callable[[int, int], None] | None = None) -> tuple[str, ...]:
    """Enrol every row through the same rules as one enrolment (screening recomputed,
    allocation, schedule).

    First EVERY row is checked in one read transaction (no write lock; the same
    :func:`check_enrolment` as one enrolment: an ineligible or undetermined screening cannot be
    overridden in a batch, a duplicate subject, …): any refusal is listed by line and nothing is
    enrolled. Then the rows are written in batches of ``batch_rows``, each its own transaction
    (other stations save in between) audited as ``patients.import_batch``; the last one also
    records ``patients.imported`` (file, SHA-256, rows). ``progress(done, total)`` follows each
    batch. A batch that still fails raises :class:`BatchPartlyImported` naming exactly what was
    written (kept, never silently undone) and what was not."""
    check_permission(db, actor, "enrol_patient")
    problems: list[str] = []
    seen: set[str] = set()
    with db.read_session() as s:
        for r in rows:
            try:
                demo = check_demographics(r.subject_id, r.initials, r.sex, r.screening_number,
                                          None)
                if demo.subject_id in seen:
                    raise ConflictError(f"Subject {demo.subject_id} appears twice.")
                seen.add(demo.subject_id)
                check_enrolment(s, demo, r.screening, r.day1_date, arm=r.arm)
            except UserError as exc:
                problems.append(f"line {r.line}: {exc}")
    if problems:
        raise BatchRefused(file_name, problems)
    done: list[EnrolmentRow] = []
    batches = [rows[i:i + max(1, batch_rows)] for i in range(0, len(rows), max(1, batch_rows))]
    for k, batch in enumerate(batches, start=1):
        try:
            _enrol_batch(db, actor, batch, {"file": file_name, "sha256": sha256, "batch": k,
                                            "of": len(batches)}, last=k == len(batches),
                         total=len(rows))
        except Exception as exc:
            raise BatchPartlyImported(file_name, done, rows[len(done):], str(exc)) from exc
        done.extend(batch)
        if progress is not None:
            progress(len(done), len(rows))
    return tuple(r.subject_id for r in rows)


def _enrol_batch(db: Database, actor: Actor, batch: list[EnrolmentRow], detail: dict, *,
                 last: bool, total: int) -> None:
    with tx(db, actor, "patients.import", permission="enrol_patient") as s:
        for r in batch:
            demo = check_demographics(r.subject_id, r.initials, r.sex, r.screening_number, None)
            try:
                enrol_in_session(s, actor, demo, r.screening, r.day1_date, arm=r.arm)
            except UserError as exc:
                raise UserError(f"line {r.line}: {exc}") from exc
        ctx = audit.context(s)
        if ctx is not None:
            ctx.patient_id = None
        audit.log_event(s, "patients.import_batch", detail=json.dumps(
            {**detail, "lines": [batch[0].line, batch[-1].line], "rows": len(batch)},
            sort_keys=True))
        if last:
            audit.log_event(s, "patients.imported", detail=json.dumps(
                {"file": detail["file"], "sha256": detail["sha256"], "rows": total},
                sort_keys=True))


__all__ = ["BATCH_ROWS", "BatchPartlyImported", "BatchRefused", "EnrolmentRow", "enrol_many"]
