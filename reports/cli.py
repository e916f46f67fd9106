"""Sub-commands of this package (registered by main.py)."""
from __future__ import annotations

import argparse

from storage.cli_login_args import add_login_arguments

EXPORT_FORMATS = ("csv", "redcap", "odm", "fhir", "sdtm-qs", "sdtm")


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's sub-commands; handlers are "module:function" strings."""
    p = sub.add_parser(
        "export", help="export study data (csv, redcap, odm, fhir, sdtm-qs, sdtm); audited",
        description="Export the data in a format trial teams load. Needs an investigator "
                    "account (password from --password-file or a prompt). Every export is "
                    "recorded in the audit trail with the SHA-256 of each file written. "
                    "Example: epro export --format odm -o study.xml --user investigator")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="PATH",
                   help="folder for csv, redcap and sdtm (XPT + define.xml), file for odm, "
                        "fhir and sdtm-qs")
    p.add_argument("--subject", metavar="ID", help="only this subject")
    p.add_argument("--since", metavar="YYYY-MM-DD",
                   help="only data captured on or after this date (UTC)")
    p.add_argument("--user", required=True, metavar="NAME", help="investigator user name")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the password from the first line of FILE (else prompt)")
    p.add_argument("--station", metavar="ID", help="station id recorded in the audit trail")
    p.add_argument("--force", action="store_true",
                   help="replace an existing output file (or the files in a non-empty folder)")
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

    p = sub.add_parser(
        "summary", help="visit summary PDF(s) from the database (one visit, or every visit of "
                        "a day)",
        description="One PDF per visit (A4, 1-3 pages) in the --lang language. Examples: "
                    "epro summary --subject DEMO-0001 --visit W12 -o DEMO-0001_W12.pdf ; "
                    "epro summary --date 2026-03-01 -o summaries/. File names are subject id "
                    "and visit code, never the patient's name. Needs a staff account "
                    "(--user NAME, password from --password-file or a prompt).")
    p.add_argument("--subject", metavar="ID", help="subject id (with --visit)")
    p.add_argument("--visit", metavar="CODE", help="visit code, e.g. baseline, W12")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="every visit with data captured (or done) on this local date")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="PDF file (one visit; default <subject>_<visit>.pdf here) or folder "
                        "(--date)")
    add_login_arguments(p, "staff user name (nurse or investigator; the summaries written are "
                        "recorded in the audit trail)")
    p.set_defaults(handler="reports.summary_command:cmd_summary")

    p = sub.add_parser(
        "report", help="outcome report PDF per arm and overall (and --csv DIR); audited",
        description="Every outcome of the registry record per arm and overall: survival, "
                    "change from baseline, imaging, HCC, symptoms, adverse events, participant "
                    "flow. Investigator account. Example: epro report -o outcomes.pdf --csv "
                    "outcomes/ --user investigator")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--csv", metavar="DIR", help="also write the analysis and report tables")
    add_login_arguments(p, "investigator user name (the report is recorded in the audit trail)")
    p.set_defaults(handler="reports.outcome_report.command:cmd_report")
