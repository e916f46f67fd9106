"""Sub-commands of the storage package: init, audit verify, backup, restore, demo-data."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create or upgrade the database; optionally add the first "
                       "admin", description="Example: epro init --admin alice (asks for the "
                       "password) or epro init --admin alice --password-file pw.txt")
    p.add_argument("--admin", metavar="NAME", help="user name of an admin account to create")
    p.add_argument("--admin-full-name", metavar="TEXT", help="full name (default: NAME)")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the admin password from the first line of FILE")
    p.add_argument("--protocol", default="EPRO-CIRRHOSIS-01", help="study protocol id")
    p.add_argument("--title", default="Decompensated HBV cirrhosis PRO study",
                   help="study title")
    p.set_defaults(handler="storage.commands:cmd_init")

    p = sub.add_parser("audit", help="audit-trail commands")
    asub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    v = asub.add_parser("verify", help="check the hash chain and that every current value "
                        "equals its last audited value (exit 1 naming the first mismatch)")
    v.add_argument("--expect-head", metavar="SEQ:HASH",
                   help="an audit chain head recorded earlier (printed by `audit verify` and "
                   "`backup`): fail if the chain no longer reaches it or differs there "
                   "(detects removed newest audit rows)")
    v.set_defaults(handler="storage.commands:cmd_audit_verify")

    p = sub.add_parser("backup", help="consistent copy of the SQLite database + SHA-256")
    p.add_argument("path", metavar="PATH", help="new file to write")
    p.set_defaults(handler="storage.commands:cmd_backup")

    p = sub.add_parser("restore", help="replace the database by a verified backup (the old "
                       "file is kept as a timestamped .bak)")
    p.add_argument("path", metavar="PATH", help="backup file")
    p.set_defaults(handler="storage.commands:cmd_restore")

    p = sub.add_parser("demo-data", help="fill the database with a demo study (all through the "
                       "services, with a real audit trail)")
    p.add_argument("--patients", type=int, default=20, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--full-names", action="store_true",
                   help="also store generated Chinese full names (default: initials only)")
    p.set_defaults(handler="storage.commands:cmd_demo_data")
