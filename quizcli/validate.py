"""`attnquiz validate`: every problem in a deck, one line each with file, line and field."""

from __future__ import annotations

from pathlib import Path

from quizcli.cards import card_files, duplicate_problems, read_card, read_deck_meta
from quizcli.errors import DeckError


def validate_deck(directory: Path, exercise_names: set[str]) -> tuple[int, list[str]]:
    """(cards that loaded, problems). Problems of one file do not hide those of the next."""
    if not directory.is_dir():
        return 0, [f"{directory}: deck folder not found"]
    problems: list[str] = []
    try:
        read_deck_meta(directory)
        files = card_files(directory)
    except (DeckError, OSError) as exc:
        return 0, [str(exc)]
    if not files:
        return 0, [f"{directory}: the deck has no cards (*.yaml files)"]
    cards = []
    for path in files:
        try:
            cards.append(read_card(path))
        except DeckError as exc:
            problems.append(str(exc))
    problems += duplicate_problems(cards)
    problems += [f"{card.path}: field 'exercise': unknown exercise '{card.exercise}' "
                 f"(known: {', '.join(sorted(exercise_names))})"
                 for card in cards if card.exercise and card.exercise not in exercise_names]
    return len(cards), problems
