"""Checking a translation file before a site installs it (``epro instruments install FILE``).

Pure: the file's bytes in, a checked translation or every problem out. A problem names the JSON
path (``items.q36``, ``response_sets.limited.3``) and, where the file has it, the line; a syntax
error names its line and column. The document is checked against the shipped instrument (the item
bank): the same items, the same option codes per response set, every stem, block, title and
instruction present and non-empty, nothing extra. Storage stores what this accepts.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from forms.errors import InstrumentError, UserError
from forms.instrument import Instrument, apply_translation, available_instruments, load_instrument

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$")
STATUSES = ("validated", "project_translation", "translation")
MAX_BYTES = 2_000_000
_META = {"_note", "note", "id", "version", "language", "text_version", "status", "validated",
         "translator", "date", "source", "licence", "license"}
_TEXTS = {"title", "intro", "recall_period", "credit", "items", "stems", "response_sets",
          "blocks"}


class TranslationFileError(UserError):
    """The file was refused; ``errors`` lists every problem, each ``line N, path: message``."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.errors = tuple(errors)
        super().__init__(f"{source}: translation refused ({len(errors)} problem"
                         f"{'s' if len(errors) != 1 else ''}):\n  " + "\n  ".join(errors))


@dataclass(frozen=True)
class CheckedTranslation:
    instrument_id: str
    instrument_version: str
    language: str
    text_version: str
    status: str
    validated: bool
    content: str           # the file as UTF-8 text, stored unchanged
    file_sha256: str       # SHA-256 of the file's bytes (``sha256sum FILE``)
    instrument: Instrument  # the shipped instrument with this text applied


