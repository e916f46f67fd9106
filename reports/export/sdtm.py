"""``--format sdtm-qs``: an SDTM QS-style CSV (one row per item answer and per score) plus a
sidecar ``<name>_testcodes.csv`` listing every QSTESTCD with its full label.

The test codes are **project-defined** (not CDISC Controlled Terminology; the official
QS terminology for SF-36/RAND-36 is licensed separately and not bundled): ``R36Q01``…``R36Q36``,
``CSCC1``… for items, ``RANDPF``, ``SF36PCS``, ``SF36PFT``, ``CSCRSS``… for scores; at most 8
characters, QSTEST at most 40 characters (SDTM limits). Only submitted administrations are
exported. QSORRES is the answer's label (English) or the score; QSSTRESC/QSSTRESN the code or
score. A skipped item has QSSTAT = ``NOT DONE`` and QSREASND = the skip reason; an item not
shown by branching has QSREASND = ``NOT APPLICABLE``. QSDTC is the UTC time the answer was
given (ISO 8601, seconds, with ``Z``); QSDY is the CDISC study day of the visit date (day 1 =
first infusion, no day 0); QSEVLINT is the instrument's recall period (from its registry entry:
RAND-36 ``-P4W``, CSC ``-P7D``), written exactly (not defanged: it is generated, never user text).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument
from forms.instrument_defs import InstrumentEntry
from forms.registry import registry
from forms.schedule import study_day
from reports.export.csvsafe import CsvOut
from reports.export.reader import PatientData, iter_patients, study_info
from reports.export.scoredefs import ScoreDef, score_defs

COLUMNS = ("STUDYID", "DOMAIN", "USUBJID", "QSSEQ", "QSTESTCD", "QSTEST", "QSCAT", "QSORRES",
           "QSSTRESC", "QSSTRESN", "QSSTAT", "QSREASND", "VISITNUM", "VISIT", "QSDTC", "QSDY",
           "QSEVLINT")


def _entry(inst_id: str) -> InstrumentEntry | None:
    return registry().find(inst_id)


def _cat(inst_id: str) -> str:
    e = _entry(inst_id)
    return e.export.sdtm_category if e is not None else inst_id.upper()


def item_testcd(inst_id: str, item_id: str) -> str:
    e = _entry(inst_id)
    if e is None:
        return (inst_id[:3].upper() + re.sub(r"\W", "", item_id.upper()))[:8]
    return e.export.item_testcd(item_id)


def score_testcd(d: ScoreDef) -> str:
    return d.sdtm_testcd


def evlint(inst: Instrument) -> str | None:
    e = _entry(inst.id)
    return e.evlint if e is not None else None


def _dtc(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def qs_test_codes(insts: Sequence[Instrument]) -> Iterator[tuple[str, str, str, str]]:
    for inst in insts:
        for it in inst.items:
            yield (item_testcd(inst.id, it.id), it.text[BASE_LANGUAGE][:40],
                   it.text[BASE_LANGUAGE], _cat(inst.id))
        for d in score_defs(inst.id):
            yield score_testcd(d), d.label[:40], d.label, _cat(inst.id)


def qs_rows(pd: PatientData, insts: dict[str, Instrument], studyid: str
            ) -> Iterator[list[Any]]:
    p = pd.patient
    seq = 0
    for vd, ad in pd.administrations:
        a = ad.adm
        inst = insts.get(a.instrument_id)
        if inst is None or a.status != "submitted":
            continue
        v = vd.visit
        dy = study_day(p.day1_date, v.actual_date) if v.actual_date else None
        common = dict(visitnum=v.sequence, visit=v.code, dy=dy, evl=evlint(inst),
                      cat=_cat(inst.id))

        def row(testcd: str, test: str, orres: Any, stresc: Any, stresn: Any, stat: str | None,
                reasnd: str | None, dtc: str | None) -> list[Any]:
            nonlocal seq
            seq += 1
            return [studyid, "QS", f"{studyid}-{p.subject_id}", seq, testcd, test[:40],
                    common["cat"], orres, stresc, stresn, stat, reasnd, common["visitnum"],
                    common["visit"], dtc, common["dy"], common["evl"]]

        order = {it.id: n for n, it in enumerate(inst.items)}
        for ans in sorted(ad.answers, key=lambda x: order.get(x.item_id, 999)):
            if ans.item_id not in order:
                continue
            it = inst.item(ans.item_id)
            text = it.text[BASE_LANGUAGE]
            cd = item_testcd(inst.id, it.id)
            if ans.status == "answered":
                yield row(cd, text, inst.options_for(it).label(ans.code), str(ans.code), ans.code,
                          None, None, _dtc(ans.answered_at))
            else:
                why = ans.skip_reason if ans.status == "skipped" else "NOT APPLICABLE"
                yield row(cd, text, None, None, None, "NOT DONE", why, _dtc(ans.answered_at))
        values = ad.score_values()
        for d in score_defs(inst.id):
            val = values.get(d.key)
            if val is None or val == "" or isinstance(val, (dict, list)):
                continue
            num = float(val) if isinstance(val, (int, float)) and not isinstance(val, bool) \
                else (int(val) if isinstance(val, bool) else None)
            shown = repr(val) if isinstance(val, float) else str(int(val) if isinstance(val, bool)
                                                                 else val)
            yield row(score_testcd(d), d.label, shown, shown, num, None, None,
                      _dtc(a.submitted_at))


def export_sdtm_qs(db, path: Path, insts: Sequence[Instrument], *,  # noqa: ANN001
                   subject: str | None = None, since: datetime | None = None
                   ) -> dict[str, int]:
    with db.session() as s:
        studyid = study_info(s).protocol_id
    by_id = {i.id: i for i in insts}
    # QSEVLINT is an ISO 8601 duration such as -P7D: exact for SAS/R, not defanged (a
    # spreadsheet shows it as #NAME?; it never holds user text)
    with CsvOut(path, COLUMNS, raw_columns=("QSEVLINT",)) as out:
        for pd in iter_patients(db, subject=subject, since=since):
            for r in qs_rows(pd, by_id, studyid):
                out.write(r)
        rows = out.rows
    side = sidecar_path(path)
    with CsvOut(side, ("QSTESTCD", "QSTEST", "FULL_LABEL", "QSCAT", "TERMINOLOGY")) as out:
        for r in qs_test_codes(insts):
            out.write((*r, "project-defined (not CDISC Controlled Terminology)"))
    return {path.name: rows, side.name: out.rows}


def sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_testcodes.csv")
