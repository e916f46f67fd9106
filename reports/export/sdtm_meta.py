"""Metadata of the SDTM datasets the ``sdtm`` export writes: ONE home for variable names, labels,
types, roles, origins and code lists, read by the CSV/XPT writer and by define.xml.

Names and labels follow SDTMIG 3.2 (names <= 8 characters, labels <= 40, dataset labels <= 40,
so every name fits SAS transport version 5). ``core`` is the SDTMIG core (Req/Exp/Perm): a Req
variable is ``Mandatory="Yes"`` in define.xml. Code lists named here are either CDISC Controlled
Terminology (``nci`` = the NCI code of the code list) or sponsor-defined (``nci`` empty); the
terms of the sponsor-defined ones come from the protocol (arms) and the instrument registry (test
codes), or are the fixed vocabularies of ``sdtm_outcomes`` / ``sdtm_trial`` (TS parameters);
COUNTRY is an external dictionary (ISO 3166-1 alpha-3). Datasets: TS DM SV EX AE DS QS SUPP--.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

STANDARD = ("SDTM-IG", "3.2")


@dataclass(frozen=True)
class Var:
    name: str
    label: str
    type: str             # define.xml DataType: text | integer | float | date | datetime
    role: str             # Identifier | Topic | Timing | Grouping/Result/Record/... Qualifier
    origin: str           # define.xml def:Origin Type: CRF | Derived | Assigned | Protocol
    core: str = "Perm"    # Req | Exp | Perm
    codelist: str | None = None
    method: str | None = None   # a MethodDef (derived variables)
    comment: str | None = None

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "float")


@dataclass(frozen=True)
class Dataset:
    name: str              # DM, QS, ... (file <name lower>.xpt)
    label: str
    klass: str             # def:Class
    structure: str         # def:Structure
    keys: tuple[str, ...]
    vars: tuple[Var, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.vars)

    def var(self, name: str) -> Var:
        return next(v for v in self.vars if v.name == name)


def _id(*more: Var) -> tuple[Var, ...]:
    return (Var("STUDYID", "Study Identifier", "text", "Identifier", "Protocol", "Req"),
            Var("DOMAIN", "Domain Abbreviation", "text", "Identifier", "Assigned", "Req"),
            Var("USUBJID", "Unique Subject Identifier", "text", "Identifier", "Derived", "Req",
                method="MT.USUBJID"),
            *more)


#: SCREENING / TREATMENT / FOLLOW-UP by the rule of ``sdtm_trial.epoch``
EPOCH = Var("EPOCH", "Epoch", "text", "Timing", "Derived", "Perm", "EPOCH", method="MT.EPOCH")


def _seq(prefix: str) -> Var:
    return Var(f"{prefix}SEQ", "Sequence Number", "integer", "Identifier", "Derived", "Req",
               method="MT.SEQ")


DM = Dataset("DM", "Demographics", "SPECIAL PURPOSE", "One record per subject",
             ("STUDYID", "USUBJID"), _id(
    Var("SUBJID", "Subject Identifier for the Study", "text", "Topic", "CRF", "Req"),
    Var("RFSTDTC", "Subject Reference Start Date/Time", "date", "Record Qualifier", "CRF", "Exp",
        comment="Day 1 of the subject's schedule (the infusion day)."),
    Var("RFENDTC", "Subject Reference End Date/Time", "date", "Record Qualifier", "Derived",
        "Exp", method="MT.RFENDTC"),
    Var("RFXSTDTC", "Date/Time of First Study Treatment", "date", "Record Qualifier", "Derived",
        "Exp", method="MT.RFXSTDTC"),
    Var("RFXENDTC", "Date/Time of Last Study Treatment", "date", "Record Qualifier", "Derived",
        "Exp", method="MT.RFXENDTC"),
    Var("RFICDTC", "Date/Time of Informed Consent", "date", "Record Qualifier", "CRF", "Exp"),
    Var("RFPENDTC", "Date/Time of End of Participation", "date", "Record Qualifier", "Derived",
        "Exp", method="MT.RFPENDTC"),
    Var("DTHDTC", "Date/Time of Death", "date", "Record Qualifier", "CRF", "Exp"),
    Var("DTHFL", "Subject Death Flag", "text", "Record Qualifier", "Derived", "Exp", "NY_Y",
        method="MT.DTHFL"),
    Var("SITEID", "Study Site Identifier", "text", "Record Qualifier", "Assigned", "Req",
        comment="The subject's site; a study with one protocol site gives that site's id."),
    Var("BRTHDTC", "Date/Time of Birth", "date", "Record Qualifier", "CRF", "Perm",
        comment="Birth year only (YYYY), as every export gives it (the full date stays in the "
        "app)."),
    Var("AGE", "Age", "integer", "Record Qualifier", "Derived", "Exp", method="MT.AGE"),
    Var("AGEU", "Age Units", "text", "Variable Qualifier", "Assigned", "Exp", "AGEU"),
    Var("SEX", "Sex", "text", "Record Qualifier", "CRF", "Req", "SEX"),
    Var("ARMCD", "Planned Arm Code", "text", "Record Qualifier", "Assigned", "Req", "ARMCD"),
    Var("ARM", "Description of Planned Arm", "text", "Synonym Qualifier", "Assigned", "Req",
        "ARM"),
    Var("ACTARMCD", "Actual Arm Code", "text", "Record Qualifier", "Derived", "Req",
        "ACTARMCD", method="MT.ACTARM"),
    Var("ACTARM", "Description of Actual Arm", "text", "Synonym Qualifier", "Derived", "Req",
        "ACTARM", method="MT.ACTARM"),
    Var("COUNTRY", "Country", "text", "Record Qualifier", "Protocol", "Req", "COUNTRY",
        comment="ISO 3166-1 alpha-3 code of the subject's site (the protocol file's site "
        "country_code; the site as for SITEID)."),
))

QS = Dataset("QS", "Questionnaires", "FINDINGS",
             "One record per questionnaire per question per visit per subject",
             ("STUDYID", "USUBJID", "QSCAT", "QSTESTCD", "VISITNUM"), _id(
    _seq("QS"),
    Var("QSTESTCD", "Question Short Name", "text", "Topic", "Assigned", "Req", "QSTESTCD"),
    Var("QSTEST", "Question Name", "text", "Synonym Qualifier", "Assigned", "Req", "QSTEST"),
    Var("QSCAT", "Category of Question", "text", "Grouping Qualifier", "Assigned", "Req",
        "QSCAT"),
    Var("QSORRES", "Finding in Original Units", "text", "Result Qualifier", "CRF", "Exp",
        comment="Items: the answer's English label. Scores: the derived value (see QSSTRESN)."),
    Var("QSSTRESC", "Character Result/Finding in Std Format", "text", "Result Qualifier", "CRF",
        "Exp", comment="Items: the answer's code. Scores: the derived value."),
    Var("QSSTRESN", "Numeric Finding in Standard Units", "float", "Result Qualifier", "CRF",
        "Exp", comment="Items: the answer's code. Scores (QSDRVFL = Y): derived, see the "
        "value-level methods."),
    Var("QSSTAT", "Completion Status", "text", "Record Qualifier", "CRF", "Perm", "ND"),
    Var("QSREASND", "Reason Not Performed", "text", "Record Qualifier", "CRF", "Perm",
        "REASND"),
    Var("QSLOBXFL", "Last Observation Before Exposure Flag", "text", "Record Qualifier",
        "Derived", "Exp", "NY_Y", method="MT.QSLOBXFL"),
    Var("QSDRVFL", "Derived Flag", "text", "Record Qualifier", "Derived", "Perm", "NY_Y",
        method="MT.QSDRVFL"),
    Var("VISITNUM", "Visit Number", "float", "Timing", "Assigned", "Exp"),
    Var("VISIT", "Visit Name", "text", "Timing", "Assigned", "Perm"),
    EPOCH,
    Var("QSDTC", "Date/Time of Finding", "datetime", "Timing", "CRF", "Exp",
        comment="UTC time the answer was given (scores: submission time), ISO 8601 with Z."),
    Var("QSDY", "Study Day of Finding", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
    Var("QSEVLINT", "Evaluation Interval", "text", "Timing", "Assigned", "Perm",
        comment="ISO 8601 duration (a format, no code list): the recall period the item names."),
))

def _supp(rdomain: str, qnam_codelist: str | None, qval: str, qeval: str) -> Dataset:
    return Dataset(f"SUPP{rdomain}", f"Supplemental Qualifiers for {rdomain}", "RELATIONSHIP",
                   "One record per IDVAR, IDVARVAL, and QNAM value per subject",
                   ("STUDYID", "RDOMAIN", "USUBJID", "IDVAR", "IDVARVAL", "QNAM"), (
        Var("STUDYID", "Study Identifier", "text", "Identifier", "Protocol", "Req"),
        Var("RDOMAIN", "Related Domain Abbreviation", "text", "Identifier", "Assigned", "Req"),
        Var("USUBJID", "Unique Subject Identifier", "text", "Identifier", "Derived", "Req",
            method="MT.USUBJID"),
        Var("IDVAR", "Identifying Variable", "text", "Identifier", "Assigned", "Exp"),
        Var("IDVARVAL", "Identifying Variable Value", "text", "Identifier", "Assigned", "Exp"),
        Var("QNAM", "Qualifier Variable Name", "text", "Topic", "Assigned", "Req",
            qnam_codelist),
        Var("QLABEL", "Qualifier Variable Label", "text", "Synonym Qualifier", "Assigned",
            "Req"),
        Var("QVAL", "Data Value", "text", "Result Qualifier", "CRF", "Req", comment=qval),
        Var("QORIG", "Origin", "text", "Record Qualifier", "Assigned", "Req"),
        Var("QEVAL", "Evaluator", "text", "Record Qualifier", "Assigned", "Exp", comment=qeval),
    ))


#: SAS transport v5 holds at most 200 bytes per character value; longer staff text continues
#: in SUPP-- records (QNAM = the variable's name + 1, 2, ...), as SDTMIG 4.5.3.2 describes
MAX_CHAR_BYTES = 200
_LONG = ("The text of {0} past its first 200 bytes, in order ({0}1, {0}2, ...).")
SUPPQS = _supp("QS", "QNAM", "QSLANG: language the question was shown in; QSTXTVER: instrument "
               "text version; QSNDTEXT: staff's words on why the questionnaire was not done "
               "(QSTESTCD QSALL; past 200 bytes continued in QSNDTXT1, 2, ...).",
               "Empty: the patient's own values, or staff's words as entered (no evaluator).")
SUPPAE = _supp("AE", None, _LONG.format("AETERM"), "Empty: as entered by staff.")
SUPPDS = _supp("DS", None, _LONG.format("DSTERM"), "Empty: as entered by staff.")
SUPPSV = _supp("SV", None, _LONG.format("SVUPDES"), "Empty: as entered by staff.")  # by VISITNUM

_YN_FLAG = "Y when the criterion was ticked, N when serious without it, empty when not serious."
AE = Dataset("AE", "Adverse Events", "EVENTS", "One record per adverse event per subject",
             ("STUDYID", "USUBJID", "AETERM", "AESTDTC"), _id(
    _seq("AE"),
    Var("AESPID", "Sponsor-Defined Identifier", "text", "Identifier", "Assigned", "Perm",
        comment="The app's outcome record id."),
    Var("AETERM", "Reported Term for the Adverse Event", "text", "Topic", "CRF", "Req",
        comment="As entered by staff (may hold non-ASCII text)."),
    Var("AEDECOD", "Dictionary-Derived Term", "text", "Synonym Qualifier", "Assigned", "Req",
        comment="Empty: the app does not code terms (no MedDRA); code AETERM before "
        "submission."),
    Var("AESER", "Serious Event", "text", "Record Qualifier", "CRF", "Exp", "NY"),
    Var("AEACN", "Action Taken with Study Treatment", "text", "Record Qualifier", "CRF", "Exp",
        "ACN", comment="'dose changed' and 'other' have no ACN term: AEACN empty, AEACNOTH "
        "says."),
    Var("AEACNOTH", "Other Action Taken", "text", "Record Qualifier", "CRF", "Perm"),
    Var("AEREL", "Causality", "text", "Record Qualifier", "CRF", "Exp", "AEREL"),
    Var("AEOUT", "Outcome of Adverse Event", "text", "Record Qualifier", "CRF", "Perm", "OUT"),
    Var("AESCONG", "Congenital Anomaly or Birth Defect", "text", "Record Qualifier", "CRF",
        "Perm", "NY", comment=_YN_FLAG),
    Var("AESDISAB", "Persist or Signif Disability/Incapacity", "text", "Record Qualifier",
        "CRF", "Perm", "NY", comment=_YN_FLAG),
    Var("AESDTH", "Results in Death", "text", "Record Qualifier", "CRF", "Perm", "NY",
        comment=_YN_FLAG),
    Var("AESHOSP", "Requires or Prolongs Hospitalization", "text", "Record Qualifier", "CRF",
        "Perm", "NY", comment=_YN_FLAG),
    Var("AESLIFE", "Is Life Threatening", "text", "Record Qualifier", "CRF", "Perm", "NY",
        comment=_YN_FLAG),
    Var("AESMIE", "Other Medically Important Serious Event", "text", "Record Qualifier", "CRF",
        "Perm", "NY", comment=_YN_FLAG),
    Var("AETOXGR", "Standard Toxicity Grade", "text", "Record Qualifier", "CRF", "Perm",
        "TOXGR", comment="NCI CTCAE grade as entered."),
    EPOCH,
    Var("AESTDTC", "Start Date/Time of Adverse Event", "date", "Timing", "CRF", "Exp"),
    Var("AEENDTC", "End Date/Time of Adverse Event", "date", "Timing", "CRF", "Exp"),
    Var("AESTDY", "Study Day of Start of Adverse Event", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
    Var("AEENDY", "Study Day of End of Adverse Event", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
))

DS = Dataset("DS", "Disposition", "EVENTS",
             "One record per disposition status or protocol milestone per subject",
             ("STUDYID", "USUBJID", "DSDECOD", "DSSTDTC"), _id(
    _seq("DS"),
    Var("DSTERM", "Reported Term for the Disposition Event", "text", "Topic", "CRF", "Req",
        comment="The early termination reason as entered (its English label, or the details "
        "of 'other'); COMPLETED, DEATH or INFORMED CONSENT OBTAINED otherwise."),
    Var("DSDECOD", "Standardized Disposition Term", "text", "Synonym Qualifier", "Derived",
        "Req", "DSDECOD", method="MT.DSDECOD"),
    Var("DSCAT", "Category for Disposition Event", "text", "Grouping Qualifier", "Assigned",
        "Exp", "DSCAT"),
    EPOCH,
    Var("DSSTDTC", "Start Date/Time of Disposition Event", "date", "Timing", "CRF", "Exp"),
    Var("DSSTDY", "Study Day of Start of Disposition Event", "integer", "Timing", "Derived",
        "Perm", method="MT.DY"),
))

#: TSVAL past 200 bytes continues in TSVAL1, TSVAL2, ... (SDTMIG TS: "Text over 200 characters
#: can be added to additional columns TSVAL1-TSVALn"), columns that exist only when a value needs
#: them (``ts_dataset``)
TSVAL = Var("TSVAL", "Parameter Value", "text", "Result Qualifier", "Protocol", "Exp",
            comment="From the protocol file the database runs (see sdtm_trial.ts_rows: only "
            "parameters the protocol data holds). A value past 200 bytes continues in TSVAL1, "
            "TSVAL2, ... (TSVAL, TSVAL1, ... joined give the value).")


def _tsval_continued(n: int) -> Var:
    return Var(f"TSVAL{n}", f"Parameter Value {n}", "text", "Result Qualifier", "Protocol",
               "Perm", comment=f"Piece {n + 1} of a parameter value past 200 bytes (after "
               f"TSVAL{n - 1 if n > 1 else ''}, cut before a space where one falls near the end).")


def ts_dataset(continuations: int = 0) -> Dataset:
    """TS with ``continuations`` columns TSVAL1... after TSVAL (none: the usual TS)."""
    return Dataset("TS", "Trial Summary", "TRIAL DESIGN",
                   "One record per trial summary parameter value",
                   ("STUDYID", "TSPARMCD", "TSSEQ"), (
        Var("STUDYID", "Study Identifier", "text", "Identifier", "Protocol", "Req"),
        Var("DOMAIN", "Domain Abbreviation", "text", "Identifier", "Assigned", "Req"),
        Var("TSSEQ", "Sequence Number", "integer", "Identifier", "Derived", "Req",
            method="MT.SEQ"),
        Var("TSPARMCD", "Trial Summary Parameter Short Name", "text", "Topic", "Assigned", "Req",
            "TSPARMCD"),
        Var("TSPARM", "Trial Summary Parameter", "text", "Synonym Qualifier", "Assigned", "Req",
            "TSPARM"),
        TSVAL, *(_tsval_continued(n) for n in range(1, continuations + 1)),
        Var("TSVALCD", "Parameter Value Code", "text", "Result Qualifier", "Assigned", "Exp"),
        Var("TSVCDREF", "Name of the Reference Terminology", "text", "Result Qualifier",
            "Assigned", "Exp"),
        Var("TSVCDVER", "Version of the Reference Terminology", "text", "Result Qualifier",
            "Assigned", "Exp", comment="Empty: the CT package version is not pinned by the app."),
    ))


TS = ts_dataset()


def ts_dataset_of(rows: Sequence[Sequence[Any]]) -> Dataset:
    """The TS dataset whose columns ``rows`` (``sdtm_trial.ts_rows``) fill: TSVAL1... when they
    are wider than the usual TS."""
    return ts_dataset(max((len(r) for r in rows), default=len(TS.vars)) - len(TS.vars))


SV = Dataset("SV", "Subject Visits", "SPECIAL PURPOSE", "One record per actual visit per subject",
             ("STUDYID", "USUBJID", "VISITNUM"), _id(
    Var("VISITNUM", "Visit Number", "float", "Topic", "Assigned", "Req", comment="Planned: "
        "place in the schedule; ET after it; UNSn: last planned visit due + n/100 (as QS)."),
    Var("VISIT", "Visit Name", "text", "Synonym Qualifier", "Assigned", "Perm",
        comment="The protocol visit code (UNS1, UNS2, ... for unscheduled visits)."),
    Var("VISITDY", "Planned Study Day of Visit", "integer", "Timing", "Protocol", "Perm"),
    Var("SVSTDTC", "Start Date/Time of Visit", "date", "Timing", "CRF", "Exp"),
    Var("SVENDTC", "End Date/Time of Visit", "date", "Timing", "CRF", "Exp",
        comment="The visit date (a visit takes one day in the app)."),
    Var("SVSTDY", "Study Day of Start of Visit", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
    Var("SVENDY", "Study Day of End of Visit", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
    Var("SVUPDES", "Description of Unplanned Visit", "text", "Record Qualifier", "CRF", "Perm",
        comment="Unscheduled visits: the reason staff gave (as entered)."),
))

EX = Dataset("EX", "Exposure", "INTERVENTIONS", "One record per infusion per subject",
             ("STUDYID", "USUBJID", "EXTRT", "EXSTDTC"), _id(
    _seq("EX"),
    Var("EXSPID", "Sponsor-Defined Identifier", "text", "Identifier", "Assigned", "Perm",
        comment="The app's outcome record id of the infusion record."),
    Var("EXTRT", "Name of Treatment", "text", "Topic", "Protocol", "Req",
        comment="The protocol's dose text (English) of the arm the record names, else of the "
        "subject's arm."),
    Var("EXDOSE", "Dose", "float", "Record Qualifier", "CRF", "Exp",
        comment="Cells infused (x10^6), as recorded."),
    Var("EXDOSTXT", "Dose Description", "text", "Record Qualifier", "Protocol", "Perm",
        comment="Only when the record holds no cell count: the arm's dose text."),
    Var("EXDOSU", "Dose Units", "text", "Variable Qualifier", "Assigned", "Exp",
        comment="10^6 CELLS: the infusion form's unit (sponsor-defined, no CDISC UNIT term)."),
    Var("EXDOSFRM", "Dose Form", "text", "Variable Qualifier", "Assigned", "Exp",
        comment="Empty: the infusion record does not hold the dose form."),
    Var("EXDOSFRQ", "Dosing Frequency per Interval", "text", "Variable Qualifier", "Assigned",
        "Perm", "FREQ", comment="ONCE: one record per infusion."),
    Var("EXLOT", "Lot Number", "text", "Record Qualifier", "CRF", "Perm"),
    EPOCH,
    Var("EXSTDTC", "Start Date/Time of Treatment", "datetime", "Timing", "CRF", "Exp",
        comment="Infusion date and start time as recorded (local clock time, no offset)."),
    Var("EXENDTC", "End Date/Time of Treatment", "datetime", "Timing", "CRF", "Exp",
        comment="Infusion date and stop time; the date alone when no stop time was recorded."),
    Var("EXSTDY", "Study Day of Start of Treatment", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
    Var("EXENDY", "Study Day of End of Treatment", "integer", "Timing", "Derived", "Perm",
        method="MT.DY"),
))

DATASETS: tuple[Dataset, ...] = (TS, DM, SV, SUPPSV, EX, AE, SUPPAE, DS, SUPPDS, QS, SUPPQS)
#: written only when they have rows (continuations of long text are rare)
OPTIONAL = ("SUPPSV", "SUPPAE", "SUPPDS")


@dataclass(frozen=True)
class CodeList:
    id: str
    name: str
    terms: tuple[tuple[str, str | None], ...]     # (coded value, decode or None)
    nci: str = ""                                  # NCI code of a CDISC code list
    datatype: str = "text"
    external: str | None = None                    # an external dictionary: no terms listed


#: the fixed code lists; ARMCD/ARM/QSTESTCD/QSTEST/QSCAT/REASND/QNAM come from the protocol and
#: the registry, AEREL/TOXGR/DSDECOD from ``sdtm_outcomes``
FIXED_CODELISTS: tuple[CodeList, ...] = (
    CodeList("NY", "No Yes Response", (("Y", "Yes"), ("N", "No")), "C66742"),
    CodeList("NY_Y", "No Yes Response (Y only)", (("Y", "Yes"),), "C66742"),
    CodeList("SEX", "Sex", (("F", "Female"), ("M", "Male"), ("U", "Unknown")), "C66731"),
    CodeList("AGEU", "Age Unit", (("YEARS", None),), "C66781"),
    CodeList("ND", "Not Done", (("NOT DONE", None),), "C66789"),
    CodeList("ACN", "Action Taken with Study Treatment",
             (("DOSE NOT CHANGED", None), ("DRUG WITHDRAWN", None)), "C66767"),
    CodeList("OUT", "Outcome of Event",
             (("FATAL", None), ("NOT RECOVERED/NOT RESOLVED", None),
              ("RECOVERED/RESOLVED", None), ("RECOVERED/RESOLVED WITH SEQUELAE", None),
              ("RECOVERING/RESOLVING", None), ("UNKNOWN", None)), "C66768"),
    CodeList("DSCAT", "Category for Disposition Event",
             (("DISPOSITION EVENT", None), ("PROTOCOL MILESTONE", None)), "C74558"),
    CodeList("COUNTRY", "Country", (), "C66786", external="ISO 3166-1 alpha-3"),
    CodeList("EPOCH", "Epoch", (("SCREENING", None), ("TREATMENT", None),
                                ("FOLLOW-UP", None)), "C99079"),
    CodeList("FREQ", "Frequency", (("ONCE", None),), "C71113"),
)


#: MethodDef id -> (name, type, description); QS score methods are added per score code
METHODS: dict[str, tuple[str, str, str]] = {
    "MT.USUBJID": ("USUBJID", "Imputation", "STUDYID, a hyphen and SUBJID."),
    "MT.SEQ": ("Sequence number", "Computation",
               "Consecutive number of the subject's records in the dataset, from 1."),
    "MT.DY": ("Study day", "Computation",
              "Date minus RFSTDTC plus 1 on or after RFSTDTC, date minus RFSTDTC before it "
              "(no day 0)."),
    "MT.DTHFL": ("Death flag", "Computation", "Y when DTHDTC is present."),
    "MT.ACTARM": ("Actual arm", "Computation", "The arm the subject's infusion records name; "
                  "NOTTRT (Not Treated) if none, UNPLAN if they differ (SDTMIG 3.2)."),
    "MT.AGE": ("Age", "Computation",
               "Completed years from the birth date recorded at screening to RFSTDTC "
               "(forms.screening_rules.age_in_years, the eligibility rule's age)."),
    "MT.RFXSTDTC": ("First treatment", "Computation",
                    "Earliest date of the subject's infusion records."),
    "MT.RFXENDTC": ("Last treatment", "Computation",
                    "Latest date of the subject's infusion records."),
    "MT.RFENDTC": ("Reference end", "Computation",
                   "Date of the disposition event (completion at the last scheduled visit, "
                   "early termination or death); empty while the subject is ongoing."),
    "MT.RFPENDTC": ("End of participation", "Computation",
                    "Latest of the date of death, the early termination date and the last date "
                    "known alive (visits and vital-status contacts)."),
    "MT.QSLOBXFL": ("Baseline flag", "Computation",
                    "Y on the last non-missing result of each test at the protocol's baseline "
                    "visit(s)."),
    "MT.QSDRVFL": ("Derived flag", "Computation", "Y on the rows of computed scores."),
    "MT.EPOCH": ("Epoch", "Computation",
                 "SCREENING before the subject's first infusion date (and at the protocol's "
                 "screening and baseline visits, which are before dose), TREATMENT from the "
                 "first to the last infusion date, FOLLOW-UP after it; by the visit date (QS), "
                 "start date (AE) or event date (DS); empty when no infusion is recorded."),
    "MT.DSDECOD": ("Disposition term", "Computation",
                   "Death (vital status 'dead') takes precedence; else the early termination "
                   "reason mapped to NCOMPLT; else COMPLETED once the last scheduled visit took "
                   "place."),
}
