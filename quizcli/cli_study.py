"""Commands that study: study, drill, quiz. One review loop (quizcli.session) serves study and drill."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from quizcli.cli import app
from quizcli.cli_common import DeckOption, load_deck_option, open_store
from quizcli.errors import ExitCode


def _code_grader(answers: Any) -> Any:
    """The session's hook for a code answer: grade it against the card's exercise, as a block to show."""
    from quizcli.errors import QuizError
    from quizcli.ui import grade as grade_ui

    def grade_code(card: Any, text: str) -> object | None:
        try:
            with grade_ui.progress(True) as on_event:
                result = answers.grade(card.exercise, text, on_event)
        except QuizError as exc:
            return grade_ui.code_answer_problem(str(exc))
        return None if result is None else grade_ui.code_answer(result)

    return grade_code


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

    At each card type an attempt (e opens your editor) or press Enter to reveal; then rate your recall
    1 Again, 2 Hard, 3 Good, 4 Easy (one key in a terminal). u undoes, q stops, ? lists the keys.
    Every rating is saved at once.
    """
    from quizcli import session, ui
    from quizcli.grader.answers import CodeAnswers

    chosen = load_deck_option(deck)
    with open_store() as store, CodeAnswers() as answers:
        rich_ui = ui.RichUI()
        result = session.run_study(chosen, store, rich_ui, new_per_day=new, grade_code=_code_grader(answers))
    if not result.planned and not result.reviewed and not result.undone and result.finished:
        ui.nothing_to_study(result.next_due, session.utc_now(), new_limit_reached=result.unseen > 0)
        if rich_ui.interrupted:
            raise typer.Exit(int(ExitCode.INTERRUPTED))
        return
    _finish(result, rich_ui.interrupted)


@app.command()
def drill(
    topic: Annotated[str, typer.Option("--topic", "-t", help="The topic to drill (see `attnquiz topics`).")],
    seed: Annotated[int | None, typer.Option("--seed", help="Shuffle repeatably.")] = None,
    deck: DeckOption = None,
) -> None:
    """Drill every card of one topic; a card rated Again comes back until you recall it.

    The cards are shuffled, the keys are those of study, and drill reviews count toward the
    spaced-repetition schedule like any review.
    """
    from quizcli import session, ui
    from quizcli.grader.answers import CodeAnswers

    chosen = load_deck_option(deck)
    cards = chosen.with_topic(topic)
    with open_store() as store, CodeAnswers() as answers:
        rich_ui = ui.RichUI()
        result = session.run_drill(cards, chosen, store, rich_ui, seed=seed, grade_code=_code_grader(answers))
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
