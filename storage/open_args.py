"""The database the command-line options name (``--database`` / ``--demo``), opened: shared by the
storage commands and the workstation start (``storage.services.open_from_args``). Kept apart from
``storage.commands`` (which logs in through ``storage.services``) so the two never import each
other."""
from __future__ import annotations

import argparse

from storage.db import Database, data_dir, default_database_url, open_database, sqlite_path
from storage.db_files import is_first_run


def url_from_args(args: argparse.Namespace) -> str:
    return getattr(args, "database", None) or default_database_url(getattr(args, "demo", False))


def open_from_args(args: argparse.Namespace) -> Database:
    """The database the workstation should use; with ``--demo`` an empty demo database gets
    demo data. It is made only for ``--demo`` or on the first run at the default location
    (nothing of an earlier database there: the set-up wizard follows); any other missing,
    empty or schema-less database is refused (``DatabaseMissingError``)."""
    url = url_from_args(args)
    demo = bool(getattr(args, "demo", False))
    path = sqlite_path(url)
    first_run = getattr(args, "database", None) is None and path is not None \
        and is_first_run(path, data_dir())
    db = open_database(url, create=demo or first_run)
    if demo:
        from storage.services import patient_count
        if patient_count(db) == 0:
            from storage.demo import generate_demo_data
            generate_demo_data(db)
    return db
