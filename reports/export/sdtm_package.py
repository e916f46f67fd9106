"""``--format sdtm``: a folder of SDTM datasets as a submission package.

Per dataset (TS, DM, SV, EX, AE, DS, QS, SUPPQS; SUPPSV/SUPPAE/SUPPDS when staff text runs past
200 bytes; EX only when an infusion is recorded; TS with TSVAL1, TSVAL2, ... only when a protocol
value runs past 200 bytes)
``<name>.xpt`` (SAS transport v5, ``xpt``) and the same rows
as ``<name>.csv`` (UTF-8 with BOM, spreadsheet-safe like every CSV export); ``qs_testcodes.csv``
(every QSTESTCD with its full label); ``non_ascii.csv`` (``sdtm_ascii``: per dataset
variable, the values that are not ASCII -- listed, never changed); ``define.xml`` (Define-XML
2.0, ``define_xml``) describing them. Rows come from ``sdtm.iter_sdtm_rows`` (the same rows as
``--format sdtm-qs``). An XPT file
is written from the whole dataset at once (pyreadstat has no streaming writer), so this export
holds the rows of the study in memory. A value past 200 bytes that nothing continues (protocol or
instrument text, e.g. an arm's label in DM.ARM) stops the export with a ``UserError`` before any
file is written.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from forms.errors import UserError
from forms.instrument import BASE_LANGUAGE, Instrument
from reports.export.csvsafe import CsvOut
from reports.export.define_xml import DefineInput, ValueLevel, ValueRow, write_define
from reports.export.reader import study_info
from reports.export.scoredefs import score_defs
from reports.export.sdtm import (ND_REASND, ND_TEXT, ND_TEXT_LABEL, QSALL, QSALL_TEST, REASND,
                                 item_testcd, iter_sdtm_rows, qs_category, qs_test_codes,
                                 write_test_codes)
from reports.export.sdtm_ascii import COLUMNS as ASCII_COLUMNS
from reports.export.sdtm_ascii import NON_ASCII, non_ascii
from reports.export.sdtm_meta import (DATASETS, FIXED_CODELISTS, MAX_CHAR_BYTES, METHODS,
                                      OPTIONAL, QS, SUPPQS, TS, CodeList, Dataset,
                                      ts_dataset_of)
from reports.export.sdtm_outcomes import (DISPOSITION, MILESTONE, NOT_TREATED, UNPLANNED, armcd,
                                         outcome_codelists)
from reports.export.sdtm_trial import PHASES, TS_PARAMETERS
from reports.export.xpt import too_long, write_xpt
from reports.i18n import language_name
from storage.services.protocol_store import current_protocol

DEFINE = "define.xml"
TEST_CODES = "qs_testcodes.csv"
#: CSV columns written exactly (ISO 8601 durations such as -P7D: generated, never user text)
RAW_COLUMNS = {"QS": ("QSEVLINT",)}


def dataset_files(ds: Dataset) -> tuple[str, str]:
    return f"{ds.name.lower()}.xpt", f"{ds.name.lower()}.csv"


def _codelists(db: Any, insts: Sequence[Instrument]) -> list[CodeList]:
    proto = current_protocol(db)
    tests = [*qs_test_codes(insts), (QSALL, QSALL_TEST, QSALL_TEST, None)]
    fixed = outcome_codelists()
    return [*FIXED_CODELISTS,
            CodeList("ARMCD", "Planned Arm Code",
                     tuple((armcd(a.id) or "", a.label.get(BASE_LANGUAGE, a.id))
                           for a in proto.arms)),
            CodeList("ARM", "Description of Planned Arm",
                     tuple((a.label.get(BASE_LANGUAGE, a.id), None) for a in proto.arms)),
            CodeList("ACTARMCD", "Actual Arm Code",
                     (*((armcd(a.id) or "", a.label.get(BASE_LANGUAGE, a.id))
                        for a in proto.arms), NOT_TREATED, UNPLANNED)),
            CodeList("ACTARM", "Description of Actual Arm",
                     (*((a.label.get(BASE_LANGUAGE, a.id), None) for a in proto.arms),
                      (NOT_TREATED[1], None), (UNPLANNED[1], None))),
            CodeList("QSTESTCD", "Question Short Name (project-defined)",
                     tuple((cd, name) for cd, name, _full, _cat in tests)),
            CodeList("QSTEST", "Question Name (project-defined)",
                     tuple((name, None) for _cd, name, _full, _cat in tests)),
            CodeList("QSCAT", "Category of Question",
                     tuple((c, None) for c in dict.fromkeys(cat for *_x, cat in tests if cat))),
            CodeList("REASND", "Reason Not Done (sponsor)",
                     tuple((v, None) for v in dict.fromkeys((*REASND.values(),
                                                             *ND_REASND.values())))),
            CodeList("REASNDQS", "Reason Questionnaire Not Done (sponsor)",
                     tuple((v, None) for v in ND_REASND.values())),
            CodeList("QNAM", "Supplemental Qualifier Name",
                     (("QSLANG", "Language Shown"), ("QSTXTVER", "Text Version"),
                      (ND_TEXT, ND_TEXT_LABEL),
                      # 200 characters of text (forms.not_done.TEXT_MAX) fill at most 4 pieces
                      *((f"QSNDTXT{n}", f"{ND_TEXT_LABEL} {n}") for n in range(1, 4)))),
            CodeList("AEREL", "Causality (sponsor)", tuple((v, None) for v in fixed["AEREL"])),
            CodeList("TOXGR", "CTCAE Grade", tuple((v, None) for v in fixed["TOXGR"])),
            CodeList("DSDECOD", "Standardized Disposition Term",
                     tuple((v, None) for v in fixed["DSDECOD"])),
            CodeList("NCOMPLT", "Completion/Reason for Non-Completion",
                     tuple((v, None) for v in fixed["NCOMPLT"]), "C66727"),
            CodeList("PROTMLST", "Protocol Milestone",
                     tuple((v, None) for v in fixed["PROTMLST"]), "C114118"),
            CodeList("TSPARMCD", "Trial Summary Parameter Test Code",
                     tuple(TS_PARAMETERS.items()), "C66738"),
            CodeList("TSPARM", "Trial Summary Parameter Test Name",
                     tuple((v, None) for v in TS_PARAMETERS.values()), "C67152"),
            CodeList("TPHASE", "Trial Phase Response",
                     tuple((term, None) for term, _nci in PHASES.values()), "C66737"),
            CodeList("STYPE", "Study Type Response", (("INTERVENTIONAL", None),), "C99077"),
            CodeList("QSLANG", "Language Shown (project-defined)", tuple(
                (lang, language_name(lang, "en"))
                for lang in dict.fromkeys(x for i in insts for x in i.languages))),
            *_result_codelists(insts)]


#: TSVAL's code list by TSPARMCD (the parameters whose values are controlled terms)
TSVAL_CODELISTS = {"TPHASE": "TPHASE", "STYPE": "STYPE", "RANDOM": "NY", "FCNTRY": "COUNTRY"}


def _tsval_by_parameter(ts_rows: Sequence[Sequence[Any]]) -> ValueLevel:
    """Value-level metadata of TSVAL: one row per controlled parameter the TS rows hold."""
    i = TS.columns.index("TSPARMCD")
    held = {r[i] for r in ts_rows}
    return ValueLevel("TS", "TSVAL", "TSPARMCD", [
        ValueRow(code, (code,), "Protocol", None, cl)
        for code, cl in TSVAL_CODELISTS.items() if code in held])


def _qsreasnd_by_test(qs_rows: Sequence[Sequence[Any]]) -> ValueLevel | None:
    """Value-level metadata of QSREASND when QS holds a whole questionnaire not done: the
    QSALL records take their reason from ``REASNDQS`` (``sdtm.ND_REASND``)."""
    i = QS.columns.index("QSTESTCD")
    if not any(r[i] == QSALL for r in qs_rows):
        return None
    return ValueLevel("QS", "QSREASND", "QSTESTCD", [
        ValueRow(QSALL, (QSALL,), "CRF", None, "REASNDQS")])


def _suppqs_qval(supp_rows: Sequence[Sequence[Any]]) -> ValueLevel:
    """Value-level metadata of SUPPQS.QVAL, one row per qualifier SUPPQS holds: the language
    shown (code list ``QSLANG``), the text version, the staff's words on a questionnaire not
    done (and their continuations)."""
    i = SUPPQS.columns.index("QNAM")
    held = {r[i] for r in supp_rows}
    nd = tuple(dict.fromkeys(r[i] for r in supp_rows if r[i].startswith("QSNDT")))  # as held
    rows = [ValueRow("QSLANG", ("QSLANG",), "CRF", None, "QSLANG"),
            ValueRow("QSTXTVER", ("QSTXTVER",), "Assigned"), ValueRow(ND_TEXT, nd, "CRF")]
    return ValueLevel("SUPPQS", "QVAL", "QNAM", [r for r in rows if set(r.values) & held])


#: DSDECOD's code list depends on DSCAT (SDTMIG: NCOMPLT for disposition events, PROTMLST for
#: protocol milestones)
DSDECOD_BY_CATEGORY = ValueLevel("DS", "DSDECOD", "DSCAT", [
    ValueRow("DISPOSITION", (DISPOSITION,), "Derived", "MT.DSDECOD", "NCOMPLT"),
    ValueRow("MILESTONE", (MILESTONE,), "Assigned", None, "PROTMLST")])


def _qs_methods(insts: Sequence[Instrument]) -> tuple[dict[str, tuple[str, str, str]],
                                                      ValueLevel]:
    """A MethodDef per derived score and the QSSTRESC value-level rows."""
    methods: dict[str, tuple[str, str, str]] = {}
    vl = ValueLevel("QS", "QSSTRESC", "QSTESTCD")
    for inst in insts:
        cat = qs_category(inst.id)
        for sid in dict.fromkeys(it.response_set for it in inst.items):
            codes = tuple(item_testcd(inst.id, it.id) for it in inst.items
                          if it.response_set == sid)
            vl.rows.append(ValueRow(f"{codes[0]}_ITEMS", codes, "CRF", None,
                                    _answers_codelist(inst, sid)))
        for d in score_defs(inst.id):
            cd = d.sdtm_testcd
            rng = f" Range {d.minimum:g} to {d.maximum:g}." if d.minimum is not None \
                and d.maximum is not None else ""
            methods[f"MT.QS.{cd}"] = (
                f"{cd} {d.label}"[:200], "Computation",
                f"{d.label} ({cat}): computed by ePRO Desk from the submitted item answers "
                f"with the scoring algorithm {d.algorithm} (score key {d.key}).{rng}")
            vl.rows.append(ValueRow(cd, (cd,), "Derived", f"MT.QS.{cd}",
                                    f"QS.{cd}" if d.codes else None))
    return methods, vl


def _answers_codelist(inst: Instrument, response_set: str) -> str:
    return f"QS.{inst.id.upper()}.{_oid(response_set).upper()}"


def _result_codelists(insts: Sequence[Instrument]) -> list[CodeList]:
    """QSSTRESC's value-level code lists: per response set of an instrument the answer codes
    with their English labels (QSORRES), per coded score its codes (project-defined, like the
    test codes)."""
    out = [CodeList(_answers_codelist(inst, sid), f"{inst.id} answers: {sid} (project-defined)",
                    tuple((str(o.code), rs.label(o.code)) for o in rs.options))
           for inst in insts for sid, rs in inst.response_sets.items()]
    return out + [CodeList(f"QS.{d.sdtm_testcd}", f"{d.label} (project-defined)", d.codes)
                  for inst in insts for d in score_defs(inst.id) if d.codes]


def export_sdtm(db: Any, out_dir: Path, insts: Sequence[Instrument], *,
                subject: str | None = None, since: datetime | None = None
                ) -> tuple[list[Path], dict[str, int]]:
    """Write the package into ``out_dir`` (created if missing); (files, rows per file)."""
    rows: dict[str, list[list[Any]]] = {ds.name: [] for ds in DATASETS}
    for name, row in iter_sdtm_rows(db, insts, subject=subject, since=since):
        rows[name].append(row)
    datasets = [ts_dataset_of(rows["TS"]) if ds.name == "TS" else ds for ds in DATASETS
                if ds.name not in OPTIONAL or rows[ds.name]]
    for ds in datasets:                      # before any file: all or nothing
        _check_fits(ds, rows[ds.name])
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    written = []
    for ds in datasets:
        xpt, csv = dataset_files(ds)
        write_xpt(out_dir / xpt, ds, rows[ds.name])
        with CsvOut(out_dir / csv, ds.columns, raw_columns=RAW_COLUMNS.get(ds.name, ())) as out:
            for r in rows[ds.name]:
                out.write(r)
        counts[xpt] = counts[csv] = len(rows[ds.name])
        written.append((ds, rows[ds.name], xpt))
    counts[TEST_CODES] = write_test_codes(out_dir / TEST_CODES, insts)
    with CsvOut(out_dir / NON_ASCII, ASCII_COLUMNS) as out:       # listed, never changed
        for ds, ds_rows, _xpt in written:
            for r in non_ascii(ds.name, ds.columns, ds_rows):
                out.write(r)
        counts[NON_ASCII] = out.rows
    with db.session() as s:
        info = study_info(s)
    qs_methods, vl = _qs_methods(insts)
    write_define(out_dir / DEFINE, DefineInput(
        study_oid=f"STUDY.{_oid(info.protocol_id)}", study_name=info.protocol_id,
        description=info.title, datasets=written, codelists=_codelists(db, insts),
        methods={**METHODS, **qs_methods}, value_level=tuple(
            v for v in (vl, DSDECOD_BY_CATEGORY, _tsval_by_parameter(rows["TS"]),
                        _qsreasnd_by_test(rows["QS"]), _suppqs_qval(rows["SUPPQS"]))
            if v is not None and v.rows)))
    counts[DEFINE] = len(written)                    # datasets described
    return [out_dir / name for name in counts], counts


def _check_fits(ds: Dataset, ds_rows: Sequence[Sequence[Any]]) -> None:
    """A text past the 200 bytes of a SAS transport value that no continuation carries (TSVAL1...
    and the SUPP-- records carry staff text and TS values) stops the export with a message, not
    a traceback."""
    hit = too_long(ds, ds_rows)
    if hit is None:
        return
    var, row = hit
    who = f", subject {row[ds.columns.index('USUBJID')]}" if "USUBJID" in ds.columns else ""
    raise UserError(f"Nothing was exported: a value of \"{var.label}\" ({ds.label}"
                    f"{who}) is longer than the {MAX_CHAR_BYTES} bytes a SAS transport file "
                    "holds; shorten that text (protocol text: in a new protocol version) and "
                    "export again.")


def _oid(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
