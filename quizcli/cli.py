"""The `attnquiz` command line: parse, call the core, render, exit. Heavy modules are imported per command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from quizcli import __version__
from quizcli.errors import ExitCode, QuizError

if TYPE_CHECKING:
    from quizcli.cards import Deck
    from quizcli.store import Store


class _Group(TyperGroup):
    """Turns every QuizError into one line on stderr and its exit code: the one place errors are caught."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except QuizError as exc:
            from quizcli.ui import error

            error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None


app = typer.Typer(
    cls=_Group,
    help="Study attention mechanisms in CNNs for interviews: spaced-repetition flashcards, topic drills "
         "and a grader for your own PyTorch modules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Typer's Rich help imports rich.markdown: ~65 ms on every --help
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"attnquiz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Study attention mechanisms in CNNs: flashcards, drills, and a grader for your own PyTorch modules."""


def _deck() -> Deck:
    from quizcli.cards import load_shipped_deck

    return load_shipped_deck()


def _store() -> Store:
    from quizcli.paths import store_path
    from quizcli.store import Store

    return Store(store_path())


def _print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("list")
def list_cards(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Only cards of this topic.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
) -> None:
    """List the cards in the deck, optionally of one topic."""
    deck = _deck()
    cards = deck.with_topic(topic) if topic else list(deck)
    if as_json:
        _print_json([{"number": c.number, "id": c.id, "title": c.title, "topics": list(c.topics),
                      "question": c.question, "exercise": c.exercise} for c in cards])
        return
    from quizcli import ui

    ui.deck_table(deck, cards)


@app.command()
def topics() -> None:
    """List the topics and how many cards each has."""
    from quizcli import ui

    ui.topics_table(_deck())


@app.command()
def show(card: Annotated[str, typer.Argument(help="Q4, 4 or a card id such as se-cost.")]) -> None:
    """Show one card with its answer and note."""
    from quizcli import ui

    ui.show_card(_deck().find(card))


def _finish(result: Any, interrupted: bool) -> None:
    from quizcli import ui
    from quizcli.session import utc_now

    ui.summary(result, utc_now())
    if interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


@app.command()
def study(
    new: Annotated[int, typer.Option("--new", "-n", min=0,
                                     help="At most this many new cards a day (UTC day).")] = 10,
) -> None:
    """Study with spaced repetition: the cards due now, then new ones.

    For each card type an attempt (or just press Enter), read the answer, then rate your recall
    1 Again, 2 Hard, 3 Good, 4 Easy. Every rating is saved at once; q or Ctrl-D stops.
    """
    from quizcli import session, ui

    deck = _deck()
    with _store() as store:
        now = session.utc_now()
        memories = store.memories(deck.name)
        introduced = store.first_reviews_since(deck.name, session.start_of_day(now))
        if not session.study_queue(deck, memories, now, new - introduced):
            has_new = any(c.id not in memories for c in deck)
            ui.nothing_to_study(session.next_due(store, deck), now, new_limit_reached=has_new)
            return
        rich_ui = ui.RichUI()
        result = session.run_study(deck, store, rich_ui, new_per_day=new)
    _finish(result, rich_ui.interrupted)


@app.command()
def drill(
    topic: Annotated[str, typer.Option("--topic", "-t", help="The topic to drill (see `attnquiz topics`).")],
    seed: Annotated[int | None, typer.Option("--seed", help="Shuffle repeatably.")] = None,
) -> None:
    """Drill every card of one topic, shuffled; a card rated Again comes back until you recall it.

    Drill reviews count toward the spaced-repetition schedule like any review.
    """
    from quizcli import session, ui

    deck = _deck()
    cards = deck.with_topic(topic)
    with _store() as store:
        rich_ui = ui.RichUI()
        result = session.run_drill(cards, deck, store, rich_ui, seed=seed)
    _finish(result, rich_ui.interrupted)


@app.command()
def quiz(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Only questions of this topic.")] = None,
    count: Annotated[int, typer.Option("--count", "-c", min=1, help="How many questions.")] = 10,
    seed: Annotated[int | None, typer.Option("--seed", help="Draw the same questions again.")] = None,
) -> None:
    """Take a scored quiz: multiple choice, typed answers graded by key points, and numbers.

    Answer letters like b or a,c; typed answers show the key points you made and missed, and you may
    override the verdict. A quiz does not change your flashcard schedule.
    """
    from quizcli import quiz as quiz_core
    from quizcli import ui
    from quizcli.session import utc_now

    deck = _deck()
    cards = deck.with_topic(topic) if topic else list(deck)
    questions = quiz_core.draw(cards, count, seed)
    with _store() as store:
        rich_ui = ui.RichUI()
        result = quiz_core.run_quiz(questions, deck.name, store, rich_ui, utc_now)
    ui.quiz_summary(result)
    if rich_ui.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


def _exam_day(text: str | None) -> Any:
    if text is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        from quizcli.errors import UsageError

        raise UsageError(f"--exam '{text}': expected a date as YYYY-MM-DD") from None


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    exam: Annotated[str | None, typer.Option("--exam", metavar="YYYY-MM-DD",
                                             help="Predict recall per topic on your interview day.")] = None,
) -> None:
    """Show progress: card states, due forecast, review heatmap, mastery per topic, quizzes, exercises."""
    from quizcli import stats as stats_core
    from quizcli.grader.exercises import load_exercises
    from quizcli.session import utc_now

    deck = _deck()
    now = utc_now()
    exam_day = _exam_day(exam)
    total = len(load_exercises())
    with _store() as store:
        passed = sum(1 for status in store.exercise_status().values() if status == "passed")
        figures = stats_core.compute(deck, store, now, exam_day=exam_day, exercises=(passed, total))
    if as_json:
        _print_json(figures.to_json())
        return
    from quizcli import ui

    ui.stats_view(figures, now)


@app.command()
def exercises() -> None:
    """List the coding exercises and how far you got with each."""
    from quizcli import ui
    from quizcli.grader.exercises import load_exercises

    items = load_exercises()
    with _store() as store:
        status = store.exercise_status()
    ui.exercises_table([(e.name, e.signature, f"Q{e.card}" if e.card else "", status.get(e.name, "not tried"))
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

    chosen, target = write_starter(exercise, path, force)
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

    def once() -> int:
        graded = service.grade_file(file, exercise, timeout)
        service.record(graded)
        if as_json:
            _print_json(graded.result.to_json())
        else:
            ui.grade_report(graded.result, graded.chosen_by_class,
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
        raise typer.Exit(codes[-1]) from None


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - outside any prompt
        sys.exit(int(ExitCode.INTERRUPTED))
