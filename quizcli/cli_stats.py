"""Commands that report progress: stats, due."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

import typer

from quizcli.cli import app
from quizcli.cli_common import DeckOption, load_deck_option, open_store, print_json
from quizcli.errors import UsageError


def exam_day(text: str | None, now: datetime) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--exam '{text}': expected a date as YYYY-MM-DD, such as {now.date()}") from None
    today = now.astimezone(timezone.utc).date()
    if day < today:
        raise UsageError(f"--exam {text} is in the past; give your interview day, today ({today}) or later")
    return day


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    exam: Annotated[str | None, typer.Option("--exam", metavar="YYYY-MM-DD",
                                             help="Predict recall per topic on your interview day.")] = None,
    deck: DeckOption = None,
) -> None:
    """Show progress: card states, what is due, reviews, mastery per topic, quizzes, exercises."""
    from quizcli import stats as stats_core
    from quizcli.paths import exercises_dir
    from quizcli.session import utc_now

    now = utc_now()
    day = exam_day(exam, now)
    chosen = load_deck_option(deck)
    total = len(list(exercises_dir().glob("*/exercise.yaml")))
    with open_store() as store:
        passed = sum(1 for status in store.exercise_status().values() if status == "passed")
        figures = stats_core.compute(chosen, store, now, exam_day=day, exercises=(passed, total))
    if as_json:
        print_json(figures.to_json())
        return
    from quizcli.ui import views

    views.stats_view(figures, now)


@app.command()
def due(
    as_json: Annotated[bool, typer.Option("--json", help="Print due, new and next_due as JSON.")] = False,
    deck: DeckOption = None,
) -> None:
    """Print one line for a shell prompt or a reminder: due now, new today, next review.

    For example `3 due · 5 new · next in 2h`; --json gives the same figures. The exit code is 0.
    """
    from quizcli import stats as stats_core
    from quizcli.session import utc_now

    now = utc_now()
    chosen = load_deck_option(deck)
    with open_store() as store:
        figures = stats_core.due_now(chosen, store, now)
    if as_json:
        print_json(figures.to_json())
        return
    from quizcli.text import format_interval

    later = f"next in {format_interval(figures.next_due - now)}" if figures.next_due else "nothing scheduled"
    typer.echo(f"{figures.due} due · {figures.new} new · {later}")
