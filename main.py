"""ePRO Desk entry point: command line and GUI start.

Each package registers its own sub-commands (``forms/cli.py``, ``storage/cli.py``,
``reports/cli.py``); handlers are named as ``"module:function"`` strings and imported only when
that command runs, so ``score`` does not pay for Qt or SQLAlchemy. With no sub-command the GUI
starts (``ui`` is imported here and nowhere else).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import Callable, Sequence

from forms.errors import UserError

LANGUAGES = ("en", "zh_CN")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
log = logging.getLogger("epro")


def _add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """The options every command shares. Before the command they carry the defaults; repeated
    after it (``epro summary … --lang zh_CN``) they use ``SUPPRESS`` so that an option not given
    there leaves the value given before the command untouched."""
    def default(value: object) -> object:
        return argparse.SUPPRESS if after_command else value

    taken = set(parser._option_string_actions)   # a command's own option of that name wins
    options: list[tuple[tuple[str, ...], dict]] = [
        (("--database",), dict(metavar="URL", default=default(os.environ.get("EPRO_DATABASE_URL")),
                               help="SQLAlchemy URL (sqlite:///path.db or "
                                    "postgresql+psycopg://...); also env EPRO_DATABASE_URL; "
                                    "default: a SQLite file in the user data folder")),
        (("--demo",), dict(action="store_true", default=default(False),
                           help="use the separate demo database (created with demo data if "
                                "empty)")),
        (("--lang",), dict(choices=LANGUAGES, default=default(os.environ.get("EPRO_LANG", "en")),
                           help="user-interface language (default en; also env EPRO_LANG)")),
        (("--kiosk",), dict(action="store_true", default=default(False),
                            help="start as a dedicated patient kiosk (locked start screen)")),
        (("-v", "--verbose"), dict(action="store_true", default=default(False),
                                   help="log more (never patient data)")),
    ]
    for flags, kwargs in options:
        if not taken.intersection(flags):
            parser.add_argument(*flags, **kwargs)


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.values()


def _check_environment() -> None:
    """Values taken from the environment are checked like the options themselves (argparse does
    not check a default): a wrong one is a one-line error, exit 2."""
    lang = os.environ.get("EPRO_LANG")
    if lang is not None and lang not in LANGUAGES:
        raise UserError(f"EPRO_LANG={lang!r} is not a supported language "
                        f"(choose from {', '.join(LANGUAGES)})")


def check_database_url(url: str | None) -> None:
    """A malformed ``--database`` / ``EPRO_DATABASE_URL`` is a one-line error, not a traceback.
    (Only the form is checked here: opening it is storage's job.)"""
    if url is None:
        return
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in DATABASE_SCHEMES or not rest:
        raise UserError(f"database URL {url!r} is not valid: use sqlite:///path/to/file.db or "
                        "postgresql+psycopg://user:password@host/database")


def build_parser() -> argparse.ArgumentParser:
    from forms import cli as forms_cli
    from forms import protocol_cli
    from storage import cli as storage_cli
    from reports import cli as reports_cli

    parser = argparse.ArgumentParser(
        prog="epro",
        description="ePRO Desk: patient-reported outcomes for clinical trials. "
                    "Without a command the desktop app starts.")
    _add_global_options(parser, after_command=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (forms_cli, protocol_cli, storage_cli, reports_cli):
        module.register(sub)
    pending = list(_subparsers(parser))
    while pending:                       # commands and the sub-commands of groups ("audit verify")
        command = pending.pop()
        _add_global_options(command, after_command=True)
        pending.extend(_subparsers(command))
    return parser


def _resolve(spec: str) -> Callable[[argparse.Namespace], int]:
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        _check_environment()
    except UserError as exc:
        parser.exit(2, f"epro: error: {exc}\n")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        check_database_url(args.database)
        if args.command is None:
            from ui.app import run_gui
            return run_gui(args)
        handler = getattr(args, "handler", None)
        if handler is None:  # a command group such as "audit" without its sub-command
            group = [a for a in (argv if argv is not None else sys.argv[1:])
                     if not a.startswith("-")][:1]
            raise UserError(f"'{' '.join(group) or args.command}' needs a sub-command "
                            f"(see: epro {args.command} --help)")
        return int(_resolve(handler)(args) or 0)
    except UserError as exc:
        print(f"epro: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("epro: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
