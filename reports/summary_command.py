"""CLI handler: ``epro summary`` (visit summary PDFs from the database; see reports/cli.py)."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from forms.errors import UserError
from storage.private_files import make_private, private_umask


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--date must be a date like 2026-01-31 (got {text!r}).") from None


def _single_target(output: str | None, default_name: str) -> Path:
    if not output:
        return Path(default_name)
    out = Path(output)
    if out.is_dir():
        return out / default_name
    if out.suffix.lower() != ".pdf":
        raise UserError("-o must name a .pdf file (or an existing folder).")
    if not out.parent.exists():
        raise UserError(f"The folder {str(out.parent)!r} does not exist.")
    return out


def cmd_summary(args: argparse.Namespace) -> int:
    from reports.summary_loader import load_visit_summary, load_visits_on
    from reports.visit_summary import build_visit_summaries, build_visit_summary, default_file_name
    from storage.cli_login import login
    from storage.db import open_database
    from storage.services.cli_events import record_cli_event, require_cli_permission

    if bool(args.subject) == bool(args.date):
        raise UserError("Give either --subject ID --visit CODE, or --date YYYY-MM-DD.")
    if args.subject and not args.visit:
        raise UserError("--subject needs --visit CODE (e.g. --visit W12).")
    day = _day(args.date) if args.date else None
    lang = getattr(args, "lang", "en") or "en"
    now = datetime.now(timezone.utc)
    db = open_database(args.database, demo=args.demo, migrate=False, create=False)
    try:
        actor = require_cli_permission(db, login(db, args), "print")   # before any read
        if day is None:
            summary = load_visit_summary(db, args.subject, args.visit, lang=lang, now=now)
            target = _single_target(args.output, default_file_name(summary))
            part = target.with_name(target.name + ".part")
            try:
                warnings = build_visit_summary(summary, part)
                os.replace(part, target)
                make_private([target])          # patient data: 0600 like exports and backups
            finally:
                part.unlink(missing_ok=True)
            record_cli_event(db, actor, "summary.printed", "print",
                             {"visits": [[args.subject, args.visit]], "files": [target.name]})
            for w in warnings:
                print(f"epro: warning: {w}", file=sys.stderr)
            print(f"visit summary written: {target}")
            return 0
        if not args.output:
            raise UserError("--date needs -o FOLDER for the PDF files.")
        out_dir = Path(args.output)
        if out_dir.exists() and not out_dir.is_dir():
            raise UserError("-o must be a folder when --date is given.")
        visits = load_visits_on(db, day)
        if not visits:
            print(f"no visits with data on {day.isoformat()}; nothing written")
            return 0
        instruments: dict = {}
        summaries = [load_visit_summary(db, subject, code, lang=lang, now=now,
                                        instruments=instruments) for subject, code in visits]
        with private_umask():                   # the folder 0700 if it is made here
            results = build_visit_summaries(summaries, out_dir)
        done = [r for r in results if not r.error]
        make_private([r.path for r in done if r.path is not None])
        record_cli_event(db, actor, "summary.printed", "print",
                         {"visits": [[r.subject_id, r.visit_code] for r in done],
                          "date": day.isoformat()})
    finally:
        db.dispose()
    failed = [r for r in results if r.error]
    for r in results:
        for w in r.warnings:
            print(f"epro: warning: {r.subject_id} {r.visit_code}: {w}", file=sys.stderr)
    for r in failed:
        print(f"epro: error: {r.subject_id} {r.visit_code}: {r.error}", file=sys.stderr)
    print(f"{len(results) - len(failed)} visit summaries written to {out_dir}")
    return 1 if failed else 0
