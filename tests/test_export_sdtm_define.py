"""define.xml 2.0 of ``--format sdtm`` (issue 17): valid against the Define-XML 2.0 schema
(odmlib's bundled copy, as the ODM tests use its ODM 1.3.2 schema) and checked for what a schema
cannot see -- every XPT variable described with the XPT's length, every reference resolving,
derived variables with methods, code lists (and value-level code lists) covering the data -- on
both packages of ``sdtm_package_fixtures``."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import odmlib
import odmlib.define_loader as define_loader
import odmlib.loader as loader
import pytest
import xmlschema

from reports.export.sdtm import ND_TEXT
from reports.export.sdtm_meta import SUPPQS
from reports.export.sdtm_package import DEFINE, _suppqs_qval, dataset_files
from sdtm_package_fixtures import NS, env, present, read_csv, read_xpt, typed  # noqa: F401


@pytest.fixture(params=["demo", "typed"])
def pkg(request, env, typed) -> Path:
    """The package folder of the demo database, and of the small study with long staff text
    (the only one with SUPPDS)."""
    return env[1] if request.param == "demo" else typed


@pytest.fixture
def define(pkg):
    return ET.parse(pkg / DEFINE).getroot()


def test_define_xml_is_valid_define_2_0(pkg):
    out = pkg
    xsd = Path(odmlib.__file__).resolve().parent / "schemas" / "define" / "2.0" / "define2-0-0.xsd"
    schema = xmlschema.XMLSchema10(str(xsd))
    errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(str(out / DEFINE))]
    assert errors == []
    # the schema does catch a broken file (an ItemDef without its Name)
    text = (out / DEFINE).read_text(encoding="utf-8")
    broken = out.parent / "broken_define.xml"
    broken.write_text(text.replace('Name="STUDYID" DataType', 'DataType', 1), encoding="utf-8")
    assert list(schema.iter_errors(str(broken)))


def _by_oid(root, tag: str) -> dict[str, ET.Element]:
    return {e.get("OID"): e for e in root.iter(tag)}


def test_define_describes_every_xpt_variable_and_every_reference_resolves(pkg, define):
    out = pkg
    groups = _by_oid(define, f"{{{NS['odm']}}}ItemGroupDef")
    items = _by_oid(define, f"{{{NS['odm']}}}ItemDef")
    methods = _by_oid(define, f"{{{NS['odm']}}}MethodDef")
    lists = _by_oid(define, f"{{{NS['odm']}}}CodeList")
    comments = _by_oid(define, f"{{{NS['def']}}}CommentDef")
    wheres = _by_oid(define, f"{{{NS['def']}}}WhereClauseDef")
    values = _by_oid(define, f"{{{NS['def']}}}ValueListDef")
    assert set(groups) == {f"IG.{ds.name}" for ds in present(out)}
    for ds in present(out):
        g = groups[f"IG.{ds.name}"]
        assert g.get(f"{{{NS['def']}}}Structure") and g.get(f"{{{NS['def']}}}Class")
        leaf = g.find("def:leaf", NS)
        assert (out / leaf.get(f"{{{NS['xlink']}}}href")).name == dataset_files(ds)[0]
        data, meta = read_xpt(out / dataset_files(ds)[0])
        refs = [items[r.get("ItemOID")] for r in g.findall("odm:ItemRef", NS)]
        assert [it.get("Name") for it in refs] == list(data.columns)
        for it in refs:
            assert it.get("DataType") in ("text", "integer", "float", "date", "datetime")
            assert it.find("def:Origin", NS).get("Type")
            if it.get("DataType") == "text":     # the XPT's character length, in bytes
                assert int(it.get("Length")) == meta.variable_storage_width[it.get("Name")]
        rows = read_csv(out / dataset_files(ds)[1])
        for r in g.findall("odm:ItemRef", NS):          # Mandatory: never empty in the data
            name = items[r.get("ItemOID")].get("Name")
            if r.get("Mandatory") == "Yes":
                assert all(row[name] for row in rows), (ds.name, name)
        keys = sorted((int(r.get("KeySequence")), items[r.get("ItemOID")].get("Name"))
                      for r in g.findall("odm:ItemRef", NS) if r.get("KeySequence"))
        assert tuple(n for _k, n in keys) == ds.keys
    for r in define.iter(f"{{{NS['odm']}}}ItemRef"):
        assert r.get("ItemOID") in items
        assert r.get("MethodOID") is None or r.get("MethodOID") in methods
        for w in r.findall("def:WhereClauseRef", NS):
            assert w.get("WhereClauseOID") in wheres
    for it in items.values():
        ref = it.find("odm:CodeListRef", NS)
        assert ref is None or ref.get("CodeListOID") in lists
        c = it.get(f"{{{NS['def']}}}CommentOID")
        assert c is None or c in comments
        vl = it.find("def:ValueListRef", NS)
        assert vl is None or vl.get("ValueListOID") in values
    for w in wheres.values():
        assert w.find("odm:RangeCheck", NS).get(f"{{{NS['def']}}}ItemOID") in items
    # every derived variable names its method; every derived QS score has a MethodDef
    for r in define.iter(f"{{{NS['odm']}}}ItemRef"):
        if items[r.get("ItemOID")].find("def:Origin", NS).get("Type") == "Derived":
            assert r.get("MethodOID") in methods
    qs = read_csv(out / "qs.csv")
    derived = {r["QSTESTCD"] for r in qs if r["QSDRVFL"] == "Y"}
    assert derived and all(f"MT.QS.{cd}" in methods for cd in derived)


def test_codelists_cover_the_data(pkg, define):
    out = pkg
    items = _by_oid(define, f"{{{NS['odm']}}}ItemDef")
    lists = _by_oid(define, f"{{{NS['odm']}}}CodeList")
    checked = 0
    for ds in present(out):
        rows = read_csv(out / dataset_files(ds)[1])
        for v in ds.vars:
            ref = items[f"IT.{ds.name}.{v.name}"].find("odm:CodeListRef", NS)
            if ref is None:
                continue
            cl = lists[ref.get("CodeListOID")]
            used = {r[v.name] for r in rows if r[v.name] != ""}
            external = cl.find("odm:ExternalCodeList", NS)
            if external is not None:             # ISO 3166-1 alpha-3: three capital letters
                assert external.get("Dictionary") == "ISO 3166-1 alpha-3"
                assert used and all(re.fullmatch("[A-Z]{3}", u) for u in used), used
                continue
            allowed = {e.get("CodedValue") for e in cl if e.get("CodedValue") is not None}
            assert used <= allowed, (ds.name, v.name, used - allowed)
            checked += bool(used)
    assert checked >= 15
    # value level: the rows a where-clause selects use the code list of that clause's ItemDef
    wheres = _by_oid(define, f"{{{NS['def']}}}WhereClauseDef")
    vl_checked = answer_lists = 0
    for vl in define.iter(f"{{{NS['def']}}}ValueListDef"):
        _vl, ds_name, var = vl.get("OID").split(".")
        rows = read_csv(out / f"{ds_name.lower()}.csv")
        for ref in vl.findall("odm:ItemRef", NS):
            cl_ref = items[ref.get("ItemOID")].find("odm:CodeListRef", NS)
            if cl_ref is None:
                continue
            rc = wheres[ref.find("def:WhereClauseRef", NS).get("WhereClauseOID")].find(
                "odm:RangeCheck", NS)
            where_var = items[rc.get(f"{{{NS['def']}}}ItemOID")].get("Name")
            picked = {c.text for c in rc.findall("odm:CheckValue", NS)}
            cl = lists[cl_ref.get("CodeListOID")]
            used = {r[var] for r in rows if r[where_var] in picked and r[var]}
            if cl.find("odm:ExternalCodeList", NS) is not None:     # TS FCNTRY: ISO 3166
                allowed = {u for u in used if re.fullmatch("[A-Z]{3}", u)}
            else:
                allowed = {e.get("CodedValue") for e in cl}
            assert used <= allowed, (ref.get("ItemOID"), used - allowed)
            if var == "QSSTRESC" and ref.get("ItemOID").endswith("_ITEMS"):  # QSORRES: decode
                decode = {e.get("CodedValue"): e.findtext("odm:Decode/odm:TranslatedText",
                                                          namespaces=NS) for e in cl}
                assert all(decode[r[var]] == r["QSORRES"] for r in rows
                           if r[where_var] in picked and r[var])
                answer_lists += bool(used)
            vl_checked += bool(used)
    # DSDECOD: NCOMPLT and PROTMLST; TSVAL: TPHASE, STYPE, RANDOM (NY), FCNTRY (COUNTRY);
    # QSSTRESC: the answers of every response set of the RAND-36 and CSC the data hold
    assert answer_lists >= 12 and vl_checked >= 6 + answer_lists
    nci = {cl.get("OID"): cl.find("odm:Alias", NS) for cl in lists.values()}
    assert nci["CL.NY"].get("Name") == "C66742" and nci["CL.OUT"].get("Name") == "C66768"
    assert nci["CL.NCOMPLT"].get("Name") == "C66727" and nci["CL.PROTMLST"].get("Name") == "C114118"




def test_suppqs_qval_has_value_level_metadata_by_qnam(pkg, define):
    """SUPPQS.QVAL holds a language code, a text version (and staff text): one value-level
    row per qualifier present; the language's code list covers every QSLANG value."""
    items = _by_oid(define, f"{{{NS['odm']}}}ItemDef")
    vl = define.find(".//def:ValueListDef[@OID='VL.SUPPQS.QVAL']", NS)
    assert [r.get("ItemOID") for r in vl.findall("odm:ItemRef", NS)] == [
        "IT.SUPPQS.QVAL.QSLANG", "IT.SUPPQS.QVAL.QSTXTVER"]
    assert items["IT.SUPPQS.QVAL"].find("def:ValueListRef", NS).get("ValueListOID") == \
        "VL.SUPPQS.QVAL"
    ref = items["IT.SUPPQS.QVAL.QSLANG"].find("odm:CodeListRef", NS).get("CodeListOID")
    langs = {e.get("CodedValue") for e in _by_oid(define, f"{{{NS['odm']}}}CodeList")[ref]}
    used = {r["QVAL"] for r in read_csv(pkg / "suppqs.csv") if r["QNAM"] == "QSLANG"}
    assert used and used <= langs == {"en", "zh_CN"}


