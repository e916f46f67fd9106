"""Sub-commands of this package (registered by main.py)."""
from __future__ import annotations

import argparse

EXPORT_FORMATS = ("csv", "redcap", "odm", "fhir", "sdtm-qs")


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's sub-commands; handlers are "module:function" strings."""
    p = sub.add_parser(
        "export", help="export study data (csv, redcap, odm, fhir, sdtm-qs); audited",
        description="Export the data in a format trial teams load. Needs an investigator "
                    "account (password from --password-file or a prompt). Every export is "
                    "recorded in the audit trail with the SHA-256 of each file written. "
                    "Example: epro export --format odm -o study.xml --user investigator")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="PATH",
                   help="folder for csv and redcap, file for odm, fhir and sdtm-qs")
    p.add_argument("--subject", metavar="ID", help="only this subject")
    p.add_argument("--since", metavar="YYYY-MM-DD",
                   help="only data captured on or after this date (UTC)")
    p.add_argument("--user", required=True, metavar="NAME", help="investigator user name")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the password from the first line of FILE (else prompt)")
    p.add_argument("--station", metavar="ID", help="station id recorded in the audit trail")
    p.set_defaults(handler="reports.export.commands:cmd_export")

    p = sub.add_parser(
        "import-patients", help="enrol a list of subjects from a CSV file (all or nothing)",
        description="Columns: subject_id, initials, sex, birth_year, arm, day1_date, "
                    "consent_date[, screening_number]. UTF-8 (with or without BOM); GB18030 "
                    "only when declared with --encoding gb18030. The whole file is checked "
                    "first; any error is listed by line and nothing is imported.")
    p.add_argument("input", metavar="FILE.csv")
    p.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8")
    p.add_argument("--user", required=True, metavar="NAME", help="staff user name")
    p.add_argument("--password-file", metavar="FILE")
    p.add_argument("--station", metavar="ID")
    p.set_defaults(handler="reports.export.commands:cmd_import_patients")
