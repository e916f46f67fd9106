"""``epro calc INPUT.csv [-o OUTPUT.csv]``: liver scores for a CSV of labs (calculators.md "Batch").

Input: a header row naming any of the columns below, in any order (names are matched after
trimming spaces, case-insensitively; a UTF-8 BOM is accepted). A missing column or an empty cell
means "not given". ``id`` is required as a column.

    id, bilirubin, bilirubin_unit (mg/dL | umol/L | µmol/L), albumin, albumin_unit (g/dL | g/L),
    inr, creatinine, creatinine_unit (mg/dL | umol/L), sodium (mmol/L), dialysis (true/false/1/0),
    female (true/false/1/0), age (years), ascites (none | slight | moderate; mild = slight,
    severe = moderate), encephalopathy (none | grade1-2 | grade3-4), variant (standard | pbc)

Defaults: an empty or missing unit means the canonical unit (mg/dL, g/dL); ``dialysis`` missing
means false; ``age`` missing means an adult (MELD 3.0 then needs ``female``); ``variant`` missing
means standard. Units and booleans are matched case-insensitively.

Output, one row per input row in input order::

    id, child_pugh, child_pugh_class, meld, meld_na, meld3, meld3_uncapped

A score is empty when one of its inputs is missing or invalid. Invalid values are summarised on
standard error per field: how many, then the first examples as ``row <id> (line <n>): <field>
<value> <unit>: <reason>`` (``forms.csv_stream``); the other scores of that row and all other
rows are still computed, and the exit status is 0. The file is read and written in chunks
(flat memory whatever its size). A file that cannot be
read as a CSV with an ``id`` column raises :class:`UserError` (one line, exit status 2). With
``-o`` the output file is written atomically (temporary file, then rename).
"""
from __future__ import annotations

import argparse
import csv
import sys
from typing import Any, Iterable, Iterator, TextIO

from forms import calculators as calc
from forms.csv_stream import (BadCells, Chunk, iter_chunks, open_input, open_output,
                              read_header)
from forms.errors import UserError
from forms.labs import CORE_LABS
from forms.liver import LiverInputs, derive_liver_scores

INPUT_COLUMNS = ("id", "bilirubin", "bilirubin_unit", "albumin", "albumin_unit", "inr",
                 "creatinine", "creatinine_unit", "sodium", "dialysis", "female", "age",
                 "ascites", "encephalopathy", "variant")
OUTPUT_COLUMNS = ("id", "child_pugh", "child_pugh_class", "meld", "meld_na", "meld3",
                  "meld3_uncapped")
_BOOLS = {"true": True, "1": True, "false": False, "0": False}
_INVALID = object()  # an input that was given but rejected (already reported)


def parse_bool(field: str, text: str) -> bool:
    key = text.strip().lower()
    if key not in _BOOLS:
        raise calc.LabValueError(field, text, None, "use true/false or 1/0")
    return _BOOLS[key]


def _checked_header(header: list[str], path: str) -> list[str]:
    names = [h.strip().lower() for h in header]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise UserError(f"{path}: duplicate column(s) in header: {', '.join(dupes)}")
    if "id" not in names:
        raise UserError(f"{path}: no 'id' column in the header row; not a calc input CSV "
                        f"(expected columns such as {', '.join(INPUT_COLUMNS[:6])}, ...)")
    return names


def iter_rows(names: list[str], chunks: Iterable[Chunk]
              ) -> Iterator[tuple[int, dict[str, str], int]]:
    """(line number, row, extra field count) for each non-blank row, chunk by chunk."""
    for chunk in chunks:
        for line, cells in zip(chunk.lines, chunk.rows):
            if any(c.strip() for c in cells):
                yield (line, {n: c for n, c in zip(names, cells) if n},
                       max(0, len(cells) - len(names)))


