"""Staff alerts at the workstation (issue 12 item 7): the notice after login listing every
unacknowledged alert with its reason, and acknowledging one (nurse / investigator; audited by
storage with the optional note).

The reason is the stored reason key + parameters put into words by ``reports.alert_text`` (the
same words as the visit summary's alert box), never a key. Loads and the acknowledgement run off
the GUI thread (``run_task``); the dialog is not modal, so the workstation stays usable.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QLineEdit, QListView,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from reports.alert_text import alert_level, alert_words
from ui.i18n import current_language
from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task
from ui.widgets.timefmt import local_time_text

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow

CTX = "AlertsNotice"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
FROM_PATIENT_ROLE = Qt.ItemDataRole.UserRole + 2
#: AlertInfo.source of an alert raised by a patient's answers (the others come from data staff
#: entered: adverse events, deaths, HCC, Child-Pugh)
PATIENT_SOURCE = "answer"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def alert_line(a: Any, lang: str, label_of: Any = None) -> str:
    """"RED — DEMO-0003, Week 4 — Black or bloody stools: patient answered Yes — 2026-…"
    (``label_of``: visit code -> the protocol's label; the code without it)."""
    visit = (label_of(a.visit_code) if label_of else a.visit_code) if a.visit_code else ""
    where = a.subject_id + (f", {visit}" if visit else "")
    return " \u2014 ".join((alert_level(a.severity, lang), where, alert_words(a, lang),
                            local_time_text(a.raised_at, seconds=False)))


class AlertsNoticeDialog(QDialog):
    def __init__(self, window: "NurseMainWindow", alerts: list[Any]) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("alerts_notice")
        self.setWindowTitle(_tr("Unacknowledged alerts"))
        self.setModal(False)
        lay = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setObjectName("alerts_notice_intro")
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.list = QListWidget()
        self.list.setObjectName("alerts_notice_list")
        # long lines wrap at the dialog's width: nothing is cut off, no sideways scrolling
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lang = current_language()
        label_of = window.work.visits.label_of if window.work is not None else None
        # the patients' warning signs first, then what staff data raised (stable within)
        for a in sorted(alerts, key=lambda a: a.source != PATIENT_SOURCE):
            item = QListWidgetItem(alert_line(a, lang, label_of))
            item.setData(ID_ROLE, a.id)
            item.setData(FROM_PATIENT_ROLE, a.source == PATIENT_SOURCE)
            self.list.addItem(item)
        lay.addWidget(self.list, 1)
        self.note = QLineEdit()
        self.note.setObjectName("alerts_notice_note")
        self.note.setPlaceholderText(_tr("Note (optional), e.g. what was done"))
        self.note.setMaxLength(1000)
        lay.addWidget(self.note)
        self.message = QLabel()
        self.message.setObjectName("alerts_notice_message")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.ack_button = QPushButton(_tr("Acknowledge selected alert"))
        self.ack_button.setObjectName("alerts_notice_ack")
        self.ack_button.clicked.connect(self._acknowledge)
        close = QPushButton(_tr("Close"))
        close.setObjectName("alerts_notice_close")
        close.clicked.connect(self.close)
        row.addWidget(self.ack_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.list.setCurrentRow(0)
        self.resize(900, 420)
        self._count()

    def _count(self) -> None:
        n = self.list.count()
        patients = sum(1 for i in range(n) if self.list.item(i).data(FROM_PATIENT_ROLE))
        self.intro.setText(_tr("Alerts not acknowledged yet: %1. From patients' answers "
                               "(warning signs): %2. From data entered by staff (adverse "
                               "events, deaths, liver cancer, Child-Pugh): %3.")
                           .replace("%1", str(n)).replace("%2", str(patients))
                           .replace("%3", str(n - patients)))
        self.ack_button.setEnabled(self.list.count() > 0)

    def _acknowledge(self) -> None:
        item = self.list.currentItem()
        w = self.window_
        if item is None or w.actor is None:
            return
        alert_id, note, actor = int(item.data(ID_ROLE)), self.note.text(), w.actor
        ack = w.backend.acknowledge_alert
        self.ack_button.setEnabled(False)
        run_task(lambda: ack(actor, alert_id, note or None), lambda _r: self._done(item),
                 self._failed, receiver=self)

    def _done(self, item: QListWidgetItem) -> None:
        self.list.takeItem(self.list.row(item))
        self.note.clear()
        self.message.setText(_tr("Acknowledged (recorded in the audit trail)."))
        self._count()
        if self.window_.work is not None:
            self.window_.reload_patients()          # the alert column follows

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(_tr("The alert could not be acknowledged: %1")
                             .replace("%1", user_message(str(exc))))
        self._count()


def attach_alerts_notice(window: "NurseMainWindow") -> None:
    """After each staff login that may acknowledge alerts, list the unacknowledged ones."""
    def logged_in(actor: Any) -> None:
        if not window.can("acknowledge_alert"):
            return
        run_task(window.backend.alerts, show, lambda exc: None, receiver=window)

    def show(alerts: list[Any]) -> None:
        if not alerts or window.actor is None:
            return
        dlg = AlertsNoticeDialog(window, alerts)
        window.alerts_notice = dlg
        dlg.show()

    window.alerts_notice = None
    window.logged_in.connect(logged_in)
