"""SDTM DM, AE and DS rows from the typed outcome records (issue 15) and the subject table.

The subject-level facts (disposition, death date, early termination, last known alive) are the
outcome report's subject rows (``reports.outcome_report.dataset``): the same rule as
``subjects.csv`` and the report, never a second one. Codes of the outcome forms
(``forms.outcome_defs``) map to CDISC Controlled Terminology by the tables below; a code without
a CT term says so (AEACN empty, AEACNOTH the action). Dates are ISO 8601 (YYYY-MM-DD); study days
as ``forms.schedule.study_day`` (day 1 = RFSTDTC, no day 0). AEDECOD stays empty: the app does
not code AE terms with MedDRA.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Mapping, Sequence

from forms.outcome_defs import FORMS, choice_label
from forms.schedule import study_day
from forms.screening_rules import age_in_years
from reports.export.sdtm_meta import AE, DM, DS, MAX_CHAR_BYTES, Dataset

#: AE action code -> (AEACN, AEACNOTH)
AEACN = {"none": ("DOSE NOT CHANGED", None), "withdrawn": ("DRUG WITHDRAWN", None),
         "dose-changed": (None, "DOSE CHANGED"), "other": (None, "OTHER")}
#: AE outcome code -> AEOUT (CT OUT)
AEOUT = {"recovered": "RECOVERED/RESOLVED", "recovering": "RECOVERING/RESOLVING",
         "not-recovered": "NOT RECOVERED/NOT RESOLVED",
         "recovered-with-sequelae": "RECOVERED/RESOLVED WITH SEQUELAE", "fatal": "FATAL",
         "unknown": "UNKNOWN"}
#: AE relatedness code -> AEREL (sponsor-defined)
AEREL = {"not": "NOT RELATED", "unlikely": "UNLIKELY RELATED", "possible": "POSSIBLY RELATED",
         "probable": "PROBABLY RELATED", "definite": "RELATED"}
#: seriousness criterion code -> AE flag variable
SERIOUS_FLAGS = {"congenital": "AESCONG", "disability": "AESDISAB", "death": "AESDTH",
                 "hospitalisation": "AESHOSP", "life_threatening": "AESLIFE",
                 "other_important": "AESMIE"}
#: early termination reason code -> DSDECOD (CT NCOMPLT)
NCOMPLT = {"adverse_event": "ADVERSE EVENT", "death": "DEATH",
           "withdrew_consent": "WITHDRAWAL BY SUBJECT", "lost_to_follow_up": "LOST TO FOLLOW-UP",
           "investigator_decision": "PHYSICIAN DECISION", "transplant": "OTHER",
           "other": "OTHER"}
COMPLETED, DEATH, CONSENT = "COMPLETED", "DEATH", "INFORMED CONSENT OBTAINED"
DISPOSITION, MILESTONE = "DISPOSITION EVENT", "PROTOCOL MILESTONE"
TOXGR = tuple(str(g) for g in range(1, 6))


def as_date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def iso_date(v: Any) -> str | None:
    d = as_date(v)
    return d.isoformat() if d else None


def study_dy(day1: date | None, v: Any) -> int | None:
    d = as_date(v)
    return study_day(day1, d) if d and day1 else None


def usubjid(studyid: str, subject_id: str) -> str:
    return f"{studyid}-{subject_id}"


def armcd(arm_id: str | None) -> str | None:
    """ARMCD/ACTARMCD of a protocol arm id: upper case, at most 20 characters."""
    return (arm_id or "").upper()[:20] or None


def disposition_date(subj: Mapping[str, Any], year_date: date | None) -> date | None:
    """Date of the subject's disposition event (None while ongoing)."""
    kind = subj.get("disposition")
    if kind == "died":
        return as_date(subj.get("death_date"))
    if kind == "terminated":
        return as_date(subj.get("termination_date"))
    if kind == "completed":
        return year_date
    return None


#: SDTMIG 3.2 DM ACTARMCD/ACTARM of a subject assigned an arm but given no treatment, or given
#: a treatment no planned arm describes
NOT_TREATED, UNPLANNED = ("NOTTRT", "Not Treated"), ("UNPLAN", "Unplanned Treatment")


