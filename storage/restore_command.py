"""``epro restore PATH --user ADMIN [--password-file F] [--yes]``: an administrator restores a
verified backup of this study into the live SQLite file (see ``storage/restore.py``)."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from forms.errors import UserError
from storage import audit, restore
from storage.actors import Actor
from storage.audit_verify import verify_audit
from storage.cli_login import login
from storage.commands import sqlite_file, url_from_args
from storage.db import open_database


def _restore_login(args: argparse.Namespace, target: Path, backup: Path) -> Actor:
    """The administrator's login, checked against the live database, or, when that cannot be
    opened (missing, damaged: what restores are for), against a private copy of the backup."""
    try:
        db = open_database(f"sqlite:///{target}", migrate=False, create=False)
    except UserError:
        with tempfile.TemporaryDirectory() as tmpdir:
            copy = Path(tmpdir) / "login.db"
            shutil.copyfile(backup, copy)
            db = open_database(f"sqlite:///{copy}", create=False)
            try:
                actor = login(db, args)
            finally:
                db.dispose()
    else:
        try:
            actor = login(db, args)
        finally:
            db.dispose()                          # no connection of ours stays open
    if actor.role != "admin":
        raise UserError("Only an administrator can restore a backup; nothing was changed.")
    return actor


def _confirmed(worries: list[str], yes: bool) -> bool:
    if not worries or yes:
        return True
    for line in worries:
        print(line, file=sys.stderr)
    if not sys.stdin.isatty():
        raise UserError("Not restored: confirm with --yes (no terminal to ask).")
    return input("Replace the database by this backup? Type yes: ").strip().lower() == "yes"


def cmd_restore(args: argparse.Namespace) -> int:
    target, backup = sqlite_file(args), Path(args.path)
    if not backup.is_file():
        raise UserError(f"The backup file does not exist: {backup}")
    if target.exists() and os.path.samefile(backup, target):
        raise UserError("The backup is the live database file itself; nothing was changed.")
    facts = restore.backup_facts(backup)          # integrity and our schema, before anything
    live = restore.live_facts(target)
    worries = restore.concerns(facts, live, restore.live_hash_at(target, facts.head_seq)
                               if live is not None else None)   # another study: refused here
    actor = _restore_login(args, target, backup)
    if not _confirmed(worries, args.yes):
        print("Not restored; nothing was changed.")
        return 1
    digest = restore.sha256_file(backup)
    kept = restore.restore_into_live_file(backup, target)
    db = open_database(url_from_args(args), create=False)   # migrates an older backup
    try:
        with db.session() as s:
            audit.set_context(s, actor, "database.restored")
            audit.log_event(s, "database.restored", detail=(
                f"backup sha256={digest}; backup {facts.describe()}; replaced "
                f"{live.describe() if live else 'no readable database'}; kept "
                f"{kept.name if kept else '-'}"))
        result = verify_audit(db)
    finally:
        db.dispose()
    if kept:
        print(f"previous database kept as: {kept}")
    print(f"restored from {args.path}; {result}")
    return 0 if result.ok else 1
