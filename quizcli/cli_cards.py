"""Commands that show the deck: list, topics, show."""

from __future__ import annotations

from typing import Annotated

import typer

from quizcli.cli import app
from quizcli.cli_common import DeckOption, load_deck_option, print_json


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
