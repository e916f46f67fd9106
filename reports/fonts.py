"""Find, register and use embeddable TrueType fonts for PDFs (Latin + CJK).

The app ships its own fonts in ``resources/fonts/`` (DejaVu Sans + Bold, and "ePRO Desk Sans SC",
a Noto Sans CJK SC subset with TrueType outlines), so a PDF never depends on the machine's fonts.
Search order for each role: the environment variable (``EPRO_LATIN_FONT`` / ``EPRO_CJK_FONT``, an
explicit site choice), the bundled file, any other ``.ttf``/``.ttc`` a site dropped into
``resources/fonts/``, then the system's usual places, which are only a fallback when the bundled
file is missing or damaged. ReportLab embeds TrueType (glyf) fonts only; CFF-based ``.otf`` files
are rejected, so such candidates are skipped. Every font used is embedded (subset), so no base-14
font appears.

The CJK font is parsed only when a document needs it: eagerly for zh_CN documents
(``require_cjk``), otherwise on the first character the Latin font lacks (an English summary with
a Chinese name), so an all-English PDF never pays for it.

Bold Chinese (headings, labels) prints in "ePRO Desk Sans SC" Bold, a small subset of Noto Sans
CJK SC Bold holding the characters of the PDF-side texts; a bold character it lacks (a name)
prints in the regular face, never as a placeholder.

``FontSet.markup`` splits text into runs by glyph coverage (Latin font first, CJK font second)
and replaces a character that neither font has with a placeholder, reporting it, because ReportLab
otherwise drops or garbles such characters silently (reliability.md §4.4).
"""
from __future__ import annotations

import hashlib
import os
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from forms.errors import UserError
from resources.fonts import CJK_BOLD_FILE, CJK_FILE, FONT_DIR, LATIN_BOLD_FILE, LATIN_FILE

RESOURCE_FONTS = FONT_DIR
PLACEHOLDER = "\u25a1"   # WHITE SQUARE; present in DejaVu Sans and the CJK fonts we look for

