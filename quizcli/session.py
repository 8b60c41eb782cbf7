"""The study and drill loops: one review loop for both. No Rich here: they talk to a small UI protocol,
so tests can drive them, and read input through quizcli.prompts' commands (quit, undo, edit, help)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, NamedTuple, Protocol

from quizcli import scheduler
from quizcli.cards import Card, Deck
from quizcli.prompts import TIMEOUT, Signal, signal_of
from quizcli.scheduler import Memory, Rating
from quizcli.store import Store
from quizcli.text import format_interval

if TYPE_CHECKING:
    from quizcli.keypoints import Coverage

Clock = Callable[[], datetime]
GradeCode = Callable[[Card, str], object | None]  # a code answer -> a block to show beside the answer, or None
QUIT = Signal.QUIT
RATING_WORDS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy,
                "again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
DRILL_REQUEUE_GAP = 3  # a card rated Again in a drill comes back after this many other cards
LEARN_AHEAD = timedelta(minutes=20)  # as Anki: learning cards due this soon may be studied at the end
AT_QUESTION = frozenset({Signal.QUIT, Signal.UNDO, Signal.EDIT, Signal.HELP})
AT_RATING = frozenset({Signal.QUIT, Signal.UNDO, Signal.HELP})


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Progress(NamedTuple):
    done: int  # ratings given this session
    left: int  # cards still to show, this one included
    returning: int  # of those, cards already rated this session (Again) that come back


class UI(Protocol):
    keys: bool  # True in a terminal: a rating is one key press

    def show_question(self, card: Card, progress: Progress) -> None: ...
    def show_answer(self, card: Card, attempt: str) -> None: ...
    def show_coverage(self, result: Coverage) -> None: ...
    def show_extra(self, block: object) -> None: ...
    def show_keys(self, at_rating: bool) -> None: ...
    def read(self, prompt: str) -> str | None:
        """One line of input without its newline, or None at end of input."""
        ...
    def read_key(self, prompt: str, wait: float | None = None) -> str | None:
        """One key press in a terminal (ENTER for Enter or Space; TIMEOUT after `wait` seconds without
        one), else one line; None at end of input."""
        ...
    def edit(self, card: Card) -> str | None:
        """A multi-line answer written in $EDITOR ('' if nothing was), or None when the editor failed."""
        ...
    def note(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...


def parse_rating(line: str) -> Rating | Signal | None:
    """A Rating, a command (quit, undo, help), or None when the line is not a valid answer."""
    signal = signal_of(line, AT_RATING)
    return signal if signal else RATING_WORDS.get(line.strip().lower())


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
    undone: int = 0  # ratings taken back with undo
    new_waiting: int = 0  # new cards still allowed today when the session ended (study only)
    ahead: int = 0  # learning cards studied ahead of their time at the end (study only)


class Reviewed(NamedTuple):
    rating: Rating
    memory: Memory
    review_id: int


def rating_prompt(outcomes: dict[Rating, Memory], now: datetime, default: Rating | None, keys: bool) -> str:
    """The choices with the interval each one schedules (the very memories stored on a choice)."""
    def interval(rating: Rating) -> str:
        return format_interval(outcomes[rating].due - now)

    if keys:
        choices = "  ".join(f"{int(r)} {r.name} {interval(r)}" for r in scheduler.RATINGS)
        return f"{choices}   Space {default.name if default else 'Good'} · u undo · q quit · ? keys > "
    choices = "  ".join(f"[{int(r)}] {r.name} ({interval(r)})" for r in scheduler.RATINGS)
    enter = f"  Enter = {default.name}" if default else ""
    return f"{choices}  [q] quit{enter} > "


def _attempt(card: Card, ui: UI) -> str | Signal:
    """The learner's attempt at the question ('' to just reveal), or QUIT / UNDO."""
    while True:
        line = ui.read("Your answer (Enter: reveal · e: editor · ?: keys) > ")
        if line is None:
            return Signal.QUIT
        signal = signal_of(line, AT_QUESTION)
        if signal is Signal.HELP:
            ui.show_keys(at_rating=False)
        elif signal is Signal.EDIT:
            text = ui.edit(card)
            if text:
                return text
            if text is not None:  # None: the editor failed, and the UI said why
                ui.warn("Nothing was written in the editor; answer again, or press Enter to reveal.")
        elif signal is not None:
            return signal
        else:
            return line.strip()