def calc_row(row: dict[str, str]) -> tuple[dict[str, Any], list[calc.LabValueError]]:
    """Scores for one input row (strings) → (output row, invalid values found)."""
    errors: list[calc.LabValueError] = []

    def given(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def parse(func, *a) -> Any:
        try:
            return func(*a)
        except calc.LabValueError as exc:
            errors.append(exc)
            return _INVALID

    v: dict[str, Any] = {}
    for field in ("bilirubin", "albumin", "creatinine", "inr", "sodium"):
        raw = given(field)
        unit = given(f"{field}_unit") if field in ("bilirubin", "albumin", "creatinine") else None
        v[field] = None if raw is None else parse(calc.lab_value, field, raw, unit)
    dial = given("dialysis")
    v["dialysis"] = False if dial is None else parse(parse_bool, "dialysis", dial)
    fem = given("female")
    v["female"] = None if fem is None else parse(parse_bool, "female", fem)
    age = given("age")
    v["age"] = None if age is None else parse(calc.check_age, age)
    for field, func in (("ascites", calc.parse_ascites), ("encephalopathy",
                                                          calc.parse_encephalopathy)):
        raw = given(field)
        v[field] = None if raw is None else parse(func, raw)
    v["variant"] = parse(calc.parse_variant, given("variant"))

    def ok(name: str) -> Any:
        return None if v[name] is _INVALID else v[name]

    # which scores apply, and how: forms.liver, the one derivation (storage and screens use it)
    labs = {f: {"value": lv.raw, "unit": lv.raw_unit} for f in CORE_LABS
            if (lv := ok(f)) is not None}
    female = ok("female")
    scores = derive_liver_scores(LiverInputs(
        labs=labs, ascites=ok("ascites"), encephalopathy=ok("encephalopathy"),
        sex=None if female is None else ("F" if female else "M"), age=ok("age"),
        dialysis=ok("dialysis"), variant=ok("variant") or "standard",
        invalid=frozenset(k for k in ("dialysis", "variant", "sex", "age")
                          if v["female" if k == "sex" else k] is _INVALID)))
    out: dict[str, Any] = {"id": row.get("id", "")}
    if scores.child_pugh:
        out["child_pugh"] = scores.child_pugh.score
        out["child_pugh_class"] = scores.child_pugh.child_class
    if scores.meld:
        out["meld"] = scores.meld.score
    if scores.meld_na:
        out["meld_na"] = scores.meld_na.score
    if scores.meld3:
        out["meld3"], out["meld3_uncapped"] = scores.meld3.score, scores.meld3.uncapped
    return out, errors


def run(rows: Iterable[tuple[int, dict[str, str], int]], out: TextIO,
        report: BadCells) -> int:
    """Compute and write the rows as they come; bad values go to ``report`` (summarised per
    field). Returns the number of invalid values found."""
    writer = csv.DictWriter(out, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    n_errors = 0
    started = False            # the header goes out with the first row read without an error
    for line, row, extra in rows:
        if not started:
            writer.writeheader()
            started = True
        label = f"row {row.get('id', '').strip() or '(no id)'} (line {line})"
        if extra:
            report.add("(row length)", f"{label}: {extra} more field(s) than header columns",
                       "(rows with more fields than the header: skipped, id only)")
            writer.writerow({"id": row.get("id", "")})
            n_errors += 1
            continue
        result, errors = calc_row(row)
        for exc in errors:
            report.add(exc.field, f"{label}: {exc}", "(the scores needing it left empty)")
        n_errors += len(errors)
        writer.writerow(result)
    if not started:
        writer.writeheader()
    return n_errors


def cmd_calc(args: argparse.Namespace) -> int:
    report = BadCells()
    with open_input(args.input) as f:
        header, line = read_header(f, args.input)
        names = _checked_header(header, args.input)
        unknown = [n for n in names if n and n not in INPUT_COLUMNS]
        if unknown:
            print(f"epro: warning: ignoring unknown column(s): {', '.join(unknown)}",
                  file=sys.stderr)
        with open_output(getattr(args, "output", None)) as out:
            run(iter_rows(names, iter_chunks(f, args.input, line)), out, report)
    report.flush(sys.stderr)
    return 0