_WIN_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
# (path, subfont index inside a .ttc)
CJK_SYSTEM_CANDIDATES: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf"), 0),
    (Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"), 0),   # Fedora/Arch
    (Path("/usr/share/fonts/google-droid/DroidSansFallback.ttf"), 0),
    (_WIN_FONTS / "msyh.ttc", 0),     # Microsoft YaHei
    (_WIN_FONTS / "msyh.ttf", 0),
    (_WIN_FONTS / "simsun.ttc", 0),   # SimSun
    (_WIN_FONTS / "simhei.ttf", 0),
    (Path("/Library/Fonts/Arial Unicode.ttf"), 0),
    (Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"), 0),
)
LATIN_SYSTEM_CANDIDATES: tuple[tuple[Path, Path | None], ...] = (
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/TTF/DejaVuSans.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf")),
    (_WIN_FONTS / "arial.ttf", _WIN_FONTS / "arialbd.ttf"),
    (Path("/Library/Fonts/Arial.ttf"), Path("/Library/Fonts/Arial Bold.ttf")),
)
CJK_PROBE = "中文张伟"   # a CJK font must cover these


class FontNotFoundError(UserError):
    """No usable TrueType font was found (message says where we looked and what to install)."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont: int = 0


@dataclass
class RegisteredFont:
    name: str                 # ReportLab font name
    bold: str                 # ReportLab font name used for bold
    path: Path
    cmap: frozenset[int]      # code points the font maps to a glyph
    ps_name: str = ""         # PostScript name as it appears (subset-prefixed) in the PDF
    bold_face: "RegisteredFont | None" = None   # CJK: the bold subset (covers part of cmap)


@dataclass
class FontSet:
    latin: RegisteredFont
    cjk: RegisteredFont | None
    notes: list[str] = field(default_factory=list)
    # loads the CJK font on first need (documents not in zh_CN); None once tried
    cjk_loader: Callable[[], RegisteredFont | None] | None = field(default=None, repr=False)

    def font_for(self, ch: str) -> RegisteredFont | None:
        cp = ord(ch)
        if cp in self.latin.cmap:
            return self.latin
        if self.cjk_loader is not None:
            self._load_cjk()
        if self.cjk is not None and cp in self.cjk.cmap:
            return self.cjk
        return None

    def _load_cjk(self) -> None:
        with _LOCK:
            if self.cjk_loader is not None:
                self.cjk = self.cjk_loader()
                self.cjk_loader = None

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no registered font can print (whitespace ignored)."""
        return [ch for ch in text if not ch.isspace() and self.font_for(ch) is None]

    def runs(self, text: str, bold: bool = False
             ) -> tuple[list[tuple[RegisteredFont, str]], list[str]]:
        """Split text into (font, chunk) runs by glyph coverage (Latin first, then CJK; for
        ``bold`` text the bold CJK face where it has the character).

        A character neither font has becomes PLACEHOLDER and is returned in the missing list.
        """
        out: list[tuple[RegisteredFont, str]] = []
        missing: list[str] = []
        current: RegisteredFont | None = None
        run: list[str] = []
        for ch in text:
            if ch.isspace():
                font = current or self.latin
                if ord(ch) not in font.cmap:    # e.g. a space inside a bold CJK run
                    font = self.font_for(ch) or self.latin
            else:
                font = self.font_for(ch)
                if font is None:
                    missing.append(ch)
                    ch, font = PLACEHOLDER, self.font_for(PLACEHOLDER) or self.latin
                elif bold and font.bold_face is not None and ord(ch) in font.bold_face.cmap:
                    font = font.bold_face
            if font is not current:
                if run:
                    out.append((current, "".join(run)))
                    run = []
                current = font
            run.append(ch)
        if run:
            out.append((current, "".join(run)))
        return out, missing

    def markup(self, text: str, bold: bool = False) -> tuple[str, list[str]]:
        """Paragraph markup with ``<font face>`` runs; unprintable characters become PLACEHOLDER.
        ``bold``: the text will be set in ``<b>``; CJK runs then name the bold CJK face.

        Returns (markup, missing characters). The text is XML-escaped here.
        """
        runs, missing = self.runs(text, bold)
        parts = [escape(chunk) if font is self.latin else f'<font face="{font.name}">{escape(chunk)}</font>'
                 for font, chunk in runs]
        return "".join(parts), missing


_LOCK = threading.RLock()
_CACHE: dict[tuple, FontSet] = {}
_CJK_CACHE: dict[tuple, tuple[RegisteredFont | None, list[str]]] = {}


def _load_ttf(name: str, ff: FontFile) -> TTFont | None:
    """Return a ReportLab TTFont or None when the file is missing / not TrueType outlines."""
    if not ff.path.is_file():
        return None
    try:
        return TTFont(name, str(ff.path), subfontIndex=ff.subfont)
    except (TTFError, OSError, struct.error, ValueError, KeyError, IndexError, AssertionError):
        # e.g. "postscript outlines are not supported" for CFF .otf; a damaged or truncated file
        # fails anywhere in ReportLab's parser
        return None


def _site_fonts(folder: Path) -> list[Path]:
    """Fonts a site dropped into the resource folder, other than the bundled ones."""
    if not folder.is_dir():
        return []
    bundled = {CJK_FILE, CJK_BOLD_FILE, LATIN_FILE, LATIN_BOLD_FILE}
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in (".ttf", ".ttc") and p.name not in bundled)


def _env_candidate(var: str) -> list[FontFile]:
    value = os.environ.get(var)
    return [FontFile(Path(value))] if value else []


def cjk_candidates(resource_dir: Path | None = None,
                   system: tuple[tuple[Path, int], ...] | None = None) -> list[FontFile]:
    """Where a CJK font is looked for, in order: env, bundled, site-dropped, system.

    Defaults are read at call time (RESOURCE_FONTS, CJK_SYSTEM_CANDIDATES), so a test can take
    the system fonts away by patching the module constant."""
    resource_dir = RESOURCE_FONTS if resource_dir is None else resource_dir
    system = CJK_SYSTEM_CANDIDATES if system is None else system
    site = [p for p in _site_fonts(resource_dir) if not p.stem.lower().startswith("dejavu")]
    return (_env_candidate("EPRO_CJK_FONT") + [FontFile(resource_dir / CJK_FILE)]
            + [FontFile(p) for p in site] + [FontFile(p, i) for p, i in system])