def review_card(card: Card, deck: Deck, store: Store, ui: UI, clock: Clock, mode: str,
                memory: Memory | None, progress: Progress,
                grade_code: GradeCode | None = None) -> Reviewed | Signal:
    """One card: question, attempt, answer, rating. The review is committed before this returns.

    Returns the rating, the card's new memory and the review's id; or QUIT (the learner quit or input
    ended) or UNDO (take back the previous rating).
    """
    ui.show_question(card, progress)
    attempt = _attempt(card, ui)
    if isinstance(attempt, Signal):
        return attempt
    ui.show_answer(card, attempt)
    suggested = None
    if attempt and card.key_points:
        from quizcli.keypoints import coverage

        result = coverage(card.key_points, attempt)
        ui.show_coverage(result)
        suggested = result.suggested_rating()
    if attempt and card.exercise and grade_code is not None:
        block = grade_code(card, attempt)
        if block is not None:
            ui.show_extra(block)
    now = clock()
    outcomes = {rating: scheduler.review(memory, rating, now) for rating in scheduler.RATINGS}
    default = suggested or (Rating.Good if ui.keys else None)
    while True:
        pressed = ui.read_key(rating_prompt(outcomes, now, suggested, ui.keys))
        if pressed is None:
            return Signal.QUIT
        choice = default if (default and not pressed.strip()) else parse_rating(pressed)
        if choice is Signal.HELP:
            ui.show_keys(at_rating=True)
            continue
        if isinstance(choice, (Rating, Signal)):
            break
        shown = pressed.strip() if pressed != "\x1b" else "Esc"
        ui.warn(f"'{shown}' is not a rating: type 1-4 or again/hard/good/easy, u to undo, or q to quit.")
    if isinstance(choice, Signal):
        return choice
    review_id = store.record_review(deck.name, card.id, int(choice), mode, now, outcomes[choice])
    return Reviewed(choice, outcomes[choice], review_id)


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


def learning_soon(deck: Deck, memories: dict[str, Memory], now: datetime) -> list[Card]:
    """Learning cards that come back within LEARN_AHEAD, soonest first."""
    soon = [c for c in deck if c.id in memories and memories[c.id].state in (1, 3)
            and memories[c.id].due <= now + LEARN_AHEAD]
    return sorted(soon, key=lambda c: memories[c.id].due)


class _Step(NamedTuple):
    """What undo needs: the card, its memory before the rating, the review, and the queue before."""

    card: Card
    before: Memory | None
    rating: Rating
    review_id: int
    queue: list[Card]


def review_loop(queue: list[Card], deck: Deck, store: Store, ui: UI, clock: Clock, summary: Summary,
                memories: dict[str, Memory], requeue: Callable[[list[Card], Card], None],
                refill: Callable[[], list[Card]] | None = None, grade_code: GradeCode | None = None) -> None:
    """The loop study and drill share: show, rate, requeue misses, undo; every rating committed at once."""
    history: list[_Step] = []
    while True:
        if not queue:
            queue.extend(refill() if refill else [])
            if not queue:
                summary.finished = True
                return
        card = queue[0]
        rated = {step.card.id for step in history}
        progress = Progress(summary.reviewed, len(queue), sum(1 for c in queue if c.id in rated))
        outcome = review_card(card, deck, store, ui, clock, summary.mode, memories.get(card.id), progress,
                              grade_code)
        if outcome is Signal.UNDO:
            if not history:
                ui.note("Nothing to undo in this session.")
                continue
            step = history.pop()
            store.undo_review(step.review_id, deck.name, step.card.id, step.before)
            if step.before is None:
                memories.pop(step.card.id, None)
            else:
                memories[step.card.id] = step.before
            queue[:] = step.queue
            summary.reviewed -= 1
            summary.ratings[step.rating.name] -= 1
            summary.ratings += Counter()  # drops the zero counts
            summary.undone += 1
            ui.note(f"Undone: {step.rating.name} on {step.card.label}. It is shown again.")
            continue
        if isinstance(outcome, Signal):
            summary.remaining = len(queue)
            return
        history.append(_Step(card, memories.get(card.id), outcome.rating, outcome.review_id, list(queue)))
        queue.pop(0)
        memories[card.id] = outcome.memory
        summary.reviewed += 1
        summary.ratings[outcome.rating.name] += 1
        if outcome.rating == Rating.Again:
            requeue(queue, card)


