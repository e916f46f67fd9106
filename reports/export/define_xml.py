"""define.xml 2.0 of the ``sdtm`` export: the datasets, their variables, code lists, methods.

One ItemGroupDef per dataset (def:Structure, def:Class, keys as KeySequence, Mandatory = SDTMIG
core Req and populated on every row, def:leaf to the XPT file); one ItemDef per variable
(DataType; Length of the values as written in the XPT: bytes of the longest value for text,
digits for numbers, none for ISO 8601 dates; def:Origin, CodeListRef, comments); the code lists
(CDISC CT with their NCI code as ``Alias``, sponsor-defined ones from the protocol and the
instrument registry, an ``ExternalCodeList`` for ISO 3166-1 alpha-3 country codes); TS (trial
design) is reference data; a MethodDef per derivation; value-level metadata for QSSTRESC (one
where-clause per instrument's items, origin CRF, and one per derived score, origin Derived with
the score's MethodDef) and for DSDECOD by DSCAT (CT NCOMPLT for disposition events, PROTMLST for
protocol milestones). Checked against the Define-XML 2.0 schema in the tests (odmlib's copy).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

from reports.export.sdtm_meta import STANDARD, CodeList, Dataset, Var

ODM, DEF, XLINK = ("http://www.cdisc.org/ns/odm/v1.3", "http://www.cdisc.org/ns/def/v2.0",
                   "http://www.w3.org/1999/xlink")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ODM)
ET.register_namespace("def", DEF)
ET.register_namespace("xlink", XLINK)


def _o(tag: str) -> str:
    return f"{{{ODM}}}{tag}"


def _d(tag: str) -> str:
    return f"{{{DEF}}}{tag}"


@dataclass(frozen=True)
class ValueRow:
    """One value-level row: where ``where`` (a variable of the dataset) is one of ``values``."""
    id: str
    values: tuple[str, ...]
    origin: str
    method: str | None = None
    codelist: str | None = None


@dataclass
class ValueLevel:
    """Value-level metadata of one variable, split by the values of ``where``."""
    dataset: str
    variable: str
    where: str
    rows: list[ValueRow] = field(default_factory=list)


@dataclass
class DefineInput:
    study_oid: str
    study_name: str
    description: str
    datasets: Sequence[tuple[Dataset, Sequence[Sequence[Any]], str]]   # (meta, rows, file)
    codelists: Sequence[CodeList]
    methods: Mapping[str, tuple[str, str, str]]      # id -> (name, type, description)
    value_level: Sequence[ValueLevel] = ()


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    tt = ET.SubElement(el, _o("TranslatedText"), {XML_LANG: "en"})
    tt.text = text
    return el


def _digits(values: Sequence[Any]) -> tuple[int, int]:
    """(total digits incl. sign, decimals) of the longest numbers."""
    length, decimals = 1, 0
    for v in values:
        if v is None or v == "":
            continue
        d = Decimal(repr(v) if isinstance(v, float) else str(v))
        sign, digits, exp = d.as_tuple()
        dec = -exp if isinstance(exp, int) and exp < 0 else 0
        whole = max(len(digits) - dec, 1)
        length = max(length, whole + dec + sign)
        decimals = max(decimals, dec)
    return length, decimals


def _length_attrs(v: Var, values: Sequence[Any]) -> dict[str, str]:
    if v.type == "text":
        n = max([len(str(x).encode("utf-8")) for x in values if x not in (None, "")] + [1])
        return {"Length": str(n)}
    if v.type == "integer":
        return {"Length": str(_digits(values)[0])}
    if v.type == "float":
        n, dec = _digits(values)
        return {"Length": str(n), "SignificantDigits": str(dec)}
    return {}


def item_oid(ds: str, var: str) -> str:
    return f"IT.{ds}.{var}"


def build_define(inp: DefineInput) -> ET.ElementTree:
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    root = ET.Element(_o("ODM"), {
        "FileOID": f"DEFINE.{inp.study_oid}", "FileType": "Snapshot", "CreationDateTime": now,
        "ODMVersion": "1.3.2", "Originator": "ePRO Desk", "SourceSystem": "ePRO Desk"})
    study = ET.SubElement(root, _o("Study"), {"OID": inp.study_oid})
    gv = ET.SubElement(study, _o("GlobalVariables"))
    for tag, text in (("StudyName", inp.study_name), ("StudyDescription", inp.description),
                      ("ProtocolName", inp.study_name)):
        ET.SubElement(gv, _o(tag)).text = text
    mdv = ET.SubElement(study, _o("MetaDataVersion"), {
        "OID": f"MDV.{inp.study_oid}.SDTM", "Name": f"{inp.study_name} SDTM",
        "Description": f"SDTM datasets of {inp.study_name} exported by ePRO Desk",
        _d("DefineVersion"): "2.0.0", _d("StandardName"): STANDARD[0],
        _d("StandardVersion"): STANDARD[1]})
    values = {(ds.name, v.name): [r[i] for r in rows]
              for ds, rows, _ in inp.datasets for i, v in enumerate(ds.vars)}
    comments: dict[str, str] = {}
    _value_lists(mdv, inp)
    for ds, _rows, file in inp.datasets:
        _group(mdv, ds, file, values)
    for ds, _rows, _f in inp.datasets:
        for v in ds.vars:
            _item(mdv, ds, v, values[(ds.name, v.name)], comments, inp.value_level)
    _value_items(mdv, inp)
    used = {v.codelist for ds, _r, _f in inp.datasets for v in ds.vars if v.codelist} | {
        row.codelist for vl in inp.value_level for row in vl.rows if row.codelist}
    for cl in inp.codelists:
        if cl.id in used:
            _codelist(mdv, cl)
    for oid, (name, kind, text) in inp.methods.items():
        m = ET.SubElement(mdv, _o("MethodDef"), {"OID": oid, "Name": name, "Type": kind})
        _text(m, _o("Description"), text)
    for oid, text in comments.items():
        _text(ET.SubElement(mdv, _d("CommentDef"), {"OID": oid}), _o("Description"), text)
    ET.indent(root, space="  ")
    return ET.ElementTree(root)


def _group(mdv: ET.Element, ds: Dataset, file: str,
           values: Mapping[tuple[str, str], Sequence[Any]]) -> None:
    attrs = {"OID": f"IG.{ds.name}", "Name": ds.name, "Repeating": "No" if ds.name == "DM"
             else "Yes", "IsReferenceData": "Yes" if ds.klass == "TRIAL DESIGN" else "No",
             "SASDatasetName": ds.name,
             "Purpose": "Tabulation", _d("Structure"): ds.structure, _d("Class"): ds.klass,
             _d("ArchiveLocationID"): f"LF.{ds.name}"}
    if not ds.name.startswith("SUPP"):
        attrs["Domain"] = ds.name
    g = ET.SubElement(mdv, _o("ItemGroupDef"), attrs)
    _text(g, _o("Description"), ds.label)
    for n, v in enumerate(ds.vars, 1):
        # Mandatory: a Req variable that is populated on every row (AEDECOD, Req but left
        # empty until coded, says No rather than promise values it does not have)
        full = all(x not in (None, "") for x in values[(ds.name, v.name)])
        ref = {"ItemOID": item_oid(ds.name, v.name), "OrderNumber": str(n),
               "Mandatory": "Yes" if v.core == "Req" and full else "No"}
        if v.name in ds.keys:
            ref["KeySequence"] = str(ds.keys.index(v.name) + 1)
        if v.method:
            ref["MethodOID"] = v.method
        ref["Role"] = v.role
        ET.SubElement(g, _o("ItemRef"), ref)
    leaf = ET.SubElement(g, _d("leaf"), {"ID": f"LF.{ds.name}", f"{{{XLINK}}}href": file})
    ET.SubElement(leaf, _d("title")).text = file


def _item(mdv: ET.Element, ds: Dataset, v: Var, values: Sequence[Any],
          comments: dict[str, str], value_level: Sequence[ValueLevel]) -> None:
    attrs = {"OID": item_oid(ds.name, v.name), "Name": v.name, "DataType": v.type,
             **_length_attrs(v, values), "SASFieldName": v.name}
    if v.comment:
        attrs[_d("CommentOID")] = f"COM.{ds.name}.{v.name}"
        comments[attrs[_d("CommentOID")]] = v.comment
    it = ET.SubElement(mdv, _o("ItemDef"), attrs)
    _text(it, _o("Description"), v.label)
    if v.codelist:
        ET.SubElement(it, _o("CodeListRef"), {"CodeListOID": f"CL.{v.codelist}"})
    ET.SubElement(it, _d("Origin"), {"Type": v.origin})
    if any(vl.dataset == ds.name and vl.variable == v.name for vl in value_level):
        ET.SubElement(it, _d("ValueListRef"), {"ValueListOID": f"VL.{ds.name}.{v.name}"})


def _value_lists(mdv: ET.Element, inp: DefineInput) -> None:
    for vl in inp.value_level:
        lst = ET.SubElement(mdv, _d("ValueListDef"), {"OID": f"VL.{vl.dataset}.{vl.variable}"})
        for n, row in enumerate(vl.rows, 1):
            ref = {"ItemOID": f"IT.{vl.dataset}.{vl.variable}.{row.id}", "OrderNumber": str(n),
                   "Mandatory": "No"}
            if row.method:
                ref["MethodOID"] = row.method
            r = ET.SubElement(lst, _o("ItemRef"), ref)
            ET.SubElement(r, _d("WhereClauseRef"),
                          {"WhereClauseOID": f"WC.{vl.dataset}.{vl.variable}.{row.id}"})
    for vl in inp.value_level:
        for row in vl.rows:
            w = ET.SubElement(mdv, _d("WhereClauseDef"),
                              {"OID": f"WC.{vl.dataset}.{vl.variable}.{row.id}"})
            rc = ET.SubElement(w, _o("RangeCheck"), {
                "Comparator": "EQ" if len(row.values) == 1 else "IN", "SoftHard": "Soft",
                _d("ItemOID"): item_oid(vl.dataset, vl.where)})
            for c in row.values:
                ET.SubElement(rc, _o("CheckValue")).text = c


def _value_items(mdv: ET.Element, inp: DefineInput) -> None:
    for vl in inp.value_level:
        ds = next(d for d, _r, _f in inp.datasets if d.name == vl.dataset)
        i_where = ds.columns.index(vl.where)
        i_var = ds.columns.index(vl.variable)
        rows = next(r for d, r, _f in inp.datasets if d.name == vl.dataset)
        var = ds.var(vl.variable)
        for row in vl.rows:
            mine = [r[i_var] for r in rows if r[i_where] in row.values]
            it = ET.SubElement(mdv, _o("ItemDef"), {
                "OID": f"IT.{vl.dataset}.{vl.variable}.{row.id}", "Name": vl.variable,
                "DataType": var.type, **_length_attrs(var, mine),
                "SASFieldName": vl.variable})
            _text(it, _o("Description"), f"{var.label} ({row.id})"[:200])
            if row.codelist:
                ET.SubElement(it, _o("CodeListRef"), {"CodeListOID": f"CL.{row.codelist}"})
            ET.SubElement(it, _d("Origin"), {"Type": row.origin})


def _codelist(mdv: ET.Element, cl: CodeList) -> None:
    el = ET.SubElement(mdv, _o("CodeList"), {"OID": f"CL.{cl.id}", "Name": cl.name,
                                             "DataType": cl.datatype})
    if cl.external:                    # e.g. ISO 3166-1 alpha-3: the dictionary, no terms
        ET.SubElement(el, _o("ExternalCodeList"), {"Dictionary": cl.external})
    decoded = any(d for _c, d in cl.terms)
    for n, (code, decode) in enumerate(cl.terms, 1):
        if decoded:
            item = ET.SubElement(el, _o("CodeListItem"), {"CodedValue": code,
                                                          "OrderNumber": str(n)})
            _text(item, _o("Decode"), decode or code)
        else:
            ET.SubElement(el, _o("EnumeratedItem"), {"CodedValue": code, "OrderNumber": str(n)})
    if cl.nci:
        ET.SubElement(el, _o("Alias"), {"Context": "nci:ExtCodeID", "Name": cl.nci})


def write_define(path: Path, inp: DefineInput) -> None:
    build_define(inp).write(path, encoding="UTF-8", xml_declaration=True)


__all__ = ["DefineInput", "ValueLevel", "ValueRow", "build_define", "item_oid", "write_define"]
