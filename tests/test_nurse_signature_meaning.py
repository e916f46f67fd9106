"""The signature meaning is stored in English (as signed) and shown in the screen's language."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QCoreApplication

from resources.translations import build
from storage.services import MEANINGS
from ui.nurse.review import KNOWN_MEANINGS, ReviewWidget
from ui.nurse.translations import install_nurse_translator
from ui.nurse.view_data import SignatureInfo, VisitReview


def _review(meaning: str, status: str = "valid") -> VisitReview:
    sig = SignatureInfo(1, "Dr Demo", meaning, datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc),
                        status)
    return VisitReview(visit_id=7, visit_code="W4", instruments=(), signatures=(sig,))


@pytest.fixture
def zh():
    assert build.main() == 0
    tr = install_nurse_translator("zh_CN")
    assert tr is not None
    yield
    QCoreApplication.instance().removeTranslator(tr)


def test_every_stored_meaning_has_a_display_label():
    assert set(KNOWN_MEANINGS) == set(MEANINGS)


@pytest.mark.parametrize("meaning, shown", [("reviewed and approved", "已审阅并批准"),
                                            ("reviewed", "已审阅")])
def test_meaning_translated_on_chinese_review(qtbot, zh, meaning, shown):
    w = ReviewWidget()
    qtbot.addWidget(w)
    review = _review(meaning)
    w.set_review(review)
    text = w.signature_label.text()
    assert shown in text and meaning not in text
    assert review.signatures[0].meaning == meaning      # the stored value is untouched
    w.set_review(_review(meaning, "invalidated"))       # re-signature required: same label
    assert shown in w.signature_label.text()


def test_meaning_english_and_unknown_meaning_as_stored(qtbot):
    w = ReviewWidget()
    qtbot.addWidget(w)
    w.set_review(_review("reviewed and approved"))
    assert "meaning: reviewed and approved" in w.signature_label.text()
    w.set_review(_review("Invalid"))                    # never matched against other strings
    assert w.meaning_text("Invalid") == "Invalid" and "Invalid" in w.signature_label.text()


def test_unknown_meaning_not_translated_in_chinese(qtbot, zh):
    w = ReviewWidget()
    qtbot.addWidget(w)
    other = "invalidated"                   # a ReviewWidget message, but not a meaning
    assert QCoreApplication.translate("ReviewWidget", other) != other
    assert w.meaning_text(other) == other
