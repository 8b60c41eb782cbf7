"""The study and drill loops. No Rich here: they talk to a small UI protocol, so tests can drive them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Protocol

from quizcli import scheduler
from quizcli.cards import Card, Deck
from quizcli.scheduler import Memory, Rating
from quizcli.store import Store
from quizcli.text import format_interval

if TYPE_CHECKING:
    from quizcli.keypoints import Coverage

Clock = Callable[[], datetime]
QUIT = "quit"
RATING_WORDS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy,
                "again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
DRILL_REQUEUE_GAP = 3  # a card rated Again in a drill comes back after this many other cards


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UI(Protocol):
    def show_question(self, card: Card, position: int, total: int) -> None: ...
    def show_answer(self, card: Card, attempt: str) -> None: ...
    def show_coverage(self, result: Coverage) -> None: ...
    def read(self, prompt: str) -> str | None:
        """One line of input without its newline, or None at end of input."""
        ...
    def warn(self, text: str) -> None: ...


def parse_rating(line: str) -> Rating | str | None:
    """A Rating, QUIT, or None when the line is not a valid answer."""
    word = line.strip().lower()
    if word in ("q", "quit"):
        return QUIT
    return RATING_WORDS.get(word)


@dataclass
class Summary:
    mode: str
    reviewed: int = 0
    ratings: Counter[str] = field(default_factory=Counter)
    finished: bool = False  # False when the learner quit or input ended before the queue was empty
    next_due: datetime | None = None
    remaining: int = 0
    planned: int = 0  # cards in the queue when the session began (0: nothing to study)
    unseen: int = 0  # cards of the deck never reviewed, when the session began


def _rating_prompt(memory: Memory | None, now: datetime, suggested: Rating | None) -> str:
    intervals = scheduler.preview(memory, now)
    choices = "  ".join(f"[{int(r)}] {r.name} ({format_interval(intervals[r])})"
                        for r in scheduler.RATINGS)
    enter = f"  Enter = {suggested.name}" if suggested else ""
    return f"{choices}  [q] quit{enter} > "


def review_card(card: Card, deck: Deck, store: Store, ui: UI, clock: Clock, mode: str,
                memory: Memory | None, position: int, total: int) -> tuple[Rating, Memory] | None:
    """One card: question, attempt, answer, rating. The review is committed before this returns.

    Returns the rating and the card's new memory, or None when the learner quit or input ended.
    """
    ui.show_question(card, position, total)
    attempt = ui.read("Your answer (Enter to reveal, q to quit) > ")
    if attempt is None or attempt.strip().lower() in ("q", "quit"):
        return None
    ui.show_answer(card, attempt.strip())
    suggested = None
    if attempt.strip() and card.key_points:
        from quizcli.keypoints import coverage

        result = coverage(card.key_points, attempt)
        ui.show_coverage(result)
        suggested = result.suggested_rating()
    while True:
        line = ui.read(_rating_prompt(memory, clock(), suggested))
        if line is None:
            return None
        choice = suggested if (suggested and not line.strip()) else parse_rating(line)
        if choice == QUIT:
            return None
        if isinstance(choice, Rating):
            break
        ui.warn(f"'{line.strip()}' is not a rating: type 1-4 or again/hard/good/easy, or q to quit.")
    now = clock()
    updated = scheduler.review(memory, choice, now)
    store.record_review(deck.name, card.id, int(choice), mode, now, updated)
    return choice, updated


def start_of_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def study_queue(deck: Deck, memories: dict[str, Memory], now: datetime, new_left: int) -> list[Card]:
    """Cards due now, most overdue first, then up to `new_left` new cards in deck order."""
    due = sorted((c for c in deck if c.id in memories and memories[c.id].due <= now),
                 key=lambda c: memories[c.id].due)
    new = [c for c in deck if c.id not in memories][:max(0, new_left)]
    return due + new


def next_due(memories: dict[str, Memory], deck: Deck) -> datetime | None:
    ids = {c.id for c in deck}
    return min((m.due for cid, m in memories.items() if cid in ids), default=None)


def run_study(deck: Deck, store: Store, ui: UI, clock: Clock = utc_now, new_per_day: int = 10) -> Summary:
    """Spaced-repetition study: due cards, then new ones; a card rated Again comes back in the session."""
    summary = Summary(mode="study")
    now = clock()
    introduced = store.first_reviews_since(deck.name, start_of_day(now))
    memories = store.memories(deck.name)
    queue = study_queue(deck, memories, now, new_per_day - introduced)
    summary.planned = total = len(queue)
    summary.unseen = sum(1 for c in deck if c.id not in memories)
    while queue:
        card = queue.pop(0)
        reviewed = review_card(card, deck, store, ui, clock, "study", memories.get(card.id),
                               summary.reviewed + 1, total)
        if reviewed is None:
            summary.remaining = len(queue) + 1
            break
        rating, memories[card.id] = reviewed
        summary.reviewed += 1
        summary.ratings[rating.name] += 1
        if rating == Rating.Again:
            queue.append(card)
            total += 1
    else:
        summary.finished = True
    summary.next_due = next_due(memories, deck)
    return summary


def run_drill(cards: Sequence[Card], deck: Deck, store: Store, ui: UI, clock: Clock = utc_now,
              seed: int | None = None) -> Summary:
    """Every card given, shuffled; a card rated Again comes back a few cards later until it is recalled."""
    import random

    summary = Summary(mode="drill")
    queue = list(cards)
    random.Random(seed).shuffle(queue)
    summary.planned = total = len(queue)
    memories = store.memories(deck.name)
    while queue:
        card = queue.pop(0)
        reviewed = review_card(card, deck, store, ui, clock, "drill", memories.get(card.id),
                               summary.reviewed + 1, total)
        if reviewed is None:
            summary.remaining = len(queue) + 1
            break
        rating, memories[card.id] = reviewed
        summary.reviewed += 1
        summary.ratings[rating.name] += 1
        if rating == Rating.Again:
            queue.insert(min(DRILL_REQUEUE_GAP, len(queue)), card)
            total += 1
    else:
        summary.finished = True
    summary.next_due = next_due(memories, deck)
    return summary


def due_in(moment: datetime | None, now: datetime) -> timedelta | None:
    return None if moment is None else moment - now
