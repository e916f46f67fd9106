"""User messages of ``forms/`` and ``storage/`` in the user's language: one catalogue, one lookup.

Every message a :class:`forms.errors.UserError` carries is written in English where it is
raised (the CLI shows it as is). The English text is the message's key, as a gettext ``msgid``:
``resources/translations/messages_<lang>.json`` maps each English *template* — the raise
site's text with ``{0}``, ``{1}`` … where the f-string puts a value — to its translation, which
may reorder the values (``{=2}``: the value as written, never translated — a user name).
``tests/test_message_catalog.py`` reads every raise site in
``storage/`` and ``forms/`` and fails when a template has no entry.

:func:`translate` finds the template that produced a message, translates the values it filled in
(a value that is itself a catalogued message, a term of the catalogue's ``terms`` table such as
a lab name or a status, or text containing such terms) and fills them into the translation.
Text no template matches (already translated by a screen, or a message built elsewhere) is
returned unchanged: English is always the fallback, never an empty message.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)
CATALOG_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
_PLACEHOLDER = re.compile(r"\{=?(\d+)\}")   # "{=2}" in a translation: the value as written
_SENTENCE_END = re.compile(r"(?<=\.) (?=[A-Z])")
_FILL = re.compile(r"\{(=?)(\d+)\}|\{\{|\}\}")   # a value, or an escaped brace


def catalog_path(lang: str) -> Path:
    return CATALOG_DIR / f"messages_{lang}.json"


@dataclass(frozen=True)
class Catalog:
    messages: dict[str, str]          # English template -> translated template
    terms: dict[str, str]             # English word/phrase inside a value -> translation
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    term_pattern: re.Pattern[str] | None


def _template_regex(template: str) -> re.Pattern[str]:
    """``{0}`` → a lazy group; literal text escaped; ``{{`` / ``}}`` are literal braces."""
    out, pos = [], 0
    for m in _PLACEHOLDER.finditer(template):
        out.append(re.escape(template[pos:m.start()].replace("{{", "{").replace("}}", "}")))
        # "{0} {1}" (a label of several words, then a value) and "{2}{3}": the first takes all
        # it can; otherwise a value ends at the first place the fixed text fits
        greedy = re.match(r" ?\{\d+\}", template[m.end():]) is not None
        out.append(r"(.*)" if greedy else r"(.*?)")
        pos = m.end()
    out.append(re.escape(template[pos:].replace("{{", "{").replace("}}", "}")))
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


@lru_cache(maxsize=None)
def load_catalog(lang: str) -> Catalog | None:
    """The catalogue of ``lang``, read once (None for English or a language without one)."""
    return read_catalog(lang)


def _texts(table: object) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError("not a table of texts")
    return table


def read_catalog(lang: str) -> Catalog | None:
    """The catalogue file of ``lang`` (not cached; :func:`load_catalog` caches it). A file that
    cannot be read gives None, logged: its messages stay English instead of the screen that
    shows an error failing itself."""
    path = catalog_path(lang)
    if lang == "en" or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        messages, terms = _texts(data.get("messages")), _texts(data.get("terms", {}))
    except (OSError, ValueError) as exc:       # also a bad byte (UnicodeDecodeError) or JSON
        log.warning("message catalogue %s not used (%s): messages stay English", path, exc)
        return None
    # most specific first: a template with more fixed text wins over "{0}: {1}"
    ordered = sorted(messages, key=_literal_length, reverse=True)
    patterns = tuple((_template_regex(t), messages[t]) for t in ordered)
    term_pattern = (re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(
        terms, key=len, reverse=True)) + r")(?!\w)")
                    if terms else None)
    return Catalog(messages, terms, patterns, term_pattern)


def _translate_value(value: str, cat: Catalog, depth: int) -> str:
    if value in cat.terms:
        return cat.terms[value]
    nested = _translate(value, cat, depth + 1) if depth < 3 else None
    if nested is not None:
        return nested
    if cat.term_pattern is None or (" " not in value and re.search(r"[\\/.]", value)):
        return value                      # a path or file name: its words are not terms
    return cat.term_pattern.sub(lambda m: cat.terms[m.group(1)], value)


def _translate(text: str, cat: Catalog, depth: int) -> str | None:
    for pattern, target in cat.patterns:
        m = pattern.match(text)
        if m is None:
            continue
        raw = m.groups()
        values = [_translate_value(v, cat, depth) for v in raw]
        return _FILL.sub(lambda p: p.group(0)[0] if p.group(2) is None
                         else (raw if p.group(1) else values)[int(p.group(2))], target)
    return None


def translate(text: str, lang: str) -> str:
    """``text`` (an English user message) in ``lang``; unchanged when not catalogued."""
    cat = load_catalog(lang)
    if cat is None or not text:
        return text
    found = _translate(text, cat, 0)
    if found is None:                     # several messages in a row ("A. B."), each catalogued
        parts = [_translate(part, cat, 0) for part in _SENTENCE_END.split(text)]
        found = None if None in parts else "".join(parts)
    return found if found is not None else text