def actual_arm(planned: str, infused: Sequence[str] | None,
               arm_labels: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(ACTARMCD, ACTARM): the arm the infusion records name (``infused``: one per record);
    ``NOTTRT`` while the subject has none, ``UNPLAN`` when they name different arms; the
    planned arm when the protocol records no infusion (``infused`` None)."""
    if infused is None:
        arm = planned
    elif not infused:
        return NOT_TREATED
    elif len(set(infused)) > 1:
        return UNPLANNED
    else:
        arm = infused[0]
    return armcd(arm), arm_labels.get(arm)


def dm_row(p: Any, studyid: str, site: tuple[str | None, str | None],
           arm_labels: Mapping[str, str], subj: Mapping[str, Any],
           infusion_dates: Sequence[date], year_date: date | None,
           birth_date: date | None = None,
           infused_arms: Sequence[str] | None = None) -> list[Any]:
    """One DM row (columns of ``sdtm_meta.DM``); ``site`` = (SITEID, COUNTRY) as
    ``sdtm_trial.study_site`` gives them; ``birth_date`` from the screening (AGE);
    ``infused_arms`` the arms of the subject's infusion records (None: the protocol records
    no infusion), for ACTARMCD/ACTARM (``actual_arm``)."""
    arm = p.arm or ""
    act = actual_arm(arm, infused_arms, arm_labels)
    death = as_date(subj.get("death_date"))
    end = disposition_date(subj, year_date)
    ends = [d for d in (death, as_date(subj.get("termination_date")),
                        as_date(subj.get("last_known_alive")), end) if d]
    values = {
        "STUDYID": studyid, "DOMAIN": "DM", "USUBJID": usubjid(studyid, p.subject_id),
        "SUBJID": p.subject_id, "RFSTDTC": iso_date(p.day1_date), "RFENDTC": iso_date(end),
        "RFXSTDTC": iso_date(min(infusion_dates)) if infusion_dates else None,
        "RFXENDTC": iso_date(max(infusion_dates)) if infusion_dates else None,
        "RFICDTC": iso_date(p.consent_date),
        "RFPENDTC": iso_date(max(ends)) if end and ends else None,
        "DTHDTC": iso_date(death), "DTHFL": "Y" if death else None, "SITEID": site[0] or None,
        "BRTHDTC": str(p.birth_year) if p.birth_year else None,
        "AGE": age_in_years(birth_date, p.day1_date) if birth_date and p.day1_date else None,
        "AGEU": "YEARS" if birth_date and p.day1_date else None, "SEX": p.sex,
        "ARMCD": armcd(arm), "ARM": arm_labels.get(arm),
        "ACTARMCD": act[0], "ACTARM": act[1], "COUNTRY": site[1]}
    return [values[c] for c in DM.columns]


def ae_rows(studyid: str, subject_id: str, day1: date | None, records: Iterable[Any],
            epoch: Callable[[Any], str | None] = lambda _d: None) -> list[list[Any]]:
    """AE rows of one subject's adverse-event records (OutcomeRecord), by onset then id;
    ``epoch`` gives EPOCH of the start date."""
    out = []
    recs = sorted(records, key=lambda r: (r.fields.get("onset", ""), r.id))
    for seq, r in enumerate(recs, 1):
        f = r.fields
        serious = f.get("serious") == "yes"
        crit = set(f.get("serious_criteria") or ())
        acn, acnoth = AEACN.get(f.get("action", ""), (None, None))
        values = {
            "STUDYID": studyid, "DOMAIN": "AE", "USUBJID": usubjid(studyid, subject_id),
            "AESEQ": seq, "AESPID": str(r.id), "AETERM": f.get("term"), "AEDECOD": None,
            "AESER": "Y" if serious else "N", "AEACN": acn, "AEACNOTH": acnoth,
            "AEREL": AEREL.get(f.get("relatedness", "")), "AEOUT": AEOUT.get(f.get("outcome", "")),
            "AETOXGR": str(f["grade"]) if f.get("grade") is not None else None,
            "AESTDTC": iso_date(f.get("onset")), "AEENDTC": iso_date(f.get("end")),
            "AESTDY": study_dy(day1, f.get("onset")), "AEENDY": study_dy(day1, f.get("end")),
            "EPOCH": epoch(f.get("onset"))}
        for code, var in SERIOUS_FLAGS.items():
            values[var] = ("Y" if code in crit else "N") if serious else None
        out.append([values[c] for c in AE.columns])
    return out


def _reason_term(reason: str | None, text: str | None) -> str:
    if reason == "other" and text:
        return text
    fdef = next(f for f in FORMS["early_termination"].fields if f.key == "reason")
    return choice_label(fdef, reason or "other", "en").upper()


def ds_rows(studyid: str, p: Any, subj: Mapping[str, Any], year_date: date | None,
            termination_text: str | None = None,
            epoch: Callable[[Any], str | None] = lambda _d: None) -> list[list[Any]]:
    """DS rows of one subject: informed consent (protocol milestone) and the disposition event
    (death, early termination with its reason, or completion); none while ongoing; ``epoch``
    gives EPOCH of the event date."""
    events: list[tuple[str, str, str, date | None]] = []   # DSTERM, DSDECOD, DSCAT, date
    if p.consent_date:
        events.append((CONSENT, CONSENT, MILESTONE, as_date(p.consent_date)))
    kind = subj.get("disposition")
    when = disposition_date(subj, year_date)
    if kind == "died":
        events.append((DEATH, DEATH, DISPOSITION, when))
    elif kind == "terminated":
        reason = subj.get("termination_reason")
        events.append((_reason_term(reason, termination_text), NCOMPLT.get(reason, "OTHER"),
                       DISPOSITION, when))
    elif kind == "completed":
        events.append((COMPLETED, COMPLETED, DISPOSITION, when))
    out = []
    for seq, (term, decod, cat, d) in enumerate(events, 1):
        values = {"STUDYID": studyid, "DOMAIN": "DS", "USUBJID": usubjid(studyid, p.subject_id),
                  "DSSEQ": seq, "DSTERM": term, "DSDECOD": decod, "DSCAT": cat,
                  "DSSTDTC": iso_date(d), "DSSTDY": study_dy(p.day1_date, d), "EPOCH": epoch(d)}
        out.append([values[c] for c in DS.columns])
    return out


def split_text(text: str, limit: int = MAX_CHAR_BYTES) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-8 bytes (never inside a character), cut before
    a run of spaces where one falls in the last quarter of a piece (else between characters);
    joined again they give ``text``. The spaces start the next piece: SAS transport pads values
    with blanks, so a piece's trailing spaces would not survive the XPT file."""
    out = []
    while len(text.encode("utf-8")) > limit:
        n, size = 0, 0
        while size + len(text[n].encode("utf-8")) <= limit:
            size += len(text[n].encode("utf-8"))
            n += 1
        space = text.rfind(" ", 0, n + 1)          # a space right after the piece counts too
        while space > 0 and text[space - 1] == " ":
            space -= 1
        cut = space if space > n * 3 // 4 else n
        out.append(text[:cut])
        text = text[cut:]
    return out + [text]


