"""``epro import-patients FILE.csv``: enrol a list of subjects, all or nothing.

The whole file is checked before anything is written; every problem is listed with its line
number and nothing is imported if there is any. Then every subject (with the visit schedule) is
created in ONE transaction, together with a ``patients.imported`` audit event carrying the file's
SHA-256 and row count.

Accepted: UTF-8 with or without BOM; GB18030 (Chinese Excel) only when declared with
``--encoding gb18030``. Refused with a clear message: empty, over 100 MB, UTF-16, undecodable,
truncated (unterminated quote, short last line), wrong/duplicate/missing columns, ragged rows,
duplicate subject ids (in the file or already enrolled), cells that look like spreadsheet
formulas, and invalid values.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from forms import schedule as sched
from forms.errors import UserError
from reports.export.audit_hook import record_import
from storage import audit
from storage.actors import Actor
from storage.clock import utcnow
from storage.db import Database
from storage.models import SEXES, Patient, Visit
from storage.services._tx import tx
from storage.services.patients import SUBJECT_RE, current_study

MAX_BYTES = 100 * 1024 * 1024
REQUIRED = ("subject_id", "initials", "sex", "birth_year", "arm", "day1_date", "consent_date")
OPTIONAL = ("screening_number",)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_LISTED = 30
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ImportResult:
    rows: int
    sha256: str
    subject_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Row:
    line: int
    subject_id: str
    initials: str
    sex: str
    birth_year: int
    arm: str
    day1: date
    consent: date
    screening: str | None


class ImportRefused(UserError):
    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_LISTED]
        more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        super().__init__(f"{name}: {len(problems)} problem(s); nothing was imported.\n  "
                         + "\n  ".join(shown) + more)


def _decode(raw: bytes, encoding: str, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(name, ["the file is UTF-16; save it as CSV UTF-8"])
    try:
        if encoding == "gb18030":
            return raw.decode("gb18030")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        hint = (" (a file saved by Chinese Excel is GB18030: use --encoding gb18030)"
                if encoding != "gb18030" else "")
        raise ImportRefused(name, [f"line {line}: not valid {encoding}{hint}"]) from None


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _check_row(line: int, rec: dict[str, str], arms: list[str], this_year: int,
               problems: list[str]) -> _Row | None:
    bad = len(problems)
    for col, val in rec.items():
        if val.startswith(FORMULA_START):
            problems.append(f"line {line}, {col}: {val[:20]!r} looks like a spreadsheet "
                            "formula; remove the leading = + - @ or tab")
    if len(problems) > bad:
        return None
    sid = rec["subject_id"].strip()
    if not SUBJECT_RE.match(sid):
        problems.append(f"line {line}, subject_id: 1–32 letters, digits, '-' or '_'")
    initials = rec["initials"].strip().upper()
    if not (1 <= len(initials) <= 5 and initials.isalpha()):
        problems.append(f"line {line}, initials: 1 to 5 letters")
    sex = rec["sex"].strip().upper()
    if sex not in SEXES:
        problems.append(f"line {line}, sex: must be F or M")
    by = rec["birth_year"].strip()
    if not (by.isdigit() and this_year - 120 <= int(by) <= this_year):
        problems.append(f"line {line}, birth_year: not a plausible year")
    arm = rec["arm"].strip()
    if arm not in arms:
        problems.append(f"line {line}, arm: {arm!r} is not an arm of the study "
                        f"({', '.join(arms)})")
    day1, consent = _parse_date(rec["day1_date"].strip()), _parse_date(rec["consent_date"].strip())
    if day1 is None:
        problems.append(f"line {line}, day1_date: use YYYY-MM-DD")
    if consent is None:
        problems.append(f"line {line}, consent_date: use YYYY-MM-DD")
    if day1 and consent and consent > day1:
        problems.append(f"line {line}: consent_date is after day1_date")
    screening = (rec.get("screening_number") or "").strip() or None
    if screening is not None and len(screening) > 32:
        problems.append(f"line {line}, screening_number: at most 32 characters")
    if len(problems) > bad:
        return None
    return _Row(line, sid, initials, sex, int(by), arm, day1, consent, screening)  # type: ignore[arg-type]


def parse_subject_file(path: Path, *, encoding: str = "utf-8", arms: list[str],
                       this_year: int) -> tuple[list[_Row], str]:
    """Validate the whole file; returns rows and the file's SHA-256, or raises ImportRefused."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise UserError(f"{name}: cannot read the file.") from None
    if size == 0:
        raise ImportRefused(name, ["the file is empty"])
    if size > MAX_BYTES:
        raise ImportRefused(name, [f"the file is {size / 2**20:.0f} MB; the limit is "
                                   f"{MAX_BYTES // 2**20} MB"])
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, encoding, name)
    if "\x00" in text:
        raise ImportRefused(name, ["the file contains NUL bytes (not a text CSV)"])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportRefused(name, [f"line 1: not readable as CSV ({exc})"]) from None
    if not header or not any(h.strip() for h in header):
        raise ImportRefused(name, ["no header row"])
    cols = [h.strip().lower() for h in header]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    missing = [c for c in REQUIRED if c not in cols]
    extra = [c for c in cols if c not in REQUIRED + OPTIONAL]
    if dup:
        problems.append(f"line 1: duplicate column(s) {', '.join(dup)}")
    if missing:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"line 1: unexpected column(s) {', '.join(extra)} "
                        f"(expected {', '.join(REQUIRED + OPTIONAL)})")
    if problems:
        raise ImportRefused(name, problems)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(cols):
                last = not text.endswith(("\n", "\r"))
                problems.append(f"line {line}: expected {len(cols)} fields, got {len(values)}"
                                + (" (the file looks truncated)" if last else ""))
                continue
            row = _check_row(line, dict(zip(cols, values)), arms, this_year, problems)
            if row is None:
                continue
            if row.subject_id in seen:
                problems.append(f"line {line}: subject {row.subject_id} duplicates line "
                                f"{seen[row.subject_id]}")
                continue
            seen[row.subject_id] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc} (the file looks truncated or has an "
                        "unclosed quote)")
    if not rows and not problems:
        problems.append("no subject rows after the header")
    if problems:
        raise ImportRefused(name, problems)
    return rows, digest