def run_study(deck: Deck, store: Store, ui: UI, clock: Clock = utc_now, new_per_day: int = 10,
              grade_code: GradeCode | None = None) -> Summary:
    """Spaced-repetition study: due cards, then new ones; a card rated Again comes back in the session,
    and in a terminal learning cards due within minutes are offered at the end (learn ahead, as Anki does)."""
    summary = Summary(mode="study")
    now = clock()
    day = start_of_day(now)
    memories = store.memories(deck.name)
    queue = study_queue(deck, memories, now, new_per_day - store.first_reviews_since(deck.name, day))
    summary.planned = len(queue)
    summary.unseen = sum(1 for c in deck if c.id not in memories)

    def learn_ahead() -> list[Card]:
        """Learning cards due within minutes: a countdown to the first, or Enter to study them now."""
        soon = learning_soon(deck, memories, clock())
        if not soon:
            return []
        cards = f"{len(soon)} card{'s' if len(soon) > 1 else ''} you are learning come{'s' if len(soon) == 1 else ''}"
        start = f"{cards} back within {format_interval(LEARN_AHEAD)}.\n"
        while True:
            left = (memories[soon[0].id].due - clock()).total_seconds()
            if left <= 0:
                return soon  # the countdown ran out: the first is due now
            minutes, seconds = divmod(int(left + 0.999), 60)
            answer = ui.read_key(f"{start}The first in {minutes}:{seconds:02d} · Enter: study now · q: stop > ",
                                 wait=min(1.0, left))
            if answer != TIMEOUT:
                break
            start = "\r\x1b[K"  # the same line, one second later
        if answer is None or answer.strip():  # end of input, q or any other key: stop here
            return []
        summary.ahead += len(soon)
        return soon

    review_loop(queue, deck, store, ui, clock, summary, memories, lambda q, card: q.append(card),
                refill=learn_ahead if ui.keys else None, grade_code=grade_code)  # a pipe ends as it always did
    summary.next_due = next_due(memories, deck)
    new_left = new_per_day - store.first_reviews_since(deck.name, start_of_day(clock()))
    summary.new_waiting = max(0, min(new_left, sum(1 for c in deck if c.id not in memories)))
    return summary


def run_drill(cards: Sequence[Card], deck: Deck, store: Store, ui: UI, clock: Clock = utc_now,
              seed: int | None = None, grade_code: GradeCode | None = None) -> Summary:
    """Every card given, shuffled; a card rated Again comes back a few cards later until it is recalled."""
    import random

    summary = Summary(mode="drill")
    queue = list(cards)
    random.Random(seed).shuffle(queue)
    summary.planned = len(queue)
    memories = store.memories(deck.name)
    review_loop(queue, deck, store, ui, clock, summary, memories,
                lambda q, card: q.insert(min(DRILL_REQUEUE_GAP, len(q)), card), grade_code=grade_code)
    summary.next_due = next_due(memories, deck)
    return summary


def due_in(moment: datetime | None, now: datetime) -> timedelta | None:
    return None if moment is None else moment - now
