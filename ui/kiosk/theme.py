"""Kiosk look: dark text on white, one dark-blue accent, sizes scaled by the patient's choice.

Contrast (WCAG relative luminance) of every text/background pair below is at least 7:1; the
kiosk tests compute it. Body text is 18 pt at 100 %; every touch target is at least 56 px high
at 100 % (48 px is the floor), except the birth-year number pad's keys, 52 px, so the whole pad
and both buttons fit on a 1280x800 screen without scrolling.
"""
from __future__ import annotations

SCALES = (1.0, 1.25, 1.5, 2.0)

TEXT = "#111111"
BACKGROUND = "#ffffff"
ACCENT = "#0b3d91"            # buttons, selected answer (white text on it)
ACCENT_TEXT = "#ffffff"
MUTED_BG = "#eef1f6"          # panels, disabled buttons
MUTED_TEXT = "#2b2b2b"
WARNING_BG = "#8b0000"        # "tell the nurse now" panel (white text on it)
NOTICE_BG = "#fff4d6"         # language fallback notice (dark text on it)
NOTICE_BORDER = "#7a5200"

CONTRAST_PAIRS = {
    "body": (TEXT, BACKGROUND), "accent": (ACCENT_TEXT, ACCENT), "muted": (MUTED_TEXT, MUTED_BG),
    "warning": (ACCENT_TEXT, WARNING_BG), "notice": (TEXT, NOTICE_BG),
    "option": (TEXT, BACKGROUND), "border": (ACCENT, BACKGROUND),
}

BODY_PT = 18
MIN_TARGET_PX = 56
FLOOR_TARGET_PX = 48          # the top bar's buttons in the compact layout (never smaller)
PAD_KEY_PX = 52               # identity screen number pad (still above the 48 px floor)

# Large text sizes reflow instead of scrolling (issue 12 item 2): from COMPACT_FROM on, spacing
# shrinks, the progress bar and the "Text size:" caption are dropped, the top bar, the button
# bar labels and a grid's repeated instruction (stem) stay at their 125 % size, and headings
# grow no further than body text. Body text, every question and every answer are always
# BODY_PT x the chosen size. Touch targets grow with the text up to TARGET_CAP x 56 px (84 px);
# a longer answer makes its button taller anyway.
COMPACT_FROM = 1.5
TARGET_CAP = 1.5


def compact(scale: float) -> bool:
    """True when screens use the compact layout (large text sizes)."""
    return scale >= COMPACT_FROM


def target_px(scale: float, base: int = MIN_TARGET_PX) -> int:
    """Minimum height of a touch target at this text size."""
    return int(base * min(scale, TARGET_CAP))


def heading_pt(base: float, scale: float) -> int:
    """A heading's size: ``base`` pt grown with the text up to 150 %, never below body text."""
    return int(round(max(BODY_PT * scale, base * min(scale, TARGET_CAP))))


def spacing(base: int, scale: float) -> int:
    """Gaps between parts of a screen: half as large in the compact layout."""
    return int(base * scale / (2 if compact(scale) else 1))


def _lum(hex_color: str) -> float:
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_lum(fg), _lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def pt(base: float, scale: float) -> int:
    return int(round(base * scale))


