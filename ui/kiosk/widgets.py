"""Shared kiosk widgets: word-wrapping buttons, the screen frame, the top bar, overlays."""
from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QScroller, QSizePolicy, QVBoxLayout, QWidget)

from ui.kiosk import theme


def label(text: str, role: str = "body", parent: QWidget | None = None,
          name: str | None = None) -> QLabel:
    lab = QLabel(text, parent)
    lab.setWordWrap(True)
    lab.setProperty("role", role)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if name:
        lab.setObjectName(name)
        lab.setAccessibleName(name)
    return lab


def repolish(w: QWidget) -> None:
    w.style().unpolish(w)
    w.style().polish(w)


class WrapButton(QPushButton):
    """A push button whose text wraps over several lines (long answers, Chinese, 200 %)."""

    def __init__(self, text: str, scale: float, parent: QWidget | None = None, *,
                 role: str = "option", primary: bool = False, checkable: bool = False,
                 target_px: int = theme.MIN_TARGET_PX) -> None:
        super().__init__(parent)
        self._min_h = theme.target_px(scale, target_px)
        self.setCheckable(checkable)
        self.setProperty("primary", primary)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        lay = QHBoxLayout(self)
        pad = theme.spacing(6, scale)
        lay.setContentsMargins(pad + 10, pad, pad + 10, pad)
        self.label = label(text, role, self)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
                                if role == "option" else Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.label, 1)
        self.setAccessibleName(text)
        self.toggled.connect(lambda _c: self._restyle())
        self._restyle()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self.label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()       # the enclosing layout caches this button's height

    def text(self) -> str:
        return self.label.text()

    def _restyle(self) -> None:
        inverted = (self.isChecked() or bool(self.property("primary"))) and self.isEnabled()
        dim = not self.isEnabled()
        if self.label.property("inverted") == inverted and self.label.property("dim") == dim:
            return                          # unchanged: skip the costly re-polish
        self.label.setProperty("inverted", inverted)
        self.label.setProperty("dim", dim)
        if self.label.isVisible() or self.label.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
            repolish(self.label)

    def changeEvent(self, ev) -> None:  # noqa: N802
        super().changeEvent(ev)
        if ev.type() == ev.Type.EnabledChange:
            self._restyle()

    def sizeHint(self) -> QSize:  # noqa: N802
        s = self.layout().totalSizeHint()
        return QSize(s.width(), max(s.height(), self._min_h))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        s = self.layout().totalMinimumSize()
        return QSize(s.width(), max(s.height(), self._min_h))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, w: int) -> int:  # noqa: N802
        return max(self.layout().totalHeightForWidth(w), self._min_h)


