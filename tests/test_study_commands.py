"""forms.study_commands (``epro study validate``) and forms.instruments_cli (``epro instruments
list``): their exact output, singular and plural (issue 18: mutation testing)."""
from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

from forms.instruments_cli import cmd_list, describe
from forms.instrument import INSTRUMENTS_DIR_ENV
from forms.protocol import load_protocol
from forms.registry import registry
from forms.study_commands import cmd_validate, installed_instrument_ids

HERE = Path(__file__).parent
MADEUP = HERE / "fixtures" / "protocols" / "madeup_two_arm.json"
FIXTURES = HERE / "fixtures" / "instruments"


def _validate(path: Path, capsys) -> tuple[int, str, str]:  # noqa: ANN001
    code = cmd_validate(argparse.Namespace(file=str(path)))
    out, err = capsys.readouterr()
    return code, out, err


def test_installed_instrument_ids():
    assert installed_instrument_ids() == frozenset(registry().ids()) == {"rand36", "csc"}


def test_a_valid_file_in_plural(capsys):
    sha = load_protocol(MADEUP).sha256
    assert _validate(MADEUP, capsys) == (0, (
        f"{MADEUP}: valid protocol MADEUP-HEP-02 (ChiCTR-TEST-0002) version 2.3-test: 2 arms, "
        f"5 visits (4 scheduled), 1 instrument, 5 inclusion and 2 exclusion criteria; "
        f"sha256 {sha}\n"), "")


def test_a_valid_file_in_singular(tmp_path, capsys):
    d = json.loads(MADEUP.read_text(encoding="utf-8"))
    d["arms"] = d["arms"][:1]
    d["allocation"] = {"method": "none"}
    d["visits"] = [v for v in d["visits"] if v["kind"] == "baseline"]
    d["eligibility"]["exclusion"] = d["eligibility"]["exclusion"][:1]
    d["instruments"].append({"id": "rand36", "min_days_between": 28})
    path = tmp_path / "one.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    code, out, err = _validate(path, capsys)
    assert (code, err) == (0, "")
    assert ": 1 arm, 1 visit (1 scheduled), 2 instruments, 5 inclusion and 1 exclusion " \
           "criterion; sha256 " in out


def test_invalid_files_list_every_problem(tmp_path, capsys):
    d = json.loads(MADEUP.read_text(encoding="utf-8"))
    one = copy.deepcopy(d)
    one["version"] = ""
    (tmp_path / "one.json").write_text(json.dumps(one), encoding="utf-8")
    assert _validate(tmp_path / "one.json", capsys) == (2, "", (
        f"epro: error: {tmp_path / 'one.json'}: invalid protocol, 1 problem:\n"
        "  version: expected a non-empty text\n"))
    d["version"] = ""
    d["colour"] = "blue"
    (tmp_path / "two.json").write_text(json.dumps(d), encoding="utf-8")
    assert _validate(tmp_path / "two.json", capsys) == (2, "", (
        f"epro: error: {tmp_path / 'two.json'}: invalid protocol, 2 problems:\n"
        "  colour: unknown key\n  version: expected a non-empty text\n"))


def test_describe_an_instrument(monkeypatch):
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES))
    rows = {r["id"]: r for r in describe()}
    fat5 = rows["fat5"]
    assert {k: fat5[k] for k in ("version", "items", "languages", "title", "algorithms",
                                 "folder")} == {
        "version": "0.9", "items": 5, "languages": ["en", "zh_CN"],
        "title": "Fatigue Five (made-up test instrument)",
        "algorithms": [{"id": "fat5-0.9", "version": "0.9"}], "folder": str(FIXTURES)}
    assert fat5["scores"][1] == {
        "key": "mean", "name": "fat_mean", "algorithm": "fat5-0.9",
        "label": {"en": "Fatigue mean (0-4)", "zh_CN": "疲劳均分（0-4）"}, "type": "float",
        "min": 0, "max": 4, "unit": None, "higher_is_better": False, "mid": None}
    assert fat5["scores"][3]["label"] == {"en": "Fatigue five alert level"}


def test_list_as_text_and_json(monkeypatch, capsys, tmp_path):
    data = json.loads((FIXTURES / "fat5.json").read_text(encoding="utf-8"))
    del data["scoring"], data["trend"]
    (tmp_path / "fat5.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(tmp_path))
    assert cmd_list(argparse.Namespace()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id           version  items  languages    scores"
    assert lines[2] == "fat5         0.9          5  en,zh_CN     -"
    assert lines[1].startswith("csc          1.0         ") and "csc_rss, csc_tsb" in lines[1]
    assert cmd_list(argparse.Namespace(json=True)) == 0
    out = capsys.readouterr().out
    assert out.endswith("]\n") and json.loads(out) == describe()
    assert '"zh_CN": "CSC 登记症状评分 C1-C4（0-16）"' in out             # not ASCII-escaped
    assert out.startswith('[\n  {\n    "id": "csc"')                          # indent 2


def test_an_instrument_the_app_does_not_have(tmp_path, capsys):
    d = json.loads(MADEUP.read_text(encoding="utf-8"))
    d["instruments"].append({"id": "fat5", "min_days_between": 7})
    (tmp_path / "p.json").write_text(json.dumps(d), encoding="utf-8")
    code, out, err = _validate(tmp_path / "p.json", capsys)
    assert (code, out) == (2, "")
    assert err.endswith("  instruments[1].id: unknown instrument 'fat5' (known: csc, rand36)\n")
