from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def attnquiz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches a real home: progress goes to a temporary folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("ATTNQUIZ_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "100")
    return home


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class ScriptedUI:
    """Drives a session with a fixed list of input lines; None in the script means end of input."""

    keys = False  # a line per prompt, as from a pipe

    def __init__(self, lines: list[str], edits: list[str] | None = None) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.edits: Iterator[str] = iter(edits or [])
        self.notes: list[str] = []
        self.extras: list[object] = []
        self.progress: list[object] = []
        self.shown: list[str] = []
        self.answers: list[tuple[str, str]] = []
        self.warnings: list[str] = []
        self.prompts: list[str] = []
        self.coverages: list[object] = []
        self.results: list[tuple[object, ...]] = []

    def show_question(self, card, progress):  # type: ignore[no-untyped-def]
        self.shown.append(card.id)
        self.progress.append(progress)

    def show_extra(self, block):  # type: ignore[no-untyped-def]
        self.extras.append(block)

    def show_keys(self, at_rating):  # type: ignore[no-untyped-def]
        self.notes.append(f"keys at_rating={at_rating}")

    def edit(self, card):  # type: ignore[no-untyped-def]
        return next(self.edits, None)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def read_key(self, prompt: str, wait: float | None = None) -> str | None:
        return self.read(prompt)

    def show_answer(self, card, attempt):  # type: ignore[no-untyped-def]
        self.answers.append((card.id, attempt))

    def show_coverage(self, result):  # type: ignore[no-untyped-def]
        self.coverages.append(result)

    def show_quiz_question(self, question, position, total):  # type: ignore[no-untyped-def]
        self.shown.append(f"{question.card.id}:{question.kind}")

    def show_choice_result(self, question, chosen):  # type: ignore[no-untyped-def]
        self.results.append(("choice", chosen))

    def show_typed_result(self, question, result):  # type: ignore[no-untyped-def]
        self.results.append(("typed", result))

    def show_numeric_result(self, question, value, correct):  # type: ignore[no-untyped-def]
        self.results.append(("numeric", value, correct))

    def read(self, prompt: str) -> str | None:
        self.prompts.append(prompt)
        return next(self.lines, None)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


@pytest.fixture
def scripted_ui() -> type[ScriptedUI]:
    return ScriptedUI
