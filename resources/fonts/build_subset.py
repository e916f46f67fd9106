"""Rebuild the bundled font subsets (run by hand when the app's text changes; never at install).

    python3 -m venv /tmp/fontenv && /tmp/fontenv/bin/pip install fonttools
    apt-get download fonts-noto-cjk fonts-dejavu-core     # or use the installed system files
    dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto              # (the same for DejaVu)
    /tmp/fontenv/bin/python resources/fonts/build_subset.py \\
        --cjk /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        --cjk-bold /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc \\
        --dejavu-dir /usr/share/fonts/truetype/dejavu

CJK: face "Noto Sans CJK SC" (index 2 of the collection) is cut down to the characters the app
uses (``coverage.cjk_wanted``: every character in the translations, instruments, study files and
PDF labels, plus GB2312 level-1 hanzi, GB2312 symbols, CJK punctuation and full-width forms),
its CFF outlines converted to TrueType quadratic outlines (ReportLab embeds only glyf fonts; max
error 1 font unit of 1000), given the line height of DejaVu Sans, and renamed "ePRO Desk Sans SC"
(a Modified Version under the OFL; the new name also keeps Qt from mixing it up with an
installed Noto font). Bold CJK (PDF headings only, never loaded by Qt): face "Noto Sans CJK SC
Bold" cut down to ``coverage.cjk_bold_wanted`` (the wide characters of the PDF-side sources, no
GB2312 margin, so it stays small), same conversion and metrics, named "ePRO Desk Sans SC" Bold.
Latin: DejaVu Sans and Sans Bold cut down to ``coverage.LATIN_RANGES``.
fontTools is needed here only, not by the app. The output is deterministic (no timestamps).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

if __package__ in (None, ""):   # run as a script: make ``resources`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from resources.fonts import coverage  # noqa: E402

NOTO_SC_INDEX = 2        # Noto Sans CJK SC inside NotoSansCJK-Regular.ttc
MAX_ERR = 1.0            # cubic -> quadratic tolerance, font units
KEEP_NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]


def _subset(font: TTFont, codepoints: set[int], *, hinting: bool) -> set[int]:
    cmap = font.getBestCmap()
    keep = sorted(cp for cp in codepoints if cp in cmap)
    opts = subset.Options()
    opts.name_IDs = KEEP_NAME_IDS
    opts.name_languages = ["*"]
    opts.hinting = hinting
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.layout_features = ["*"]
    opts.drop_tables += ["DSIG", "BASE"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=keep)
    sub.subset(font)
    return set(keep)


def _cff_to_glyf(font: TTFont) -> None:
    """CFF outlines -> TrueType quadratic (the fontTools ``otf2ttf`` recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0          # no glyph names: smaller, nobody needs them
    font.sfntVersion = "\x00\x01\x00\x00"


def _match_line_metrics(font: TTFont, latin: TTFont) -> None:
    """Give the CJK face the Latin face's line height (ascent/descent as a share of the em).

    Noto CJK's own 1.448 em line would make every line with a Chinese character 25 % taller than
    a Latin one in Qt (kiosk layouts are sized for the Latin line); the ideographs (-0.1..0.86 em)
    fit inside DejaVu's 0.928/-0.236. The Windows clipping box (usWin*) stays as it was, and
    USE_TYPO_METRICS makes every platform read the same typo values.
    """
    upm, lupm = font["head"].unitsPerEm, latin["head"].unitsPerEm
    ascent = round(latin["hhea"].ascent * upm / lupm)
    descent = round(latin["hhea"].descent * upm / lupm)     # negative
    font["hhea"].ascent, font["hhea"].descent, font["hhea"].lineGap = ascent, descent, 0
    os2 = font["OS/2"]
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, descent, 0
    os2.fsSelection |= 1 << 7
    if os2.version < 4:
        os2.version = 4


def _rename(font: TTFont, family: str, ps_name: str, note: str, style: str = "Regular") -> None:
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (16, 17, 18, 21, 22, 25):
            name.removeNames(nameID=rec.nameID)
    version = font["head"].fontRevision
    for plat, enc, lang in ((3, 1, 0x409), (1, 0, 0)):
        name.setName(family, 1, plat, enc, lang)
        name.setName(style, 2, plat, enc, lang)
        name.setName(f"{version:.3f};{ps_name}", 3, plat, enc, lang)
        name.setName(family if style == "Regular" else f"{family} {style}", 4, plat, enc, lang)
        name.setName(ps_name, 6, plat, enc, lang)
        name.setName(note, 10, plat, enc, lang)
    # names in other languages (e.g. the Chinese family name) still say "Noto": drop them
    for rec in list(name.names):
        if rec.nameID in (1, 4) and not rec.toUnicode().startswith(family):
            name.names.remove(rec)


def build_cjk(source: Path, index: int, latin_source: Path, out: Path) -> int:
    font = TTFont(source, fontNumber=index, lazy=False, recalcTimestamp=False)
    kept = _subset(font, coverage.cjk_wanted(), hinting=False)
    _cff_to_glyf(font)
    _match_line_metrics(font, TTFont(latin_source))
    _rename(font, coverage.CJK_FAMILY, "ePRODeskSansSC-Regular",
            "Subset of Noto Sans CJK SC Regular 2.004 (SIL OFL 1.1) made for ePRO Desk by "
            "resources/fonts/build_subset.py: characters the app uses + GB2312 level 1; "
            "outlines converted to TrueType.")
    font.save(out)
    return len(kept)


def build_cjk_bold(source: Path, index: int, latin_source: Path, out: Path) -> int:
    font = TTFont(source, fontNumber=index, lazy=False, recalcTimestamp=False)
    kept = _subset(font, coverage.cjk_bold_wanted(), hinting=False)
    _cff_to_glyf(font)
    _match_line_metrics(font, TTFont(latin_source))
    _rename(font, coverage.CJK_FAMILY, "ePRODeskSansSC-Bold",
            "Subset of Noto Sans CJK SC Bold 2.004 (SIL OFL 1.1) made for ePRO Desk by "
            "resources/fonts/build_subset.py: characters of the PDF headings and labels; "
            "outlines converted to TrueType.", style="Bold")
    font.save(out)
    return len(kept)


def build_latin(source: Path, out: Path) -> int:
    font = TTFont(source, recalcTimestamp=False)
    kept = _subset(font, coverage.latin_wanted(), hinting=True)
    font.save(out)
    return len(kept)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cjk", type=Path, required=True, help="NotoSansCJK-Regular.ttc")
    ap.add_argument("--cjk-bold", type=Path, help="NotoSansCJK-Bold.ttc (the bold PDF subset)")
    ap.add_argument("--only-bold", action="store_true",
                    help="rebuild the bold CJK subset only (the other files stay as they are)")
    ap.add_argument("--cjk-index", type=int, default=NOTO_SC_INDEX)
    ap.add_argument("--dejavu-dir", type=Path, default=Path("/usr/share/fonts/truetype/dejavu"))
    args = ap.parse_args(argv)
    if args.cjk_bold is not None:
        n = build_cjk_bold(args.cjk_bold, args.cjk_index, args.dejavu_dir / "DejaVuSans.ttf",
                           coverage.CJK_BOLD_FONT)
        print(f"{coverage.CJK_BOLD_FONT.name}: {n} characters, "
              f"{coverage.CJK_BOLD_FONT.stat().st_size} bytes")
        if args.only_bold:
            return 0
    n = build_cjk(args.cjk, args.cjk_index, args.dejavu_dir / "DejaVuSans.ttf", coverage.CJK_FONT)
    print(f"{coverage.CJK_FONT.name}: {n} characters, {coverage.CJK_FONT.stat().st_size} bytes")
    for src, out in ((args.dejavu_dir / "DejaVuSans.ttf", coverage.LATIN_FONT),
                     (args.dejavu_dir / "DejaVuSans-Bold.ttf", coverage.LATIN_BOLD_FONT)):
        n = build_latin(src, out)
        print(f"{out.name}: {n} characters, {out.stat().st_size} bytes")
    cmap = TTFont(coverage.CJK_FONT).getBestCmap()
    missing = sorted(c for c in coverage.used_chars() if coverage.is_cjk(c) and ord(c) not in cmap)
    if missing:
        print("not in the source font: " + " ".join(f"U+{ord(c):04X}" for c in missing),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
