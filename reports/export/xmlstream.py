"""A small streaming XML writer over ``xml.sax.saxutils.XMLGenerator`` (stdlib).

Elements are written as they are produced, so a 10 000-patient ODM file never sits in memory.
Names are written verbatim (``xml:lang`` included); the root element carries the namespace.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import IO, Iterator, Mapping
from xml.sax.saxutils import XMLGenerator

Attrs = Mapping[str, object | None]


# characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, FFFE/FFFF, lone
# surrogates); they are dropped rather than producing a file no parser accepts
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _clean(attrs: Attrs | None) -> dict[str, str]:
    return {k: xml_text(v) for k, v in (attrs or {}).items() if v is not None}


class XmlStream:
    def __init__(self, out: IO[bytes], indent: str | None = "  ") -> None:
        self._g = XMLGenerator(out, encoding="UTF-8", short_empty_elements=True)
        self._indent = indent
        self._depth = 0
        self._has_child: list[bool] = []

    def start_document(self) -> None:
        self._g.startDocument()

    def end_document(self) -> None:
        self._g.ignorableWhitespace("\n")
        self._g.endDocument()

    def _newline(self) -> None:
        if self._indent is not None and self._depth:
            self._g.ignorableWhitespace("\n" + self._indent * self._depth)

    def start(self, name: str, attrs: Attrs | None = None) -> None:
        if self._has_child:
            self._has_child[-1] = True
        self._newline()
        self._g.startElement(name, _clean(attrs))  # type: ignore[arg-type]
        self._depth += 1
        self._has_child.append(False)

    def end(self, name: str) -> None:
        self._depth -= 1
        if self._has_child.pop():
            self._newline()
        self._g.endElement(name)

    def leaf(self, name: str, attrs: Attrs | None = None, text: str | None = None) -> None:
        """An element with attributes and optional text, no children."""
        if self._has_child:
            self._has_child[-1] = True
        self._newline()
        self._g.startElement(name, _clean(attrs))  # type: ignore[arg-type]
        if text:
            self._g.characters(xml_text(text))
        self._g.endElement(name)

    @contextmanager
    def el(self, name: str, attrs: Attrs | None = None) -> Iterator[None]:
        self.start(name, attrs)
        yield
        self.end(name)
