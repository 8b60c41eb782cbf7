"""`attnquiz validate`: every problem in a deck, one line each with file, line and field."""

from __future__ import annotations

from pathlib import Path

from quizcli.cards import Card, card_files, duplicate_problems, read_card, read_deck_meta
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
    for card in cards:
        problems += key_point_problems(card)
    return len(cards), problems


def key_point_problems(card: Card) -> list[str]:
    """Phrases that would let a wrong or empty answer score, or that can never match, one line each."""
    from quizcli.judge.tokens import phrase_words
    from quizcli.keypoints import item_error

    if card.path is None or not card.key_points:
        return []
    text = card.path.read_text(encoding="utf-8")
    question = {w for part in (card.question, card.title) for w in phrase_words(part)[0]}
    problems = []

    def problem(index: int, message: str) -> None:
        problems.append(str(item_error(card.path, text, "key_points", index, message)))  # type: ignore[arg-type]

    for index, point in enumerate(card.key_points):
        subjects = {phrase_words(s)[0] for s in point.subject}
        claims = {phrase_words(c) for c in point.claim}
        for kind, phrases in (("claim", point.claim), ("opposite", point.opposite),
                              ("subject", point.subject), ("not_of", point.not_of), ("inverse", point.inverse)):
            for phrase in phrases:
                for part in phrase.split(" + "):
                    words, negated = phrase_words(part)
                    if not words or all(len(w) == 1 or (w.isdigit() and len(w) < 2) for w in words):
                        problem(index, f"{kind} '{phrase}' has no word to match (only small words, digits or letters)")
                    elif kind == "claim" and set(words) <= question:
                        problem(index, f"claim '{phrase}' only repeats the question, so restating it would score")
                    elif kind == "claim" and words in subjects:
                        problem(index, f"claim '{phrase}' only names the subject; say what is claimed of it")
                    elif kind == "opposite" and (words, negated) in claims:
                        problem(index, f"'{phrase}' is both a claim and its opposite")
    return problems