def stylesheet(scale: float) -> str:
    """The whole kiosk style sheet for one text size (applied to the kiosk window)."""
    s = scale
    target = target_px(s)
    key = target_px(s, PAD_KEY_PX)
    bar = min(s, 1.25 if compact(s) else 1.5)     # the header stays compact at large sizes
    nav = min(s, 1.25 if compact(s) else s)        # buttons: big targets, text as at 125 %
    # the grid stem (the same instruction above every item of a grid, read once), the progress
    # line and the "more below" hint: at large sizes they stay at their 125 % size, so that the
    # question and every answer fit at the chosen one
    stem = min(s, 1.25 if compact(s) else s)
    return f"""
QWidget#KioskRoot, QWidget#ScreenBody, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {BACKGROUND}; color: {TEXT}; }}
QLabel {{ color: {TEXT}; font-size: {pt(BODY_PT, s)}pt; }}
QLabel[role="title"] {{ font-size: {heading_pt(28, s)}pt; font-weight: bold; }}
QLabel[role="headline"] {{ font-size: {heading_pt(30, s)}pt; font-weight: bold; }}
QLabel[role="question"] {{ font-size: {heading_pt(22, s)}pt; font-weight: bold; }}
QLabel[role="stem"] {{ font-size: {pt(BODY_PT, stem)}pt; background: {MUTED_BG}; color: {MUTED_TEXT};
    padding: {spacing(8, s)}px; border-radius: 6px; }}
QLabel[role="notice"] {{ background: {NOTICE_BG}; color: {TEXT}; border: 2px solid {NOTICE_BORDER};
    padding: {spacing(10, s)}px; }}
QLabel[role="progress"] {{ font-size: {pt(BODY_PT, stem)}pt; font-weight: bold; }}
QLabel[role="hint"] {{ font-size: {pt(BODY_PT, stem)}pt; background: {NOTICE_BG}; color: {TEXT};
    border: 2px solid {NOTICE_BORDER}; padding: {spacing(6, s)}px; }}
QLabel[role="barlabel"] {{ font-size: {pt(BODY_PT, bar)}pt; }}
QLabel[inverted="true"] {{ color: {ACCENT_TEXT}; }}
QLabel[dim="true"] {{ color: {MUTED_TEXT}; }}
QFrame#WarningPanel {{ background: {WARNING_BG}; border-radius: 8px; }}
QFrame#WarningPanel QLabel {{ color: {ACCENT_TEXT}; background: {WARNING_BG}; }}
QFrame#StationStoppedPanel {{ background: {WARNING_BG}; border-radius: 8px; }}
QFrame#StationStoppedPanel QLabel {{ color: {ACCENT_TEXT}; background: {WARNING_BG}; }}
QLabel#StationStoppedHeadline {{ font-size: {heading_pt(44, s)}pt; font-weight: bold; }}
QLabel#StationStoppedText {{ font-size: {heading_pt(26, s)}pt; }}
QLabel[role="option"] {{ font-size: {heading_pt(20, s)}pt; }}
QLabel[role="navbutton"] {{ font-size: {pt(20, nav)}pt; }}
QFrame#TopBar {{ background: {MUTED_BG}; border-bottom: 2px solid {ACCENT}; }}
QFrame#TopBar QLabel {{ color: {MUTED_TEXT}; background: {MUTED_BG}; }}
QFrame#NavBar {{ background: {BACKGROUND}; border-top: 2px solid {MUTED_BG}; }}
QPushButton {{ font-size: {pt(20, nav)}pt; min-height: {target - 2 * (3 + int(6 * s))}px; color: {TEXT};
    background: {BACKGROUND}; border: 3px solid {ACCENT}; border-radius: 10px;
    padding: {int(6 * s)}px {int(14 * s)}px; }}
QPushButton:checked {{ background: {ACCENT}; color: {ACCENT_TEXT}; border-color: {ACCENT}; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: {ACCENT_TEXT}; }}
QPushButton[open="true"] {{ background: {NOTICE_BG}; border-color: {NOTICE_BORDER}; }}
QPushButton:disabled {{ background: {MUTED_BG}; color: {MUTED_TEXT}; border: 3px dashed {MUTED_TEXT}; }}
QPushButton:focus {{ border: 4px solid {TEXT}; }}
QPushButton[padkey="true"] {{ min-height: {key - 2 * (3 + int(4 * s))}px;
    padding: {int(4 * s)}px {int(14 * s)}px; }}
QPushButton[role="barbutton"] {{ font-size: {pt(BODY_PT, bar)}pt; min-height: {FLOOR_TARGET_PX if compact(s) else target_px(min(s, 1.25))}px;
    padding: 2px {int(10 * bar)}px; }}
QLineEdit {{ font-size: {pt(22, s)}pt; min-height: {target}px; color: {TEXT};
    background: {BACKGROUND}; border: 3px solid {ACCENT}; border-radius: 6px; padding: 4px 10px; }}
QProgressBar {{ min-height: {int(24 * s)}px; border: 2px solid {ACCENT}; border-radius: 6px;
    background: {BACKGROUND}; color: {TEXT}; text-align: center; font-size: {pt(14, s)}pt; }}
QProgressBar::chunk {{ background: {ACCENT}; }}
QWidget#OverlayBackdrop {{ background: rgba(0, 0, 0, 150); }}
QFrame#OverlayCard {{ background: {BACKGROUND}; border: 4px solid {ACCENT}; border-radius: 12px; }}
QScrollBar:vertical {{ width: {int(28 * min(s, 1.5))}px; background: {MUTED_BG}; }}
QScrollBar::handle:vertical {{ background: {ACCENT}; min-height: 60px; border-radius: 6px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
"""