def test_odmlib_loads_the_define_as_define_2_0(pkg):
    ld = loader.ODMLoader(define_loader.XMLDefineLoader(
        model_package="define_2_0", ns_uri="http://www.cdisc.org/ns/def/v2.0"))
    ld.open_odm_document(str(pkg / DEFINE))
    mdv = ld.MetaDataVersion()
    assert [ig.Name for ig in mdv.ItemGroupDef] == [ds.name for ds in present(pkg)]
    assert {m.OID for m in mdv.MethodDef} >= {"MT.DSDECOD", "MT.AGE", "MT.QSDRVFL"}


def test_aedecod_is_not_promised_while_ae_terms_are_not_coded(pkg, define):
    ref = next(r for r in define.iter(f"{{{NS['odm']}}}ItemRef")
               if r.get("ItemOID") == "IT.AE.AEDECOD")
    assert ref.get("Mandatory") == "No"
    assert next(r for r in define.iter(f"{{{NS['odm']}}}ItemRef")
                if r.get("ItemOID") == "IT.AE.AETERM").get("Mandatory") == "Yes"


def test_suppqs_qval_lists_the_staff_text_qualifiers_in_their_order():
    """define.xml is the same file on every run: the staff text's qualifiers (QSNDTEXT and its
    continuations) are listed as SUPPQS holds them, not in a set's per-process hash order."""
    qnams = [ND_TEXT, *(f"QSNDTXT{n}" for n in range(1, 13))]
    i = SUPPQS.columns.index("QNAM")
    rows = [[q if c == i else None for c in range(len(SUPPQS.columns))] for q in qnams]
    [nd] = [r for r in _suppqs_qval(rows).rows if r.id == ND_TEXT]
    assert nd.values == tuple(qnams)
