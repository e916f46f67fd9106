"""Fonts shipped with the app (see README.md here): names the PDF and Qt code look for first."""
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
CJK_FILE = "ePRODeskSansSC-Regular.ttf"         # subset of Noto Sans CJK SC, TrueType outlines
CJK_BOLD_FILE = "ePRODeskSansSC-Bold.ttf"       # PDF headings: Noto Sans CJK SC Bold, PDF text only
LATIN_FILE = "DejaVuSans.ttf"                   # subset of DejaVu Sans
LATIN_BOLD_FILE = "DejaVuSans-Bold.ttf"
CJK_FAMILY = "ePRO Desk Sans SC"                # family name inside CJK_FILE
LATIN_FAMILY = "DejaVu Sans"
