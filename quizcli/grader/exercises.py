"""The coding exercises shipped under questions/exercises/: loading them and choosing one for a file.

Parent side: reads YAML and the learner's source with `ast`, never imports torch or runs the file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import yaml

from quizcli.cards import unknown_message
from quizcli.errors import DeckError, QuizError, UsageError

SOURCE_LIMIT = 1024 * 1024  # the most of a learner's file attnquiz parses in its own process


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str
    class_name: str
    signature: str
    returns: str
    card: int | None
    statement: str
    directory: Path
    builds_on: tuple[str, ...] = ()
    order: int = 99

    @property
    def starter(self) -> Path:
        return self.directory / "starter.py"

    @property
    def solution(self) -> Path:
        return self.directory / "solution.py"

    @property
    def checks(self) -> Path:
        return self.directory / "checks.py"


_loaded: dict[Path, list[Exercise]] = {}


def load_exercises(root: Path | None = None) -> list[Exercise]:
    """The exercises under `root` (the shipped ones by default), read once per process."""
    from quizcli.paths import exercises_dir

    base = root or exercises_dir()
    if base not in _loaded:
        _loaded[base] = _read_exercises(base)
    return list(_loaded[base])


def _read_exercises(base: Path) -> list[Exercise]:
    exercises = []
    for meta in sorted(base.glob("*/exercise.yaml")):
        try:
            data = yaml.safe_load(meta.read_text(encoding="utf-8"))
            exercises.append(Exercise(
                name=meta.parent.name, title=data["title"], class_name=data["class"],
                signature=data["signature"], returns=data["returns"], card=data.get("card"),
                statement=data["statement"].strip(), directory=meta.parent,
                builds_on=tuple(data.get("builds_on", ())), order=int(data.get("order", 99))))
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise DeckError(f"{meta}: cannot read exercise: {exc}") from None
    exercises.sort(key=lambda e: (e.order, e.name))
    return exercises


def find_exercise(name: str, exercises: list[Exercise]) -> Exercise:
    for exercise in exercises:
        if exercise.name == name:
            return exercise
    raise UsageError(unknown_message("exercise", name, [e.name for e in exercises]))


class SubmissionUnreadable(QuizError):
    """The learner's file cannot be graded at all (too large, or not Python); `verdict` says which."""

    verdict = "too-large"


class SubmissionSyntaxError(SubmissionUnreadable):
    """The learner's file does not parse; reported against their file and line."""

    verdict = "syntax-error"

    def __init__(self, path: Path, error: SyntaxError) -> None:
        self.line = error.lineno or 0
        text = (error.text or "").rstrip()
        where = f"{path}:{self.line}" + (f":{error.offset}" if error.offset else "")
        detail = f"\n    {text.strip()}" if text else ""
        super().__init__(f"{where}: syntax error: {error.msg}{detail}")


def class_names(path: Path) -> list[str]:
    """Top-level class names in the learner's file, read with ast (the file is not run)."""
    try:
        with path.open("rb") as f:
            source = f.read(SOURCE_LIMIT + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(source) > SOURCE_LIMIT:
        raise SubmissionUnreadable(f"{path}: larger than {SOURCE_LIMIT // 1024} KiB; not read (a module for "
                                   "an exercise is a few KiB)")
    try:
        # bytes, so that a PEP 263 coding line (a Latin-1 file) is honoured, as Python itself does
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise SubmissionSyntaxError(path, exc) from None
    except (ValueError, UnicodeDecodeError) as exc:
        error = SubmissionUnreadable(f"{path}: cannot be read as Python source: {exc}")
        error.verdict = "syntax-error"
        raise error from None
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


def choose_exercise(path: Path, exercises: list[Exercise]) -> Exercise:
    """The exercise whose class the file defines.

    A file for a composite (CBAM) defines its parts too: an exercise another match builds on is passed
    over; among the rest, the class defined last wins.
    """
    found = class_names(path)
    matches = [e for e in exercises if e.class_name in found]
    if not matches:
        wanted = ", ".join(f"{e.class_name} ({e.name})" for e in exercises)
        seen = ", ".join(found) if found else "no classes"
        raise UsageError(f"{path}: found {seen}; expected one of {wanted}, or pass --exercise NAME")
    parts = {name for e in matches for name in e.builds_on}
    matches = [e for e in matches if e.name not in parts] or matches
    order = {name: index for index, name in enumerate(found)}
    return max(matches, key=lambda e: order[e.class_name])
