"""The typed, frozen instrument model (what ``forms.instrument`` loads and validates).

Plain data with the small rules that belong to it: response codes, show-if conditions, the text
version per language, and ``Localized`` text accessors with an English fallback notice.
"""
from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field
from typing import Any, Mapping

BASE_LANGUAGE = "en"

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
        "==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True)
class Option:
    code: int
    label: dict[str, str]


@dataclass(frozen=True)
class ResponseSet:
    id: str
    options: tuple[Option, ...]

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(o.code for o in self.options)

    def label(self, code: int, lang: str = BASE_LANGUAGE) -> str:
        for o in self.options:
            if o.code == code:
                return o.label.get(lang) or o.label[BASE_LANGUAGE]
        raise KeyError(code)


@dataclass(frozen=True)
class Condition:
    """Show an item only when ``<item answer> <op> <value>`` or ``<context key> <op> <value>``.

    An item whose condition is false is *not applicable* (stored as such, distinct from skipped).
    A condition on an unanswered item is false (the branch is not shown).
    """
    op: str
    value: Any
    item: str | None = None
    context: str | None = None

    def holds(self, answers: Mapping[str, int | None], context: Mapping[str, Any]) -> bool:
        if self.item is not None:
            got = answers.get(self.item)
        else:
            got = context.get(self.context or "")
        if got is None:
            return False
        return OPERATORS[self.op](got, self.value)


@dataclass(frozen=True)
class Item:
    id: str
    number: int
    text: dict[str, str]
    response_set: str
    scored: bool = True
    stem: dict[str, str] | None = None
    stem_id: str | None = None
    block: str | None = None
    condition: Condition | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def short_label(self, lang: str = BASE_LANGUAGE) -> str:
        """What staff call this question (an alert, a table row): the item's ``short`` label
        in ``lang`` (English if missing), else its text — never the internal id."""
        short = self.meta.get("short") or {}
        return (short.get(lang) or short.get(BASE_LANGUAGE) or self.text.get(lang)
                or self.text[BASE_LANGUAGE])


@dataclass(frozen=True)
class Block:
    id: str
    intro: dict[str, str]


@dataclass(frozen=True)
class TextVersion:
    """Which text of one language a patient reads: its version id, SHA-256 and standing."""
    language: str
    version_id: str
    sha256: str
    status: str = "original"        # original | project_translation | validated | translation
    validated: bool = False
    source: str = ""                # file name (shipped) or the installed file's source


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    languages: tuple[str, ...]
    title: dict[str, str]
    credit: dict[str, str]
    intro: dict[str, str]
    recall_period: dict[str, str]
    response_sets: dict[str, ResponseSet]
    items: tuple[Item, ...]
    blocks: dict[str, Block]
    content_hash: str
    translation_hashes: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, TextVersion] = field(default_factory=dict)

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(it.id for it in self.items)

    def options_for(self, item: Item | str) -> ResponseSet:
        it = self.item(item) if isinstance(item, str) else item
        return self.response_sets[it.response_set]

    def is_applicable(self, item: Item | str, answers: Mapping[str, int | None],
                      context: Mapping[str, Any] | None = None) -> bool:
        it = self.item(item) if isinstance(item, str) else item
        return it.condition is None or it.condition.holds(answers, context or {})

    def hash_for(self, lang: str) -> str:
        """Hash of what a patient reading ``lang`` saw (base file, plus translation if any)."""
        if lang in self.translation_hashes:
            return hashlib.sha256((self.content_hash + self.translation_hashes[lang])
                                  .encode()).hexdigest()
        return self.content_hash

    def has_language(self, lang: str) -> bool:
        return lang in self.languages

    def text_version(self, lang: str) -> TextVersion:
        """The text version shown for ``lang`` (the base language's when ``lang`` is missing)."""
        return self.texts.get(lang) or self.texts[BASE_LANGUAGE]


@dataclass(frozen=True)
class Localized:
    """Text accessors for one language; ``fallback`` is True when it had to show English."""
    instrument: Instrument
    lang: str

    @property
    def fallback(self) -> bool:
        return not self.instrument.has_language(self.lang)

    @property
    def shown_language(self) -> str:
        return BASE_LANGUAGE if self.fallback else self.lang

    def _t(self, d: Mapping[str, str] | None) -> str:
        if not d:
            return ""
        return d.get(self.shown_language) or d.get(BASE_LANGUAGE, "")

    def title(self) -> str:
        return self._t(self.instrument.title)

    def intro(self) -> str:
        return self._t(self.instrument.intro)

    def credit(self) -> str:
        return self._t(self.instrument.credit)

    def recall_period(self) -> str:
        return self._t(self.instrument.recall_period)

    def text(self, item: Item | str) -> str:
        it = self.instrument.item(item) if isinstance(item, str) else item
        return self._t(it.text)

    def stem(self, item: Item | str) -> str:
        it = self.instrument.item(item) if isinstance(item, str) else item
        return self._t(it.stem)

    def block_intro(self, block_id: str) -> str:
        b = self.instrument.blocks.get(block_id)
        return self._t(b.intro) if b else ""

    def options(self, item: Item | str) -> list[tuple[int, str]]:
        rs = self.instrument.options_for(item)
        return [(o.code, self._t(o.label)) for o in rs.options]
