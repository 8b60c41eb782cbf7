"""`attnquiz check`: judge one typed answer against a card's key points, for scripts and editors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from quizcli.cli import app
from quizcli.cli_common import DeckOption, load_deck_option, print_json


@app.command()
def check(
    card: Annotated[str, typer.Argument(metavar="CARD", help="Q2, 2 or a card id such as squeeze-excitation.")],
    answer: Annotated[str | None, typer.Argument(metavar="[ANSWER | -]", show_default=False,
                                                 help="Your answer, or - to read it from standard input.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON (see README).")] = False,
    deck: DeckOption = None,
) -> None:
    """Judge one typed answer without a session: each key point covered, missed or contradicted.

    Prints the words of the answer that decided each point and the rating a study session would
    suggest. Nothing is saved. Exit code 0 once judged; 2 for an unknown card or no answer given.
    """
    from quizcli.errors import UsageError
    from quizcli.keypoints import coverage

    chosen = load_deck_option(deck).find(card)
    if answer is None or answer == "-":
        if answer is None and sys.stdin.isatty():
            raise UsageError("give the answer as an argument, or - to read it from standard input")
        answer = sys.stdin.read()
    result = coverage(chosen.key_points, answer)
    if as_json:
        print_json(result.to_json(chosen.label))
        return
    from quizcli.ui import console
    from quizcli.ui.verdict import verdict_panel

    if not chosen.key_points:
        console.print(f"{chosen.label} has no key points, so a typed answer cannot be judged.")
        return
    console.print(verdict_panel(result))
