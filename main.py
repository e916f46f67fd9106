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
log = logging.getLogger("epro")


def build_parser() -> argparse.ArgumentParser:
    from forms import cli as forms_cli
    from storage import cli as storage_cli
    from reports import cli as reports_cli

    parser = argparse.ArgumentParser(
        prog="epro",
        description="ePRO Desk: patient-reported outcomes for clinical trials. "
                    "Without a command the desktop app starts.")
    parser.add_argument("--database", metavar="URL",
                        default=os.environ.get("EPRO_DATABASE_URL"),
                        help="SQLAlchemy URL (sqlite:///path.db or postgresql+psycopg://...); "
                             "also env EPRO_DATABASE_URL; default: a SQLite file in the user "
                             "data folder")
    parser.add_argument("--demo", action="store_true",
                        help="use the separate demo database (created with demo data if empty)")
    parser.add_argument("--lang", choices=LANGUAGES, default=os.environ.get("EPRO_LANG", "en"),
                        help="user-interface language (default en)")
    parser.add_argument("--kiosk", action="store_true",
                        help="start as a dedicated patient kiosk (locked start screen)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (never patient data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (forms_cli, storage_cli, reports_cli):
        module.register(sub)
    return parser


def _resolve(spec: str) -> Callable[[argparse.Namespace], int]:
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command is None:
            from ui.app import run_gui
            return run_gui(args)
        handler = getattr(args, "handler", None)
        if handler is None:  # a command group such as "audit" without its sub-command
            parser.parse_args([*(argv or sys.argv[1:]), "--help"])
            return 2
        return int(_resolve(handler)(args) or 0)
    except UserError as exc:
        print(f"epro: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("epro: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
