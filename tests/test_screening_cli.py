"""`epro screen IN.csv -o OUT.csv` (protocol.md §3): edge cases, malformed rows, bad files."""
from __future__ import annotations

import csv
import gc
import io
import tracemalloc
from pathlib import Path

import pytest

import main
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
from forms.screen_batch import screen_file

MADEUP = Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json"
HEADER = ("id,screening_date,birth_date,consent_date,decompensated,child_pugh,meld,"
          "life_expectancy_over_2_months,hbv,antiviral,allergy,organ_failure,psychiatric,"
          "infection,malignancy,alcohol_drug_abuse,transplant_planned,pregnancy,other_study")
NO9 = ",".join(["no"] * 9)


def row(rid: str, screening="2026-03-01", birth="1970-06-15", consent="2026-02-27", dec="yes",
        cp="9", meld="15", life="yes", hbv="yes", av="yes", excl=NO9) -> str:
    return ",".join((rid, screening, birth, consent, dec, cp, meld, life, hbv, av, excl))


# (input row, expected output row)
CASES = [
    (row("OK"), "OK,eligible,,"),
    (row("BDAY18", birth="2008-03-01"), "BDAY18,eligible,,"),
    (row("DAY-BEFORE-18", birth="2008-03-02"), "DAY-BEFORE-18,ineligible,age,"),
    (row("LEAP-NOT-YET", screening="2026-02-28", birth="2008-02-29", consent="2026-02-28"),
     "LEAP-NOT-YET,ineligible,age,"),
    (row("LEAP-REACHED", birth="2008-02-29"), "LEAP-REACHED,eligible,,"),
    (row("AGE70", birth="1955-03-02"), "AGE70,eligible,,"),
    (row("AGE71", birth="1955-03-01"), "AGE71,ineligible,age,"),
    (row("CONSENT-SAME-DAY", consent="2026-03-01"), "CONSENT-SAME-DAY,eligible,,"),
    (row("CONSENT-LATE", consent="2026-03-02"), "CONSENT-LATE,ineligible,consent,"),
    (row("COMPENSATED", dec="no", cp="6", meld="8"),
     "COMPENSATED,ineligible,decompensated_cirrhosis,"),
    (row("COMPENSATED-NO-SCORES", dec="no", cp="", meld=""),
     "COMPENSATED-NO-SCORES,ineligible,decompensated_cirrhosis,"),
    (row("CP13-MELD21", cp="13", meld="21"), "CP13-MELD21,eligible,,"),
    (row("CP13-MELD22", cp="13", meld="22"), "CP13-MELD22,ineligible,decompensated_cirrhosis,"),
    (row("CP7-MELD40", cp="7", meld="40"), "CP7-MELD40,eligible,,"),
    (row("CP6-MELD22", cp="6", meld="22"), "CP6-MELD22,ineligible,decompensated_cirrhosis,"),
    (row("SCORES-UNKNOWN", cp="", meld=""), "SCORES-UNKNOWN,undetermined,,decompensated_cirrhosis"),
    (row("CP9-MELD-UNKNOWN", meld=""), "CP9-MELD-UNKNOWN,eligible,,"),
    (row("CP13-MELD-UNKNOWN", cp="13", meld=""),
     "CP13-MELD-UNKNOWN,undetermined,,decompensated_cirrhosis"),
    (row("HBV-ON-ANTIVIRALS"), "HBV-ON-ANTIVIRALS,eligible,,"),
    (row("HBV-NO-ANTIVIRALS", av="no"), "HBV-NO-ANTIVIRALS,ineligible,hbv_antiviral,"),
    (row("NO-HBV", hbv="no", av=""), "NO-HBV,eligible,,"),
    (row("HBV-ANTIVIRAL-UNKNOWN", av=""), "HBV-ANTIVIRAL-UNKNOWN,undetermined,,hbv_antiviral"),
    (row("SHORT-LIFE", life="no"), "SHORT-LIFE,ineligible,life_expectancy,"),
    (row("EXCLUSIONS", excl="yes,no,no,no,yes,no,no,yes,no"),
     "EXCLUSIONS,ineligible,allergy;malignancy;pregnancy,"),
    (row("MIXED", consent="2026-03-05", excl="no,no,no,no,no,no,no,no,"),
     "MIXED,ineligible,consent,other_study"),
    (row("CASE-AND-SPACES", dec=" YES ", hbv="No", av=""), "CASE-AND-SPACES,eligible,,"),
    ('"P,1",2026-03-01', '"P,1",undetermined,,consent;age;decompensated_cirrhosis;'
                         'life_expectancy;hbv_antiviral;allergy;organ_failure;psychiatric;'
                         'infection;malignancy;alcohol_drug_abuse;transplant_planned;pregnancy;'
                         'other_study'),
]
MALFORMED = [
    (row("BAD-CELLS", dec="Y", meld="abc"), "BAD-CELLS,undetermined,,decompensated_cirrhosis",
     ["column decompensated: 'Y' is not yes or no", "column meld: 'abc' is not a whole number "
                                                    "6-40"]),
    (row("BAD-DATE", birth="1970-13-01"), "BAD-DATE,undetermined,,age",
     ["column birth_date: '1970-13-01' is not a date YYYY-MM-DD"]),
    (row("CP-RANGE", cp="16"), "CP-RANGE,undetermined,,decompensated_cirrhosis",
     ["column child_pugh: '16' is not a whole number 5-15"]),
    (row("EXCL-WORD", excl="maybe,no,no,no,no,no,no,no,no"), "EXCL-WORD,undetermined,,allergy",
     ["column allergy: 'maybe' is not yes or no"]),
    (row("BORN-LATER", birth="2026-03-02"), "BORN-LATER,undetermined,,age",
     ["column birth_date: 2026-03-02 is after the screening date 2026-03-01"]),
    (row("EXTRA") + ",surprise", "EXTRA,undetermined,,consent;age;decompensated_cirrhosis;"
                                 "life_expectancy;hbv_antiviral;allergy;organ_failure;"
                                 "psychiatric;infection;malignancy;alcohol_drug_abuse;"
                                 "transplant_planned;pregnancy;other_study",
     ["column 20: 20 values but the header has 19 columns"]),
]


