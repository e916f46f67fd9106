"""The demo visit summary (benchmarks, PDF tests, previews) is built from the repository alone:
its numbers come from the one implementation in ``forms/`` and its item wording from the
instrument registry, never from a spec folder beside the clone."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from forms import csc, sf36
from forms.instrument import localize
from forms.liver import LiverInputs, derive_liver_scores
from forms.registry import registry
from reports.demo_summary import CSC_W12, LABS, PATIENT_AGE, PATIENT_SEX, demo_visit_summary

ROOT = Path(__file__).resolve().parent.parent

# a fresh interpreter (no conftest) records every file the demo opens
CHILD = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
sys.path.insert(0, sys.argv[1])
from reports.demo_summary import demo_visit_summary
for lang in ("en", "zh_CN"):
    demo_visit_summary(lang)
print(json.dumps({"opened": opened, "python": [sys.prefix, sys.base_prefix]}))
"""


def test_the_demo_opens_no_file_outside_the_repository() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], capture_output=True,
                         text=True, timeout=120, check=True, cwd=ROOT)
    got = json.loads(out.stdout)
    python = [Path(p).resolve() for p in got["python"]]     # the interpreter and its packages
    opened = [Path(p).resolve() for p in got["opened"] if Path(p).is_absolute()]
    outside = [p for p in opened if ROOT.parent in p.parents and ROOT not in p.parents
               and not any(d == p or d in p.parents for d in python)]
    assert outside == []          # the old default read the spec folder beside the repository
    assert any(ROOT / "resources" / "instruments" in p.parents for p in opened)


def test_liver_scores_are_those_of_forms_liver() -> None:
    labs = {name: {"value": str(value), "unit": unit} for name, value, unit in LABS
            if name in ("bilirubin", "albumin", "inr", "creatinine", "sodium")}
    want = derive_liver_scores(LiverInputs(labs, "slight", "none", PATIENT_SEX, PATIENT_AGE,
                                           dialysis=False)).derived()
    c = demo_visit_summary("en").clinician
    got = {"child_pugh": (c.child_pugh.value, c.child_pugh.grade, c.child_pugh.formula_id),
           "meld": (c.meld.value, c.meld.formula_id),
           "meld_na": (c.meld_na.value, c.meld_na.formula_id),
           "meld3": (c.meld3.value, c.meld3.uncapped, c.meld3.formula_id)}
    assert got == {
        "child_pugh": (want["child_pugh"]["score"], want["child_pugh"]["class"],
                       want["child_pugh"]["formula_id"]),
        "meld": (want["meld"]["score"], want["meld"]["formula_id"]),
        "meld_na": (want["meld_na"]["score"], want["meld_na"]["formula_id"]),
        "meld3": (want["meld3"]["score"], want["meld3"]["uncapped"],
                  want["meld3"]["formula_id"])}


def test_sf36_and_csc_values_are_those_of_forms() -> None:
    s = demo_visit_summary("en")
    for sc in s.sf36.scales:
        assert sc.t_score.now == sf36.t_score(sc.code.lower(), sc.score.now)
    pcs, mcs = sf36.summary_scores({sc.code.lower(): sc.score.now for sc in s.sf36.scales})
    assert (s.sf36.pcs.now, s.sf36.mcs.now) == (pcs, mcs)
    scores = csc.score_visit(CSC_W12)
    assert (s.csc.rss.now, s.csc.tsb.now, s.csc.nmod.now) == (scores.rss, scores.tsb,
                                                              scores.nmod)
    assert all(row.category == csc.symptom_category(row.baseline, row.now)
               for row in s.csc.symptoms)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_appendix_is_every_item_of_the_registered_instruments_in_the_patients_words(lang) -> None:
    s = demo_visit_summary(lang)
    for section in s.appendix:
        inst = registry().get(section.instrument_id).instrument()
        shown = localize(inst, lang)
        assert section.language == lang and section.version == inst.version
        assert [it.text for it in section.items] == [shown.text(i) for i in inst.items]
        for it, item in zip(section.items, inst.items):
            if it.status == "answered":
                assert it.answer == dict(shown.options(item))[it.code]
    skipped = [it for it in s.appendix[0].items if it.status == "skipped"]
    assert [(it.label, it.skip_reason) for it in skipped] == [("9", "prefer_not_to_answer")]
    assert s.missing.skipped[0].item_text == skipped[0].text