def fit_text(ds: Dataset, rows: list[list[Any]], studyid: str,
             idvar: str | None = None) -> list[list[Any]]:
    """Cut every text value of ``rows`` longer than the XPT v5 limit to its first piece (in
    place) and return the SUPP-- rows carrying the rest (QNAM ``<variable>1``, ``2``, ...),
    keyed by ``idvar`` (default ``--SEQ``; SV: VISITNUM)."""
    idvar = idvar or f"{ds.name}SEQ"
    i_seq = ds.columns.index(idvar)
    supp = []
    for r in rows:
        for i, v in enumerate(ds.vars):
            if v.type != "text" or not isinstance(r[i], str) or \
                    len(r[i].encode("utf-8")) <= MAX_CHAR_BYTES:
                continue
            first, *rest = split_text(r[i])
            r[i] = first
            for n, piece in enumerate(rest, 1):
                label = f"{v.label[:40 - len(str(n)) - 1]} {n}"
                supp.append([studyid, ds.name, r[2], idvar, r[i_seq],
                             f"{v.name}{n}"[:8], label, piece, v.origin, None])
    return supp


#: the sponsor-defined and CT code lists of these domains: id -> terms
def outcome_codelists() -> dict[str, tuple[str, ...]]:
    ncomplt = tuple(dict.fromkeys((COMPLETED, DEATH, *NCOMPLT.values())))
    return {"AEREL": tuple(AEREL.values()), "TOXGR": TOXGR, "NCOMPLT": ncomplt,
            "PROTMLST": (CONSENT,), "DSDECOD": (CONSENT, *ncomplt)}
