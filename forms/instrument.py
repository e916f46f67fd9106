"""Typed instrument model, loaded from JSON files in ``resources/instruments/``.

The model itself (dataclasses, ``Localized``) is in forms/instrument_model.py and re-exported here.
One instrument = one base file ``<id>.json`` (items, response sets, branching, languages, version,
credit) plus optional translation files ``<id>.<lang>.json`` that a site can drop in. A missing
translation falls back to the base language with ``Localized.fallback`` set, never a crash.

Each file's content hash (SHA-256 of its canonical JSON) travels with every response, so any
change of wording is visible later.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping

from forms.errors import InstrumentError
from forms.instrument_model import (BASE_LANGUAGE, OPERATORS, Block, Condition,  # noqa: F401
                                   Instrument, Item, Localized, Option, ResponseSet,
                                   TextVersion)

INSTRUMENT_DIR = Path(__file__).resolve().parent.parent / "resources" / "instruments"
# extra instrument folders (os.pathsep-separated), searched after the shipped one; an instrument
# in a later folder replaces one of the same id in an earlier folder
INSTRUMENTS_DIR_ENV = "EPRO_INSTRUMENTS_DIR"


def canonical_hash(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _need(d: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise InstrumentError(f"{where}: missing required field '{key}'")
    return d[key]


def _lang_map(v: Any, where: str) -> dict[str, str]:
    if not isinstance(v, dict) or not all(isinstance(k, str) and isinstance(s, str)
                                          for k, s in v.items()):
        raise InstrumentError(f"{where}: expected an object of language -> text")
    if BASE_LANGUAGE not in v:
        raise InstrumentError(f"{where}: no '{BASE_LANGUAGE}' text")
    return dict(v)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InstrumentError(f"instrument file not found: {path.name}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"{path.name}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InstrumentError(f"{path.name}: top level must be an object")
    return data


def parse_instrument(data: Mapping[str, Any], where: str = "instrument") -> Instrument:
    """Validate a base instrument document and build the typed model."""
    iid = _need(data, "id", where)
    version = str(_need(data, "version", where))
    languages = tuple(data.get("languages", [BASE_LANGUAGE]))
    sets: dict[str, ResponseSet] = {}
    for sid, sdef in _need(data, "response_sets", where).items():
        opts = []
        for i, o in enumerate(_need(sdef, "options", f"{where}: response set {sid}")):
            code = _need(o, "code", f"{where}: response set {sid} option {i}")
            if not isinstance(code, int) or isinstance(code, bool):
                raise InstrumentError(f"{where}: response set {sid}: code {code!r} is not an integer")
            opts.append(Option(code, _lang_map(_need(o, "label", f"{where}: {sid}/{code}"),
                                               f"{where}: {sid}/{code} label")))
        if len({o.code for o in opts}) != len(opts):
            raise InstrumentError(f"{where}: response set {sid} has duplicate codes")
        if not opts:
            raise InstrumentError(f"{where}: response set {sid} has no options")
        sets[sid] = ResponseSet(sid, tuple(opts))
    stems = {k: _lang_map(v, f"{where}: stem {k}") for k, v in data.get("stems", {}).items()}
    blocks = {k: Block(k, _lang_map(_need(v, "intro", f"{where}: block {k}"),
                                    f"{where}: block {k}"))
              for k, v in data.get("blocks", {}).items()}
    items: list[Item] = []
    seen: set[str] = set()
    for n, idef in enumerate(_need(data, "items", where), start=1):
        item_id = _need(idef, "id", f"{where}: item #{n}")
        w = f"{where}: item {item_id}"
        if item_id in seen:
            raise InstrumentError(f"{w}: duplicate item id")
        seen.add(item_id)
        rs = _need(idef, "response_set", w)
        if rs not in sets:
            raise InstrumentError(f"{w}: unknown response set '{rs}'")
        stem_id = idef.get("stem")
        if stem_id is not None and stem_id not in stems:
            raise InstrumentError(f"{w}: unknown stem '{stem_id}'")
        block = idef.get("block")
        if block is not None and block not in blocks:
            raise InstrumentError(f"{w}: unknown block '{block}'")
        cond = None
        if (c := idef.get("condition")) is not None:
            if c.get("op") not in OPERATORS or ("item" in c) == ("context" in c) or "value" not in c:
                raise InstrumentError(f"{w}: condition needs op, value and one of item/context")
            if "item" in c and (c["item"] not in seen or c["item"] == item_id):
                raise InstrumentError(f"{w}: condition refers to '{c['item']}', not an earlier item")
            cond = Condition(op=c["op"], value=c["value"], item=c.get("item"),
                             context=c.get("context"))
        if "short" in idef:          # staff's short name of the question (alerts, tables)
            _lang_map(idef["short"], f"{w} short")
        items.append(Item(
            id=item_id, number=int(idef.get("number", n)),
            text=_lang_map(_need(idef, "text", w), f"{w} text"), response_set=rs,
            scored=bool(idef.get("scored", True)), stem=stems.get(stem_id) if stem_id else None,
            stem_id=stem_id, block=block, condition=cond,
            meta={k: v for k, v in idef.items() if k not in {
                "id", "number", "text", "response_set", "scored", "stem", "block", "condition"}}))
    if not items:
        raise InstrumentError(f"{where}: no items")
    # Every inline language must be complete (as translation files must be): a declared
    # language silently showing English text would carry no fallback notice.
    texts = [("title", _need(data, "title", where))] + [
        (f"stem {k}", v) for k, v in stems.items()] + [(f"item {it.id}", it.text) for it in items] + [
        (f"block {b.id}", b.intro) for b in blocks.values()] + [
        (f"response set {s.id}/{o.code}", o.label) for s in sets.values() for o in s.options]
    for lang in languages:
        for what, t in texts:
            if not (isinstance(t, dict) and t.get(lang)):
                raise InstrumentError(f"{where}: {what} has no '{lang}' text")
    content_hash = canonical_hash({k: data[k] for k in sorted(data)})
    text_id = str(data.get("text_version", f"{iid}-{version}"))
    validated = bool(data.get("meta", {}).get("validated", True))
    return Instrument(
        id=iid, version=version, languages=languages,
        title=_lang_map(_need(data, "title", where), f"{where}: title"),
        credit=_lang_map(data.get("credit", {BASE_LANGUAGE: ""}), f"{where}: credit"),
        intro=_lang_map(data.get("intro", {BASE_LANGUAGE: ""}), f"{where}: intro"),
        recall_period=_lang_map(data.get("recall_period", {BASE_LANGUAGE: ""}),
                                f"{where}: recall_period"),
        response_sets=sets, items=tuple(items), blocks=blocks,
        content_hash=content_hash, meta=dict(data.get("meta", {})),
        texts={lang: TextVersion(lang, text_id, content_hash, "original", validated, where)
               for lang in dict.fromkeys(languages + (BASE_LANGUAGE,))})


def _merge(base: dict[str, str] | None, lang: str, text: str | None) -> dict[str, str] | None:
    if base is None or text is None:
        return base
    return {**base, lang: text}


def apply_translation(inst: Instrument, tr: Mapping[str, Any], where: str,
                      sha256: str | None = None) -> Instrument:
    """Overlay a translation document ``{"language", "title", "items": {id: text}, ...}``.

    A document for a language the instrument already has replaces that language's text (an
    installed, validated translation over the shipped project one). ``sha256`` identifies the
    text (default: the canonical hash of the document; an installed file: its bytes' SHA-256)."""
    lang = _need(tr, "language", where)
    if tr.get("id", inst.id) != inst.id:
        raise InstrumentError(f"{where}: translation is for '{tr.get('id')}', not '{inst.id}'")
    if str(tr.get("version", inst.version)) != inst.version:
        raise InstrumentError(f"{where}: translation is for version {tr.get('version')}, "
                              f"instrument is {inst.version}")
    for key in ("items", "stems", "response_sets", "blocks"):
        value = tr.get(key, {})
        if not isinstance(value, dict) or not all(
                isinstance(v, dict if key == "response_sets" else str) for v in value.values()):
            raise InstrumentError(f"{where}: '{key}' must be an object of "
                                  f"{'code -> label objects' if key == 'response_sets' else 'texts'}")
    item_texts: Mapping[str, str] = tr.get("items", {})
    unknown = set(item_texts) - set(inst.item_ids)
    if unknown:
        raise InstrumentError(f"{where}: unknown items {sorted(unknown)}")
    missing = [i for i in inst.item_ids if i not in item_texts]
    if missing:
        raise InstrumentError(f"{where}: no text for items {missing}")
    stems: Mapping[str, str] = tr.get("stems", {})
    set_labels: Mapping[str, Mapping[str, str]] = tr.get("response_sets", {})
    new_sets = {}
    for sid, rs in inst.response_sets.items():
        labels = set_labels.get(sid, {})
        missing_codes = [o.code for o in rs.options if str(o.code) not in labels]
        if missing_codes:
            raise InstrumentError(f"{where}: response set {sid} lacks labels for {missing_codes}")
        new_sets[sid] = ResponseSet(sid, tuple(Option(o.code, {**o.label, lang: labels[str(o.code)]})
                                               for o in rs.options))
    missing_stems = {it.stem_id for it in inst.items if it.stem_id} - set(stems)
    if missing_stems:
        raise InstrumentError(f"{where}: no text for stems {sorted(missing_stems)}")
    new_items = [Item(
        id=it.id, number=it.number, text={**it.text, lang: item_texts[it.id]},
        response_set=it.response_set, scored=it.scored,
        stem=_merge(it.stem, lang, stems.get(it.stem_id or "")), stem_id=it.stem_id,
        block=it.block, condition=it.condition, meta=it.meta) for it in inst.items]
    blocks = {k: Block(k, {**b.intro, lang: tr.get("blocks", {}).get(k, b.intro[BASE_LANGUAGE])})
              for k, b in inst.blocks.items()}
    sha = sha256 or canonical_hash(dict(tr))
    text = TextVersion(lang, str(tr.get("text_version", f"{lang}-{sha[:12]}")), sha,
                       str(tr.get("status", "translation")), tr.get("validated") is True, where)
    return Instrument(
        id=inst.id, version=inst.version,
        languages=inst.languages + (() if lang in inst.languages else (lang,)),
        title=_merge(inst.title, lang, tr.get("title")) or inst.title,
        credit=_merge(inst.credit, lang, tr.get("credit")) or inst.credit,
        intro=_merge(inst.intro, lang, tr.get("intro")) or inst.intro,
        recall_period=_merge(inst.recall_period, lang, tr.get("recall_period")) or inst.recall_period,
        response_sets=new_sets, items=tuple(new_items), blocks=blocks,
        content_hash=inst.content_hash,
        translation_hashes={**inst.translation_hashes, lang: sha},
        meta=inst.meta, texts={**inst.texts, lang: text})


_CACHE: dict[tuple[str, str], Instrument] = {}


def instrument_dirs(extra: tuple[Path, ...] | list[Path] = ()) -> tuple[Path, ...]:
    """The shipped folder, then ``$EPRO_INSTRUMENTS_DIR`` folders, then ``extra``."""
    env = os.environ.get(INSTRUMENTS_DIR_ENV, "")
    return (INSTRUMENT_DIR, *(Path(p) for p in env.split(os.pathsep) if p),
            *(Path(p) for p in extra))


def instrument_dir_of(instrument_id: str, extra: tuple[Path, ...] | list[Path] = ()) -> Path:
    """The folder an instrument id is loaded from (the last one holding ``<id>.json``)."""
    for d in reversed(instrument_dirs(extra)):
        if (d / f"{instrument_id}.json").is_file():
            return d
    return INSTRUMENT_DIR


def load_instrument(instrument_id: str, directory: Path | None = None) -> Instrument:
    """Load ``<id>.json`` and every ``<id>.<lang>.json`` beside it (cached per directory).

    Without ``directory`` the id is looked up in :func:`instrument_dirs`."""
    d = Path(directory) if directory else instrument_dir_of(instrument_id)
    key = (str(d), instrument_id)
    if key in _CACHE:
        return _CACHE[key]
    path = d / f"{instrument_id}.json"
    inst = parse_instrument(_read_json(path), path.name)
    if inst.id != instrument_id:
        raise InstrumentError(f"{path.name}: declares id '{inst.id}'")
    for tpath in sorted(d.glob(f"{instrument_id}.*.json")):
        lang = tpath.name[len(instrument_id) + 1:-len(".json")]
        if lang in inst.languages:
            continue  # already inline in the base file
        tr = _read_json(tpath)
        if tr.get("language") != lang:
            raise InstrumentError(f"{tpath.name}: declares language {tr.get('language')!r}, "
                                  f"the file name says '{lang}'")
        inst = apply_translation(inst, tr, tpath.name)
    _CACHE[key] = inst
    return inst


def available_instruments(directory: Path | None = None) -> list[str]:
    dirs = (Path(directory),) if directory else instrument_dirs()
    return sorted({p.stem for d in dirs for p in d.glob("*.json") if "." not in p.stem})


def localize(inst: Instrument, lang: str) -> Localized:
    return Localized(inst, lang)
