"""FHIR R4 Bundle export: validates with the fhir.resources R4 (4.0.1) and R4B models, own code
checks, round trip."""
from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from bench.export_db import build_small
from fhir_r4 import r4b_codes_outside, validate_r4
from reports.export.commands import run_export
from reports.export.fhir_data import SKIP_ABSENT
from reports.export.fhir_meta import iter_items
from storage.db import open_database
from storage.models import Administration, Answer, Score
from storage.models.responses import SKIP_REASONS


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("fhir")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    run_export(db, small.investigator, "fhir", d / "bundle.json")
    data = json.loads((d / "bundle.json").read_text(encoding="utf-8"))
    yield db, small, data
    db.dispose()


def by_type(data, t):
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == t]


def test_bundle_validates_with_the_r4b_models(env):
    _, _, data = env
    bundle = Bundle.model_validate(data)
    kinds = {e.resource.__resource_type__ for e in bundle.entry}
    assert kinds == {"Questionnaire", "Patient", "QuestionnaireResponse", "Observation",
                     "CodeSystem", "ResearchStudy", "ResearchSubject", "Encounter"}
    assert r4b_codes_outside(data) == []


def test_bundle_validates_with_the_r4_models(env, tmp_path):
    _, _, data = env
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    kinds = validate_r4(tmp_path / "b.json")
    assert kinds["QuestionnaireResponse"] == len(by_type(data, "QuestionnaireResponse"))
    assert sum(kinds.values()) == len(data["entry"])


def test_references_resolve_inside_the_bundle(env):
    _, _, data = env
    full = {e["fullUrl"] for e in data["entry"]}
    assert len(full) == len(data["entry"])
    encounters = {e["fullUrl"] for e in data["entry"]
                  if e["resource"]["resourceType"] == "Encounter"}
    for qr in by_type(data, "QuestionnaireResponse"):
        assert qr["subject"]["reference"] in full
        assert qr["encounter"]["reference"] in encounters
    for obs in by_type(data, "Observation"):
        assert obs["subject"]["reference"] in full
        assert obs["encounter"]["reference"] in encounters
        assert all(d["reference"] in full for d in obs.get("derivedFrom", []))
    canon = {f"{q['url']}|{q['version']}" for q in by_type(data, "Questionnaire")}
    assert {qr["questionnaire"] for qr in by_type(data, "QuestionnaireResponse")} <= canon


def test_answer_codings_are_codes_of_the_questionnaire_item_and_round_trip(env):
    db, _, data = env
    options = {}
    for q in by_type(data, "Questionnaire"):
        for it in iter_items(q):
            options[(q["url"], it["linkId"])] = {
                (o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in it["answerOption"]}
    got = {}
    for qr in by_type(data, "QuestionnaireResponse"):
        url = qr["questionnaire"].split("|")[0]
        adm = int(qr["identifier"]["value"])
        for it in iter_items(qr):
            for ans in it.get("answer", []):
                c = ans["valueCoding"]
                assert (c["system"], c["code"]) in options[(url, it["linkId"])]
                got[(adm, it["linkId"])] = int(c["code"])
    with db.session() as s:
        expected = {(a.administration_id, a.item_id): a.code
                    for a in s.scalars(select(Answer)) if a.status == "answered"}
    assert got == expected


def test_status_mapping_and_skips(env):
    db, small, data = env
    with db.session() as s:
        adms = {a.id: a for a in s.scalars(select(Administration))}
    statuses = {}
    for qr in by_type(data, "QuestionnaireResponse"):
        a = adms[int(qr["identifier"]["value"])]
        statuses.setdefault(qr["status"], set()).add(a.instrument_id)
        if a.status == "submitted":
            assert qr["authored"] == a.submitted_at.isoformat()
    assert statuses["amended"] == {"csc"}          # the corrected W1 CSC
    assert "in-progress" in statuses                # S-002's unfinished CSC
    skipped = [it for qr in by_type(data, "QuestionnaireResponse") for it in iter_items(qr)
               if "extension" in it]
    assert [(i["linkId"], i["extension"]) for i in skipped] == [("q7", [{   # core, not local
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": "asked-declined"}])]
    assert set(SKIP_ABSENT) == set(SKIP_REASONS)      # every skip reason has its code


def test_score_observations_equal_stored_scores(env):
    db, _, data = env
    obs = {(o["derivedFrom"][0]["reference"], o["code"]["coding"][0]["code"]): o
           for o in by_type(data, "Observation") if "method" in o}
    from reports.export.fhir_data import urn
    with db.session() as s:
        scores = list(s.scalars(select(Score)))
    n = 0
    for sc in scores:
        ref = urn("QuestionnaireResponse", sc.administration_id)
        for key in ("sf36_pcs", "rand_pf"):
            if sc.values.get(key) is not None:
                assert obs[(ref, key)]["valueQuantity"]["value"] == sc.values[key]
                assert obs[(ref, key)]["method"]["text"] == sc.algorithm_id
                n += 1
        if "tsb" in sc.values and sc.values["tsb"] is not None:
            assert obs[(ref, "csc_tsb")]["valueQuantity"]["value"] == sc.values["tsb"]
            n += 1
    assert n >= 4
