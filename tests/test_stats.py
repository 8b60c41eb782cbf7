"""Stats on a store with a known history and a fixed clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizcli import scheduler, stats
from quizcli.cards import load_shipped_deck
from quizcli.scheduler import Rating
from quizcli.store import Store

DECK = load_shipped_deck()
NOW = datetime(2026, 5, 20, 15, 0, tzinfo=timezone.utc)


def history(store: Store) -> None:
    """Q1 reviewed Good three times over the past weeks; Q2 and Q3 studied yesterday; Q4 failed today."""
    memory = None
    for when in (NOW - timedelta(days=30), NOW - timedelta(days=29), NOW - timedelta(days=20)):
        memory = scheduler.review(memory, Rating.Good, when)
        store.record_review(DECK.name, "hard-soft-attention", 3, "study", when, memory)
    for card_id in ("squeeze-excitation", "cbam-max-avg-pooling"):
        when = NOW - timedelta(days=1)
        store.record_review(DECK.name, card_id, 4, "study", when, scheduler.review(None, Rating.Easy, when))
    store.record_review(DECK.name, "se-cost", 1, "drill", NOW - timedelta(hours=1),
                        scheduler.review(None, Rating.Again, NOW - timedelta(hours=1)))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "p.sqlite3")
    history(s)
    return s


def test_counts_states_and_heatmap(store: Store) -> None:
    figures = stats.compute(DECK, store, NOW)
    assert (figures.cards, figures.reviews, figures.new) == (10, 6, 6)
    assert figures.states == {"new": 6, "learning": 1, "review": 3}
    assert len(figures.heatmap) == 84 and figures.heatmap[-1][0] == NOW.date()
    by_day = dict(figures.heatmap)
    assert by_day[NOW.date()] == 1
    assert by_day[NOW.date() - timedelta(days=1)] == 2
    assert by_day[NOW.date() - timedelta(days=30)] == 1
    assert sum(by_day.values()) == 6


def test_forecast_puts_each_reviewed_card_on_its_due_day(store: Store) -> None:
    figures = stats.compute(DECK, store, NOW)
    memories = store.memories(DECK.name)
    assert len(figures.forecast) == 14
    expected = [0] * 14
    expected[0] = figures.new_today  # new cards waiting count as due today
    for memory in memories.values():
        offset = max(0, (memory.due.date() - NOW.date()).days)
        if offset < 14:
            expected[offset] += 1
    assert figures.forecast == expected
    assert figures.forecast[0] >= 1  # the card failed today is due again today
    assert figures.due == sum(1 for m in memories.values() if m.due <= NOW)


def test_mastery_counts_only_cards_with_enough_reviews(store: Store) -> None:
    figures = stats.compute(DECK, store, NOW)
    memories = store.memories(DECK.name)
    # Q1 has three reviews and is out of learning; Q2 (one Easy yesterday) and Q4 (failed today) do not count
    assert figures.mastery["hard-soft"] == pytest.approx(scheduler.retrievability(memories["hard-soft-attention"], NOW))
    assert figures.mastered_cards["hard-soft"] == 1
    assert figures.mastery["se"] is None and figures.mastered_cards["se"] == 0
    assert figures.mastery["transformers"] is None  # never studied
    assert figures.to_json()["mastery"]["se"] is None


def test_new_cards_waiting_count_as_due_today(store: Store) -> None:
    figures = stats.compute(DECK, store, NOW)
    # one card (Q4) had its first review today, so 9 of the day's 10 new cards are left, and 6 cards are new
    assert figures.new_today == 6 and figures.to_json()["new_today"] == 6
    fresh = stats.compute(DECK, Store(store.path.with_name("fresh.sqlite3")), NOW)
    assert fresh.due == 0 and fresh.new_today == 10 and fresh.forecast[0] == 10
    assert stats.due_now(DECK, store, NOW).new == 6


def test_exam_prediction_names_the_weakest_cards(store: Store) -> None:
    figures = stats.compute(DECK, store, NOW, exam_day=date(2026, 7, 1))
    assert figures.exam is not None
    assert figures.exam.recall["hard-soft"] < stats.compute(DECK, store, NOW).mastery["hard-soft"] + 1e-9
    assert [label for label, _, _ in figures.exam.at_risk] == ["Q5", "Q6", "Q7"]  # never studied, in order
    data = figures.to_json()
    assert data["exam"]["date"] == "2026-07-01" and len(data["exam"]["at_risk"]) == 3


def test_json_keeps_the_first_keys_and_adds_the_new(store: Store) -> None:
    store.record_answer(store.start_quiz(DECK.name, 3, NOW), "se-cost", "numeric", 1.0, NOW)
    data = stats.compute(DECK, store, NOW, exercises=(2, 6)).to_json()
    assert {"cards", "reviews", "due", "new", "topics"} <= set(data)
    assert {"states", "due_today", "forecast", "heatmap", "mastery", "quizzes", "exercises"} <= set(data)
    assert data["quizzes"] == [{"started_at": NOW.isoformat(), "score": 1.0, "answered": 1}]
    assert data["exercises"] == {"passed": 2, "total": 6}
