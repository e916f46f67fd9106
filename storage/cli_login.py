"""Staff login for command-line handlers (``export --user``, ``instruments install --user``)."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from forms.errors import UserError
from storage.actors import Actor
from storage.db import Database
from storage.services.auth import authenticate


def read_password(args: argparse.Namespace) -> str:
    """First line of ``--password-file``, else a prompt on the terminal."""
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            raise UserError("Cannot read a password from the --password-file.") from None
    if not sys.stdin.isatty():
        raise UserError("No terminal to ask for the password: use --password-file.")
    return getpass.getpass(f"Password for {args.user}: ")


def login(db: Database, args: argparse.Namespace) -> Actor:
    return authenticate(db, args.user, read_password(args),
                        station_id=getattr(args, "station", None))
