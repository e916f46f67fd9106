"""Staff login for command-line handlers: every command that reads or writes patient data
takes the acting account (``--user NAME``, ``--password-file FILE`` or a prompt) and is
audited with it (issue 13 item 4)."""
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
    if not getattr(args, "user", None):
        raise UserError("This command needs a staff account: add --user NAME (and "
                        "--password-file FILE, or type the password when asked).")
    return authenticate(db, args.user, read_password(args),
                        station_id=getattr(args, "station", None))
