"""``--format sdtm-qs``: an SDTM QS-style CSV (one row per item answer and per score) plus a
sidecar ``<name>_testcodes.csv`` listing every QSTESTCD with its full label.

The test codes are **project-defined** (not CDISC Controlled Terminology; the official
QS terminology for SF-36/RAND-36 is licensed separately and not bundled): ``R36Q01``…``R36Q36``,
``CSCC1``… for items, ``RANDPF``, ``SF36PCS``, ``SF36PFT``, ``CSCRSS``… for scores; at most 8
characters, QSTEST at most 40 characters (SDTM limits). Only submitted administrations are
exported. QSORRES is the answer's label (English) or the score; QSSTRESC/QSSTRESN the code or
score. A skipped item has QSSTAT = ``NOT DONE`` and QSREASND = the skip reason; an item not
shown by branching has QSREASND = ``NOT APPLICABLE``. QSDTC is the local time the answer was
given (this computer's zone, as the visit dates; ISO 8601, seconds, with the UTC offset); QSDY
is the CDISC study day of the visit date (day 1 = first infusion, no day 0); QSEVLINT is the
instrument's recall period (from its registry entry: RAND-36 ``-P4W``, CSC ``-P7D``), written
exactly (not defanged: it is generated, never user text). Issue 17 rules:

* QSTEST (<= 40 characters, ASCII, one per QSTESTCD, never shared): the English question (or
  score label) with a leading recall phrase removed ("During the past 7 days, " -- QSEVLINT
  carries it) and typographic quotes/dashes made ASCII; if that is longer than 40 characters or
  another test has the same text, it is cut at a word boundary and ``(QSTESTCD)`` is appended.
* QSEVLINT per item: the interval the item's own text, stem or block introduction names
  (``forms.instrument_defs.recall_evlint``: "past 4 weeks" -> ``-P4W``, "one year ago" ->
  ``-P1Y``); an item naming none ("in general", "now", "since treatment start") has none; only
  an instrument none of whose items names one falls back to the instrument's recall period.
  Derived scores carry the instrument's recall period.
* QSDRVFL = ``Y`` on derived rows (the computed scores); QSLOBXFL = ``Y`` on the last non-missing
  result of each test at the protocol's baseline visit(s).
* QSREASND is controlled text (``REASND``): PREFER NOT TO ANSWER, DID NOT UNDERSTAND QUESTION,
  NOT APPLICABLE (skipped as not applicable, or not shown by branching).
* A questionnaire recorded not done at a visit (``forms.not_done``; SDTMIG "tests not done": one
  record for the whole questionnaire instead of one per item): QSTESTCD = ``QSALL``, QSTEST =
  ``Questionnaire``, QSCAT the instrument's category, QSSTAT = ``NOT DONE``, QSREASND the
  reason's English label in upper case (``ND_REASND``, in the REASND code list), no result;
  VISITNUM/VISIT/QSDY/EPOCH of the visit, QSDTC the visit date. The staff's text, when given,
  is the SUPPQS qualifier ``QSNDTEXT`` of that record.
* ``<name>_dm.csv``: DM, one row per subject (ARMCD = the protocol arm id in upper case, ARM its
  English label; ACTARMCD/ACTARM the arm its infusion records name, else NOTTRT; BRTHDTC the
  birth year; RFSTDTC Day 1; RFICDTC consent; DTHDTC/DTHFL, RFXSTDTC/RFXENDTC, RFENDTC,
  RFPENDTC from the outcome records, see ``sdtm_outcomes``). ``<name>_suppqs.csv``: SUPPQS with
  QSLANG (the language shown) and QSTXTVER (text version) for every item row, keyed by QSSEQ.

QS EPOCH: SCREENING / TREATMENT / FOLLOW-UP by ``sdtm_trial.epoch`` (visit kind and date vs the
infusion dates).

:func:`iter_sdtm_rows` gives the rows of every dataset (also TS, SV, EX, AE and DS);
``--format sdtm`` (``sdtm_package``) writes them as XPT v5 + CSV with a define.xml.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from forms.instrument import BASE_LANGUAGE, Instrument, Item
from forms.instrument_defs import InstrumentEntry, recall_evlint
from forms.not_done import REASONS, reason_label
from forms.outcomes import forms_for_visit
from forms.registry import registry
from forms.schedule import study_day, visit_kind
from reports.export.csvsafe import CsvOut
from reports.export.reader import PatientData, iter_patients, study_info
from reports.export.scoredefs import ScoreDef, score_defs
from reports.export.sdtm_meta import AE, DM, DS, QS, SUPPQS, SV
from reports.export.sdtm_outcomes import ae_rows, dm_row, ds_rows, fit_text, split_text
from reports.export.sdtm_trial import (epoch, ex_rows, study_site, sv_rows, ts_rows,
                                       visit_name, visit_numbers)
from storage.services.not_done_records import NotDoneRecord
from reports.outcome_report.dataset import build_dataset
from storage.services.enrolment import enrolment_records
from storage.services.outcomes import list_outcomes
from storage.services.protocol_store import current_protocol

DM_COLUMNS, SUPP_COLUMNS, COLUMNS = DM.columns, SUPPQS.columns, QS.columns
NOT_APPLICABLE = "NOT APPLICABLE"
#: stored skip reason -> controlled QSREASND
REASND = {"prefer_not_to_answer": "PREFER NOT TO ANSWER",
          "dont_understand": "DID NOT UNDERSTAND QUESTION", "not_applicable": NOT_APPLICABLE}
#: the whole-questionnaire "not done" record (SDTMIG --TESTCD = "--ALL")
QSALL, QSALL_TEST = "QSALL", "Questionnaire"
#: forms.not_done reason code -> controlled QSREASND of a questionnaire not done
ND_REASND = {r: reason_label(r, "en").upper() for r in REASONS}
#: SUPPQS qualifier holding the staff's words on why a questionnaire was not done
ND_TEXT, ND_TEXT_LABEL = "QSNDTEXT", "Reason Not Done Text"
_RECALL_LEAD = re.compile(r"^(overall,\s*)?(during|in|over) the (past|last) \S+ \w+,?\s*", re.I)
_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def _entry(inst_id: str) -> InstrumentEntry | None:
    return registry().find(inst_id)


def qs_category(inst_id: str) -> str:
    """QSCAT of an instrument (its registry entry's SDTM category)."""
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
    """The site's local time with its UTC offset (ISO 8601, seconds): its date is the local
    date the visit and study day were recorded with (SVSTDTC, QSDY), as the other --DTC are;
    a UTC date would be the day before for an answer given before 08:00 in Shanghai."""
    if dt is None:
        return None
    return dt.astimezone().isoformat(timespec="seconds")


def _plain(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    t = " ".join(t.split())
    t = _RECALL_LEAD.sub("", t)
    return t[:1].upper() + t[1:]


def _tests(insts: Sequence[Instrument]) -> list[tuple[str, str, str]]:
    """(QSTESTCD, full English label, QSCAT) of every item and score."""
    out = []
    for inst in insts:
        out += [(item_testcd(inst.id, it.id), it.text[BASE_LANGUAGE], qs_category(inst.id))
                for it in inst.items]
        out += [(score_testcd(d), d.label, qs_category(inst.id)) for d in score_defs(inst.id)]
    return out


def qstest_names(insts: Sequence[Instrument]) -> dict[str, str]:
    """QSTESTCD -> QSTEST by the documented rule (see the module docstring)."""
    tests = _tests(insts)
    plain = {cd: _plain(full) for cd, full, _ in tests}
    seen = Counter(plain.values())
    out = {}
    for cd, t in plain.items():
        if len(t) <= 40 and seen[t] == 1:
            out[cd] = t
            continue
        tag = f" ({cd})"
        room = 40 - len(tag)
        cut = t[:room + 1].rsplit(" ", 1)[0] if len(t) > room else t
        if cut.count("(") > cut.count(")"):          # no half-open parenthesis
            cut = cut[:cut.rfind("(")]
        out[cd] = cut[:room].rstrip(" ,;:-") + tag
    return out


def item_evlints(inst: Instrument) -> dict[str, str | None]:
    """item id -> QSEVLINT (see the module docstring)."""
    def own(it: Item) -> str | None:
        block = inst.blocks[it.block].intro if it.block else None
        for texts in (it.text, it.stem, block):
            found = recall_evlint((texts or {}).get(BASE_LANGUAGE, ""))
            if found:
                return found
        return None
    out = {it.id: own(it) for it in inst.items}
    if not any(out.values()):
        return {k: evlint(inst) for k in out}
    return out


def qs_test_codes(insts: Sequence[Instrument]) -> Iterator[tuple[str, str, str, str]]:
    names = qstest_names(insts)
    for cd, full, cat in _tests(insts):
        yield cd, names[cd], full, cat


def qs_rows(pd: PatientData, insts: dict[str, Instrument], studyid: str,
            baseline: Sequence[str] = (), names: dict[str, str] | None = None,
            admins: dict[int, Any] | None = None,
            epoch_of: Callable[[Any], str | None] = lambda _v: None, *,
            visitnum: Mapping[int, float]) -> list[list[Any]]:
    """The QS rows of one patient (QSLOBXFL needs all of them); ``admins`` gets QSSEQ ->
    administration row of every item row; ``epoch_of`` gives EPOCH of a visit row;
    ``visitnum``: visit id -> VISITNUM (``sdtm_trial.visit_numbers``)."""
    names = names if names is not None else qstest_names(list(insts.values()))
    rows = list(_qs_rows(pd, insts, studyid, names, admins if admins is not None else {},
                         epoch_of, visitnum))
    i_test, i_res, i_fl, i_visit = (COLUMNS.index(c) for c in
                                    ("QSTESTCD", "QSSTRESC", "QSLOBXFL", "VISIT"))
    last: dict[str, list[Any]] = {}
    for r in rows:
        if r[i_visit] in baseline and r[i_res] not in (None, ""):
            last[r[i_test]] = r
    for r in last.values():
        r[i_fl] = "Y"
    return rows


def _qs_rows(pd: PatientData, insts: dict[str, Instrument], studyid: str,
             names: dict[str, str], admins: dict[int, Any],
             epoch_of: Callable[[Any], str | None],
             visitnum: Mapping[int, float]) -> Iterator[list[Any]]:
    """Item and score rows of the submitted administrations, then one QSALL row per
    questionnaire recorded not done (``admins`` gets its QSSEQ -> the not-done record)."""
    p = pd.patient
    seq = 0
    for vd, ad in pd.administrations:
        a = ad.adm
        inst = insts.get(a.instrument_id)
        if inst is None or a.status != "submitted":
            continue
        v = vd.visit
        dy = study_day(p.day1_date, v.actual_date) if v.actual_date else None
        common = dict(visitnum=visitnum[v.id], visit=visit_name(v.code, visitnum[v.id]), dy=dy,
                      cat=qs_category(inst.id), epoch=epoch_of(v))
        evl = item_evlints(inst)

        def row(testcd: str, orres: Any, stresc: Any, stresn: Any, stat: str | None,
                reasnd: str | None, dtc: str | None, evlint_: str | None = None,
                derived: bool = False) -> list[Any]:
            nonlocal seq
            seq += 1
            return [studyid, "QS", f"{studyid}-{p.subject_id}", seq, testcd, names[testcd],
                    common["cat"], orres, stresc, stresn, stat, reasnd, None,
                    "Y" if derived else None, common["visitnum"], common["visit"],
                    common["epoch"], dtc, common["dy"], evlint_]

        order = {it.id: n for n, it in enumerate(inst.items)}
        for ans in sorted(ad.answers, key=lambda x: order.get(x.item_id, 999)):
            if ans.item_id not in order:
                continue
            it = inst.item(ans.item_id)
            cd = item_testcd(inst.id, it.id)
            admins[seq + 1] = a                      # the QSSEQ of the row yielded next
            if ans.status == "answered":
                yield row(cd, inst.options_for(it).label(ans.code), str(ans.code), ans.code,
                          None, None, _dtc(ans.answered_at), evl[it.id])
            else:
                why = REASND.get(ans.skip_reason or "", NOT_APPLICABLE) \
                    if ans.status == "skipped" else NOT_APPLICABLE
                yield row(cd, None, None, None, "NOT DONE", why, _dtc(ans.answered_at),
                          evl[it.id])
        values = ad.score_values()
        for d in score_defs(inst.id):
            val = values.get(d.key)
            if val is None or val == "" or isinstance(val, (dict, list)):
                continue
            num = float(val) if isinstance(val, (int, float)) and not isinstance(val, bool) \
                else (int(val) if isinstance(val, bool) else None)
            shown = repr(val) if isinstance(val, float) else str(int(val) if isinstance(val, bool)
                                                                 else val)
            yield row(score_testcd(d), shown, shown, num, None, None, _dtc(a.submitted_at),
                      evlint(inst), derived=True)
    for vd in pd.visits:
        v = vd.visit
        for rec in vd.not_done.values():
            seq += 1
            admins[seq] = rec
            yield [studyid, "QS", f"{studyid}-{p.subject_id}", seq, QSALL, QSALL_TEST,
                   qs_category(rec.instrument_id), None, None, None, "NOT DONE",
                   ND_REASND[rec.reason], None, None, visitnum[v.id],
                   visit_name(v.code, visitnum[v.id]), epoch_of(v),
                   v.actual_date.isoformat() if v.actual_date else None,
                   study_day(p.day1_date, v.actual_date) if v.actual_date else None, None]


def supp_rows(pd: PatientData, qs: list[list[Any]], studyid: str,
              admins: dict[int, Any]) -> Iterator[list[Any]]:
    """SUPPQS rows (language shown, text version) of one patient's QS item rows; the staff's
    text of a questionnaire not done (``QSNDTEXT``, past 200 bytes continued in ``QSNDTXT1``…)."""
    i_seq = COLUMNS.index("QSSEQ")
    for r in qs:
        a = admins.get(r[i_seq])
        if a is None:
            continue
        usubjid = f"{studyid}-{pd.patient.subject_id}"
        if isinstance(a, NotDoneRecord):
            for n, piece in enumerate(split_text(a.text) if a.text else ()):
                yield [studyid, "QS", usubjid, "QSSEQ", r[i_seq],
                       f"QSNDTXT{n}" if n else ND_TEXT, f"{ND_TEXT_LABEL} {n}" if n
                       else ND_TEXT_LABEL, piece, "CRF", None]
            continue
        # QEVAL empty: answers given by the patient (objective data has no evaluator)
        yield [studyid, "QS", usubjid, "QSSEQ", r[i_seq], "QSLANG", "Language Shown",
               a.language, "CRF", None]
        if a.text_version:
            yield [studyid, "QS", usubjid, "QSSEQ", r[i_seq], "QSTXTVER", "Text Version",
                   a.text_version, "CRF", None]


def sdtm_files(path: Path) -> list[Path]:
    """Every file the ``sdtm-qs`` format writes for ``path``."""
    return [path, sidecar_path(path), path.with_name(f"{path.stem}_dm.csv"),
            path.with_name(f"{path.stem}_suppqs.csv")]


def iter_sdtm_rows(db, insts: Sequence[Instrument], *,  # noqa: ANN001
                   subject: str | None = None, since: datetime | None = None
                   ) -> Iterator[tuple[str, list[Any]]]:
    """(dataset name, row) of every SDTM dataset (TS first; then per patient DM, SV, EX, QS,
    SUPPQS, AE, DS and the SUPPSV/SUPPAE/SUPPDS continuations of long staff text; EPOCH by
    ``sdtm_trial.epoch``), patient by patient in subject order (QS streamed; the
    outcome report's subject table and the outcome records are read first, for all subjects).
    ``since`` narrows the patients as for QS and the AE records to those entered since."""
    with db.session() as s:
        info = study_info(s)
    studyid, baseline = info.protocol_id, info.visit_kinds.get("baseline", ())
    schedule = info.schedule
    on_demand = info.visit_kinds.get("early_termination", ())
    by_id = {i.id: i for i in insts}
    names = qstest_names(insts)
    proto = current_protocol(db)
    arm_labels = {a.id: a.label.get(BASE_LANGUAGE, a.id) for a in proto.arms}
    records_infusions = any("infusion" in forms_for_visit(v.staff_forms, v.kind)
                            for v in proto.visits)
    table = build_dataset(db)
    subjects = {r["subject_id"]: r for r in table.subjects}
    year = {m["subject_id"]: m["actual_date"] for m in table.measures
            if m["visit"] == table.year_visit}
    births = {sid: rec.screening.birth_date for sid, rec in enrolment_records(db, subject)}
    recs: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in list_outcomes(db):
        recs[r.patient_id][r.kind].append(r)
    for r in ts_rows(proto, studyid):
        yield "TS", r
    for pd in iter_patients(db, subject=subject, since=since):
        p = pd.patient
        mine = recs.get(p.id, {})
        subj = subjects.get(p.subject_id, {})
        infusions = [date.fromisoformat(r.fields["date"]) for r in mine.get("infusion", ())]
        infused = [r.fields.get("arm") or p.arm for r in mine.get("infusion", ())] \
            if records_infusions else None
        yield "DM", dm_row(p, studyid, study_site(proto, pd.site_code), arm_labels, subj,
                           infusions, year.get(p.subject_id), births.get(p.subject_id),
                           infused)
        number = visit_numbers(schedule, on_demand, [vd.visit for vd in pd.visits])
        svs = sv_rows(proto, studyid, p, (vd.visit for vd in pd.visits), number)
        more = fit_text(SV, svs, studyid, "VISITNUM")   # an unscheduled reason past 200 bytes
        yield from (("SV", r) for r in svs)
        yield from (("SUPPSV", r) for r in more)
        for r in ex_rows(proto, studyid, p, mine.get("infusion", ()), infusions):
            yield "EX", r

        def when(d: Any, infusions: list[date] = infusions) -> str | None:
            return epoch(d, infusions)

        def visit_epoch(v: Any, infusions: list[date] = infusions) -> str | None:
            return epoch(v.actual_date, infusions, visit_kind(proto, v.code))
        admins: dict[int, Any] = {}
        qs = qs_rows(pd, by_id, studyid, baseline, names, admins, visit_epoch, visitnum=number)
        for r in qs:
            yield "QS", r
        for r in supp_rows(pd, qs, studyid, admins):
            yield "SUPPQS", r
        aes = [r for r in mine.get("adverse_event", ()) if since is None or r.entered_at >= since]
        why = next((r.fields.get("reason_text") for r in mine.get("early_termination", ())), None)
        for meta, rows in ((AE, ae_rows(studyid, p.subject_id, p.day1_date, aes, when)),
                           (DS, ds_rows(studyid, p, subj, year.get(p.subject_id), why, when))):
            more = fit_text(meta, rows, studyid)        # text past 200 bytes -> SUPP--
            yield from ((meta.name, r) for r in rows)
            yield from ((f"SUPP{meta.name}", r) for r in more)


def export_sdtm_qs(db, path: Path, insts: Sequence[Instrument], *,  # noqa: ANN001
                   subject: str | None = None, since: datetime | None = None
                   ) -> dict[str, int]:
    """QS, DM and SUPPQS as CSV beside ``path`` (see :func:`sdtm_files`)."""
    # QSEVLINT is an ISO 8601 duration such as -P7D: exact for SAS/R, not defanged (a
    # spreadsheet shows it as #NAME?; it never holds user text)
    _, _, dm_path, supp_path = sdtm_files(path)
    with CsvOut(path, COLUMNS, raw_columns=("QSEVLINT",)) as out, \
            CsvOut(dm_path, DM_COLUMNS) as dm, CsvOut(supp_path, SUPP_COLUMNS) as supp:
        files = {"QS": out, "DM": dm, "SUPPQS": supp}
        for name, row in iter_sdtm_rows(db, insts, subject=subject, since=since):
            if name in files:
                files[name].write(row)
        rows, dm_rows, supp_rows_n = out.rows, dm.rows, supp.rows
    side = sidecar_path(path)
    return {path.name: rows, side.name: write_test_codes(side, insts), dm_path.name: dm_rows,
            supp_path.name: supp_rows_n}


def write_test_codes(path: Path, insts: Sequence[Instrument]) -> int:
    """Every QSTESTCD with its QSTEST, full label and category."""
    with CsvOut(path, ("QSTESTCD", "QSTEST", "FULL_LABEL", "QSCAT", "TERMINOLOGY")) as out:
        for r in qs_test_codes(insts):
            out.write((*r, "project-defined (not CDISC Controlled Terminology)"))
        out.write((QSALL, QSALL_TEST, "The whole questionnaire (QSSTAT NOT DONE, QSREASND)", "",
                   "SDTMIG tests not done (--TESTCD = --ALL); QSCAT names the questionnaire"))
        return out.rows


def sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_testcodes.csv")
