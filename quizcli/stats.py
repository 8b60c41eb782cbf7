"""Progress figures, computed from the deck and the store with the clock passed in (no rendering here).

Days are UTC days, as everywhere in attnquiz.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from quizcli import scheduler
from quizcli.cards import Card, Deck
from quizcli.store import Store

FORECAST_DAYS = 14
HEATMAP_DAYS = 84  # 12 weeks
STATE_NAMES = {1: "learning", 2: "review", 3: "learning"}  # fsrs: Learning, Review, Relearning
NEW_PER_DAY = 10  # study's default --new: new cards beyond it wait for tomorrow
MASTERY_MIN_REVIEWS = 2  # a card counts toward mastery once reviewed this often and out of learning


@dataclass(frozen=True)
class TopicStats:
    cards: int
    reviewed: int
    due: int


@dataclass(frozen=True)
class Exam:
    day: date
    recall: dict[str, float]  # topic -> mean predicted recall on the day
    at_risk: list[tuple[str, str, float]]  # (label, title, predicted recall), weakest first


@dataclass(frozen=True)
class Stats:
    deck: str
    cards: int
    reviews: int
    due: int
    new: int
    next_due: datetime | None
    topics: dict[str, TopicStats]
    states: dict[str, int] = field(default_factory=dict)
    forecast: list[int] = field(default_factory=list)  # cards due per day, today (with overdue) first
    heatmap: list[tuple[date, int]] = field(default_factory=list)  # reviews per day, oldest first
    mastery: dict[str, float | None] = field(default_factory=dict)  # topic -> mean recall now, None: too few reviews
    mastered_cards: dict[str, int] = field(default_factory=dict)  # topic -> cards counted in its mastery
    new_today: int = 0  # new cards study would show today (within the daily limit)
    quizzes: list[tuple[datetime, float, int]] = field(default_factory=list)
    exercises: tuple[int, int] = (0, 0)  # passed, total
    exam: Exam | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "deck": self.deck,
            "cards": self.cards,
            "reviews": self.reviews,
            "due": self.due,
            "new": self.new,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "topics": {name: vars(t) for name, t in self.topics.items()},
            "states": self.states,
            "due_today": self.forecast[0] if self.forecast else 0,
            "new_today": self.new_today,
            "forecast": self.forecast,
            "heatmap": [{"date": d.isoformat(), "reviews": n} for d, n in self.heatmap],
            "mastery": {t: None if v is None else round(v, 4) for t, v in self.mastery.items()},
            "quizzes": [{"started_at": t.isoformat(), "score": round(s, 2), "answered": n}
                        for t, s, n in self.quizzes],
            "exercises": {"passed": self.exercises[0], "total": self.exercises[1]},
        }
        if self.exam:
            data["exam"] = {
                "date": self.exam.day.isoformat(),
                "recall": {t: round(v, 4) for t, v in self.exam.recall.items()},
                "at_risk": [{"card": label, "title": title, "recall": round(r, 4)}
                            for label, title, r in self.exam.at_risk],
            }
        return data


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(timezone.utc).date()


def new_today(deck: Deck, store: Store, memories: dict[str, scheduler.Memory], now: datetime,
              new_per_day: int = NEW_PER_DAY) -> int:
    """New cards `attnquiz study` would show today: never reviewed, within the day's limit (UTC day)."""
    start = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    left = max(0, new_per_day - store.first_reviews_since(deck.name, start))
    return min(left, sum(1 for c in deck if c.id not in memories))


def compute(deck: Deck, store: Store, now: datetime, exam_day: date | None = None,
            exercises: tuple[int, int] = (0, 0)) -> Stats:
    ids = {card.id for card in deck}
    memories = {cid: m for cid, m in store.memories(deck.name).items() if cid in ids}
    reviews = [r for r in store.reviews(deck.name) if r.card_id in memories]
    due_ids = {cid for cid, m in memories.items() if m.due <= now}
    review_counts = Counter(r.card_id for r in reviews)
    counted = {cid for cid, m in memories.items() if m.state == 2 and review_counts[cid] >= MASTERY_MIN_REVIEWS}
    topics: dict[str, TopicStats] = {}
    mastery: dict[str, float | None] = {}
    mastered_cards: dict[str, int] = {}
    by_topic: dict[str, list[Card]] = {}
    for card in deck:
        for topic in card.topics:
            by_topic.setdefault(topic, []).append(card)
    for topic, cards in sorted(by_topic.items()):
        topics[topic] = TopicStats(cards=len(cards), reviewed=sum(1 for c in cards if c.id in memories),
                                   due=sum(1 for c in cards if c.id in due_ids))
        known = [c for c in cards if c.id in counted]
        mastered_cards[topic] = len(known)
        mastery[topic] = (sum(scheduler.retrievability(memories[c.id], now) for c in known) / len(known)
                          if known else None)
    today = _utc_day(now)
    waiting = new_today(deck, store, memories, now)
    forecast = [0] * FORECAST_DAYS
    forecast[0] = waiting
    for memory in memories.values():
        offset = max(0, (_utc_day(memory.due) - today).days)
        if offset < FORECAST_DAYS:
            forecast[offset] += 1
    per_day = Counter(_utc_day(r.reviewed_at) for r in reviews)
    heatmap = [(today - timedelta(days=back), per_day.get(today - timedelta(days=back), 0))
               for back in range(HEATMAP_DAYS - 1, -1, -1)]
    states = Counter(STATE_NAMES.get(m.state, "learning") for m in memories.values())
    return Stats(
        deck=deck.name,
        cards=len(deck),
        reviews=len(reviews),
        due=len(due_ids),
        new=sum(1 for c in deck if c.id not in memories),
        next_due=min((m.due for m in memories.values()), default=None),
        topics=topics,
        states={"new": len(deck) - len(memories), "learning": states["learning"], "review": states["review"]},
        forecast=forecast,
        heatmap=heatmap,
        mastery=mastery,
        mastered_cards=mastered_cards,
        new_today=waiting,
        quizzes=store.quiz_history(deck.name),
        exercises=exercises,
        exam=_exam(deck, memories, exam_day) if exam_day else None,
    )


def _exam(deck: Deck, memories: dict[str, scheduler.Memory], day: date) -> Exam:
    at = datetime.combine(day, time(9, 0), tzinfo=timezone.utc)
    recall = {card.id: scheduler.retrievability(memories.get(card.id), at) for card in deck}
    sums: dict[str, float] = {}
    for card in deck:
        for topic in card.topics:
            sums[topic] = sums.get(topic, 0.0) + recall[card.id]
    by_topic = {topic: sums[topic] / count for topic, count in deck.topics().items()}
    weakest = sorted(deck, key=lambda c: (recall[c.id], c.number))[:3]
    return Exam(day=day, recall=by_topic, at_risk=[(c.label, c.title, recall[c.id]) for c in weakest])


@dataclass(frozen=True)
class DueNow:
    """What `attnquiz due` prints: reviews due now, new cards waiting today, the next review after now."""

    due: int
    new: int
    next_due: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"due": self.due, "new": self.new, "next_due": self.next_due.isoformat() if self.next_due else None}


def due_now(deck: Deck, store: Store, now: datetime) -> DueNow:
    ids = {card.id for card in deck}
    memories = {cid: m for cid, m in store.memories(deck.name).items() if cid in ids}
    later = [m.due for m in memories.values() if m.due > now]
    return DueNow(due=sum(1 for m in memories.values() if m.due <= now),
                  new=new_today(deck, store, memories, now), next_due=min(later, default=None))
