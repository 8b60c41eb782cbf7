"""The `attnquiz` command line: parse, call the core, render, exit. Heavy modules are imported per command."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from quizcli import __version__
from quizcli.cli_common import DeckOption, load_deck_option, open_store, print_json
from quizcli.errors import ExitCode, Interrupted, QuizError


class _Group(TyperGroup):
    """Turns every QuizError into one line on stderr and its exit code: the one place errors are caught."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Interrupted as exc:  # stopped by a signal: at most a word on what was stopped
            if str(exc):
                from quizcli.ui import err_console

                err_console.print(f"[dim]{exc}[/]")
            raise typer.Exit(int(exc.exit_code)) from None
        except QuizError as exc:
            from quizcli.ui import error

            error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None


app = typer.Typer(
    cls=_Group,
    help="Study attention mechanisms in CNNs for interviews: spaced-repetition flashcards, topic drills "
         "and a grader for your own PyTorch modules.",
    no_args_is_help=True,
    add_completion=True,
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


@app.command("list")
def list_cards(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Only cards of this topic.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
    deck: DeckOption = None,
) -> None:
    """List the cards in the deck, optionally of one topic."""
    chosen = load_deck_option(deck)
    cards = chosen.with_topic(topic) if topic else list(chosen)
    if as_json:
        print_json([{"number": c.number, "id": c.id, "title": c.title, "topics": list(c.topics),
                      "question": c.question, "exercise": c.exercise} for c in cards])
        return
    from quizcli.ui import views

    views.deck_table(chosen, cards)


@app.command()
def topics(deck: DeckOption = None) -> None:
    """List the topics and how many cards each has."""
    from quizcli.ui import views

    views.topics_table(load_deck_option(deck))


@app.command()
def show(card: Annotated[str, typer.Argument(help="Q4, 4 or a card id such as se-cost.")],
    deck: DeckOption = None,
) -> None:
    """Show one card with its answer and note."""
    from quizcli import ui

    ui.show_card(load_deck_option(deck).find(card))


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
    deck: DeckOption = None,
) -> None:
    """Study with spaced repetition: the cards due now, then new ones.

    For each card type an attempt (or just press Enter), read the answer, then rate your recall
    1 Again, 2 Hard, 3 Good, 4 Easy. Every rating is saved at once; q or Ctrl-D stops.
    """
    from quizcli import session, ui

    chosen = load_deck_option(deck)
    with open_store() as store:
        rich_ui = ui.RichUI()
        result = session.run_study(chosen, store, rich_ui, new_per_day=new)
    if not result.planned:
        ui.nothing_to_study(result.next_due, session.utc_now(), new_limit_reached=result.unseen > 0)
        return
    _finish(result, rich_ui.interrupted)


@app.command()
def drill(
    topic: Annotated[str, typer.Option("--topic", "-t", help="The topic to drill (see `attnquiz topics`).")],
    seed: Annotated[int | None, typer.Option("--seed", help="Shuffle repeatably.")] = None,
    deck: DeckOption = None,
) -> None:
    """Drill every card of one topic, shuffled; a card rated Again comes back until you recall it.

    Drill reviews count toward the spaced-repetition schedule like any review.
    """
    from quizcli import session, ui

    chosen = load_deck_option(deck)
    cards = chosen.with_topic(topic)
    with open_store() as store:
        rich_ui = ui.RichUI()
        result = session.run_drill(cards, chosen, store, rich_ui, seed=seed)
    _finish(result, rich_ui.interrupted)


@app.command()
def quiz(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Only questions of this topic.")] = None,
    count: Annotated[int, typer.Option("--count", "-c", min=1, help="How many questions.")] = 10,
    seed: Annotated[int | None, typer.Option("--seed", help="Draw the same questions again.")] = None,
    deck: DeckOption = None,
) -> None:
    """Take a scored quiz: multiple choice, typed answers graded by key points, and numbers.

    Answer letters like b or a,c; a typed answer shows each key point covered, missed or contradicted,
    and you may override the verdict. A quiz does not change your flashcard schedule.
    """
    from quizcli import quiz as quiz_core
    from quizcli import ui
    from quizcli.session import utc_now

    chosen = load_deck_option(deck)
    cards = chosen.with_topic(topic) if topic else list(chosen)
    questions = quiz_core.draw(cards, count, seed)
    if not questions:
        from quizcli.errors import DeckError

        raise DeckError(f"deck '{chosen.name}' has no quiz material{f' for topic {topic}' if topic else ''}: "
                        "a quiz needs choices, key points or numeric questions on the cards (see README)")
    with open_store() as store:
        rich_ui = ui.RichUI()
        result = quiz_core.run_quiz(questions, chosen.name, store, rich_ui, utc_now)
    ui.quiz_summary(result)
    if rich_ui.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


def _exam_day(text: str | None) -> date | None:
    if text is None:
        return None
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
    deck: DeckOption = None,
) -> None:
    """Show progress: card states, due forecast, review heatmap, mastery per topic, quizzes, exercises."""
    from quizcli import stats as stats_core
    from quizcli.paths import exercises_dir
    from quizcli.session import utc_now

    chosen = load_deck_option(deck)
    now = utc_now()
    exam_day = _exam_day(exam)
    total = len(list(exercises_dir().glob("*/exercise.yaml")))
    with open_store() as store:
        passed = sum(1 for status in store.exercise_status().values() if status == "passed")
        figures = stats_core.compute(chosen, store, now, exam_day=exam_day, exercises=(passed, total))
    if as_json:
        print_json(figures.to_json())
        return
    from quizcli.ui import views

    views.stats_view(figures, now)


def _register() -> None:
    from quizcli import cli_check, cli_decks, cli_grade

    for module in (cli_grade, cli_decks, cli_check):
        for name in module.COMMANDS:
            app.command(name.rstrip("_"))(getattr(module, name))


_register()


def _only_the_command_run(argv: list[str]) -> None:
    """Typer builds every command's parameters on each start (~8 ms for 14 commands). When the first
    argument names a command, register only that one; top-level --help, typos (with suggestions) and
    completion still see them all."""
    name = argv[0] if argv and not argv[0].startswith("-") else None
    wanted = [info for info in app.registered_commands
              if name == (info.name or getattr(info.callback, "__name__", "").replace("_", "-"))]
    if wanted:
        app.registered_commands[:] = wanted


def main() -> None:
    """Console entry point."""
    _only_the_command_run(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - outside any prompt
        sys.exit(int(ExitCode.INTERRUPTED))
