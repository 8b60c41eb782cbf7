"""The grader's commands: exercises, start, grade."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from quizcli.cli import app
from quizcli.cli_common import open_store, print_json


@app.command()
def exercises() -> None:
    """List the coding exercises and how far you got with each."""
    from quizcli.grader.exercises import load_exercises
    from quizcli.ui import views

    items = load_exercises()
    with open_store() as store:
        status = store.exercise_status()
    views.exercises_table([(e.name, e.signature, f"Q{e.card}" if e.card else "", status.get(e.name, "not tried"))
                        for e in items])


@app.command()
def start(
    exercise: Annotated[str, typer.Argument(help="The exercise, e.g. spatial-attention (see `attnquiz exercises`).")],
    path: Annotated[Path | None, typer.Argument(help="Where to write the starter file.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write a starter file for a coding exercise: the class, its contract and TODOs.

    PATH defaults to the exercise name in the current folder (spatial_attention.py).
    """
    from quizcli import ui
    from quizcli.grader.service import write_starter

    chosen, target = write_starter(exercise.lower(), path, force)
    ui.started(chosen.name, chosen.title, chosen.statement, str(target))


@app.command()
def grade(
    file: Annotated[Path, typer.Argument(help="Your Python file with the module class.")],
    exercise: Annotated[str | None, typer.Option("--exercise", "-e",
                                                 help="Grade against this exercise; default: by class name.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds before your code is stopped.")] = 30.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (see README); with --watch, "
                                                         "one line per grade.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Grade again on every save, until Ctrl-C.")] = False,
    hints: Annotated[bool, typer.Option("--hints", help="Show a hint under each failing check.")] = False,
) -> None:
    """Run your PyTorch module against the exercise's shape and behaviour checks.

    Your code runs in a sandboxed process: on Linux it cannot touch your files, the network or attnquiz,
    and the report says which protections were active. Exit code 0: all checks passed; 1: some failed or
    the file could not be graded; 2: usage error; 3: the grader itself failed; 130: stopped with Ctrl-C.
    """
    import signal
    from datetime import datetime

    from quizcli.errors import Interrupted
    from quizcli.grader import service
    from quizcli.grader.runner import STOPPED, Zygote, stop_on_signals
    from quizcli.ui import grade as grade_ui

    _need_torch(watch)
    exercise = exercise.lower() if exercise else None
    last: dict[str, Any] = {"graded": None, "hints": hints}

    def show(graded: service.Graded, header: str | None) -> None:
        if header is not None:
            grade_ui.watch_header(str(file), header, datetime.now())
        grade_ui.grade_report(graded.result, graded.chosen_by_class,
                              graded.exercise.class_name if graded.exercise else "", last["hints"])

    def once(zygote: Zygote) -> int:
        with grade_ui.progress(not as_json) as on_event:
            graded = service.grade_file(file, exercise, timeout, zygote, on_event)
        if not watch:
            zygote.release()  # it ends while the result is recorded and shown
        with open_store() as store:
            service.record(graded, store)
            status = store.exercise_status() if watch and graded.result.status == "pass" else {}
        before = last["graded"].result if last["graded"] else None
        last["graded"] = graded
        if as_json:
            print_json(graded.result.to_json(), compact=watch)
            return 0 if graded.result.status == "pass" else 1
        show(graded, (service.changes(before, graded.result) or "first grade") if watch else None)
        if watch and graded.result.status == "pass" and graded.exercise is not None:
            following = service.next_exercise(graded.exercise.name, status)
            if following is not None:
                grade_ui.next_exercise(following.name, following.title, f"attnquiz start {following.name}")
        return 0 if graded.result.status == "pass" else 1

    def key(pressed: str) -> bool:
        if pressed in ("h", "?") and last["graded"] is not None and not last["hints"]:
            last["hints"] = True
            show(last["graded"], "hints shown")
            grade_ui.watching(str(file))
        return pressed != "q"

    try:
        with stop_on_signals(), Zygote() as zygote:
            if not watch:
                raise typer.Exit(once(zygote))

            def again() -> None:
                once(zygote)
                if not as_json:
                    grade_ui.watching(str(file))

            service.watch(file, again, None if as_json else key)
    except KeyboardInterrupt:
        raise Interrupted(signal.SIGINT, STOPPED) from None


def _need_torch(watch: bool) -> None:
    """`grade` needs PyTorch (and --watch, watchfiles), which the flashcard side does not install: say
    how to get them, in one line."""
    import importlib.util

    wanted = ("torch", "watchfiles") if watch else ("torch",)
    missing = [name for name in wanted if importlib.util.find_spec(name) is None]
    if missing:
        from quizcli.errors import QuizError

        raise QuizError(f"grade needs {' and '.join(missing)}, not installed: pip install 'attnquiz[grade]' "
                        "(or run make test in a clone, which installs torch==2.13.0)")
