"""Handlers of the storage sub-commands (see storage/cli.py)."""
from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from forms.errors import UserError
from storage.auth_sessions import system_actor
from storage.cli_login import login
from storage.db import Database, data_dir, default_database_url, open_database, sqlite_path
from storage.db_files import is_first_run
from storage.errors import DatabaseMissingError
from storage.open_args import open_from_args, url_from_args  # noqa: F401  (re-exported)
from storage.services.cli_events import database_state


def _read_password(args: argparse.Namespace) -> str:
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            raise UserError("Cannot read a password from the password file.") from None
    first = getpass.getpass("Password for the new admin: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise UserError("The passwords differ; nothing was created.")
    return first


def cmd_init(args: argparse.Namespace) -> int:
    from storage import migrate, services
    from storage.services.study import set_up_study
    if args.admin and _has_accounts(url_from_args(args)):
        raise UserError("This database already has staff accounts: init creates no account "
                        "here (nothing was changed). An administrator adds accounts in the "
                        "app (Administration → Staff accounts).")
    password = _read_password(args) if args.admin else None
    db = open_database(url_from_args(args), create=True)    # the one command that makes it
    try:
        system = system_actor()
        setup = set_up_study(db, system, args.protocol)
        state = ("set up from" if setup.created else "now runs" if setup.loaded else "runs")
        print(f"study {setup.protocol_id} {state} protocol version {setup.version} "
              f"(sha256 {setup.sha256})")
        if setup.file_sha256 and setup.file_sha256 != setup.sha256:
            print("note: the protocol file given is not the one the database runs; an "
                  "administrator loads a changed file with `epro study load FILE --user NAME`")
        if args.admin:
            services.create_user(db, system, username=args.admin,
                                 full_name=args.admin_full_name or args.admin, role="admin",
                                 password=password or "")
            print(f"admin account '{args.admin}' created")
        print(f"database ready (schema {migrate.head_revision()}): {_shown(db)}")
    finally:
        db.dispose()
    return 0


def _has_accounts(url: str) -> bool:
    """Whether an existing database already holds a staff account (nothing is created)."""
    try:
        db = open_database(url, create=False)
    except DatabaseMissingError:
        return False
    try:
        return database_state(db).accounts > 0
    finally:
        db.dispose()


def _shown(db: Database) -> str:
    from sqlalchemy.engine import make_url
    return make_url(db.url).render_as_string(hide_password=True)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from storage.audit_verify import parse_head, verify_audit, verify_sqlite_file
    expect = getattr(args, "expect_head", None)
    if expect is not None:
        parse_head(expect)                        # a bad anchor is refused before opening
    path = sqlite_path(url_from_args(args))
    if path is not None:                     # read-only: also an archived, read-only copy
        result = verify_sqlite_file(path, expect_head=expect)
    else:
        db = open_database(url_from_args(args), create=False,   # a mistyped URL makes nothing
                           require_key=False)
        try:
            result = verify_audit(db, expect_head=expect)
        finally:
            db.dispose()
    print(result)
    return 0 if result.ok and result.keyed else (3 if result.ok else 1)


def sqlite_file(args: argparse.Namespace) -> Path:
    path = sqlite_path(url_from_args(args))
    if path is None:
        raise UserError("backup/restore work on SQLite files; for PostgreSQL use pg_dump / "
                        "pg_restore.")
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.audit_verify import checkpoint_head
    from storage.backup import audit_head_of_file, backup_sqlite_file
    from storage.services.cli_events import record_cli_event, require_cli_permission
    src = sqlite_file(args)
    db = open_database(url_from_args(args), create=False)   # checks + migrates the source
    try:
        actor = require_cli_permission(db, login(db, args), "backup")   # before any copy
        digest = backup_sqlite_file(src, Path(args.path))
        head = audit_head_of_file(Path(args.path))  # what the backup itself holds
        record_cli_event(db, actor, "backup.created", "backup",
                         {"file": Path(args.path).name, "sha256": digest, "head": str(head)})
        signed = checkpoint_head(db)          # also appended to the site log beside the key
    finally:
        db.dispose()
    print(f"backup written: {args.path}\nSHA-256: {digest}\naudit chain head in this backup: "
          f"{head}\n(keep the head apart from this computer: after a restore of this backup, "
          "`audit verify --expect-head SEQ:HASH` detects removed newest audit rows)\n"
          f"signed audit checkpoint (also in the site log): {signed}")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from storage.demo import generate_demo_data
    from storage.services.cli_events import (database_state, record_cli_event,
                                             require_cli_permission)
    if args.patients < 1:
        raise UserError("--patients must be at least 1.")
    db = open_database(url_from_args(args), create=True)    # makes a (new) demo database
    try:
        state = database_state(db)
        if state.has_study and not state.is_demo:
            raise UserError("This database holds a study that was not created as a demo: "
                            "demo-data refuses it (nothing was changed). Use a demo database "
                            "(--demo, or a new --database file).")
        actor = None
        if state.has_study:                       # adding to an existing demo study
            actor = require_cli_permission(db, login(db, args), "enrol_patient")
        n = generate_demo_data(db, patients=args.patients, seed=args.seed,
                               full_names=getattr(args, "full_names", False))
        if actor is not None:
            record_cli_event(db, actor, "demo.data_added", "enrol_patient",
                             {"patients": n, "seed": args.seed})
    finally:
        db.dispose()
    print(f"demo data: {n} patients")
    return 0
