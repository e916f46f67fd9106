"""Shared helpers for PDF tests: text extraction and an independent number formatter
(one decimal, sign, MID marker), deliberately not the module's own helpers."""
from __future__ import annotations

import io

from pypdf import PdfReader


def pages_text(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def lines_of(data: bytes) -> list[str]:
    return [ln.strip() for t in pages_text(data) for ln in t.splitlines()]


def one(x: float) -> str:
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def signed(d: float | None, mid: float) -> str:
    if d is None:
        return "\u2013"
    s = f"{d:+.1f}"
    s = "0.0" if s in ("+0.0", "-0.0") else s
    if abs(d) >= mid:
        s += " " + ("\u25b2" if d > 0 else "\u25bc")
    return s
