"""Where attnquiz keeps its data, and where the shipped questions are."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "ATTNQUIZ_HOME"


def data_dir() -> Path:
    """The folder that holds progress: $ATTNQUIZ_HOME if set, else the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("attnquiz", appauthor=False)


def store_path() -> Path:
    return data_dir() / "progress.sqlite3"


def cache_dir() -> Path:
    """Derived data that can always be rebuilt (parsed decks)."""
    return data_dir() / "cache"


def decks_dir() -> Path:
    """The learner's own decks (attnquiz import writes here by default)."""
    return data_dir() / "decks"


def questions_dir() -> Path:
    """The shipped `questions/` folder: inside the package when installed from a wheel, else the repo's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "questions", here.parent / "questions"):
        if candidate.is_dir():
            return candidate
    return here.parent / "questions"


def shipped_deck_dir() -> Path:
    return questions_dir() / "attention"


def exercises_dir() -> Path:
    return questions_dir() / "exercises"