def run(tmp_path: Path, text: str, *extra: str, capsys) -> tuple[int, str, str]:
    src = tmp_path / "log.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    rc = main.main(["screen", str(src), "-o", str(out), *extra])
    std = capsys.readouterr()
    assert std.out == ""
    return rc, out.read_text(encoding="utf-8") if out.exists() else "", std.err


def test_edge_cases_of_protocol_section_3(tmp_path, capsys):
    text = "\n".join([HEADER, *(c[0] for c in CASES)]) + "\n"
    rc, out, err = run(tmp_path, text, capsys=capsys)
    assert rc == 0 and err == ""
    assert out.splitlines() == ["id,result,unmet,undetermined", *(c[1] for c in CASES)]


def test_malformed_rows_name_row_and_column_and_are_undetermined(tmp_path, capsys):
    lines = [HEADER, row("BEFORE"), *(m[0] for m in MALFORMED), "", row("AFTER")]
    rc, out, err = run(tmp_path, "\r\n".join(lines) + "\r\n", capsys=capsys)
    assert rc == 0
    assert out.splitlines() == ["id,result,unmet,undetermined", "BEFORE,eligible,,",
                                *(m[1] for m in MALFORMED), "AFTER,eligible,,"]
    err_lines = err.splitlines()
    for line_no, (text, _, messages) in enumerate(MALFORMED, start=3):
        rid = text.split(",")[0]
        for m in messages:
            assert (f"epro: row '{rid}' (line {line_no}): {m}; the row is undetermined"
                    in err_lines), (m, err_lines)
    assert len(err_lines) == sum(len(m[2]) for m in MALFORMED)


def test_columns_in_any_order_absent_and_ignored(tmp_path, capsys):
    text = ("Notes, HBV ,ID,antiviral\n"
            "whatever,no,A1,\n")
    rc, out, err = run(tmp_path, text, capsys=capsys)
    assert rc == 0
    assert out.splitlines()[1] == ("A1,undetermined,,consent;age;decompensated_cirrhosis;"
                                   "life_expectancy;allergy;organ_failure;psychiatric;infection;"
                                   "malignancy;alcohol_drug_abuse;transplant_planned;pregnancy;"
                                   "other_study")
    assert "column(s) screening_date, birth_date, consent_date, decompensated, child_pugh, " \
           "meld, life_expectancy_over_2_months, allergy," in err
    assert "absent: not known in every row" in err
    assert "column(s) Notes ignored (not inputs of BKCR-LD-1.0(2010))" in err


