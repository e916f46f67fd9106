"""CLI handler: ``epro instruments install FILE --user ADMIN`` (registered in forms/cli.py)."""
from __future__ import annotations

import argparse
from pathlib import Path

from forms.errors import UserError
from storage.cli_login import login
from storage.commands import open_from_args
from storage.services.translations import install_translation


def cmd_install(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    db = open_from_args(args)
    try:
        actor = login(db, args)
        info = install_translation(db, actor, raw, str(path.resolve()))
    finally:
        db.dispose()
    what = (f"{info.instrument_id} {info.instrument_version} {info.language} text "
            f"{info.text_version} ({'validated' if info.validated else info.status})")
    if info.changed:
        print(f"installed {what}, sha256 {info.sha256}; shown from the next administration on")
    else:
        print(f"unchanged: {what}, sha256 {info.sha256} is already the current text")
    return 0
