"""``epro report -o FILE.pdf [--csv DIR] [--lang en|zh_CN] --user NAME`` (investigator; audited
like export with the SHA-256 of every file written)."""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from datetime import datetime
from pathlib import Path

from forms.errors import UserError
from reports.export.csvsafe import write_csv
from reports.export.outcome_csv import outcome_dictionary_rows, write_outcome_files
from reports.export.dictionary import HEADER
from reports.outcome_report.dataset import Dataset, build_dataset
from reports.outcome_report.pdf import build_outcome_pdf
from reports.outcome_report.tables import Table, all_tables
from storage.services.cli_events import record_cli_event, require_cli_permission
from storage.private_files import make_private, private_umask


def write_report_csvs(ds: Dataset, tables: list[Table], out_dir: Path) -> list[Path]:
    """The analysis files (the export's subjects / measures / outcome files, their dictionary)
    and one ``report_<name>.csv`` per report table: the same numbers as the PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = list(write_outcome_files(ds, out_dir))
    write_csv(out_dir / "data_dictionary.csv", HEADER, outcome_dictionary_rows(ds))
    names.append("data_dictionary.csv")
    for tb in tables:
        write_csv(out_dir / f"report_{tb.name}.csv", tb.header, tb.rows)
        names.append(f"report_{tb.name}.csv")
    return [out_dir / n for n in names]


def build_report(db, pdf: Path, csv_dir: Path | None, lang: str,
                 now: datetime | None = None) -> tuple[list[Path], list[str]]:
    """Build the PDF (atomically) and the CSVs; returns (files written, font warnings)."""
    ds = build_dataset(db, now=now)
    tables = all_tables(ds)
    part = pdf.with_name(pdf.name + ".part")
    try:
        warnings = build_outcome_pdf(ds, tables, part, lang=lang)
        os.replace(part, pdf)
    finally:
        part.unlink(missing_ok=True)
    with private_umask():                       # a CSV folder made here is 0700
        files = [pdf] + (write_report_csvs(ds, tables, csv_dir) if csv_dir else [])
    make_private(files)                         # patient data: 0600 like exports and backups
    return files, warnings


def run_report(db, actor, pdf: Path, csv_dir: Path | None, lang: str
               ) -> tuple[list[Path], list[str]]:
    """Permission (export) first, then the report, then one audit event ``report.created``
    with the SHA-256 of every file written (the CLI and the workstation menu)."""
    actor = require_cli_permission(db, actor, "export")
    files, warnings = build_report(db, pdf, csv_dir, lang)
    record_cli_event(db, actor, "report.created", "export", {
        "lang": lang, "files": {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
                                for f in files}})
    return files, warnings


def cmd_report(args: argparse.Namespace) -> int:
    from storage.cli_login import login
    from storage.db import open_database

    pdf = Path(args.output)
    if pdf.suffix.lower() != ".pdf":
        raise UserError("-o must name a .pdf file.")
    lang = args.lang or "en"
    db = open_database(args.database, demo=args.demo, migrate=False, create=False)
    try:
        actor = require_cli_permission(db, login(db, args), "export")   # before any read
        files, warnings = run_report(db, actor, pdf, Path(args.csv) if args.csv else None, lang)
    finally:
        db.dispose()
    for w in warnings:
        print(f"epro: warning: {w}", file=sys.stderr)
    print(f"outcome report written: {pdf}" + (f" (CSV files in {args.csv})" if args.csv else ""))
    return 0