def file_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class _Locator:
    """Line of a JSON path in the file text (first occurrence of each key, in order)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def line(self, path: tuple[str, ...]) -> int | None:
        pos, found = 0, False
        for key in path:
            at = self.text.find(json.dumps(key, ensure_ascii=False), pos)
            if at < 0:
                break
            pos, found = at, True
        return self.text.count("\n", 0, pos) + 1 if found else None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"duplicate key {key!r}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise _DuplicateKey(dup[0])
    return dict(pairs)


def _decode(raw: bytes, source: str) -> tuple[str, dict[str, Any]]:
    if len(raw) > MAX_BYTES:
        raise TranslationFileError(source, [f"the file is larger than {MAX_BYTES} bytes"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise TranslationFileError(source, [f"line {line}: not UTF-8 text"]) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise TranslationFileError(
            source, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from None
    except _DuplicateKey as exc:
        line = _Locator(text).line((exc.key,))
        where = f"line {line}: " if line else ""
        raise TranslationFileError(source, [f"{where}{exc} (each key only once)"]) from None
    except ValueError as exc:   # e.g. a number of more digits than Python converts
        raise TranslationFileError(source, [f"not valid JSON ({exc})"]) from None
    if not isinstance(data, dict):
        raise TranslationFileError(source, ["line 1: the file must be one JSON object"])
    return text, data


class _Checker:
    def __init__(self, text: str, data: Mapping[str, Any], base: Instrument) -> None:
        self.loc, self.data, self.base = _Locator(text), data, base
        self.errors: list[str] = []

    def err(self, path: tuple[str, ...], message: str) -> None:
        line = self.loc.line(path)
        where = ".".join(path) if path else "(top level)"
        self.errors.append(f"line {line}, {where}: {message}" if line else f"{where}: {message}")

    def string(self, path: tuple[str, ...], value: Any) -> None:
        if value is None:
            self.err(path, "missing")
        elif not isinstance(value, str) or not value.strip():
            self.err(path, "must be a non-empty text")
        elif any(unicodedata.category(c) == "Cc" and c not in "\n" for c in value):
            self.err(path, "contains a control character")

    def section(self, key: str, expected: list[str], what: str) -> Mapping[str, Any]:
        value = self.data.get(key, {} if not expected else None)
        if value is None:
            self.err((key,), f"missing (needs {what} {', '.join(expected)})")
            return {}
        if not isinstance(value, dict):
            self.err((key,), "must be an object")
            return {}
        for k in value:
            if k not in expected:
                self.err((key, k), f"{self.base.id} {self.base.version} has no {what} {k!r}")
        return value

    def run(self) -> None:
        base, d = self.base, self.data
        self.string(("title",), d.get("title"))
        for key in ("intro", "recall_period"):
            if getattr(base, key).get("en", "").strip() or key in d:
                self.string((key,), d.get(key))
        if "credit" in d:
            self.string(("credit",), d.get("credit"))
        items = self.section("items", list(base.item_ids), "item")
        for iid in base.item_ids:
            self.string(("items", iid), items.get(iid))
        stem_ids = list(dict.fromkeys(it.stem_id for it in base.items if it.stem_id))
        stems = self.section("stems", stem_ids, "stem")
        for sid in stem_ids:
            self.string(("stems", sid), stems.get(sid))
        sets = self.section("response_sets", list(base.response_sets), "response set")
        for sid, rs in base.response_sets.items():
            labels = sets.get(sid)
            if not isinstance(labels, dict):
                self.err(("response_sets", sid), "missing (needs the labels of codes "
                         f"{', '.join(map(str, rs.codes))})" if labels is None
                         else "must be an object of code -> label")
                continue
            codes = [str(c) for c in rs.codes]
            for code in labels:
                if code not in codes:
                    self.err(("response_sets", sid, code), f"no option code {code} here (codes "
                             f"are {', '.join(codes)})")
            for code in codes:
                self.string(("response_sets", sid, code), labels.get(code))
        blocks = self.section("blocks", list(base.blocks), "block")
        for bid in base.blocks:
            self.string(("blocks", bid), blocks.get(bid))
        for key in d:
            if key not in _META | _TEXTS:
                self.err((key,), "unknown field")
        if d.get("status", "translation") not in STATUSES:
            self.err(("status",), f"must be one of {', '.join(STATUSES)}")
        if not isinstance(d.get("validated", False), bool):
            self.err(("validated",), "must be true or false")


def check_translation(raw: bytes, source: str, directory: Path | None = None
                      ) -> CheckedTranslation:
    """Check a translation file's bytes against the shipped instrument; raise with every problem."""
    text, data = _decode(raw, source)
    errors: list[str] = []
    loc = _Locator(text)
    head = {}
    for key in ("id", "version", "language", "text_version"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            line = loc.line((key,))
            errors.append(f"{'line %d, ' % line if line else ''}{key}: missing or not a text")
        head[key] = value
    if isinstance(head["id"], str) and head["id"] not in available_instruments(directory):
        errors.append(f"line {loc.line(('id',))}, id: no instrument {head['id']!r} (known: "
                      f"{', '.join(available_instruments(directory))})")
    if isinstance(head["language"], str) and not LANGUAGE_RE.match(head["language"]):
        errors.append(f"line {loc.line(('language',))}, language: {head['language']!r} is not a "
                      "language code such as zh_CN")
    if isinstance(head["text_version"], str) and len(head["text_version"]) > 64:
        errors.append(f"line {loc.line(('text_version',))}, text_version: at most 64 characters")
    if errors:
        raise TranslationFileError(source, errors)
    base = load_instrument(head["id"], directory)
    if head["version"] != base.version:
        raise TranslationFileError(source, [
            f"line {loc.line(('version',))}, version: the file is for {head['id']} "
            f"{head['version']}, this app has {base.id} {base.version}"])
    if head["language"] == "en":
        raise TranslationFileError(source, [
            f"line {loc.line(('language',))}, language: en is the instrument's own text, "
            "not a translation"])
    checker = _Checker(text, data, base)
    checker.run()
    if checker.errors:
        raise TranslationFileError(source, checker.errors)
    sha = file_sha256(raw)
    try:
        inst = apply_translation(base, data, source, sha256=sha)
    except InstrumentError as exc:  # the checks above should have caught it
        raise TranslationFileError(source, [str(exc)]) from None
    return CheckedTranslation(
        instrument_id=base.id, instrument_version=base.version, language=head["language"],
        text_version=head["text_version"].strip(), status=data.get("status", "translation"),
        validated=data.get("validated") is True, content=text, file_sha256=sha, instrument=inst)


def apply_installed(inst: Instrument, content: str, sha256: str, source: str) -> Instrument:
    """Overlay a stored (already checked) translation; ``sha256`` is its file's SHA-256."""
    return apply_translation(inst, json.loads(content), source, sha256=sha256)


def text_version_label(version_id: str | None, sha256: str | None) -> str:
    """Staff-facing name of a recorded text version: ``<id> · sha256 <first 12 hex>``
    (empty for administrations recorded before text versions existed)."""
    if not version_id:
        return ""
    return f"{version_id} · sha256 {sha256[:12]}" if sha256 else version_id
