"""Sub-commands about the study protocol: the ``study`` group (``validate``, ``show``), ``screen``.

Only argparse here: handlers are named ``"module:function"`` and imported when their command runs
(see ``main.py``). ``study show`` prints what the *database* runs, so its handler lives in storage;
it is registered in :func:`register_study_show`, the one place for it.
"""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "study", help="the study protocol: check a protocol file, show what the database runs",
        description="Commands about the study protocol (protocol.md). Example: "
                    "epro study validate resources/studies/nct01342250.json")
    ssub = p.add_subparsers(dest="study_command", metavar="SUBCOMMAND")
    v = ssub.add_parser(
        "validate", help="check a protocol file; exit 0 with a summary line, or 2 listing "
                         "every problem as 'path: message'",
        description="Check a protocol file (JSON) against the protocol schema: every problem is "
                    "listed as 'path: message' and the exit status is 2; a valid file prints one "
                    "summary line. Example: epro study validate my_trial.json")
    v.add_argument("file", metavar="FILE")
    v.set_defaults(handler="forms.study_commands:cmd_validate")
    register_study_show(ssub)

    s = sub.add_parser(
        "screen", help="evaluate a screening log (CSV) against the eligibility criteria",
        description="Evaluate every row of IN.csv against the protocol's inclusion and exclusion "
                    "criteria (protocol.md §3). Columns (any order, empty = not known): id, "
                    "screening_date, birth_date, consent_date (YYYY-MM-DD), decompensated, "
                    "child_pugh, meld, life_expectancy_over_2_months, hbv, antiviral, and one "
                    "column per exclusion id (yes = the exclusion applies); yes/no booleans. "
                    "Output: id, result, unmet, undetermined (ids joined by ';'). "
                    "Example: epro screen log.csv -o eligibility.csv")
    s.add_argument("input", metavar="IN.csv")
    s.add_argument("-o", "--output", metavar="OUT.csv", help="default: standard output")
    s.add_argument("--protocol", metavar="FILE",
                   help="protocol file (default: the bundled NCT01342250 protocol)")
    s.set_defaults(handler="forms.screen_batch:cmd_screen")


def register_study_show(ssub: argparse._SubParsersAction) -> None:
    """``study show [--json]`` and ``study load FILE``: what the database runs, and a changed
    protocol as a new version (handlers in storage/study_commands.py: they read the database)."""
    sh = ssub.add_parser(
        "show", help="print the protocol the DATABASE runs (arms, visits, criteria, instruments)",
        description="Prints the stored protocol version the database runs (not a file). "
                    "Example: epro study show --json")
    sh.add_argument("--json", action="store_true", help="machine-readable JSON")
    sh.set_defaults(handler="storage.study_commands:cmd_study_show")
    ld = ssub.add_parser(
        "load", help="administrator: run the study with a changed protocol file from now on "
                     "(a new, audited version; the same file again changes nothing)",
        description="Example: epro study load nct01342250-v1.1.json --user admin")
    ld.add_argument("file", metavar="FILE")
    ld.add_argument("--user", required=True, metavar="NAME", help="administrator user name")
    ld.add_argument("--password-file", metavar="FILE")
    ld.add_argument("--station", metavar="ID")
    ld.set_defaults(handler="storage.study_commands:cmd_study_load")