class MoreHint(QLabel):
    """The "more below" banner: a tap on it scrolls the screen down by a page."""

    tapped = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("MoreBelowHint")
        self.setAccessibleName(text)
        self.setProperty("role", "hint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def mousePressEvent(self, ev) -> None:  # noqa: N802
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.LeftButton:
            self.tapped.emit()
        ev.accept()


class ScreenBody(QWidget):
    """The scrolled part of a screen.

    Its minimum height is left to the layout's height for the *current* width (QScrollArea asks
    heightForWidth): the default minimum measures every word-wrapped label at its narrowest,
    which asks for more height than the screen needs and showed a scroll bar and the "more
    below" hint on screens that fit.
    """

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        s = super().minimumSizeHint()
        lay = self.layout()
        if lay is not None and lay.hasHeightForWidth():
            return QSize(s.width(), 0)
        return s


class Screen(QWidget):
    """One kiosk screen: a scrolling body (nothing clips at 200 %) and a fixed button bar."""

    title_text = ""

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = ScreenBody()
        self.body.setObjectName("ScreenBody")
        self.body_layout = QVBoxLayout(self.body)
        m = int(28 * min(scale, 1.5))
        v = theme.spacing(12, scale)
        self.body_layout.setContentsMargins(m, v, m, v)
        self.body_layout.setSpacing(v)
        self.scroll.setWidget(self.body)
        # a finger dragged over a long screen (review) scrolls it, as on a phone
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        root.addWidget(self.scroll, 1)
        # when a screen does not fit (long lists): say so plainly, a scroll bar is easy to miss;
        # the hint sits below the scrolled part (never over it) and a tap on it scrolls down
        self.more_hint = MoreHint(self.tr("▼ More below — scroll down"), self)
        self.more_hint.tapped.connect(self._page_down)
        self.more_hint.hide()
        root.addWidget(self.more_hint)
        sb = self.scroll.verticalScrollBar()
        sb.rangeChanged.connect(lambda *_: self._update_hint())
        sb.valueChanged.connect(lambda *_: self._update_hint())
        self.nav = QFrame(self)
        self.nav.setObjectName("NavBar")
        self.nav_layout = QHBoxLayout(self.nav)
        nv = theme.spacing(6 if theme.compact(scale) else 10, scale)
        self.nav_layout.setContentsMargins(m, nv, m, nv)
        self.nav_layout.setSpacing(int(16 * min(scale, theme.TARGET_CAP)))
        root.addWidget(self.nav)
        self.nav.hide()

    def _update_hint(self) -> None:
        sb = self.scroll.verticalScrollBar()
        # the shown hint takes room from the scrolled part: without it, would it all fit?
        hint = self.more_hint
        room = 0 if hint.isHidden() else hint.heightForWidth(max(self.width(), 1))
        self.more_hint.setVisible(sb.maximum() > room and sb.value() < sb.maximum())

    def _page_down(self) -> None:
        sb = self.scroll.verticalScrollBar()
        sb.setValue(sb.value() + sb.pageStep())

    def add(self, w: QWidget, stretch: int = 0) -> QWidget:
        self.body_layout.addWidget(w, stretch)
        return w

    def add_label(self, text: str, role: str = "body", name: str | None = None) -> QLabel:
        return self.add(label(text, role, name=name))  # type: ignore[return-value]

    def button(self, text: str, slot: Callable[[], None], *, name: str, primary: bool = False,
               nav: bool = False, role: str = "navbutton") -> WrapButton:
        b = WrapButton(text, self.scale, role=role, primary=primary)
        b.setObjectName(name)
        if nav:
            b.clicked.connect(lambda _checked=False: slot())
        else:
            # a finger that scrolled the screen between press and release dragged: no tap (a
            # slow machine can hand a drag over a review row back to the row as press + release)
            sb = self.scroll.verticalScrollBar()
            b.pressed.connect(lambda: b.setProperty("pressScroll", sb.value()))
            b.clicked.connect(lambda _checked=False: None if b.property("pressScroll")
                              != sb.value() else slot())
        if nav:
            self.nav.show()
            self.nav_layout.addWidget(b, 1)
        else:
            self.add(b)
        return b

    def on_key(self, key: int) -> bool:
        """Screen-specific keys (digits, Enter, Backspace); True if handled."""
        return False


class ElidedLabel(QLabel):
    """One line, shortened with "…" when narrow (the top-bar title; the full title is on the
    welcome screen and in the accessible name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setProperty("elided", True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                      max(self.width(), 1)))

    def resizeEvent(self, ev) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self._elide()

    def changeEvent(self, ev) -> None:  # noqa: N802
        super().changeEvent(ev)
        if ev.type() in (ev.Type.FontChange, ev.Type.StyleChange):
            self._elide()


class TopBar(QFrame):
    """Title, text-size control (100/125/150/200 %) and the staff button, on every screen."""

    scale_chosen = Signal(float)
    staff_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TopBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 6, 16, 6)
        self.title = ElidedLabel()
        self.title.setObjectName("TopBarTitle")
        self.title.setProperty("role", "barlabel")
        lay.addWidget(self.title, 1)
        self.size_label = label("", "barlabel")
        self.size_label.setWordWrap(False)
        lay.addWidget(self.size_label)
        self.group = QButtonGroup(self)
        self.size_buttons: dict[float, QPushButton] = {}
        for s in theme.SCALES:
            b = QPushButton(f"{int(s * 100)} %")
            b.setObjectName(f"TextSize{int(s * 100)}")
            b.setCheckable(True)
            b.setProperty("role", "barbutton")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.group.addButton(b)
            self.size_buttons[s] = b
            b.clicked.connect(lambda _c=False, s=s: self.scale_chosen.emit(s))
            lay.addWidget(b)
        self.staff = QPushButton()
        self.staff.setObjectName("StaffButton")
        self.staff.setProperty("role", "barbutton")
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff.clicked.connect(self.staff_requested)
        lay.addSpacing(12)
        lay.addWidget(self.staff)
        self.retranslate()

    def retranslate(self) -> None:
        self.size_label.setText(self.tr("Text size:"))
        self.size_label.setAccessibleName(self.tr("Text size"))
        self.staff.setText(self.tr("Staff"))
        self.staff.setAccessibleName(self.tr("Staff"))

    def set_scale(self, s: float) -> None:
        self.size_buttons[s].setChecked(True)
        compact = theme.compact(s)
        self.size_label.setVisible(not compact)     # "100 %" … speak for themselves there
        self.layout().setContentsMargins(16, 2 if compact else 6, 16, 2 if compact else 6)


class Overlay(QWidget):
    """A modal card drawn over the whole window (no nested event loop, easy to test)."""

    def __init__(self, parent: QWidget, scale: float, title: str, message: str,
                 buttons: Sequence[tuple[str, str, Callable[[], None], bool]],
                 name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        backdrop = QVBoxLayout(self)
        backdrop.setContentsMargins(0, 0, 0, 0)
        self.setProperty("overlay", True)
        self.setStyleSheet("")
        self.inner = QWidget(self)
        self.inner.setObjectName("OverlayBackdrop")
        self.inner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        backdrop.addWidget(self.inner)
        outer = QVBoxLayout(self.inner)
        scroll = QScrollArea(self.inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        holder = QWidget()
        hl = QVBoxLayout(holder)
        hl.addStretch(1)
        self.card = QFrame()
        self.card.setObjectName("OverlayCard")
        cl = QVBoxLayout(self.card)
        pad = int(24 * min(scale, 1.5))
        cl.setContentsMargins(pad, pad, pad, pad)
        cl.setSpacing(theme.spacing(14, scale))
        self.title_label = label(title, "title", name=f"{name}Title")
        cl.addWidget(self.title_label)
        self.message = label(message, "body", name=f"{name}Message")
        cl.addWidget(self.message)
        self.extra = QVBoxLayout()
        cl.addLayout(self.extra)
        self.buttons: dict[str, WrapButton] = {}
        for text, bname, slot, primary in buttons:
            b = WrapButton(text, scale, role="navbutton", primary=primary)
            b.setObjectName(bname)
            b.clicked.connect(lambda _checked=False, f=slot: f())
            cl.addWidget(b)
            self.buttons[bname] = b
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 6)
        row.addStretch(1)
        hl.addLayout(row)
        hl.addStretch(1)
        scroll.setWidget(holder)
        outer.addWidget(scroll)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def close_overlay(self) -> None:
        self.hide()
        self.deleteLater()
