"""Sub-commands of the instrument & scoring engine (``score``, ``calc``)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score", help="score a CSV of questionnaire answers (rand36 or csc)",
        description="Score every row of INPUT.csv. Bad rows are reported on stderr; the rest "
                    "are scored. Example: epro score --instrument rand36 answers.csv -o scores.csv")
    p.add_argument("--instrument", required=True, metavar="ID",
                   help="an instrument with a batch scorer (see: epro instruments list)")
    p.add_argument("input", metavar="INPUT.csv")
    p.add_argument("-o", "--output", metavar="OUTPUT.csv", help="default: standard output")
    p.set_defaults(handler="forms.batch:cmd_score")

    p = sub.add_parser(
        "calc", help="compute Child-Pugh, MELD, MELD-Na and MELD 3.0 from a CSV of labs",
        description="Example: epro calc labs.csv -o liver_scores.csv")
    p.add_argument("input", metavar="INPUT.csv")
    p.add_argument("-o", "--output", metavar="OUTPUT.csv", help="default: standard output")
    p.set_defaults(handler="forms.calc_batch:cmd_calc")

    p = sub.add_parser("instruments", help="the instrument registry",
                       description="Example: epro instruments list --json")
    isub = p.add_subparsers(dest="instruments_command", metavar="SUBCOMMAND")
    q = isub.add_parser("list", help="every registered instrument: id, version, item count, "
                                     "languages, scores",
                        description="Instruments come from resources/instruments/ and the "
                                    "folders in EPRO_INSTRUMENTS_DIR.")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler="forms.instruments_cli:cmd_list")
    q = isub.add_parser(
        "install", help="install a translation file (e.g. a licensed, validated one); admin",
        description="Checks FILE against the instrument (same items, same option codes, every "
                    "text present), stores it with its source and SHA-256 (audited); it is "
                    "shown from the next administration on. Example: epro instruments install "
                    "rand36.zh_CN.json --user admin")
    q.add_argument("file", metavar="FILE", help="translation JSON (format of "
                   "resources/instruments/rand36.zh_CN.json)")
    q.add_argument("--user", required=True, metavar="NAME", help="administrator user name")
    q.add_argument("--password-file", metavar="FILE")
    q.add_argument("--station", metavar="ID", help="station id recorded in the audit trail")
    q.set_defaults(handler="storage.instrument_commands:cmd_install")
