"""GUI tests run offscreen: no display needed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import ShareScope
from mutualaid_desktop.store import Store
from mutualaid_desktop.ui.app import Controller, create_app
from mutualaid_desktop.ui.main_window import MainWindow
from mutualaid_desktop.ui.ops import QuietJob
from tests.conftest import TODAY


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    store = Store.create(path, organizer="Rosa", org_name="Eastside Mutual Aid")
    build_demo(store, households=40, seed=7, today=TODAY)
    store.close()
    return path


@pytest.fixture
def controller(qapp) -> Iterator[Controller]:
    create_app()
    c = Controller(qapp)
    yield c
    if c.window is not None:
        c.window.controller = None
        c.window.close()
    if c.session is not None:
        c.session.close()


@pytest.fixture
def window(controller: Controller, demo_db: Path, qtbot) -> MainWindow:
    assert controller.open_database(demo_db)
    assert controller.window is not None
    qtbot.addWidget(controller.window)
    return controller.window


@pytest.fixture
def confirm(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer Yes to every confirmation; the list records what was asked."""
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


class Questions(list[str]):
    """What was asked; `answer` is what to answer (None: the question is unexpected)."""

    answer: bool | None = None


@pytest.fixture(autouse=True)
def keep_editing(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """Answer "Keep editing or discard?" without a modal dialog; records what was asked.

    Set `keep_editing.answer = False` in a test to discard; an unexpected
    question fails the test instead of hanging it.
    """
    from mutualaid_desktop.ui.widgets import form

    asked = Questions()

    def answer(parent, what: str, problem: str) -> bool:
        asked.append(f"{what}: {problem}")
        if asked.answer is None:
            raise AssertionError(f"unexpected question: {what} cannot be saved ({problem})")
        return asked.answer

    monkeypatch.setattr(form, "keep_editing", answer)
    return asked


@pytest.fixture(autouse=True)
def no_quiet_job_left(qtbot) -> Iterator[None]:
    """Let background jobs without a dialog (the sync digest) end within their test.

    One still running would write its database's replica record into the next
    test's program home.
    """
    yield
    qtbot.waitUntil(lambda: not QuietJob._running, timeout=30000)


class SharingQuestion:
    """The question a database without a sharing choice asks: each time it was asked
    (True: while adding a household), and the answers to give (None: put it off)."""

    def __init__(self) -> None:
        self.asked: list[bool] = []
        self.answers: list[ShareScope | None] = []


@pytest.fixture(autouse=True)
def sharing_question(monkeypatch: pytest.MonkeyPatch) -> SharingQuestion:
    """Answer (by default: put off) the sharing question instead of blocking on it."""
    from mutualaid_desktop.ui.dialogs.sharing import DefaultSharingDialog

    question = SharingQuestion()

    def answer(dialog: DefaultSharingDialog) -> int:
        question.asked.append(dialog.adding)
        choice = question.answers.pop(0) if question.answers else None
        if choice is None:
            return 0
        dialog.choice.buttons[choice].setChecked(True)
        return 1

    monkeypatch.setattr(DefaultSharingDialog, "exec", answer)
    return question