def import_patients(db: Database, actor: Actor, path: Path, *,
                    encoding: str = "utf-8") -> ImportResult:
    """Validate ``path`` as a whole, then enrol every subject in one audited transaction."""
    from storage.services._tx import check_permission
    check_permission(db, actor, "enrol_patient")
    with db.session() as s:
        study = current_study(s)
        arms = list(study.arms)
    rows, digest = parse_subject_file(path, encoding=encoding, arms=arms,
                                      this_year=utcnow().year)
    with tx(db, actor, "patients.import", permission="enrol_patient") as s:
        study = current_study(s)
        ids = [r.subject_id for r in rows]
        existing: set[str] = set()
        for i in range(0, len(ids), 500):
            existing |= set(s.scalars(select(Patient.subject_id)
                                      .where(Patient.subject_id.in_(ids[i:i + 500]))))
        if existing:
            raise ImportRefused(path.name, [f"line {r.line}: subject {r.subject_id} is already "
                                            "enrolled" for r in rows if r.subject_id in existing])
        schedule = sched.schedule_from_rows(study.visit_schedule)
        now = utcnow()
        ctx = audit.context(s)
        for r in rows:
            p = Patient(study_id=study.id, subject_id=r.subject_id,
                        screening_number=r.screening, initials=r.initials, sex=r.sex,
                        birth_year=r.birth_year, arm=r.arm, consent_date=r.consent,
                        day1_date=r.day1, status="enrolled", created_at=now)
            s.add(p)
            s.flush()
            if ctx is not None:      # as enrol_patient does: visit rows audited to the patient
                ctx.patient_id = p.id
            for seq, vdef in enumerate(schedule, start=1):
                s.add(Visit(patient_id=p.id, code=vdef.code, sequence=seq,
                            target_day=vdef.target_day,
                            window_before=vdef.target_day - vdef.earliest_day,
                            window_after=vdef.latest_day - vdef.target_day,
                            planned_date=sched.plan(vdef, r.day1).target_date,
                            status="planned"))
            s.flush()
        if ctx is not None:
            ctx.patient_id = None
        record_import(db, actor, s, file_name=path.name, sha256=digest, rows=len(rows))
    return ImportResult(len(rows), digest, tuple(ids))
