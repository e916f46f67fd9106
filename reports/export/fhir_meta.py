"""FHIR R4 Questionnaire per instrument version (plain JSON dicts; validated with fhir.resources).

* ``linkId`` = the instrument's item id (``C2b``, ``q3``); grids (matrix groups) become ``group``
  items whose text is the shared stem, so a renderer shows them as one block.
* answers are ``answerOption.valueCoding`` with a code system per response set
  (``urn:epro-desk:codesystem:<instrument>:<set>``), code = the precode as a string.
* branching: FHIR allows only ``=``/``!=``/``exists`` on a Coding, so ``C2 >= 1`` becomes
  ``enableWhen`` C2 = 1, = 2, = 3, = 4 with ``enableBehavior: any``. A condition on the visit
  (G2: not at baseline) has no question to point to; it is carried as the SDC
  ``enableWhenExpression`` extension over a ``%visit`` launch-context variable.
* other languages ride on the standard ``translation`` extension of ``text``/``display``.
* every answer code system is also a ``CodeSystem`` resource in the Bundle
  (:func:`answer_code_systems`): a receiving server resolves ``valueCoding.system`` there
  (display in English, one ``designation`` per other language).
"""
from __future__ import annotations

import re
from typing import Any

from forms.instrument import BASE_LANGUAGE, Instrument, Item
from reports.export.variables import matrix_groups

CANONICAL = "urn:epro-desk:questionnaire:"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ENABLE_WHEN_EXPRESSION = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                          "sdc-questionnaire-enableWhenExpression")
_FHIRPATH_OPS = {"==": "=", "!=": "!=", ">=": ">=", ">": ">", "<=": "<=", "<": "<"}


def code_system(inst: Instrument | str, response_set: str) -> str:
    return f"urn:epro-desk:codesystem:{inst if isinstance(inst, str) else inst.id}:{response_set}"


def questionnaire_url(inst: Instrument | str) -> str:
    return CANONICAL + (inst if isinstance(inst, str) else inst.id)


def questionnaire_canonical(inst_id: str, version: str) -> str:
    """What a QuestionnaireResponse points at: ``url|version``."""
    return f"{questionnaire_url(inst_id)}|{version}"


def questionnaire_id(inst_id: str, version: str) -> str:
    return f"{inst_id}-{version}".replace("_", "-").replace(".", "-")


def _text_ext(texts: dict[str, str]) -> dict[str, Any] | None:
    ext = [{"url": TRANSLATION, "extension": [
        {"url": "lang", "valueCode": lang.replace("_", "-")},
        {"url": "content", "valueString": t}]}
        for lang, t in texts.items() if lang != BASE_LANGUAGE and t]
    return {"extension": ext} if ext else None


def _with_text(d: dict[str, Any], key: str, texts: dict[str, str] | None) -> dict[str, Any]:
    if texts:
        d[key] = texts.get(BASE_LANGUAGE, "")
        if (ext := _text_ext(texts)) is not None:
            d["_" + key] = ext
    return d


def coding(inst: Instrument, item: Item, code: int, lang: str = BASE_LANGUAGE) -> dict[str, Any]:
    rs = inst.options_for(item)
    return {"system": code_system(inst, rs.id), "code": str(code), "display": rs.label(code, lang)}


def _enable(inst: Instrument, it: Item) -> dict[str, Any]:
    c = it.condition
    if c is None:
        return {}
    if c.item is not None:
        src = inst.item(c.item)
        rs = inst.options_for(src)
        codes = [o.code for o in rs.options if c.holds({c.item: o.code}, {})]
        return {"enableWhen": [{"question": c.item, "operator": "=",
                                "answerCoding": coding(inst, src, code)} for code in codes],
                **({"enableBehavior": "any"} if len(codes) > 1 else {})}
    return {"extension": [{"url": ENABLE_WHEN_EXPRESSION, "valueExpression": {
        "language": "text/fhirpath",
        "description": f"shown only when {c.context} {c.op} {c.value!r} (launch context)",
        "expression": f"%{c.context} {_FHIRPATH_OPS[c.op]} '{c.value}'"}}]}


