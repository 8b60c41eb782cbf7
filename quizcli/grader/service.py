"""What the `exercises`, `start` and `grade` commands do, apart from parsing and rendering."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from quizcli.errors import UsageError
from quizcli.grader.exercises import (
    Exercise,
    SubmissionSyntaxError,
    choose_exercise,
    find_exercise,
    load_exercises,
)
from quizcli.grader.result import GradeResult
from quizcli.grader.runner import Limits, grade
from quizcli.store import Store


@dataclass(frozen=True)
class Graded:
    exercise: Exercise | None  # None when the file could not even be parsed to choose one
    result: GradeResult
    chosen_by_class: bool


def default_start_path(exercise: Exercise) -> Path:
    return Path(f"{exercise.name.replace('-', '_')}.py")


def write_starter(name: str, path: Path | None, force: bool) -> tuple[Exercise, Path]:
    exercise = find_exercise(name, load_exercises())
    target = path or default_start_path(exercise)
    if target.is_dir():
        target = target / default_start_path(exercise)
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; pick another path or pass --force to overwrite it")
    try:
        target.write_text(exercise.starter.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return exercise, target


def grade_file(path: Path, exercise_name: str | None, timeout: float) -> Graded:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    exercises = load_exercises()
    if exercise_name:
        exercise, chosen = find_exercise(exercise_name, exercises), False
    else:
        try:
            exercise, chosen = choose_exercise(path, exercises), True
        except SubmissionSyntaxError as exc:
            # Nothing to choose by; the learner's syntax error is still a result, not a crash.
            result = GradeResult(exercise="unknown", file=str(path), status="error", verdict="syntax-error",
                                 message=str(exc))
            return Graded(None, result, False)
    return Graded(exercise, grade(path, exercise, Limits(timeout=timeout)), chosen)


def record(graded: Graded, store: Store) -> None:
    if graded.exercise is None:
        return
    result = graded.result
    store.record_grade(result.exercise, str(Path(result.file).resolve()), result.status, result.passed,
                       len(result.tests), datetime.now(timezone.utc))


def watch(path: Path, on_change: Callable[[], None], interval: float = 0.5) -> None:
    """Call `on_change` now and after every save of `path`, until Ctrl-C."""
    last = None
    while True:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = None
        if stamp != last:
            last = stamp
            on_change()
        time.sleep(interval)
