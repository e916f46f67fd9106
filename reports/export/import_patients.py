"""``epro import-patients FILE.csv``: enrol a list of subjects, all or nothing.

This module only READS the file: the whole file is checked before anything is written and every
problem is listed with its line number. The rows then go to the enrolment service
(``storage.services.enrol_batch.enrol_many``), the same rules as the enrol dialog: storage
recomputes Child-Pugh/MELD and eligibility from the raw screening columns, assigns the arm from
the allocation list (an ``arm`` column only in a non-randomised study), plans the protocol's
visits. Storage first checks EVERY row (one read transaction, no write lock), then writes in
batches of 500 subjects, each its own transaction (other stations save in between; progress
after each), audited as ``patients.import_batch``, the last with ``patients.imported`` (file
SHA-256 and row count). At most ``MAX_ROWS`` (10 000) subjects per file. An ineligible or undetermined subject cannot be imported (an
override needs an investigator at the enrol dialog); such rows are listed by line.

Columns: ``subject_id, initials, sex, day1_date`` and the raw screening inputs
``screening_date, birth_date, consent_date, decompensated, life_expectancy_over_2_months, hbv,
antiviral`` (yes/no, empty = not known), ``ascites`` (none|slight|moderate),
``encephalopathy`` (none|grade1-2|grade3-4), the screening labs ``bilirubin, albumin, inr,
creatinine, sodium`` with optional ``<lab>_unit`` columns (as ``epro calc``), one column per
exclusion id of the protocol (yes = applies); optional ``screening_number``,
``decompensation_kinds`` (ids joined by ``;``) and ``arm``.

Accepted: UTF-8 with or without BOM; GB18030 (Chinese Excel) only when declared with
``--encoding gb18030``. A file without a BOM whose non-ASCII bytes happen to be valid UTF-8
but read as Chinese only in GB18030 is refused (mojibake: the UTF-8 reading gives Latin,
Greek, Cyrillic … letters where the GB18030 reading gives Chinese). Refused with a clear message: empty, over 100 MB, UTF-16, undecodable,
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
from typing import Callable

from forms.enrolment import SCREENING_LABS, RawScreening
from forms.errors import UserError
from forms.protocol import Protocol
from storage import services as sv
from storage.services.enrol_batch import BATCH_ROWS, BatchRefused, EnrolmentRow

MAX_BYTES = 100 * 1024 * 1024
#: subjects per file: a site enrols tens to hundreds; a bigger file is a mistake (or an attack)
#: and is refused before anything is written
MAX_ROWS = 10_000
DEMOGRAPHICS = ("subject_id", "initials", "sex", "day1_date")
SCREENING_DATES = ("screening_date", "birth_date", "consent_date")
SCREENING_BOOLS = ("decompensated", "life_expectancy_over_2_months", "hbv", "antiviral")
GRADES = ("ascites", "encephalopathy")
OPTIONAL = ("screening_number", "decompensation_kinds", "arm") + tuple(
    f"{lab}_unit" for lab in SCREENING_LABS)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOL = {"yes": True, "no": False, "": None}
ImportRefused = BatchRefused          # the same refusal whether found here or by storage


def required_columns(protocol: Protocol) -> tuple[str, ...]:
    return (DEMOGRAPHICS + SCREENING_DATES + SCREENING_BOOLS + GRADES + SCREENING_LABS
            + tuple(c.id for c in protocol.exclusion))


@dataclass(frozen=True)
class ImportResult:
    rows: int
    sha256: str
    subject_ids: tuple[str, ...]


def _decode(raw: bytes, encoding: str, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(name, ["the file is UTF-16; save it as CSV UTF-8"])
    try:
        if encoding == "gb18030":
            return raw.decode("gb18030")
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        hint = (" (a file saved by Chinese Excel is GB18030: use --encoding gb18030)"
                if encoding != "gb18030" else "")
        raise ImportRefused(name, [f"line {line}: not valid {encoding}{hint}"]) from None
    if not raw.startswith(b"\xef\xbb\xbf") and _gb18030_misread(raw, text):
        raise ImportRefused(name, ["the file reads as UTF-8 only by accident: its non-ASCII "
                                   "bytes are Chinese text in GB18030 (as Chinese Excel saves "
                                   "CSV). Give --encoding gb18030, or save it as CSV UTF-8 "
                                   "(with BOM)"])
    return text


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def _gb18030_misread(raw: bytes, text: str) -> bool:
    """GB18030 bytes that happen to be valid UTF-8 decode to Latin, Greek, Cyrillic, Hebrew …
    (two-byte UTF-8 sequences), never to Chinese; the same bytes as GB18030 are Chinese. A UTF-8
    file without a BOM is refused when that is so (a BOM says it is UTF-8)."""
    if text.isascii():
        return False
    try:
        gb = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return _cjk(gb) and not _cjk(text)


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _check_row(line: int, rec: dict[str, str], protocol: Protocol,
               problems: list[str]) -> EnrolmentRow | None:
    bad = len(problems)
    for col, val in rec.items():
        if val.startswith(FORMULA_START) and not (col in SCREENING_LABS and _number(val)):
            problems.append(f"line {line}, {col}: {val[:20]!r} looks like a spreadsheet "
                            "formula; remove the leading = + - @ or tab")
    if len(problems) > bad:
        return None
    # subject id, initials and sex are checked by the enrolment service (one set of rules),
    # which lists its refusals by line too
    sid, initials, sex = (rec[c].strip() for c in ("subject_id", "initials", "sex"))
    day1 = _parse_date(rec["day1_date"].strip())
    if day1 is None:
        problems.append(f"line {line}, day1_date: use YYYY-MM-DD")
    dates = {}
    for col in SCREENING_DATES:
        text = rec[col].strip()
        dates[col] = _parse_date(text) if text else None
        if text and dates[col] is None:
            problems.append(f"line {line}, {col}: use YYYY-MM-DD (or leave empty: not known)")
    bools: dict[str, bool | None] = {}
    for col in SCREENING_BOOLS + tuple(c.id for c in protocol.exclusion):
        text = rec[col].strip().lower()
        if text not in _BOOL:
            problems.append(f"line {line}, {col}: yes, no or empty (not known)")
        bools[col] = _BOOL.get(text)
    kinds = tuple(k.strip() for k in (rec.get("decompensation_kinds") or "").split(";")
                  if k.strip())
    screening_number = (rec.get("screening_number") or "").strip() or None
    if screening_number is not None and len(screening_number) > 32:
        problems.append(f"line {line}, screening_number: at most 32 characters")
    if len(problems) > bad:
        return None
    try:
        raw = RawScreening(
            screening_date=dates["screening_date"], birth_date=dates["birth_date"],
            consent_date=dates["consent_date"], decompensated=bools["decompensated"],
            decompensation_kinds=kinds,
            labs={lab: {"value": rec[lab].strip(), "unit": (rec.get(f"{lab}_unit") or "").strip()}
                  for lab in SCREENING_LABS if rec[lab].strip()},
            ascites=rec["ascites"].strip() or None,
            encephalopathy=rec["encephalopathy"].strip() or None,
            life_expectancy_over_2_months=bools["life_expectancy_over_2_months"],
            hbv=bools["hbv"], antiviral=bools["antiviral"],
            exclusions={c.id: bools[c.id] for c in protocol.exclusion})
    except UserError as exc:
        problems.append(f"line {line}: {exc}")
        return None
    return EnrolmentRow(line, sid, initials.upper(), sex.upper(), day1,  # type: ignore[arg-type]
                        raw, screening_number, (rec.get("arm") or "").strip() or None)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_subject_file(path: Path, *, encoding: str = "utf-8",
                       protocol: Protocol) -> tuple[list[EnrolmentRow], str]:
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
    required = required_columns(protocol)
    missing = [c for c in required if c not in cols]
    extra = [c for c in cols if c not in required + OPTIONAL]
    if dup:
        problems.append(f"line 1: duplicate column(s) {', '.join(dup)}")
    if missing:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"line 1: unexpected column(s) {', '.join(extra)} "
                        f"(expected {', '.join(required + OPTIONAL)})")
    if problems:
        raise ImportRefused(name, problems)
    rows: list[EnrolmentRow] = []
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
            row = _check_row(line, dict(zip(cols, values)), protocol, problems)
            if row is None:
                continue
            if row.subject_id in seen:
                problems.append(f"line {line}: subject {row.subject_id} duplicates line "
                                f"{seen[row.subject_id]}")
                continue
            seen[row.subject_id] = line
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ImportRefused(name, [f"line {line}: more than {MAX_ROWS} subjects; the "
                                           f"limit is {MAX_ROWS} per file (split the file)"])
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc} (the file looks truncated or has an "
                        "unclosed quote)")
    if not rows and not problems:
        problems.append("no subject rows after the header")
    if problems:
        raise ImportRefused(name, problems)
    return rows, digest


def import_patients(db: sv.Database, actor: sv.Actor, path: Path, *,
                    encoding: str = "utf-8", batch_rows: int = BATCH_ROWS,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate ``path`` as a whole, then enrol every subject through the enrolment service
    (checked as a whole, written in batches; see the module docstring)."""
    protocol = sv.current_protocol(db)
    rows, digest = parse_subject_file(path, encoding=encoding, protocol=protocol)
    ids = sv.enrol_many(db, actor, rows, file_name=path.name, sha256=digest,
                        batch_rows=batch_rows, progress=progress)
    return ImportResult(len(rows), digest, ids)