def _choice_item(inst: Instrument, it: Item) -> dict[str, Any]:
    rs = inst.options_for(it)
    d: dict[str, Any] = {"linkId": it.id, "prefix": str(it.number)}
    _with_text(d, "text", it.text)
    d.update({"type": "choice", "required": False, **_enable(inst, it)})
    options = []
    for o in rs.options:
        cod: dict[str, Any] = {"system": code_system(inst, rs.id), "code": str(o.code)}
        _with_text(cod, "display", o.label)
        options.append({"valueCoding": cod})
    d["answerOption"] = options
    return d


def questionnaire(inst: Instrument) -> dict[str, Any]:
    """The Questionnaire resource (JSON dict) of one instrument version."""
    groups = matrix_groups(inst)
    items: list[dict[str, Any]] = []
    open_group: dict[str, Any] | None = None
    for it in inst.items:
        g = groups[it.id]
        if g is None:
            open_group = None
            items.append(_choice_item(inst, it))
            continue
        if open_group is None or open_group["linkId"] != g:
            stem = it.stem or (inst.blocks[it.block].intro if it.block else None)
            open_group = _with_text({"linkId": g}, "text", stem)
            open_group.update({"type": "group", "item": []})
            items.append(open_group)
        open_group["item"].append(_choice_item(inst, it))
    q: dict[str, Any] = {
        "resourceType": "Questionnaire", "id": questionnaire_id(inst.id, inst.version),
        "url": questionnaire_url(inst), "version": inst.version,
        "name": inst.id.upper(), "status": "active",
        "identifier": [{"system": "urn:epro-desk:instrument-content-hash",
                        "value": f"sha256:{inst.content_hash}"}],
    }
    _with_text(q, "title", inst.title)
    _with_text(q, "description", inst.intro)
    _with_text(q, "copyright", inst.credit)
    q["item"] = items
    return q


def answer_code_systems(inst: Instrument) -> list[dict[str, Any]]:
    """One local ``CodeSystem`` per response set the instrument's items use: code = the precode,
    display = the English label, a ``designation`` per other language (what the patient saw).
    Local because no standard answer list exists for these instruments (``fhir_codes``)."""
    title = inst.title.get(BASE_LANGUAGE) or inst.id
    sets = {rs.id: rs for rs in (inst.options_for(it) for it in inst.items)}
    out = []
    for rs in sets.values():
        concepts = []
        for o in rs.options:
            c: dict[str, Any] = {"code": str(o.code), "display": o.label[BASE_LANGUAGE]}
            other = [{"language": lang.replace("_", "-"), "value": t}
                     for lang, t in o.label.items() if lang != BASE_LANGUAGE and t]
            if other:
                c["designation"] = other
            concepts.append(c)
        out.append({
            "resourceType": "CodeSystem",
            "id": questionnaire_id(inst.id, inst.version) + "-" + re.sub(r"[^A-Za-z0-9]", "-",
                                                                          rs.id),
            "url": code_system(inst, rs.id), "version": inst.version,
            "name": re.sub(r"\W", "_", f"EproDesk{inst.id.capitalize()}{rs.id}"),
            "status": "active", "content": "complete", "caseSensitive": True,
            "description": f"Answer options '{rs.id}' of the {title} questionnaire "
                           f"({inst.id} {inst.version}) as ePRO Desk stores them: code = the "
                           "precode, display = the English label, designations = the labels "
                           "in the other languages. Local: no standard answer list exists.",
            "concept": concepts})
    return out


def iter_items(q: dict[str, Any]):
    """Every answerable item of a Questionnaire or QuestionnaireResponse (depth first)."""
    for it in q.get("item", []):
        if "item" in it:
            yield from iter_items(it)
        else:
            yield it
