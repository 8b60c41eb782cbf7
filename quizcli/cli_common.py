"""What the command modules share: the --deck option, opening the store, printing JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from quizcli.cards import Deck
    from quizcli.store import Store


DeckOption = Annotated[str | None, typer.Option(
    "--deck", "-d", metavar="DECK", help="A deck folder, or the name of one of your decks (see `attnquiz decks`).")]


def load_deck_option(deck: str | None) -> Deck:
    from quizcli.cards import resolve_deck
    from quizcli.deckcache import load_deck_cached

    return load_deck_cached(resolve_deck(deck))


def open_store() -> Store:
    from quizcli.paths import store_path
    from quizcli.store import Store

    store = Store(store_path())
    if store.notices:
        from quizcli.ui import warning

        for notice in store.notices:
            warning(notice)
    return store


def print_json(data: object, compact: bool = False) -> None:
    """Indented JSON, or one line of it (JSON Lines, for a stream of results)."""
    import json

    typer.echo(json.dumps(data, ensure_ascii=False) if compact else json.dumps(data, indent=2, ensure_ascii=False))
