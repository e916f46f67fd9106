"""Staff main window: login -> patient list + per-patient visits, clinical form, review, trends, audit.

All data go through a ``NurseBackend`` (ui/nurse/ports.py; ``StorageBackend`` over the storage
services, in the product and in the widget tests); loads run on the QThreadPool and come back by
signal. Role permissions are enforced by the services and mirrored here by disabling what the
role may not do (``storage.services.allowed``).
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from forms.errors import UserError
from storage.services import SignerIdRequired, allowed
from ui.i18n import current_language
from ui.nurse.clinical_load import ChangeReasonDialog, fill_form
from ui.nurse.audit_view import refresh_patient_panes
from ui.nurse.dialogs import CorrectDialog, SignDialog
from ui.nurse.enrol_dialog import EnrolDialog
from ui.nurse.export_dialog import attach_staff_tools
from ui.nurse.login import LoginWidget
from ui.nurse.outcome_report_menu import attach_outcome_report_menu
from ui.nurse.alerts_notice import attach_alerts_notice
from ui.nurse.kiosk_pin_dialog import attach_kiosk_pin_menu
from ui.nurse.password_dialog import attach_account_menu
from ui.nurse.today import attach_today
from ui.nurse.not_done_action import attach_not_done_action
from ui.nurse.patient_actions import attach_patient_actions
from ui.nurse.patient_table import ROW_ROLE
from ui.nurse.ports import NurseBackend
from ui.nurse.session_end import SessionGuard
from ui.nurse.work_area import WorkArea
from ui.widgets.errors import error_text
from ui.widgets.fit import STAFF_DESIGN_SIZE, STAFF_MINIMUM_SIZE, fit_to_screen
from ui.widgets.idle import DEFAULT_IDLE_MS, DEFAULT_WARN_MS, IdleWatcher
from ui.widgets.tasks import run_task
from ui.widgets.wheel_guard import install_wheel_guard


#: the designed size and the smallest size (ui/widgets/fit.py)
DESIGN_SIZE, MINIMUM_SIZE = STAFF_DESIGN_SIZE, STAFF_MINIMUM_SIZE


log = logging.getLogger(__name__)


class NurseMainWindow(QMainWindow):
    hand_to_kiosk = Signal(int, int)     # patient id, visit id: the app wires this to the kiosk
    logged_in = Signal(object)
    logged_out = Signal(str)             # "user" | "idle" | "kiosk"
    patients_loaded = Signal(int)
    patient_loaded = Signal(int)
    visit_loaded = Signal(int)
    action_failed = Signal(str)
    clinical_unchanged = Signal()        # Save pressed on a stored assessment without a change

    def __init__(self, backend: NurseBackend, *, demo: bool = False, idle_ms: int = DEFAULT_IDLE_MS,
                 idle_warn_ms: int = DEFAULT_WARN_MS, login: LoginWidget | None = None,
                 parent: QWidget | None = None) -> None:
        """``login``: the login screen the launcher showed while the database opened (what
        was typed stays); by default a new one."""
        super().__init__(parent)
        install_wheel_guard()          # a stray wheel never changes a grade or a unit
        self.setObjectName("nurse_main_window")
        self.backend = backend
        self.actor: Any = None
        self.work: WorkArea | None = None
        self.patient_id: int | None = None
        self.patient_info: Any = None
        self.visit_id: int | None = None
        self.setWindowTitle(self.tr("ePRO Desk — staff workstation"))
        fit_to_screen(self, DESIGN_SIZE, MINIMUM_SIZE)
        self.stack = QStackedWidget()
        self.login = login if login is not None else LoginWidget(backend.authenticate, demo=demo)
        self.login.set_authenticate(backend.authenticate)
        self.stack.addWidget(self.login)
        self.setCentralWidget(self.stack)
        self.idle = IdleWatcher(idle_ms, self, warn_ms=idle_warn_ms)
        self.idle.timed_out.connect(lambda: self.logout("idle"))
        self.session_guard = SessionGuard(self)        # countdown; closes dialogs at logout
        self.login.logged_in.connect(self._on_login)
        self.password_changer = attach_account_menu(self)     # "Change my password…"
        attach_kiosk_pin_menu(self)          # "Set my kiosk PIN…" (issue 12)
        attach_alerts_notice(self)           # unacknowledged alerts after each login
        self.statusBar().setObjectName("status_bar")
        if getattr(backend, "db", None) is not None:   # visit summary PDF menu (needs the DB)
            from ui.widgets.pdf_preview import attach_summary_menu
            attach_summary_menu(self, backend.db)
            attach_outcome_report_menu(self, backend.db)    # investigators (issue 15)

    # -- session -----------------------------------------------------------------------------
    def can(self, action: str) -> bool:
        return self.actor is not None and allowed(self.actor, action)

    def _on_login(self, actor: Any) -> None:
        if actor.must_change_password:      # an administrator's reset: a new password first
            self.password_changer.open(actor, forced=True)
            return
        self.actor = actor
        self.work = WorkArea(self)
        w = self.work
        role = {"nurse": self.tr("study nurse"), "investigator": self.tr("investigator"),
                "admin": self.tr("administrator")}.get(actor.role or "", actor.role or "")
        w.user_label.setText(self.tr("%1 — role: %2").replace("%1", self.backend.full_name(actor))
                             .replace("%2", role))
        w.logout_button.clicked.connect(lambda: self.logout("user"))
        w.enrol_button.clicked.connect(self.open_enrol)
        w.table.selectionModel().currentRowChanged.connect(self._patient_row_changed)
        w.visits.visit_selected.connect(self.load_visit)
        w.visits.hand_to_kiosk.connect(self.hand_to_kiosk)
        w.clinical.save_requested.connect(self.save_clinical)
        w.outcomes.saved.connect(lambda _r: (refresh_patient_panes(self), self.reload_patients()))
        w.review.correct_requested.connect(self.open_correct)
        w.review.sign_requested.connect(self.open_sign)
        self._apply_permissions()
        attach_staff_tools(self, w, actor)       # export button; admin screens
        attach_patient_actions(self)        # correct arm, add visit; visits by their labels
        attach_not_done_action(self)        # "Questionnaire not done…" on the visit view
        attach_today(self)                  # the Today view, first tab
        self.stack.addWidget(w)
        self.stack.setCurrentWidget(w)
        self.idle.start()
        self.logged_in.emit(actor)
        if self.can("view_patients"):
            self.reload_patients()
        else:
            w.patient_header.setText(self.tr("Administrators manage users, stations and study "
                                             "settings; they cannot see or edit clinical data."))

    def open_export(self):  # noqa: ANN201
        from ui.nurse.export_dialog import ExportDialog
        dlg = ExportDialog(self.backend.db.url, self.actor, self.can("export"), parent=self)
        dlg.open()
        self.export_dialog = dlg
        return dlg

    def _apply_permissions(self) -> None:
        w = self.work
        w.enrol_button.setEnabled(self.can("enrol_patient"))
        w.visits.set_permissions(can_hand=self.can("start_administration"))
        w.clinical.set_read_only(not self.can("enter_clinical_assessment"))
        w.review.set_permissions(can_correct=self.can("correct_answer"),
                                 can_sign=self.can("sign_visit"))
        w.audit.export_button.setEnabled(self.can("export") or self.can("view_audit"))
        for widget in (w.table, w.search, w.tabs):
            widget.setEnabled(self.can("view_patients"))

    def logout(self, why: str = "user") -> None:
        """End the session: audited (``auth.logout`` with ``why``), every dialog closed, the
        work area destroyed; unsaved entries are discarded and named on the login screen."""
        if self.actor is None:
            return
        self.idle.stop()
        discarded = self.session_guard.unsaved()
        self.session_guard.close_patient_windows()
        self.session_guard.end_session(self.actor, why)     # audited (kiosk: when it closes)
        self.actor = None
        self.patient_id = self.visit_id = None
        if self.work is not None:
            self.stack.removeWidget(self.work)
            self.work.deleteLater()   # destroy, not hide: no patient data left behind
            self.work = None
        msg = self.tr("You were logged out after a period of inactivity.") if why == "idle" else ""
        if discarded:
            msg = (msg + "\n" + self.tr("Not saved and discarded: %1.").replace(
                "%1", ", ".join(discarded))).strip()
        self.login.reset(msg)
        self.stack.setCurrentWidget(self.login)
        self.logged_out.emit(why)

    def end_handed_over_session(self) -> None:
        """The kiosk a patient used has closed: end the staff login it ran under."""
        self.session_guard.end_handed_over_session()

    def _fail(self, exc: BaseException) -> None:
        text = error_text(exc, self.tr(
            "Something went wrong; nothing was changed. Try again; if it happens again, tell "
            "the site administrator."))
        self.statusBar().showMessage(text, 15000)
        self.action_failed.emit(text)

    # -- loading -----------------------------------------------------------------------------
    def reload_patients(self) -> None:
        run_task(self.backend.list_patients, self._patients_ready, self._fail, receiver=self.work)

    def _patients_ready(self, rows: list) -> None:
        if self.work is None:
            return
        self.work.refilter(self.work.model.set_rows, rows)   # a reload never opens anybody
        self.patients_loaded.emit(len(rows))

    def _patient_row_changed(self, current, _previous=None) -> None:
        if not current.isValid() or self.work is None or self.work.resyncing:
            return          # the list changed under the selection: nobody clicked
        row = current.data(ROW_ROLE) or self.work.proxy.index(current.row(), 0).data(ROW_ROLE)
        self.select_patient(row.patient_id)

    def select_patient(self, patient_id: int) -> None:
        # clear the previous patient's screens at once: nothing of patient A may stay visible
        # (or be signed) while patient B loads
        self.patient_id = patient_id
        self.patient_info = None
        self.visit_id = None
        w = self.work
        w.open_patient_id = patient_id
        w.filter_note.hide()
        w.review.set_review(None)
        w.visits.set_visits(None, [])
        w.trends.set_points([])
        w.audit.set_rows([])
        w.patient_header.setText(self.tr("Loading…"))
        b = self.backend
        def load() -> tuple:
            info = b.patient(patient_id)
            return (info, b.patient_visits(patient_id), b.trend_points(patient_id),
                    b.audit(patient_id=patient_id), b.arm_label(info.arm))
        run_task(load, self._patient_ready, self._fail, receiver=self.work)

    def _patient_ready(self, bundle) -> None:
        info, visits, points, audit, arm = bundle
        w = self.work
        if w is None or info.id != self.patient_id:
            return
        self.patient_info = info
        w.patient_header.setText(f"{info.subject_id}  ·  {info.initials}  ·  {arm}")
        w.set_visit_context(info.subject_id, None)
        w.clinical.set_patient(sex=info.sex, birth_year=info.birth_year)
        w.trends.set_points(points)
        w.audit.set_rows(audit)
        w.visits.set_visits(info.id, visits)
        self.patient_loaded.emit(info.id)

    def load_visit(self, visit_id: int) -> None:
        self.visit_id = visit_id
        self._visit_gen = getattr(self, "_visit_gen", 0) + 1
        gen = self._visit_gen
        b = self.backend
        run_task(lambda: (gen, visit_id, b.visit_administrations(visit_id), b.review(visit_id),
                          b.value_history(visit_id)),
                 self._visit_ready, self._fail, receiver=self.work)

    def _visit_ready(self, bundle) -> None:
        gen, visit_id, adms, review, history = bundle
        w = self.work
        if w is None or gen != self._visit_gen:   # a newer load supersedes this one
            return
        w.visits.set_instrument_status(adms)
        visit = next((v for v in w.visits.visits if v.id == visit_id), None)
        if self.patient_info is not None and visit is not None:
            w.set_visit_context(self.patient_info.subject_id, visit)
        w.review.set_review(review, history)
        fill_form(w.clinical, dict(review.clinical) if review.clinical else None)
        w.clinical.set_read_only(not self.can("enter_clinical_assessment"))
        if self.patient_info is not None and visit is not None:
            w.outcomes.set_visit(self.backend, self.actor, self.patient_info, visit,
                                 read_only=not self.can("enter_clinical_assessment"))
        self.visit_loaded.emit(visit_id)

    # -- actions -----------------------------------------------------------------------------
    def open_enrol(self) -> EnrolDialog:
        dlg = EnrolDialog(self.backend.protocol(), self.backend.verify_investigator, self)
        dlg.accepted.connect(lambda: self._enrol(dlg.result_data(), dlg.override_actor))
        dlg.open()
        self.enrol_dialog = dlg
        return dlg

    def _enrol(self, data: dict, override_actor: Any = None) -> None:
        try:
            pid = self.backend.enrol(self.actor, override_actor=override_actor, **data)
            stored = self.backend.enrolment(pid)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing enrolled
            self._fail(exc)
            return
        self.last_enrolment = stored                  # what storage stored (tests, status)
        self.statusBar().showMessage(self.enrolled_text(data["subject_id"], stored), 15000)
        self.reload_patients()

    def enrolled_text(self, subject_id: str, stored: Any) -> str:
        """Status line from the STORED enrolment: arm (label in the GUI language), screening
        result, allocation number."""
        if stored is None:
            return self.tr("Patient %1 enrolled; visit schedule created.").replace("%1", subject_id)
        proto = self.backend.protocol()
        lang = current_language()
        try:
            label = proto.arm(stored.arm).label
            arm = label.get(lang) or label.get("en") or stored.arm
        except KeyError:
            arm = stored.arm
        result = {"eligible": self.tr("eligible"), "ineligible": self.tr("not eligible (override)"),
                  "undetermined": self.tr("not decided (override)")}[stored.result]
        text = self.tr("Patient %1 enrolled: %2, screening %3; visit schedule created.") \
            .replace("%1", subject_id).replace("%2", arm).replace("%3", result)
        if stored.allocation_sequence is not None:
            text += " " + self.tr("Allocation number %1.").replace(
                "%1", str(stored.allocation_sequence))
        return text

    def save_clinical(self, data: dict, reason: str | None = None) -> None:
        if self.visit_id is None:
            self._fail(UserError(self.tr("Select a visit first.")))
            return
        version = getattr(self.work.clinical, "existing_version", None)
        if data == self.work.clinical.loaded_values:    # nothing changed since it was loaded
            self.statusBar().showMessage(self.tr("No changes to save."), 8000)
            self.clinical_unchanged.emit()
            return
        if version is not None and reason is None:     # a change: storage requires a reason
            dlg = ChangeReasonDialog(self)
            dlg.accepted.connect(lambda: self.save_clinical(data, dlg.reason_text()))
            dlg.open()
            self.clinical_reason_dialog = dlg
            return
        if version is not None:
            data = {**data, "reason": reason, "expected_version": version}
        try:
            self.backend.save_clinical(self.actor, self.visit_id, data)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        self.statusBar().showMessage(self.tr("Clinical assessment saved."), 8000)
        refresh_patient_panes(self)          # audit trail and trends follow the change
        self.load_visit(self.visit_id)

    def open_correct(self, administration_id: int, answer) -> CorrectDialog:
        review = self.work.review.review
        ins = next(i for i in review.instruments if i.administration_id == administration_id)
        from forms.instrument import load_instrument, localize
        loc = localize(load_instrument(ins.instrument_id), ins.language)
        dlg = CorrectDialog(answer, loc.options(answer.item_id), self)
        dlg.accepted.connect(lambda: self._correct(administration_id, answer, dlg))
        dlg.open()
        self.correct_dialog = dlg
        return dlg

    def _correct(self, administration_id: int, answer, dlg: CorrectDialog) -> None:
        try:
            self.backend.correct_answer(self.actor, administration_id, answer.item_id,
                                        dlg.new_code(), reason=dlg.reason_text())
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        self.statusBar().showMessage(self.tr("Correction saved with its reason."), 8000)
        refresh_patient_panes(self)
        self.load_visit(self.visit_id)

    def open_sign(self) -> SignDialog | None:
        review = self.work.review.review
        info = self.patient_info
        if review is None or info is None or review.visit_id != self.visit_id:
            return None
        dlg = SignDialog(self.backend.full_name(self.actor), info.subject_id,
                         self.work.visits.label_of(review.visit_code), self,
                         needs_user_id=self.backend.signature_needs_user_id(self.actor))
        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(lambda: self._sign(dlg))
        dlg.open()
        self.sign_dialog = dlg
        return dlg

    def _sign(self, dlg: SignDialog) -> None:
        password = dlg.password.text()
        dlg.password.clear()
        try:
            self.backend.sign_visit(self.actor, self.visit_id, password=password,
                                    meaning=dlg.meaning_value(), username=dlg.user_id_value())
        except Exception as exc:  # noqa: BLE001 - wrong password keeps the dialog open
            if isinstance(exc, SignerIdRequired):
                dlg.set_needs_user_id(True)
            dlg.message.setText(error_text(exc, self.tr(
                "The visit was not signed because of an unexpected error; try again.")))
            self.action_failed.emit(dlg.message.text())
            return
        dlg.accept()
        self.statusBar().showMessage(self.tr("Visit signed."), 8000)
        refresh_patient_panes(self)
        self.load_visit(self.visit_id)
