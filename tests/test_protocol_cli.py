"""forms/protocol_cli.py: ``study validate|show|load`` and ``screen`` parse as documented, run the
named handlers and say in ``--help`` what they do (issue 18: mutation testing)."""
from __future__ import annotations

import argparse

import pytest

from forms import protocol_cli
from test_cli_forms_commands import _sub


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="epro")
    protocol_cli.register(p.add_subparsers(dest="command"))
    return p


def _help(*names: str) -> str:
    return " ".join(_sub(_parser(), *names).format_help().split())


def test_study_validate_show_load():
    a = _parser().parse_args(["study", "validate", "p.json"])
    assert (a.study_command, a.file, a.handler) == (
        "validate", "p.json", "forms.study_commands:cmd_validate")
    a = _parser().parse_args(["study", "show", "--json"])
    assert (a.study_command, a.json, a.handler) == (
        "show", True, "storage.study_commands:cmd_study_show")
    assert _parser().parse_args(["study", "show"]).json is False
    a = _parser().parse_args(["study", "load", "p.json", "--user", "admin", "--password-file",
                              "pw", "--station", "S1"])
    assert (a.file, a.user, a.password_file, a.station, a.handler) == (
        "p.json", "admin", "pw", "S1", "storage.study_commands:cmd_study_load")
    with pytest.raises(SystemExit):
        _parser().parse_args(["study", "load", "p.json"])
    assert ("Commands about the study protocol (protocol.md). Example: epro study validate "
            "resources/studies/nct01342250.json") in _help("study")
    group = _help("study")
    for line in ("validate check a protocol file; exit 0 with a summary line, or 2 listing every "
                 "problem as 'path: message'",
                 "show print the protocol the DATABASE runs (arms, visits, criteria, "
                 "instruments)",
                 "load administrator: run the study with a changed protocol file from now on "
                 "(a new, audited version; the same file again changes nothing)"):
        assert line in group
    assert ("Check a protocol file (JSON) against the protocol schema: every problem is listed "
            "as 'path: message' and the exit status is 2; a valid file prints one summary line. "
            "Example: epro study validate my_trial.json") in _help("study", "validate")
    assert ("Prints the stored protocol version the database runs (not a file). Example: epro "
            "study show --json") in _help("study", "show")
    assert "--json machine-readable JSON" in _help("study", "show")
    assert "Example: epro study load nct01342250-v1.1.json --user admin" in _help("study", "load")
    assert "--user NAME administrator user name" in _help("study", "load")


def test_screen():
    a = _parser().parse_args(["screen", "log.csv", "-o", "e.csv", "--protocol", "p.json"])
    assert (a.input, a.output, a.protocol, a.handler) == (
        "log.csv", "e.csv", "p.json", "forms.screen_batch:cmd_screen")
    a = _parser().parse_args(["screen", "log.csv"])
    assert (a.output, a.protocol) == (None, None)
    text = _help("screen")
    assert ("Evaluate every row of IN.csv against the protocol's inclusion and exclusion criteria "
            "(protocol.md §3). Columns (any order, empty = not known): id, screening_date, "
            "birth_date, consent_date (YYYY-MM-DD), decompensated, child_pugh, meld, "
            "life_expectancy_over_2_months, hbv, antiviral, and one column per exclusion id "
            "(yes = the exclusion applies); yes/no booleans. Output: id, result, unmet, "
            "undetermined (ids joined by ';'). Example: epro screen log.csv -o "
            "eligibility.csv") in text
    assert "-o OUT.csv, --output OUT.csv default: standard output" in text
    assert "--protocol FILE protocol file (default: the bundled NCT01342250 protocol)" in text
    top = " ".join(_parser().format_help().split())
    assert ("study the study protocol: check a protocol file, show what the database runs"
            in top)
    assert "screen evaluate a screening log (CSV) against the eligibility criteria" in top


def test_usage_lines():
    def usage(*names: str) -> str:
        return " ".join(_sub(_parser(), *names).format_usage().split())
    assert usage("study") == "usage: epro study [-h] SUBCOMMAND ..."
    assert usage("study", "validate") == "usage: epro study validate [-h] FILE"
    assert usage("study", "load") == ("usage: epro study load [-h] --user NAME "
                                      "[--password-file FILE] [--station ID] FILE")
    assert usage("screen") == "usage: epro screen [-h] [-o OUT.csv] [--protocol FILE] IN.csv"
    assert _sub(_parser(), "study", "load").description == (
        "Example: epro study load nct01342250-v1.1.json --user admin")
