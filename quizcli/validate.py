"""`attnquiz validate`: every problem in a deck, one line each with file, line and field."""

from __future__ import annotations

from pathlib import Path

from quizcli.cards import card_files, read_card, read_deck_meta
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
    ids: dict[str, Path] = {}
    numbers: dict[int, Path] = {}
    loaded = 0
    for path in files:
        try:
            card = read_card(path)
        except DeckError as exc:
            problems.append(str(exc))
            continue
        loaded += 1
        if card.id in ids:
            problems.append(f"{path}: field 'id': duplicate id '{card.id}' (also in {ids[card.id].name})")
        if card.number in numbers:
            problems.append(f"{path}: field 'number': duplicate number {card.number} "
                            f"(also in {numbers[card.number].name})")
        ids.setdefault(card.id, path)
        numbers.setdefault(card.number, path)
        if card.exercise and card.exercise not in exercise_names:
            problems.append(f"{path}: field 'exercise': unknown exercise '{card.exercise}' "
                            f"(known: {', '.join(sorted(exercise_names))})")
    return loaded, problems
