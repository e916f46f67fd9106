"""The login options of command-line sub-commands (argparse only: registering commands imports
nothing heavy). The login itself is ``storage.cli_login.login``."""
from __future__ import annotations

import argparse


def add_login_arguments(p: argparse.ArgumentParser, who: str, *,
                        required: bool = True) -> None:
    """``--user`` (``who``: which account, e.g. "investigator user name"), ``--password-file``
    and ``--station`` on a sub-command's parser."""
    p.add_argument("--user", required=required, metavar="NAME", help=who)
    p.add_argument("--password-file", metavar="FILE",
                   help="read the password from the first line of FILE (else a prompt)")
    p.add_argument("--station", metavar="ID", help="station id recorded in the audit trail")
