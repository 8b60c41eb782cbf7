"""What the `exercises`, `start` and `grade` commands do, apart from parsing and rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from quizcli.errors import UsageError
from quizcli.grader.exercises import (
    Exercise,
    SubmissionUnreadable,
    choose_exercise,
    find_exercise,
    load_exercises,
)
from quizcli.grader.result import GradeResult
from quizcli.grader.runner import Limits, Zygote, grade
from quizcli.prompts import held_keys
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


def grade_file(path: Path, exercise_name: str | None, timeout: float, zygote: Zygote | None = None,
               on_event: Callable[[dict[str, Any]], None] | None = None) -> Graded:
    """Grade `path` (against `exercise_name`, or the exercise its class names); reuse `zygote` if given."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    exercises = load_exercises()
    if exercise_name:
        exercise, chosen = find_exercise(exercise_name, exercises), False
    else:
        try:
            exercise, chosen = choose_exercise(path, exercises), True
        except SubmissionUnreadable as exc:
            # Nothing to choose by; the learner's broken file is still a result, not a crash.
            result = GradeResult(exercise="unknown", file=str(path), status="error", verdict=exc.verdict,
                                 message=str(exc))
            return Graded(None, result, False)
    return Graded(exercise, grade(path, exercise, Limits(timeout=timeout), zygote, on_event), chosen)


def record(graded: Graded, store: Store) -> None:
    if graded.exercise is None:
        return
    result = graded.result
    store.record_grade(result.exercise, str(Path(result.file).resolve()), result.status, result.passed,
                       len(result.tests), datetime.now(timezone.utc))


def changes(before: GradeResult | None, after: GradeResult) -> str:
    """`now passing: a, b · newly failing: c`, comparing two grades of one file."""
    if before is None:
        return ""
    was = {t.name: t.status for t in before.tests}
    now_passing = [t.title for t in after.tests if t.status == "pass" and was.get(t.name, "pass") != "pass"]
    newly_failing = [t.title for t in after.tests if t.status != "pass" and was.get(t.name) == "pass"]
    parts = []
    if now_passing:
        parts.append("now passing: " + ", ".join(now_passing))
    if newly_failing:
        parts.append("newly failing: " + ", ".join(newly_failing))
    if not parts and (before.status, before.verdict) != (after.status, after.verdict):
        parts.append(f"{before.verdict or before.status} -> {after.verdict or after.status}")
    return " · ".join(parts) or "no change in the checks"


def next_exercise(current: str, status: dict[str, str]) -> Exercise | None:
    """The first exercise after `current` (in the course's order, wrapping) not passed yet."""
    exercises = load_exercises()
    names = [e.name for e in exercises]
    start = names.index(current) + 1 if current in names else 0
    for exercise in exercises[start:] + exercises[:start]:
        if exercise.name != current and status.get(exercise.name) != "passed":
            return exercise
    return None


def watch(path: Path, on_change: Callable[[], None], on_key: Callable[[str], bool] | None = None) -> None:
    """Call `on_change` now and after every save of `path`, until Ctrl-C (or `on_key` returns False).

    Watches the file's folder, since editors often save by writing a new file and renaming it over the
    old one; a burst of events from one save gives one call. In a terminal, single key presses go to
    `on_key` meanwhile.
    """
    import queue
    import threading

    from watchfiles import watch as watch_changes

    target = path.resolve()
    happened: queue.Queue[str] = queue.Queue()  # "" for a save, else a key pressed
    stop = threading.Event()

    def watcher() -> None:
        for found in watch_changes(target.parent, debounce=30, step=10, stop_event=stop, yield_on_timeout=False,
                                   watch_filter=lambda _change, name: Path(name).resolve() == target):
            if found:
                happened.put("")

    threading.Thread(target=watcher, daemon=True).start()
    on_change()
    try:
        with held_keys(on_key is not None) as read_key:
            if on_key is not None:
                def keys() -> None:
                    while not stop.is_set():
                        key = read_key(0.1)
                        if key:
                            happened.put(key)
                threading.Thread(target=keys, daemon=True).start()
            while True:
                try:
                    what = happened.get(timeout=0.5)  # a timeout, so that Ctrl-C is seen at once
                except queue.Empty:
                    continue
                if what and on_key is not None:
                    if not on_key(what):
                        return
                    continue
                while not happened.empty():  # one grade for a burst of saves
                    key = happened.get_nowait()
                    if key and on_key is not None and not on_key(key):
                        return
                if target.exists():
                    on_change()
    finally:
        stop.set()
