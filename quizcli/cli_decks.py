"""Commands that manage decks: decks, import, export, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quizcli.cli import app
from quizcli.cli_common import DeckOption, load_deck_option


@app.command()
def decks(
    remove: Annotated[str | None, typer.Option("--remove", metavar="NAME",
                                               help="Delete one of your decks (asks first).")] = None,
    forget: Annotated[bool, typer.Option("--forget-progress",
                                         help="With --remove: delete its progress too (kept by default).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --remove: do not ask.")] = False,
) -> None:
    """List the shipped deck and your own, or remove one of yours.

    Your decks live in the data dir; --remove deletes the deck's folder after a confirmation and keeps
    its progress (importing it again brings the progress back) unless --forget-progress is given.
    """
    if remove is not None:
        _remove(remove, forget, yes)
        return
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


def _remove(name: str, forget: bool, yes: bool) -> None:
    import shutil

    from quizcli import ui
    from quizcli.cards import list_deck_dirs, read_deck_meta, unknown_message
    from quizcli.cli_common import open_store
    from quizcli.errors import DeckError, ExitCode, UsageError

    if name == "attention":
        raise UsageError("the shipped deck 'attention' cannot be removed; remove one of yours (see attnquiz decks)")
    folders = {d.name: d for d in list_deck_dirs()}
    folder = folders.get(name) or folders.get(name.lower())
    if folder is None:
        raise UsageError(unknown_message("deck", name, list(folders)))
    try:
        progress_name = read_deck_meta(folder).get("name") or folder.name
    except DeckError:
        progress_name = folder.name
    cards = len(list(folder.glob("*.y*ml")))
    keep = "its progress too" if forget else "its progress is kept"
    if not yes and not typer.confirm(f"Delete {folder} ({cards} files; {keep})?", default=False):
        ui.console.print("Nothing deleted.")
        raise typer.Exit(int(ExitCode.OK))
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise DeckError(f"{folder}: cannot delete: {exc.strerror or exc}") from None
    message = f"Deleted {folder}."
    if forget:
        with open_store() as store:
            forgotten = store.forget_deck(progress_name)
            message += f" Forgot {forgotten} review{'s' if forgotten != 1 else ''} of '{progress_name}'."
    else:
        message += f" Its progress is kept under the name '{progress_name}'."
    ui.console.print(message, soft_wrap=True)


@app.command("import")
def import_(
    notes: Annotated[Path, typer.Argument(help="A Markdown file: '## Q1: question' headings and **Answer:**.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Deck folder to write (default: a deck in the "
                                                                "data dir named after the file).")] = None,
) -> None:
    """Turn Markdown notes into a deck of YAML cards; importing again keeps your edits and progress.

    A re-import takes the question and answer from the notes and keeps what you edited in the YAML;
    a field changed in both places is reported as a conflict and the notes' version is kept aside.
    """
    from quizcli import ui
    from quizcli.errors import DeckError
    from quizcli.importer import import_notes

    result = import_notes(notes, out)
    ui.imported(result)
    if result.problems or result.conflicts:
        raise DeckError(f"{len(result.problems)} section(s) of {notes} could not be read and "
                        f"{len(result.conflicts)} conflict(s) need you (listed above); the rest was imported")


@app.command()
def export(
    fmt: Annotated[str | None, typer.Option("--format", "-f",
                                            help="anki (.apkg), csv or markdown (default: from -o's extension).")]
    = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (default: DECK.EXT).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
    deck: DeckOption = None,
) -> None:
    """Export a deck to Anki, CSV or Markdown (the import format: export then import gives it back)."""
    from quizcli import ui
    from quizcli.exporter import export as write
    from quizcli.exporter import target_for

    chosen = load_deck_option(deck)
    kind, target = target_for(fmt, output, chosen.name, force)
    write(chosen, kind, target)
    ui.console.print(f"Wrote {len(chosen)} cards of {chosen.name} to {target} ({kind}).", soft_wrap=True)


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Argument(help="The deck folder (default: the shipped deck).")] = None,
) -> None:
    """Check a deck and print one line per problem.

    It checks the YAML, required fields, types, duplicate ids and numbers, exercises, quiz questions
    and the format version. Prints one line per problem with file, line and field; exit code 1 if there is any, 2 if the
    folder does not exist.
    """
    from quizcli import ui
    from quizcli.errors import ExitCode, UsageError
    from quizcli.grader.exercises import load_exercises
    from quizcli.paths import shipped_deck_dir
    from quizcli.validate import validate_deck

    target = directory or shipped_deck_dir()
    if not target.is_dir():
        raise UsageError(f"{target}: no such deck folder" + (" (it is a file)" if target.exists() else ""))
    loaded, problems = validate_deck(target, {e.name for e in load_exercises()})
    for problem in problems:
        ui.error(problem)
    if problems:
        raise typer.Exit(int(ExitCode.FAILED))
    ui.console.print(f"{target}: {loaded} cards, no problems.")
