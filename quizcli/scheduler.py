"""A thin, pure wrapper over the `fsrs` package: the clock is always passed in, all datetimes are UTC.

Fuzzing is off so that the interval shown beside each rating is exactly the one scheduled. fsrs is
imported on first use, so showing a card never waits for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import IntEnum
from functools import lru_cache
from typing import Any, NamedTuple


class Rating(IntEnum):
    """The four answers to "how well did you recall it?", numbered as FSRS numbers them."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4


RATINGS: tuple[Rating, ...] = tuple(Rating)


class Memory(NamedTuple):
    """What the scheduler knows of one card: fsrs's card state, without fsrs's types."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@lru_cache(maxsize=1)
def _fsrs() -> tuple[Any, Any]:
    import fsrs

    return fsrs, fsrs.Scheduler(enable_fuzzing=False)


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("the scheduler takes timezone-aware UTC datetimes")
    return now.astimezone(timezone.utc)


def _to_fsrs(memory: Memory) -> Any:
    fsrs, _ = _fsrs()
    return fsrs.Card(card_id=1, state=fsrs.State(memory.state), step=memory.step, stability=memory.stability,
                     difficulty=memory.difficulty, due=memory.due, last_review=memory.last_review)


def _from_fsrs(card: Any) -> Memory:
    return Memory(state=int(card.state), step=card.step, stability=card.stability,
                  difficulty=card.difficulty, due=card.due, last_review=card.last_review)


def new_memory(now: datetime) -> Memory:
    """A card never reviewed: due now, in fsrs's first learning step."""
    fsrs, _ = _fsrs()
    return _from_fsrs(fsrs.Card(card_id=1, due=_utc(now)))


def review(memory: Memory | None, rating: Rating, now: datetime) -> Memory:
    """The card's memory after a review with `rating` at `now`."""
    fsrs, scheduler = _fsrs()
    now = _utc(now)
    card = _to_fsrs(memory or new_memory(now))
    updated, _log = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
    return _from_fsrs(updated)


def preview(memory: Memory | None, now: datetime) -> dict[Rating, timedelta]:
    """For each rating, how long until the card would be due again."""
    now = _utc(now)
    return {rating: review(memory, rating, now).due - now for rating in RATINGS}


def retrievability(memory: Memory | None, now: datetime) -> float:
    """Predicted probability of recall at `now` (0 for a card never reviewed)."""
    if memory is None:
        return 0.0
    _, scheduler = _fsrs()
    return float(scheduler.get_card_retrievability(_to_fsrs(memory), _utc(now)))
