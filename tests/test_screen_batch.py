"""forms/screen_batch.py in detail (issue 18, mutation testing): the cells' limits on both sides,
the header's messages, a birth on the screening day, the criteria a malformed row leaves open,
the line of a bad byte, ``cmd_screen`` called directly. The command as a whole:
tests/test_screening_cli.py."""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

import main
from forms.screen_batch import BadCell, cmd_screen, parse_cell
from forms.screening_rules import EXCLUSION_PREFIX

HEADER = ("id,screening_date,birth_date,consent_date,decompensated,child_pugh,meld,"
          "life_expectancy_over_2_months,hbv,antiviral")
GOOD = "2026-03-01,1970-06-15,2026-02-27,yes,9,15,yes,yes,yes"


def screen(tmp_path: Path, capsys, text: str) -> tuple[int, str, str]:
    src = tmp_path / "log.csv"
    src.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    code = main.main(["screen", str(src)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name, lo, hi", [("child_pugh", 5, 15), ("meld", 6, 40)])
def test_scores_both_ends_of_their_range(name, lo, hi):
    assert (parse_cell(name, str(lo)), parse_cell(name, f" {hi} ")) == (lo, hi)
    for text in (str(lo - 1), str(hi + 1)):
        with pytest.raises(BadCell) as caught:
            parse_cell(name, text)
        assert str(caught.value) == f"{text!r} is not a whole number {lo}-{hi}"


def test_cells_of_each_kind():
    assert parse_cell("birth_date", " 2008-02-29 ") == date(2008, 2, 29)
    assert parse_cell("hbv", "No") is False and parse_cell(EXCLUSION_PREFIX + "allergy", "YES") is True
    assert parse_cell("meld", "  ") is None
    with pytest.raises(KeyError) as caught:
        parse_cell("shoe_size", "42")
    assert caught.value.args == ("shoe_size",)


def test_two_duplicate_and_two_ignored_columns_named(tmp_path, capsys):
    code, out, err = screen(tmp_path, capsys, "id,hbv,HBV,meld, MELD\n")
    assert (code, out) == (2, "")
    assert err.endswith("log.csv: duplicate column(s) hbv, meld in the header\n")
    code, out, err = screen(tmp_path, capsys, f"{HEADER},Notes, Ward ,excl\nA,{GOOD},x,y,z\n")
    assert code == 0
    assert "log.csv: column(s) Notes, Ward, excl ignored (not inputs of " in err


def test_no_id_without_semicolon_has_no_hint(tmp_path, capsys):
    code, out, err = screen(tmp_path, capsys, "name,hbv\nx,yes\n")
    assert code == 2 and err.endswith("log.csv: no 'id' column in the header\n")


def test_born_on_the_screening_day_is_judged_not_malformed(tmp_path, capsys):
    text = f"{HEADER}\nB0,2026-03-01,2026-03-01,2026-02-27,yes,9,15,yes,yes,yes\n"
    code, out, err = screen(tmp_path, capsys, text)
    assert code == 0 and out.splitlines()[1].startswith("B0,ineligible,age,allergy;")
    assert "birth_date" not in err


def test_a_bad_screening_date_leaves_each_criterion_reading_it_open(tmp_path, capsys):
    text = f"{HEADER}\nS1,2026-02-30,1970-06-15,2026-02-27,yes,9,15,yes,yes,yes\n"
    code, out, err = screen(tmp_path, capsys, text)
    assert code == 0 and out.splitlines()[1] == "S1,undetermined,,consent;age"
    assert "column screening_date: '2026-02-30' is not a date YYYY-MM-DD" in err


def test_a_bad_byte_on_the_header_line_is_named_there(tmp_path, capsys):
    code, out, err = screen(tmp_path, capsys, b"id,\xffhbv\nA,yes\n")
    assert (code, out) == (2, "")
    assert err.endswith("log.csv: not UTF-8 text (a bad byte on line 1); save the file as CSV "
                        "UTF-8\n")


def test_a_bad_byte_further_down_is_named_on_its_own_line(tmp_path, capsys):
    code, out, err = screen(tmp_path, capsys, b"id,hbv\nA,yes\nB,no\nC,\xffyes\nD,no\n")
    assert (code, out) == (2, "")
    assert err.endswith("log.csv: not UTF-8 text (a bad byte on line 4); save the file as CSV "
                        "UTF-8\n")


def test_cmd_screen_without_an_output_attribute_writes_standard_output(tmp_path, capsys):
    src = tmp_path / "log.csv"
    src.write_text(f"{HEADER}\nW1,{GOOD}\n", encoding="utf-8")
    assert cmd_screen(argparse.Namespace(input=str(src), protocol=None)) == 0
    assert capsys.readouterr().out == "id,result,unmet,undetermined\nW1,undetermined,,"  \
        "allergy;organ_failure;psychiatric;infection;malignancy;alcohol_drug_abuse;" \
        "transplant_planned;pregnancy;other_study\n"
