"""Commands that manage decks: decks, import, export, validate. Registered on the app by cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quizcli.cli_common import DeckOption, load_deck_option

COMMANDS = ("decks", "import_", "export", "validate")


def decks() -> None:
    """List the shipped deck and your own (kept in the data dir), with their card counts."""
    from quizcli.cards import list_deck_dirs, load_deck
    from quizcli.errors import DeckError
    from quizcli.paths import shipped_deck_dir
    from quizcli.ui import views

    rows = []
    for directory, shipped in [(shipped_deck_dir(), True)] + [(d, False) for d in list_deck_dirs()]:
        try:
            deck = load_deck(directory)
            rows.append((deck.name, deck.title, str(len(deck)), str(directory), "shipped" if shipped else "yours"))
        except DeckError as exc:
            rows.append((directory.name, f"cannot load: {exc}", "-", str(directory), "yours"))
    views.decks_table(rows)


def import_(
    notes: Annotated[Path, typer.Argument(help="A Markdown file: '## Q1: question' headings and **Answer:**.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Deck folder to write (default: a deck in the "
                                                                "data dir named after the file).")] = None,
) -> None:
    """Turn Markdown notes into a deck of YAML cards; importing again updates cards and keeps progress."""
    from quizcli import ui
    from quizcli.errors import DeckError
    from quizcli.importer import import_notes

    result = import_notes(notes, out)
    ui.imported(result)
    if result.problems:
        raise DeckError(f"{len(result.problems)} section(s) of {notes} could not be read (listed above); "
                        f"the other {len(result.written)} were imported")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="anki (.apkg), csv or markdown.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    deck: DeckOption = None,
) -> None:
    """Export a deck to Anki, CSV or Markdown (the import format, so export and import round-trip)."""
    from quizcli import ui
    from quizcli.exporter import export as write

    chosen = load_deck_option(deck)
    write(chosen, fmt, output)
    ui.console.print(f"Wrote {len(chosen)} cards of {chosen.name} to {output} ({fmt}).")


def validate(
    directory: Annotated[Path | None, typer.Argument(help="The deck folder (default: the shipped deck).")] = None,
) -> None:
    """Check a deck: YAML, required fields, types, duplicate ids, exercises, quiz questions, format version.

    Prints one line per problem with file, line and field; exit code 1 if there is any.
    """
    from quizcli import ui
    from quizcli.errors import ExitCode
    from quizcli.grader.exercises import load_exercises
    from quizcli.paths import shipped_deck_dir
    from quizcli.validate import validate_deck

    target = directory or shipped_deck_dir()
    loaded, problems = validate_deck(target, {e.name for e in load_exercises()})
    for problem in problems:
        ui.error(problem)
    if problems:
        raise typer.Exit(int(ExitCode.FAILED))
    ui.console.print(f"{target}: {loaded} cards, no problems.")
