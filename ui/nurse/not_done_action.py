""""Questionnaire not done…" on the patient's visit view: a nurse records that a questionnaire of
the selected visit was not done (which one, a reason of ``forms.not_done``, optional text —
required for "Other"); storage checks the role, refuses a questionnaire submitted or being
answered at a kiosk (a paused one may be recorded: its answers are kept), audits it and sets
the visit status by the rule. The visit's questionnaire line then shows what storage stored:
"Not done — reason" (``VisitPanel.set_not_done``).

The dialog only collects input; the service call is ``storage.services.mark_not_done``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from forms.errors import UserError
from forms.not_done import OTHER, REASONS, TEXT_MAX, reason_label, reason_text
from forms.registry import instrument_name
from storage import services as sv
from ui.i18n import current_language
from ui.nurse.patient_dialogs import InputDialog
from ui.widgets.errors import error_text
from ui.widgets.tasks import run_task

if TYPE_CHECKING:
    from ui.nurse.main_window import NurseMainWindow


class NotDoneDialog(InputDialog):
    """Which questionnaire, why (controlled list), optional words (required for "Other")."""

    def __init__(self, visit_label: str, questionnaires: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("not_done_dialog")
        self.setWindowTitle(self.tr("Questionnaire not done"))
        self.setMinimumWidth(520)
        lang = current_language()
        self.questionnaire = QComboBox()
        self.questionnaire.setObjectName("not_done_questionnaire")
        for iid in questionnaires:
            self.questionnaire.addItem(instrument_name(iid, lang), iid)
        self.reason = QComboBox()
        self.reason.setObjectName("not_done_reason")
        for code in REASONS:
            self.reason.addItem(reason_label(code, lang), code)
        self.reason.setCurrentIndex(-1)
        self.reason.setPlaceholderText(self.tr("— choose the reason —"))
        self.text = QLineEdit()
        self.text.setObjectName("not_done_text")
        self.text.setMaxLength(TEXT_MAX)
        self.text.setPlaceholderText(self.tr("Optional; required for \"Other\""))
        form = QFormLayout()
        form.addRow(self.tr("Visit"), QLabel(visit_label))
        form.addRow(self.tr("Questionnaire"), self.questionnaire)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Details"), self.text)
        self._finish(form, self.tr("The questionnaire is no longer offered at the kiosk for "
                                   "this visit (answers a patient already gave to a paused "
                                   "one are kept); the reason is kept in the audit trail."))
        for sig in (self.questionnaire.currentIndexChanged, self.reason.currentIndexChanged,
                    self.text.textChanged):
            sig.connect(self._update)

    def _update(self) -> None:
        self.ok_button().setEnabled(
            self.questionnaire.currentIndex() >= 0 and self.reason.currentIndex() >= 0
            and (self.reason_code() != OTHER or bool(self.details())))

    def instrument_id(self) -> str:
        return self.questionnaire.currentData() or ""

    def reason_code(self) -> str:
        return self.reason.currentData() or ""

    def details(self) -> str:
        return self.text.text().strip()


class WithdrawNotDoneDialog(InputDialog):
    """"It is done after all": which not-done record to withdraw, and why (required)."""

    def __init__(self, visit_label: str, records: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withdraw_not_done_dialog")
        self.setWindowTitle(self.tr("Withdraw a not-done record"))
        self.setMinimumWidth(520)
        lang = current_language()
        self.questionnaire = QComboBox()
        self.questionnaire.setObjectName("withdraw_not_done_questionnaire")
        for iid, why in records.items():
            self.questionnaire.addItem(f"{instrument_name(iid, lang)} — {why}", iid)
        self.reason = QLineEdit()
        self.reason.setObjectName("withdraw_not_done_reason")
        self.reason.setPlaceholderText(self.tr("Why, e.g. the patient can answer it now "
                                               "(required)"))
        form = QFormLayout()
        form.addRow(self.tr("Visit"), QLabel(visit_label))
        form.addRow(self.tr("Questionnaire"), self.questionnaire)
        form.addRow(self.tr("Reason"), self.reason)
        self._finish(form, "")
        self.reason.textChanged.connect(self._update)

    def _update(self) -> None:
        self.ok_button().setEnabled(self.questionnaire.currentIndex() >= 0
                                    and bool(self.reason_text()))

    def instrument_id(self) -> str:
        return self.questionnaire.currentData() or ""

    def reason_text(self) -> str:
        return self.reason.text().strip()


class NotDoneAction(QObject):
    recorded = Signal(int)              # visit id, once the visit view shows the stored record

    def __init__(self, win: "NurseMainWindow") -> None:
        super().__init__(win.work)      # destroyed with the work area at logout
        self.setObjectName("not_done_action")
        self.win = win
        self.db: Any = win.backend.db
        self.dialog: NotDoneDialog | None = None
        self.withdraw_dialog: WithdrawNotDoneDialog | None = None
        self.shown: tuple[int | None, dict[str, str]] = (None, {})   # visit id, records
        panel = win.work.visits
        self.button = QPushButton(self.tr("Questionnaire not done…"))
        self.button.setObjectName("not_done_button")
        self.button.setToolTip(self.tr("Record that a questionnaire of this visit was not "
                                       "done (refused, too unwell…), with the reason."))
        self.button.clicked.connect(self.open_dialog)
        panel.add_visit_button(self.button)
        self.withdraw_button = QPushButton(self.tr("Done after all…"))
        self.withdraw_button.setObjectName("withdraw_not_done_button")
        self.withdraw_button.setToolTip(self.tr("Withdraw a not-done record of this visit, "
                                                "with the reason; it is offered again."))
        self.withdraw_button.clicked.connect(self.open_withdraw)
        self.withdraw_button.setVisible(False)          # only while a record is shown
        panel.add_visit_button(self.withdraw_button)
        win.visit_loaded.connect(self._load)

    def _load(self, visit_id: int) -> None:
        """After a visit loads: its not-done records, shown in the questionnaire line."""
        db, lang, work = self.db, current_language(), self.win.work

        def shown(recs: list) -> None:
            if self.win.work is work and work is not None:
                self.shown = (visit_id, {r.instrument_id: reason_text(r.reason, r.text, lang)
                                         for r in recs})
                work.visits.set_not_done(visit_id, self.shown[1])
                self.withdraw_button.setVisible(bool(recs))
        run_task(lambda: sv.visit_not_done(db, visit_id), shown, self.win._fail,
                 receiver=work)

    def open_dialog(self) -> NotDoneDialog | None:
        work = self.win.work
        visit = work.visits.current_visit() if work is not None else None
        if visit is None or self.win.patient_info is None:
            return None
        if not self.win.can("start_administration"):
            text = self.tr("Your role may not record questionnaires; nothing was changed.")
            self.win.statusBar().showMessage(text, 15000)
            self.win.action_failed.emit(text)
            return None
        left = list(sv.remaining_battery(self.db, visit.id))
        if not left:
            text = self.tr("Every questionnaire of this visit is submitted or recorded not "
                           "done.")
            self.win.statusBar().showMessage(text, 15000)
            self.win.action_failed.emit(text)
            return None
        dlg = NotDoneDialog(work.visits.label_of(visit.code), left, self.win)
        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(lambda: self._record(dlg, visit.id))
        dlg.open()
        self.dialog = dlg
        return dlg

    def open_withdraw(self) -> WithdrawNotDoneDialog | None:
        work = self.win.work
        visit = work.visits.current_visit() if work is not None else None
        if visit is None or self.shown[0] != visit.id or not self.shown[1]:
            return None
        dlg = WithdrawNotDoneDialog(work.visits.label_of(visit.code), self.shown[1], self.win)
        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(lambda: self._withdraw(dlg, visit.id))
        dlg.open()
        self.withdraw_dialog = dlg
        return dlg

    def _refused(self, dlg: Any, exc: BaseException) -> None:
        if isinstance(exc, sv.PermissionDenied):
            dlg.message.setText(self.tr("Your role may not do this; nothing was changed."))
        elif isinstance(exc, UserError):
            dlg.message.setText(error_text(exc))
        else:
            dlg.message.setText(self.tr("Something went wrong; nothing was changed."))
        self.win.action_failed.emit(dlg.message.text())

    def _withdraw(self, dlg: WithdrawNotDoneDialog, visit_id: int) -> None:
        try:
            sv.withdraw_not_done(self.db, self.win.actor, visit_id, dlg.instrument_id(),
                                 reason=dlg.reason_text())
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, nothing saved
            self._refused(dlg, exc)
            return
        dlg.accept()
        self._reload(visit_id, self.tr("Not-done record withdrawn; the questionnaire is "
                                       "offered again."))

    def _record(self, dlg: NotDoneDialog, visit_id: int) -> None:
        try:
            sv.mark_not_done(self.db, self.win.actor, visit_id, dlg.instrument_id(),
                             reason=dlg.reason_code(), text=dlg.details() or None)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, nothing saved
            self._refused(dlg, exc)
            return
        dlg.accept()
        self._reload(visit_id, self.tr("Recorded as not done; the reason is in the audit "
                                       "trail."))

    def _reload(self, visit_id: int, done_text: str) -> None:
        """The visit list again (the status storage set), the visit selected (its
        questionnaires and records reload); ``recorded`` once shown."""
        work, patient_id, db = self.win.work, self.win.patient_id, self.db

        def shown(visits: list) -> None:
            if self.win.work is not work or self.win.patient_id != patient_id:
                return
            work.visits.set_visits(patient_id, visits)      # the status storage set
            work.visits.select_id(visit_id)                 # reloads its questionnaires
            self.recorded.emit(visit_id)
        run_task(lambda: sv.patient_visits(db, patient_id), shown, self.win._fail,
                 receiver=work)
        self.win.statusBar().showMessage(done_text, 8000)


def attach_not_done_action(win: Any) -> NotDoneAction:
    """Called after login (the work area exists)."""
    win.not_done_action = NotDoneAction(win)
    return win.not_done_action
