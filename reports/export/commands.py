"""CLI handlers: ``epro export`` and ``epro import-patients`` (see reports/cli.py)."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Callable

from forms.errors import UserError
from reports.export.audit_hook import record_export, require_export_permission
from reports.export.reader import since_instant
from reports.export.sdtm_ascii import read_report, summary_lines
from reports.export.variables import instruments
from storage.actors import Actor
from storage.cli_login import login
from storage.db import Database, open_database
from storage.private_files import make_private, private_umask
from storage.services import sign_audit_checkpoint


def _since(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--since must be a date like 2026-01-31 (got {text!r}).") from None


def check_target(fmt: str, output: Path, *, force: bool) -> None:
    """Refuse what would silently overwrite data or write through a planted link: an existing
    file, or a non-empty folder for the folder formats, unless ``force``; a symbolic link always
    (a link in the target's place could point anywhere, e.g. into another study's folder)."""
    if output.is_symlink():
        raise UserError(f"{output} is a symbolic link; give the real path.")
    if fmt in FOLDER_FORMATS:
        if output.exists() and not output.is_dir():
            raise UserError(f"{output} exists and is not a folder.")
        if output.is_dir() and any(output.iterdir()) and not force:
            raise UserError(f"The folder {output} is not empty; choose another one or add "
                            "--force to overwrite the files in it.")
        return
    if output.is_dir():
        raise UserError(f"{output} is a folder; give a file name for --format {fmt}.")
    if not output.parent.exists():
        raise UserError(f"The folder {output.parent} does not exist.")
    if output.exists() and not force:
        raise UserError(f"{output} exists; choose another name or add --force to replace it.")


FOLDER_FORMATS = ("csv", "redcap", "sdtm")


def run_export(db: Database, actor: Actor, fmt: str, output: Path, *,
               subject: str | None = None, since: date | None = None,
               force: bool = False) -> dict:
    """Check permission, write the export, audit it; returns the audit detail (with hashes).
    An existing target is refused unless ``force`` (see :func:`check_target`)."""
    require_export_permission(db, actor)
    insts = instruments()
    when = since_instant(since)
    def _csv() -> tuple[list[Path], dict[str, int]]:
        from reports.export.csv_folder import export_csv
        counts = export_csv(db, output, insts, subject=subject, since=when)
        return [output / n for n in counts], counts

    def _redcap() -> tuple[list[Path], dict[str, int]]:
        from reports.export.redcap_data import export_redcap
        return export_redcap(db, output, insts, subject=subject, since=when)

    def _odm() -> tuple[list[Path], dict[str, int]]:
        from reports.export.odm_data import export_odm
        return [output], export_odm(db, output, insts, subject=subject, since=when)

    def _fhir() -> tuple[list[Path], dict[str, int]]:
        from reports.export.fhir_data import export_fhir
        return [output], export_fhir(db, output, insts, subject=subject, since=when)

    def _sdtm() -> tuple[list[Path], dict[str, int]]:
        from reports.export.sdtm import export_sdtm_qs, sdtm_files
        counts = export_sdtm_qs(db, output, insts, subject=subject, since=when)
        return sdtm_files(output), counts

    def _sdtm_package() -> tuple[list[Path], dict[str, int]]:
        # pandas + pyreadstat (XPT) load only when this format runs
        from reports.export.sdtm_package import export_sdtm
        return export_sdtm(db, output, insts, subject=subject, since=when)

    writers: dict[str, Callable[[], tuple[list[Path], dict[str, int]]]] = {
        "csv": _csv, "redcap": _redcap, "odm": _odm, "fhir": _fhir, "sdtm-qs": _sdtm,
        "sdtm": _sdtm_package}
    if fmt not in writers:
        raise UserError(f"Unknown export format {fmt!r}.")
    check_target(fmt, output, force=force)
    with private_umask():                 # files 0600, folders 0700 whatever the umask
        files, rows = writers[fmt]()
    make_private([output, *files])        # also files replaced in an existing folder
    return record_export(db, actor, fmt=fmt, files=files, subject=subject,
                         since=since.isoformat() if since else None, rows=rows)


def cmd_export(args: argparse.Namespace) -> int:
    db = open_database(args.database, demo=args.demo, create=False)
    try:
        actor = login(db, args)
        detail = run_export(db, actor, args.format, Path(args.output), subject=args.subject,
                            since=_since(args.since), force=args.force)
        signed = sign_audit_checkpoint(db)    # also appended to the site log beside the key
    finally:
        db.dispose()
    for name, info in detail["files"].items():
        print(f"{name}\t{info['bytes']} bytes\tsha256 {info['sha256']}")
    if args.format == "sdtm":             # FDA expects ASCII: say which text is not
        for line in summary_lines(read_report(Path(args.output))):
            print(line)
    print(f"export recorded in the audit trail ({args.format})")
    print(f"signed audit checkpoint (also in the site log): {signed}")
    return 0


def _progress(done: int, total: int) -> None:
    print(f"epro: enrolled {done} of {total} subjects", file=sys.stderr, flush=True)


def cmd_import_patients(args: argparse.Namespace) -> int:
    from reports.export.import_patients import import_patients
    db = open_database(args.database, demo=args.demo, create=False)
    try:
        actor = login(db, args)
        result = import_patients(db, actor, Path(args.input), encoding=args.encoding,
                                 progress=_progress)
    finally:
        db.dispose()
    print(f"imported {result.rows} subjects (sha256 {result.sha256})")
    return 0


__all__ = ["cmd_export", "cmd_import_patients", "run_export"]