def find_cjk_font(resource_dir: Path | None = None,
                  system: tuple[tuple[Path, int], ...] | None = None):
    """First TrueType font with CJK glyphs: (FontFile, TTFont) or (None, searched paths)."""
    searched = []
    for ff in cjk_candidates(resource_dir, system):
        searched.append(str(ff.path))
        font = _load_ttf("EPRO-CJK", ff)
        if font is not None and all(ord(c) in font.face.charToGlyph for c in CJK_PROBE):
            return ff, font
    return None, searched


def find_latin_font(resource_dir: Path | None = None,
                    system: tuple[tuple[Path, Path | None], ...] | None = None):
    """First Latin TrueType font (regular, bold or None) found, or (None, None, searched)."""
    resource_dir = RESOURCE_FONTS if resource_dir is None else resource_dir
    system = LATIN_SYSTEM_CANDIDATES if system is None else system
    pairs: list[tuple[FontFile, FontFile | None]] = [
        (ff, None) for ff in _env_candidate("EPRO_LATIN_FONT")]
    pairs.append((FontFile(resource_dir / LATIN_FILE), FontFile(resource_dir / LATIN_BOLD_FILE)))
    for p in _site_fonts(resource_dir):
        if p.stem.lower().startswith("dejavusans") and "bold" not in p.stem.lower():
            bold = p.with_name(p.stem + "-Bold" + p.suffix)
            pairs.append((FontFile(p), FontFile(bold) if bold.is_file() else None))
    pairs += [(FontFile(r), FontFile(b) if b else None) for r, b in system]
    searched = []
    for regular, bold in pairs:
        searched.append(str(regular.path))
        font = _load_ttf("EPRO-Latin", regular)
        if font is not None and all(ord(c) in font.face.charToGlyph for c in "Aa0"):
            bold_font = _load_ttf("EPRO-Latin-Bold", bold) if bold else None
            bold_path = bold.path if bold_font is not None else None
            return (font, regular.path), (bold_font, bold_path), searched
    return None, (None, None), searched


def _cjk_font(resource_dir: Path, system: tuple[tuple[Path, int], ...]):
    """Find and register the CJK font once per process: (RegisteredFont or None, searched)."""
    key = (str(resource_dir), system, os.environ.get("EPRO_CJK_FONT"))
    with _LOCK:
        if key not in _CJK_CACHE:
            ff, font_or_searched = find_cjk_font(resource_dir, system)
            if ff is None:
                _CJK_CACHE[key] = (None, font_or_searched)
            else:
                font = font_or_searched
                # distinct internal names per file so two font sets in one process never collide
                font.fontName = _unique_name("EPRO-CJK", ff.path)
                pdfmetrics.registerFont(font)
                for bold in (0, 1):
                    for italic in (0, 1):
                        addMapping(font.fontName, bold, italic, font.fontName)
                bold = _cjk_bold_font(resource_dir)
                reg = RegisteredFont(font.fontName, bold.name if bold else font.fontName,
                                     ff.path, frozenset(font.face.charToGlyph), _ps(font),
                                     bold_face=bold)
                _CJK_CACHE[key] = (reg, [])
        return _CJK_CACHE[key]


def _cjk_bold_font(resource_dir: Path) -> RegisteredFont | None:
    """The bundled bold CJK subset, registered (bold and regular map to itself), or None when
    it is missing or damaged (bold Chinese then prints in the regular weight)."""
    ff = FontFile(resource_dir / CJK_BOLD_FILE)
    font = _load_ttf("EPRO-CJKBold", ff)
    if font is None:
        return None
    font.fontName = _unique_name("EPRO-CJKBold", ff.path)
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font.fontName, bold, italic, font.fontName)
    return RegisteredFont(font.fontName, font.fontName, ff.path,
                          frozenset(font.face.charToGlyph), _ps(font))


