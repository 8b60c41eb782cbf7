"""Progress figures, computed from the deck and the store (no rendering here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizcli.cards import Deck
from quizcli.store import Store


@dataclass(frozen=True)
class TopicStats:
    cards: int
    reviewed: int
    due: int


@dataclass(frozen=True)
class Stats:
    deck: str
    cards: int
    reviews: int
    due: int
    new: int
    next_due: datetime | None
    topics: dict[str, TopicStats]

    def to_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "cards": self.cards,
            "reviews": self.reviews,
            "due": self.due,
            "new": self.new,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "topics": {name: vars(t) for name, t in self.topics.items()},
        }


def compute(deck: Deck, store: Store, now: datetime) -> Stats:
    memories = store.memories(deck.name)
    ids = {card.id for card in deck}
    reviews = [r for r in store.reviews(deck.name) if r.card_id in ids]
    due_ids = {cid for cid, m in memories.items() if cid in ids and m.due <= now}
    topics: dict[str, TopicStats] = {}
    for topic in deck.topics():
        cards = [c for c in deck if topic in c.topics]
        topics[topic] = TopicStats(
            cards=len(cards),
            reviewed=sum(1 for c in cards if c.id in memories),
            due=sum(1 for c in cards if c.id in due_ids),
        )
    dues = [m.due for cid, m in memories.items() if cid in ids]
    return Stats(
        deck=deck.name,
        cards=len(deck),
        reviews=len(reviews),
        due=len(due_ids),
        new=sum(1 for c in deck if c.id not in memories),
        next_due=min(dues) if dues else None,
        topics=topics,
    )
