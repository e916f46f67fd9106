"""Code tables of the FHIR export: the LOINC codes of the labs (each checked against a named public
source), the UCUM units, and the reasons the PRO and liver scores carry local codes.

Every LOINC code here was looked up (2026-12) in FHIR implementation-guide content (HL7 published
guides, or their continuous builds where named) that shows the code with its LOINC long common
name; the source is named beside each code, and the check digit is tested. A code that could not be
found in such a source is not used: the concept keeps a local code instead.

RAND-36 / SF-36 v1 (checked 2026-12): LOINC holds the *Veterans* RAND 36-item survey (VR-36:
e.g. 72007-8 "VR-36 Physical component summary (PCS) score - orthogonal method T-score",
72008-6 the MCS, 71998-9 the PF score), a different instrument (five-level role items instead of
yes/no, its own scoring and norms), so those codes would misstate what was measured. No LOINC
panel, item, answer list or scale code for the RAND 36-Item Health Survey 1.0 or the SF-36 v1
could be found in any source available to us; the items keep the instrument's own answer code
systems (``fhir_meta.code_system``) and the scale, summary and T-scores keep local codes
(``LOCAL_SYSTEM``, declared in the Bundle's CodeSystem). Child-Pugh and MELD / MELD-Na / MELD 3.0:
no LOINC code was verified either; local codes.
"""
from __future__ import annotations

from dataclasses import dataclass

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
LOCAL_SYSTEM = "urn:epro-desk:fhir:CodeSystem:epro-desk-scores"

_US_CORE = "HL7 US Core IG (R4) example Observation "
_MCC = "HL7 MCC eCare Plan IG 1.0.0 (R4) example Observation "
_DQM = "dQM CMS Content IG 2026.1 ValueSet "


@dataclass(frozen=True)
class LabCode:
    code: str           # LOINC code
    display: str        # LOINC long common name
    source: str         # where the code and name were checked


#: lab (``forms.labs``) -> LOINC code of the value in the lab's canonical unit (serum/plasma; mass
#: concentration for mg/dL, g/dL, ng/mL; substance concentration for mmol/L)
LAB_LOINC: dict[str, LabCode] = {
    "bilirubin": LabCode("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma",
                         _US_CORE + "serum-total-bilirubin (mg/dL); " + _DQM + "total-bilirubin"),
    "albumin": LabCode("1751-7", "Albumin [Mass/volume] in Serum or Plasma",
                       "HL7 Europe PROTECT-CHILD IG ObservationDefinition LabTestExample1 (g/dL); "
                       + _MCC + "albumin-serum-observation (g/dL)"),
    "inr": LabCode("6301-6", "INR in Platelet poor plasma by Coagulation assay",
                   "PACIO Sample Data Depot (R4) Observation betsysmith-johnson01-obs-inr-coag-"
                   "panel; UCUM {INR}: HL7 Switzerland CH RAD-Order Observation "
                   "CaveatBloodCoagulationINR"),
    "creatinine": LabCode("2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
                          "HL7 FHIR Clinical Guidelines IG 1.0.0 ValueSet ckd-valueset-creatinine; "
                          + _DQM + "serum-creatinine"),
    "sodium": LabCode("2951-2", "Sodium [Moles/volume] in Serum or Plasma",
                      _MCC + "sodium-serum-observation (mmol/L)"),
    "afp": LabCode("1834-1", "Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma",
                   "HL7 mCODE IG STU1 ValueSet mcode-tumor-marker-test-vs"),
    "alt": LabCode("1742-6",
                   "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
                   _DQM + "alt-lab-tests"),
    "ast": LabCode("1920-8",
                   "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
                   _DQM + "ast-lab-tests"),
    "platelets": LabCode("777-3", "Platelets [#/volume] in Blood by Automated count",
                         _US_CORE + "cbc-platelets; UCUM 10*9/L: HL7 CTC Adverse Events IG "
                         "Observation r201-6"),
}

#: canonical unit of ``forms.labs`` (what storage keeps after conversion) -> UCUM code
UCUM_UNITS: dict[str, str] = {
    "mg/dL": "mg/dL", "g/dL": "g/dL", "mmol/L": "mmol/L", "": "{INR}", "ng/mL": "ng/mL",
    "U/L": "U/L", "10^9/L": "10*9/L", "umol/L": "umol/L", "g/L": "g/L"}

#: unit of every score (PRO scales and summaries, Child-Pugh, MELD family): a dimensionless count
SCORE_UNIT = {"system": UCUM, "code": "{score}", "unit": "score"}

#: unit of a count score (e.g. ``csc_nmod``, symptoms moderate or worse): FHIR R4's Count
#: datatype (hl7.org/fhir/R4/count.profile, constraint cnt-3: UCUM code ``1``, whole number), so
#: a count carries a unit like every other number instead of a unit-less ``valueInteger``
COUNT_UNIT = {"system": UCUM, "code": "1", "unit": "count"}

LOCAL_CODES_REASON = (
    "Scores computed by ePRO Desk that have no verified standard (LOINC) code: RAND-36 / SF-36 "
    "v1 scale, summary and T-scores (LOINC's VR-36 codes belong to the Veterans RAND 36, a "
    "different instrument), study checklist scores, Child-Pugh and MELD / MELD-Na / MELD 3.0.")
