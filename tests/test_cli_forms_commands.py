"""forms/cli.py: the ``score``, ``calc`` and ``instruments`` commands parse as documented, run the
named handlers and say in ``--help`` what they do (issue 18: mutation testing of forms/cli.py)."""
from __future__ import annotations

import argparse

import pytest

from forms import cli


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="epro")
    cli.register(p.add_subparsers(dest="command"))
    return p


def _sub(parser: argparse.ArgumentParser, *names: str) -> argparse.ArgumentParser:
    for name in names:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def _help(*names: str) -> str:
    return " ".join(_sub(_parser(), *names).format_help().split())


def test_score():
    a = _parser().parse_args(["score", "--instrument", "csc", "in.csv", "-o", "out.csv"])
    assert (a.command, a.instrument, a.input, a.output, a.handler) == (
        "score", "csc", "in.csv", "out.csv", "forms.batch:cmd_score")
    assert _parser().parse_args(["score", "--instrument", "csc", "in.csv"]).output is None
    with pytest.raises(SystemExit):
        _parser().parse_args(["score", "in.csv"])                   # --instrument is required
    text = _help("score")
    assert ("Score every row of INPUT.csv. Bad rows are reported on stderr; the rest are scored. "
            "Example: epro score --instrument rand36 answers.csv -o scores.csv") in text
    assert "--instrument ID an instrument with a batch scorer (see: epro instruments list)" in text
    assert "-o OUTPUT.csv, --output OUTPUT.csv default: standard output" in text


def test_calc():
    a = _parser().parse_args(["calc", "labs.csv", "--output", "x.csv"])
    assert (a.input, a.output, a.handler) == ("labs.csv", "x.csv", "forms.calc_batch:cmd_calc")
    text = _help("calc")
    assert "Example: epro calc labs.csv -o liver_scores.csv" in text
    assert "-o OUTPUT.csv, --output OUTPUT.csv default: standard output" in text


def test_instruments_list_and_install():
    a = _parser().parse_args(["instruments", "list", "--json"])
    assert (a.instruments_command, a.json, a.handler) == (
        "list", True, "forms.instruments_cli:cmd_list")
    assert _parser().parse_args(["instruments", "list"]).json is False
    a = _parser().parse_args(["instruments", "install", "t.json", "--user", "admin",
                              "--password-file", "pw", "--station", "S1"])
    assert (a.file, a.user, a.password_file, a.station, a.handler) == (
        "t.json", "admin", "pw", "S1", "storage.instrument_commands:cmd_install")
    with pytest.raises(SystemExit):
        _parser().parse_args(["instruments", "install", "t.json"])     # --user is required
    assert "Example: epro instruments list --json" in _help("instruments")
    assert ("Instruments come from resources/instruments/ and the folders in "
            "EPRO_INSTRUMENTS_DIR.") in _help("instruments", "list")
    assert "--json machine-readable output" in _help("instruments", "list")
    text = _help("instruments", "install")
    assert ("Checks FILE against the instrument (same items, same option codes, every text "
            "present), stores it with its source and SHA-256 (audited); it is shown from the "
            "next administration on. Example: epro instruments install rand36.zh_CN.json "
            "--user admin") in text
    assert ("FILE translation JSON (format of resources/instruments/rand36.zh_CN.json)"
            in text)
    assert "--user NAME administrator user name" in text
    assert "--station ID station id recorded in the audit trail" in text


def test_the_command_list():
    text = " ".join(_parser().format_help().split())
    for line in ("score score a CSV of questionnaire answers (rand36 or csc)",
                 "calc compute Child-Pugh, MELD, MELD-Na and MELD 3.0 from a CSV of labs",
                 "instruments the instrument registry"):
        assert line in text
    sub = " ".join(_help("instruments").split())
    assert "list every registered instrument: id, version, item count, languages, scores" in sub
    assert ("install install a translation file (e.g. a licensed, validated one); admin"
            in sub)


def test_usage_lines():
    def usage(*names: str) -> str:
        return " ".join(_sub(_parser(), *names).format_usage().split())
    assert usage("score") == "usage: epro score [-h] --instrument ID [-o OUTPUT.csv] INPUT.csv"
    assert usage("calc") == "usage: epro calc [-h] [-o OUTPUT.csv] INPUT.csv"
    assert usage("instruments") == "usage: epro instruments [-h] SUBCOMMAND ..."
    assert usage("instruments", "list") == "usage: epro instruments list [-h] [--json]"
    assert usage("instruments", "install") == (
        "usage: epro instruments install [-h] --user NAME [--password-file FILE] [--station ID] "
        "FILE")
    assert _sub(_parser(), "calc").description == (
        "Example: epro calc labs.csv -o liver_scores.csv")
    assert _sub(_parser(), "instruments").description == "Example: epro instruments list --json"
