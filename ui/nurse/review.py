"""Review screen: answers as the patient saw them, scores, alerts, paradata flags, audit history."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from forms.instrument import load_instrument, localize
from forms.liver import stored_score
from forms.paradata import instrument_blocks
from forms.registry import registry
from forms.sf36 import SCALES
from storage.services import AnswerValue, VisitHistory
from ui.i18n import current_language
from ui.nurse import clinical_history
from ui.nurse.history_pane import ValueHistoryPane
from ui.nurse.view_data import InstrumentReview, ReviewAnswer, VisitReview
from ui.widgets.timefmt import local_time_text
from ui.widgets.wrapping import WrappingDelegate

ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1
CLINICAL_ROLE = Qt.ItemDataRole.UserRole + 2     # key of a clinician-assessment value
QUESTION_COLUMN = 1

#: the signature meanings storage knows (storage.services.MEANINGS), marked for translation: the
#: stored meaning stays English, as signed; the screen shows it in the UI language
KNOWN_MEANINGS = (QT_TRANSLATE_NOOP("ReviewWidget", "reviewed and approved"),
                  QT_TRANSLATE_NOOP("ReviewWidget", "reviewed"))


def _num(v: Any, places: int = 1) -> str:
    return "—" if v is None else (f"{v:.{places}f}" if isinstance(v, float) else str(v))


class ReviewWidget(QWidget):
    correct_requested = Signal(int, object)   # administration id, ReviewAnswer
    sign_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self.review: VisitReview | None = None
        self._history = VisitHistory()
        self.signature_label = QLabel()
        self.signature_label.setObjectName("review_signature")
        self.signature_label.setWordWrap(True)
        self.signature_label.setTextFormat(Qt.TextFormat.RichText)
        self.tree = QTreeWidget()
        self.tree.setObjectName("review_answers")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("No."), self.tr("Question (as shown)"),
                                   self.tr("Answer"), self.tr("Changes")])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        h = self.tree.header()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(False)
        self.tree.setColumnWidth(2, 170)
        # questions wrap over several lines (never cut to a few characters): the row heights
        # are laid out again whenever a column's width changes
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree, QUESTION_COLUMN))
        h.sectionResized.connect(lambda *_: self.tree.scheduleDelayedItemsLayout())
        self.tree.currentItemChanged.connect(self._selection_changed)
        self.scores = QTextBrowser()
        self.scores.setObjectName("review_scores")
        self.history = ValueHistoryPane()
        self.correct_button = QPushButton(self.tr("Correct selected answer…"))
        self.correct_button.setObjectName("review_correct")
        self.correct_button.setEnabled(False)
        self.correct_button.clicked.connect(self._correct_clicked)
        self.sign_button = QPushButton(self.tr("Sign visit…"))
        self.sign_button.setObjectName("review_sign")
        self.sign_button.clicked.connect(self.sign_requested)
        self._can_correct = True

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.scores)
        hist = QWidget()
        hl = QVBoxLayout(hist)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QLabel(self.tr("History of the selected value")))
        hl.addWidget(self.history)
        right.addWidget(hist)
        right.setSizes([420, 160])
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([720, 300])
        buttons = QHBoxLayout()
        buttons.addWidget(self.signature_label, 1)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.sign_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(split, 1)

    # -- permissions -----------------------------------------------------------------------
    def set_permissions(self, *, can_correct: bool, can_sign: bool) -> None:
        self._can_correct = can_correct
        self._can_sign = can_sign
        self._update_sign_button()
        self._selection_changed()

    def _update_sign_button(self) -> None:
        """Signable: an investigator, a visit shown, and no valid signature on it (storage
        refuses a second signature too; a correction makes it signable again)."""
        can = getattr(self, "_can_sign", False)
        signed = self.review is not None and self.review.signature_state == "signed"
        self.sign_button.setEnabled(can and self.review is not None and not signed)
        self.sign_button.setToolTip(
            self.tr("Only an investigator can sign.") if not can else
            self.tr("This visit is signed; it needs a new signature only after a correction.")
            if signed else "")

    # -- content ---------------------------------------------------------------------------
    def set_review(self, review: VisitReview | None, history: VisitHistory | None = None) -> None:
        """The visit as storage stored it and, from ``storage.services.value_history``, the story
        of each of its values (the history pane)."""
        self.review = review
        self._history = history or VisitHistory()
        self.tree.clear()
        self.history.clear()
        if review is None:
            self.scores.clear()
            self.signature_label.clear()
            self._update_sign_button()
            return
        for ins in review.instruments:
            top = QTreeWidgetItem([self._instrument_header(ins), "", "", ""])
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)         # the instrument's line across the table
            for a in ins.answers:
                top.addChild(self._answer_item(ins, a))
            top.setExpanded(True)
        self._add_clinical_rows()
        self.scores.setHtml(self._scores_html(review))
        self._show_signature(review)
        self._update_sign_button()
        self._selection_changed()

    def _add_clinical_rows(self) -> None:
        """The clinician assessment's stored values, each with its own history."""
        rows = clinical_history.ordered(self._history.clinical)
        if not rows:
            return
        top = QTreeWidgetItem([self.tr("Clinician assessment"), "", "", ""])
        f = top.font(0)
        f.setBold(True)
        top.setFont(0, f)
        self.tree.addTopLevelItem(top)
        top.setFirstColumnSpanned(True)
        for h in rows:
            it = QTreeWidgetItem(["", clinical_history.field_label(h.key),
                                  clinical_history.value_text(h.key, h.current),
                                  str(len(h.changes) or "")])
            it.setData(0, CLINICAL_ROLE, h.key)
            if h.changes:
                it.setForeground(3, QBrush(QColor("#b00020")))
            top.addChild(it)
        top.setExpanded(True)

    def select_clinical(self, key: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, CLINICAL_ROLE) == key:
                    self.tree.setCurrentItem(top.child(j))
                    return True
        return False

    def _instrument_header(self, ins: InstrumentReview) -> str:
        parts = [ins.title, f"v{ins.version}", self._language_name(ins.language),
                 self._status_text(ins.status)]
        if ins.text_version:
            parts.insert(3, self.tr("text %1").replace("%1", ins.text_version))
        if ins.submitted_at:
            parts.append(self.tr("submitted %1").replace("%1", local_time_text(ins.submitted_at,
                                                                               seconds=False)))
        return " · ".join(parts)

    def _language_name(self, lang: str) -> str:
        """The language the patient was shown, by name (never its code)."""
        return {"en": self.tr("English"), "zh_CN": self.tr("Simplified Chinese")}.get(lang, lang)

    def _status_text(self, status: str) -> str:
        return {"submitted": self.tr("submitted"), "in_progress": self.tr("in progress"),
                "interrupted": self.tr("interrupted")}.get(status, status)

    def _skip_text(self, reason: str) -> str:
        return {"prefer_not_to_answer": self.tr("skipped: prefers not to answer"),
                "dont_understand": self.tr("skipped: does not understand"),
                "not_applicable": self.tr("skipped: not applicable")}.get(
            reason, self.tr("skipped: %1").replace("%1", reason))

    def _answer_item(self, ins: InstrumentReview, a: ReviewAnswer) -> QTreeWidgetItem:
        if a.not_applicable:
            ans = self.tr("not applicable (not shown)")
        elif a.skipped_reason:
            ans = self._skip_text(a.skipped_reason)
        elif a.answer is None:
            ans = self.tr("not answered")
        else:
            ans = f"{a.answer} ({a.code})"
        it = QTreeWidgetItem([str(a.number), a.text, ans, str(a.change_count or "")])
        it.setData(0, ANSWER_ROLE, (ins.administration_id, a))
        it.setToolTip(1, a.text)
        if a.skipped_reason or a.answer is None:
            it.setForeground(2, QBrush(QColor("#a15c00")))
        if a.change_count:
            it.setForeground(3, QBrush(QColor("#b00020")))
        return it

    def _alert_html(self, s: Any) -> list[str]:
        alert = s.get("alert")
        if not alert:
            return []
        color = "#b00020" if alert == "red" else "#a15c00"
        return [f"<p style='color:{color}'><b>{self.tr('ALERT')}: {alert.upper()}"
                f"</b> {html.escape(', '.join(map(str, s.get('alert_reasons') or [])))}</p>"]

    def _scores_html(self, r: VisitReview) -> str:
        h = []
        for ins in r.instruments:
            s = ins.scores
            h.append(f"<h3>{html.escape(ins.title)}</h3>")
            entry = registry().find(ins.instrument_id)
            layout = entry.layout if entry is not None else None
            if layout == "sf36":
                h.append("<table cellspacing=0 cellpadding=2 border=1>"
                         f"<tr><th></th><th>{self.tr('RAND-36 (0–100)')}</th>"
                         f"<th>{self.tr('SF-36 v1 (0–100)')}</th><th>T</th></tr>")
                for sc in SCALES:
                    h.append(f"<tr><td>{sc.upper()}</td><td>{_num(s.get(f'rand_{sc}'))}</td>"
                             f"<td>{_num(s.get(f'sf36_{sc}'))}</td>"
                             f"<td>{_num(s.get(f'sf36_{sc}_t'))}</td></tr>")
                h.append("</table>")
                h.append(f"<p><b>PCS</b> {_num(s.get('sf36_pcs'))} &nbsp; "
                         f"<b>MCS</b> {_num(s.get('sf36_mcs'))} "
                         f"<small>({self.tr('norm-based, mean 50')})</small></p>")
            elif layout == "symptoms":
                h.append(f"<p><b>RSS</b> {_num(s.get('rss'))} / 16 &nbsp; <b>TSB</b> "
                         f"{_num(s.get('tsb'))} / 100 &nbsp; <b>NMOD</b> {_num(s.get('nmod'))}</p>")
                if s.get("rss_change") is not None:
                    h.append(f"<p>{self.tr('Change from baseline')}: RSS {_num(s.get('rss_change'))}"
                             f", TSB {_num(s.get('tsb_change'))}</p>")
                cats = s.get("category") or {}
                if cats:
                    h.append("<p>" + self.tr("Symptom vs baseline") + ": " + ", ".join(
                        f"{k} {html.escape(str(v))}" for k, v in cats.items() if v) + "</p>")
                h += self._alert_html(s)
                h.append(f"<p><small>{self.tr('Study-specific checklist, not yet validated.')}"
                         f"</small></p>")
            elif entry is not None and entry.scores:    # layout "scores": the registry's scores
                lang = current_language()
                h.append("<table cellspacing=0 cellpadding=2 border=1>" + "".join(
                    f"<tr><td>{html.escape(d.text(lang))}</td><td>{_num(s.get(d.key))}</td></tr>"
                    for d in entry.scores if d.shown) + "</table>")
                h += self._alert_html(s)
            for f in ins.flags:
                h.append(f"<p style='color:#a15c00'>⚑ {html.escape(self._flag_text(f, ins))}</p>")
        if r.clinical:
            h.append(f"<h3>{self.tr('Clinician assessment')}</h3><p>")
            h.append(" &nbsp; ".join(self._stored_score_html(r.clinical.get("derived"), key, lab)
                                     for lab, key in ((self.tr("Child-Pugh"), "child_pugh"),
                                                      ("MELD", "meld"), ("MELD-Na", "meld_na"),
                                                      ("MELD 3.0", "meld3"))))
            h.append("</p>")
        return "".join(h)

    def _stored_score_html(self, derived: dict | None, key: str, label: str) -> str:
        """A liver score as storage stored it with the assessment (never recomputed here)."""
        e = stored_score(derived, key)
        if e is None or e["score"] is None:
            return f"<b>{label}</b> —"
        text = f"<b>{label}</b> {e['score']}"
        if e["class"]:
            text += " (" + self.tr("class %1").replace("%1", html.escape(str(e["class"]))) + ")"
        return text

    def _flag_text(self, f, ins: InstrumentReview) -> str:
        """A paradata flag in words: the block named by its item numbers and the repeated
        answer by its label (a block id or an answer code is no text for a user)."""
        if f.id == "fast_completion":
            return self.tr("Completed in under 2 minutes (%1 s)").replace("%1", f"{f.seconds:.0f}")
        if f.id == "identical_block":
            ids = dict(instrument_blocks(load_instrument(ins.instrument_id).items)).get(f.block, [])
            shown = [a for a in ins.answers if a.item_id in ids]
            numbers = [a.number for a in shown]
            items = (f"{min(numbers)}–{max(numbers)}" if numbers else "")
            label = next((a.answer for a in shown if a.code == f.code and a.answer), str(f.code))
            return (self.tr("Identical answers to items %1 (%2 items, all “%3”)")
                    .replace("%1", items).replace("%2", str(f.n_items)).replace("%3", label))
        return self.tr("Unusual answering pattern")

    def _show_signature(self, r: VisitReview) -> None:
        state = r.signature_state
        if state == "unsigned":
            self.signature_label.setText(self.tr("Not signed yet."))
            return
        s = r.signatures[-1]
        text = (self.tr("Signed by %1 on %2 — meaning: %3")
                .replace("%1", html.escape(s.signer_name)).replace("%2", local_time_text(s.signed_at))
                .replace("%3", html.escape(self.meaning_text(s.meaning))))
        if state == "resign_required":
            self.signature_label.setText(
                "<span style='color:#b00020'><b>" + self.tr("Re-signature required")
                + "</b></span> — " + text + " (" + self.tr("invalidated") + ")")
        else:
            self.signature_label.setText("<span style='color:#1b5e20'>✔</span> " + text)

    def meaning_text(self, meaning: str) -> str:
        """A stored signature meaning for display: translated if it is a known meaning, else
        shown as stored (it is what the signer signed)."""
        return self.tr(meaning) if meaning in KNOWN_MEANINGS else meaning

    def selected(self) -> tuple[int, ReviewAnswer] | None:
        it = self.tree.currentItem()
        return None if it is None else it.data(0, ANSWER_ROLE)

    def select_item(self, item_id: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                ch = top.child(j)
                data = ch.data(0, ANSWER_ROLE)
                if data is not None and data[1].item_id == item_id:
                    self.tree.setCurrentItem(ch)
                    return True
        return False

    def _selection_changed(self, *_) -> None:
        sel = self.selected()
        self.correct_button.setEnabled(self._can_correct and sel is not None)
        self.history.clear()
        item = self.tree.currentItem()
        key = item.data(0, CLINICAL_ROLE) if item is not None else None
        if key is not None:
            self.history.show_history(self._history.clinical.get(key),
                                      lambda v: clinical_history.value_text(key, v))
            return
        if sel is None:
            return
        adm_id, a = sel
        self.history.show_history(self._history.answer(adm_id, a.item_id),
                                  lambda v: self.value_text(adm_id, a.item_id, v))

    def value_text(self, administration_id: int, item_id: str, v: AnswerValue | None) -> str:
        """A stored answer value as the screen names it: the option label in the GUI language
        (the code after it, as in the answer column), the skip reason, or not applicable."""
        if v is None or v.status is None:
            return self.tr("not answered")
        if v.status == "not_applicable":
            return self.tr("not applicable (not shown)")
        if v.status == "skipped":
            return self._skip_text(v.skip_reason or "")
        ins = next((i for i in self.review.instruments
                    if i.administration_id == administration_id), None) if self.review else None
        label = None
        if ins is not None:
            loc = localize(load_instrument(ins.instrument_id), current_language())
            label = dict(loc.options(item_id)).get(v.code)
        return f"{label} ({v.code})" if label else str(v.code)

    def _correct_clicked(self) -> None:
        sel = self.selected()
        if sel is not None:
            self.correct_requested.emit(sel[0], sel[1])
