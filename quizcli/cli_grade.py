"""The grader's commands: exercises, start, grade."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (see README).")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Grade again on every save, until Ctrl-C.")] = False,
) -> None:
    """Run your PyTorch module against the exercise's shape and behaviour checks.

    Your code runs in a separate, limited process. Exit code 0: all checks passed; 1: some failed or the
    file could not be graded; 2: usage error; 3: the grader itself failed.
    """
    from quizcli import ui
    from quizcli.grader import service
    from quizcli.ui import views

    _need_torch()

    def once() -> int:
        graded = service.grade_file(file, exercise.lower() if exercise else None, timeout)
        with open_store() as store:
            service.record(graded, store)
        if as_json:
            print_json(graded.result.to_json())
        else:
            views.grade_report(graded.result, graded.chosen_by_class,
                               graded.exercise.class_name if graded.exercise else "")
        return 0 if graded.result.status == "pass" else 1

    if not watch:
        raise typer.Exit(once())
    codes = [0]

    def again() -> None:
        ui.console.clear()
        codes.append(once())
        ui.console.print(f"[dim]Watching {file} for changes; Ctrl-C to stop.[/]")

    try:
        service.watch(file, again)
    except KeyboardInterrupt:
        from quizcli.errors import ExitCode

        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _need_torch() -> None:
    """`grade` needs PyTorch, which the flashcard side does not install: say how to get it, in one line."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        from quizcli.errors import QuizError

        raise QuizError("grade needs PyTorch, which is not installed: pip install 'attnquiz[grade]' "
                        "(or run make test in a clone, which installs torch==2.13.0)")
