from __future__ import annotations

from pathlib import Path

import pytest

from quizcli import session
from quizcli.cards import load_shipped_deck
from quizcli.scheduler import Rating
from quizcli.store import Store


@pytest.fixture
def deck():  # type: ignore[no-untyped-def]
    return load_shipped_deck()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "p.sqlite3")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("1", Rating.Again), ("4", Rating.Easy), (" Good ", Rating.Good), ("HARD", Rating.Hard),
     ("q", session.QUIT), ("quit", session.QUIT), ("5", None), ("", None), ("goood", None)],
)
def test_parse_rating(line: str, expected: object) -> None:
    assert session.parse_rating(line) == expected


def test_study_shows_new_cards_in_order_and_saves_each_rating(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "3"] * 10)
    summary = session.run_study(deck, store, ui, clock, new_per_day=10)
    assert ui.shown == [c.id for c in deck]
    assert summary.finished and summary.reviewed == 10 and summary.ratings == {"Good": 10}
    assert len(store.reviews(deck.name)) == 10
    assert "[3] Good (10m)" in ui.prompts[1]
    assert summary.next_due == clock.now + session.timedelta(minutes=10)


def test_nothing_due_right_after_rating_everything_good(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    session.run_study(deck, store, scripted_ui(["", "3"] * 10), clock)
    clock.advance(seconds=30)
    assert session.study_queue(deck, store.memories(deck.name), clock.now, 10) == []
    clock.advance(minutes=10)
    assert len(session.study_queue(deck, store.memories(deck.name), clock.now, 10)) == 10


def test_quitting_halfway_keeps_what_was_rated(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "3", "my attempt", "4", "", "q"])
    summary = session.run_study(deck, store, ui, clock)
    assert not summary.finished and summary.reviewed == 2 and summary.remaining == 8
    assert [r.card_id for r in store.reviews(deck.name)] == ["hard-soft-attention", "squeeze-excitation"]
    assert ui.answers[1] == ("squeeze-excitation", "my attempt")


def test_end_of_input_at_the_question_ends_cleanly(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    summary = session.run_study(deck, store, scripted_ui(["", "2"]), clock)
    assert summary.reviewed == 1 and not summary.finished
    assert len(store.reviews(deck.name)) == 1


def test_invalid_rating_asks_again(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "7", "meh", "3", "q"])
    session.run_study(deck, store, ui, clock)
    assert len(ui.warnings) == 2 and "'7' is not a rating" in ui.warnings[0]
    assert [r.rating for r in store.reviews(deck.name)] == [3]


def test_again_comes_back_in_the_same_study_session(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "1"] + ["", "3"] * 10)
    summary = session.run_study(deck, store, ui, clock, new_per_day=10)
    assert ui.shown[0] == ui.shown[-1] == "hard-soft-attention"
    assert summary.reviewed == 11 and summary.finished


def test_daily_new_card_limit(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    session.run_study(deck, store, scripted_ui(["", "4"] * 3), clock, new_per_day=3)
    clock.advance(hours=1)
    assert session.study_queue(deck, store.memories(deck.name), clock.now,
                               3 - store.first_reviews_since(deck.name, session.start_of_day(clock.now))) == []
    clock.advance(days=1)
    ui = scripted_ui([])
    session.run_study(deck, store, ui, clock, new_per_day=3)
    assert ui.shown == ["se-cost"]  # the fourth card is next; the three rated Easy are not due yet


def test_due_cards_come_before_new_ones(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    session.run_study(deck, store, scripted_ui(["", "3", "", "3", "q"]), clock, new_per_day=10)
    clock.advance(minutes=11)
    ui = scripted_ui([])
    session.run_study(deck, store, ui, clock, new_per_day=10)
    assert ui.shown == ["hard-soft-attention"]


def test_drill_repeats_misses_until_recalled(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    cards = deck.with_topic("se")
    ui = scripted_ui(["", "1", "", "3", "", "3", "", "1", "", "3"])
    summary = session.run_drill(cards, deck, store, ui, clock, seed=7)
    assert summary.finished and summary.reviewed == 5
    first = ui.shown[0]
    assert ui.shown.count(first) == 3 and sorted(set(ui.shown)) == sorted(c.id for c in cards)
    assert all(r.mode == "drill" for r in store.reviews(deck.name))
    assert len(store.memories(deck.name)) == 3


def test_drill_seed_makes_the_order_repeatable(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    orders = []
    for _ in range(2):
        ui = scripted_ui(["", "3"] * 3)
        session.run_drill(deck.with_topic("se"), deck, store, ui, clock, seed=42)
        orders.append(ui.shown)
    assert orders[0] == orders[1]


def test_typed_attempt_suggests_a_rating_that_enter_accepts(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    answer = ("hard attention is a discrete crop, not differentiable, trained with REINFORCE; soft attention uses "
              "continuous weights and trains end to end with backprop")
    ui = scripted_ui([answer, "", "what is this", "", "q"])
    session.run_study(deck, store, ui, clock)
    assert ui.coverages[0].suggested_rating() == Rating.Good
    assert "Enter = Good" in ui.prompts[1]
    assert ui.coverages[1].suggested_rating() == Rating.Again
    assert [r.rating for r in store.reviews(deck.name)] == [int(Rating.Good), int(Rating.Again)]


def test_no_suggestion_without_an_attempt(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "", "3", "q"])
    session.run_study(deck, store, ui, clock)
    assert ui.coverages == [] and "Enter =" not in ui.prompts[1]
    assert len(ui.warnings) == 1 and [r.rating for r in store.reviews(deck.name)] == [3]