def test_another_protocol_with_its_own_exclusion_columns(tmp_path, capsys):
    text = ("id,screening_date,birth_date,consent_date,decompensated,child_pugh,meld,"
            "life_expectancy_over_2_months,hbv,antiviral,smoker,breastfeeding\n"
            "M1,2026-03-01,1986-03-01,2026-03-01,yes,10,15,no,yes,,no,no\n"
            "M2,2026-03-01,1986-03-02,2026-03-01,yes,10,16,yes,yes,no,yes,\n")
    rc, out, err = run(tmp_path, text, "--protocol", str(MADEUP), capsys=capsys)
    assert rc == 0 and err == ""
    assert out.splitlines()[1:] == [
        "M1,eligible,,",
        "M2,ineligible,older_adult;liver;treated_if_expected;smoker,breastfeeding"]


def test_bom_and_stdout(tmp_path, capsys):
    src = tmp_path / "log.csv"
    src.write_bytes(("\ufeff" + HEADER + "\n" + row("OK") + "\n").encode("utf-8"))
    assert main.main(["screen", str(src)]) == 0
    assert capsys.readouterr().out == "id,result,unmet,undetermined\nOK,eligible,,\n"


@pytest.mark.parametrize("content, message", [
    (None, "log.csv: file not found"),
    (b"", "log.csv: empty file (a header row with an 'id' column is required)"),
    (b"name;hbv\nx;yes\n", "log.csv: no 'id' column in the header (is it separated by ';'? "
                           "use ',')"),
    (b"id,hbv,HBV\n", "log.csv: duplicate column(s) hbv in the header"),
    (HEADER.encode() + b'\n"x,yes\n', "log.csv: not a valid CSV file (line 2: unexpected end "
                                        "of data)"),
])
def test_unusable_input_exits_2_with_one_line(tmp_path, capsys, content, message):
    src = tmp_path / "log.csv"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "out.csv"
    assert main.main(["screen", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_bad_bytes_half_way_leave_the_old_output_untouched(tmp_path, capsys):
    src = tmp_path / "log.csv"
    src.write_bytes((HEADER + "\n" + (row("OK") + "\n") * 3000).encode() + b"\xff\xfe,x\n")
    out = tmp_path / "out.csv"
    out.write_text("previous result\n", encoding="utf-8")
    assert main.main(["screen", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8 text" in err and err.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv", "out.csv"]


def test_missing_protocol_file(tmp_path, capsys):
    src = tmp_path / "log.csv"
    src.write_text(HEADER + "\n", encoding="utf-8")
    assert main.main(["screen", str(src), "--protocol", str(tmp_path / "p.json")]) == 2
    assert "p.json: invalid protocol (1 problem): file: not found" in capsys.readouterr().err


def _peak(path: Path) -> tuple[int, int]:
    """(rows screened, traced peak); a full collection first empties the free lists, so every
    run starts alike whatever the suite ran before."""
    protocol = load_protocol(DEFAULT_PROTOCOL_PATH)
    sink = open(path.with_suffix(".out"), "w", encoding="utf-8", newline="")
    gc.collect()
    tracemalloc.start()
    try:
        n = screen_file(protocol, str(path), sink, io.StringIO())
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        sink.close()


def test_streaming_memory_does_not_grow_with_the_file(tmp_path):
    """Twice the rows, the same peak: the rows are streamed, never held. Both files are past
    2 000 rows: CPython keeps up to 2 000 freed tuples of a size on a free list (allocated,
    so traced), which made a 500-row file peak lower than any longer one (the test compared
    500 with 10 000 rows and failed whenever the list started empty)."""
    mid, big = tmp_path / "mid.csv", tmp_path / "big.csv"
    mid.write_text(HEADER + "\n" + (row("OK") + "\n") * 10000, encoding="utf-8")
    big.write_text(HEADER + "\n" + (row("OK") + "\n") * 20000, encoding="utf-8")
    n_mid, peak_mid = _peak(mid)
    n_big, peak_big = _peak(big)
    assert (n_mid, n_big) == (10000, 20000)
    # holding the 10 000 more rows, even as lines, would add about the file's extra size
    assert peak_big < peak_mid + (big.stat().st_size - mid.stat().st_size) // 8, \
        (peak_mid, peak_big)
    with open(big.with_suffix(".out"), encoding="utf-8", newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == 20001