def load_fonts(resource_dir: Path | None = None, *,
               cjk_system: tuple[tuple[Path, int], ...] | None = None,
               latin_system: tuple[tuple[Path, Path | None], ...] | None = None,
               require_cjk: bool = True) -> FontSet:
    """Find, register (once per process) and return the fonts for PDFs.

    ``require_cjk`` (zh_CN documents) loads the CJK font now and raises FontNotFoundError when
    there is none; otherwise it is loaded only when text needs it. Raises FontNotFoundError when
    no TrueType font at all is found. Without a Latin font the CJK font prints Latin text too.
    Defaults (read at call time): RESOURCE_FONTS and the module's system candidate lists.
    """
    resource_dir = RESOURCE_FONTS if resource_dir is None else resource_dir
    cjk_system = CJK_SYSTEM_CANDIDATES if cjk_system is None else cjk_system
    latin_system = LATIN_SYSTEM_CANDIDATES if latin_system is None else latin_system
    key = (str(resource_dir), cjk_system, latin_system, require_cjk,
           os.environ.get("EPRO_CJK_FONT"), os.environ.get("EPRO_LATIN_FONT"))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        latin_pair, bold_pair, latin_searched = find_latin_font(resource_dir, latin_system)
        latin, latin_path = latin_pair if latin_pair else (None, None)
        latin_bold, bold_path = bold_pair
        cjk_reg = None
        if require_cjk or latin is None:
            cjk_reg, cjk_searched = _cjk_font(resource_dir, cjk_system)
            if cjk_reg is None and require_cjk:
                raise FontNotFoundError(
                    "no TrueType font with Chinese characters found for the PDF; the app's own "
                    f"resources/fonts/{CJK_FILE} is missing or damaged (reinstall the app), or "
                    "install WenQuanYi Micro Hei (Debian/Ubuntu: apt-get install "
                    "fonts-wqy-microhei) or put a .ttf/.ttc CJK font in resources/fonts/ (CFF "
                    ".otf files cannot be embedded). Looked in: " + ", ".join(cjk_searched))
            if cjk_reg is None:
                raise FontNotFoundError(
                    "no TrueType font found for the PDF; the app's own resources/fonts/"
                    f"{LATIN_FILE} is missing or damaged (reinstall the app), or install DejaVu "
                    "Sans (fonts-dejavu-core). Looked in: " + ", ".join(latin_searched))
        notes: list[str] = []
        if latin is not None:
            latin.fontName = _unique_name("EPRO-Latin", latin_path)
            pdfmetrics.registerFont(latin)
            bold_name = latin.fontName
            if latin_bold is not None:
                latin_bold.fontName = _unique_name("EPRO-LatinBold", bold_path)
                pdfmetrics.registerFont(latin_bold)
                bold_name = latin_bold.fontName
            else:
                notes.append("no bold Latin font found; bold text prints in the regular weight")
            addMapping(latin.fontName, 0, 0, latin.fontName)
            addMapping(latin.fontName, 0, 1, latin.fontName)
            addMapping(latin.fontName, 1, 0, bold_name)
            addMapping(latin.fontName, 1, 1, bold_name)
            latin_reg = RegisteredFont(latin.fontName, bold_name, latin_path,
                                       frozenset(latin.face.charToGlyph), _ps(latin))
            result = FontSet(latin=latin_reg, cjk=cjk_reg, notes=notes)
            if cjk_reg is None:
                result.cjk_loader = lambda: _cjk_font(resource_dir, cjk_system)[0]
        else:
            notes.append("no Latin TrueType font found; the CJK font prints Latin text")
            result = FontSet(latin=cjk_reg, cjk=None, notes=notes)
        _CACHE[key] = result
        return result


def _ps(font: TTFont) -> str:
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _unique_name(prefix: str, path: Path) -> str:
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def describe(fonts: FontSet) -> str:
    """One line for logs/diagnostics (paths only, no patient data)."""
    cjk = fonts.cjk.path if fonts.cjk else ("on first use" if fonts.cjk_loader else "none")
    return f"latin={fonts.latin.path} cjk={cjk}" + (f" ({'; '.join(fonts.notes)})" if fonts.notes else "")


if __name__ == "__main__":   # python -m reports.fonts: show what would be used
    try:
        print(describe(load_fonts()))
    except FontNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
