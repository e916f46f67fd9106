"""Sub-commands of the storage package: init, audit verify, backup, restore, demo-data,
allocation import (``study show`` / ``study load`` are registered in forms/protocol_cli.py)."""
from __future__ import annotations

import argparse

from storage.cli_login_args import add_login_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create or upgrade the database; optionally add the first "
                       "admin", description="Example: epro init --admin alice (asks for the "
                       "password) or epro init --admin alice --password-file pw.txt")
    p.add_argument("--admin", metavar="NAME", help="user name of the first admin account "
                   "(refused when the database already has accounts: administrators add "
                   "accounts in the app)")
    p.add_argument("--admin-full-name", metavar="TEXT", help="full name (default: NAME)")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the admin password from the first line of FILE")
    p.add_argument("--protocol", metavar="FILE",
                   help="protocol file the study runs (default: the bundled NCT01342250 "
                   "protocol); its version and SHA-256 are stored and audited")
    p.set_defaults(handler="storage.commands:cmd_init")

    p = sub.add_parser("allocation", help="concealed allocation list")
    asub = p.add_subparsers(dest="allocation_command", metavar="SUBCOMMAND")
    a = asub.add_parser("import", help="administrator: import the sealed allocation list "
                        "(CSV seq,arm) of a protocol whose allocation method is 'list'",
                        description="All or nothing; the arms stay concealed (never shown); "
                        "the file's SHA-256 is audited. Example: epro allocation import "
                        "sealed.csv --user admin")
    a.add_argument("file", metavar="FILE.csv")
    a.add_argument("--user", required=True, metavar="NAME", help="administrator user name")
    a.add_argument("--password-file", metavar="FILE")
    a.add_argument("--station", metavar="ID")
    a.set_defaults(handler="storage.study_commands:cmd_allocation_import")

    p = sub.add_parser("audit", help="audit-trail commands")
    asub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    v = asub.add_parser("verify", help="check the hash chain and that every current value "
                        "equals its last audited value (exit 1 naming the first mismatch)")
    v.add_argument("--expect-head", metavar="SEQ:HASH",
                   help="an audit chain head recorded earlier (printed by `audit verify` and "
                   "`backup`): fail if the chain no longer reaches it or differs there "
                   "(detects removed newest audit rows)")
    v.set_defaults(handler="storage.commands:cmd_audit_verify")

    p = sub.add_parser("backup", help="administrator: consistent copy of the SQLite database "
                       "+ SHA-256 (audited)")
    p.add_argument("path", metavar="PATH", help="new file to write")
    add_login_arguments(p, "administrator user name (the backup is audited with the account)")
    p.set_defaults(handler="storage.commands:cmd_backup")

    p = sub.add_parser("restore", help="administrator: replace the database by a verified "
                       "backup of the same study (refused while it is open elsewhere; the old "
                       "content is kept as a unique timestamped .bak; audited)")
    p.add_argument("path", metavar="PATH", help="backup file")
    p.add_argument("--user", required=True, metavar="NAME", help="administrator user name")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the password from the first line of FILE (else a prompt)")
    p.add_argument("--yes", action="store_true",
                   help="replace without asking even when the backup holds less than the "
                   "database or has another audit history")
    p.set_defaults(handler="storage.restore_command:cmd_restore")

    p = sub.add_parser("demo-data", help="fill the database with a demo study (all through the "
                       "services, with a real audit trail)")
    p.add_argument("--patients", type=int, default=20, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--full-names", action="store_true",
                   help="also store generated Chinese full names (default: initials only)")
    add_login_arguments(p, "a nurse or investigator account of the demo study: needed only "
                        "when the database already holds the demo study (e.g. nurse)",
                        required=False)
    p.set_defaults(handler="storage.commands:cmd_demo_data")
