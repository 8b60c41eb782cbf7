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
     ("q", session.QUIT), ("quit", session.QUIT), ("u", session.Signal.UNDO), ("?", session.Signal.HELP),
     ("e", None), ("5", None), ("", None), ("goood", None)],
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


def test_undo_twice_restores_memories_and_deletes_the_reviews(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    session.run_study(deck, store, scripted_ui(["", "3"]), clock)  # an earlier session: Q1 rated Good
    clock.advance(minutes=11)
    before = store.memories(deck.name)
    ui = scripted_ui(["", "4", "", "1", "u", "", "u", "u", "", "2", "q"])
    summary = session.run_study(deck, store, ui, clock)
    # Q1 Easy, Q2 Again; undo at Q3's question takes back Q2; undo at Q2's rating takes back Q1;
    # a third undo has nothing of this session left; then Q1 is rated Hard
    assert ui.shown == ["hard-soft-attention", "squeeze-excitation", "cbam-max-avg-pooling", "squeeze-excitation",
                        "hard-soft-attention", "hard-soft-attention", "squeeze-excitation"]
    assert [n.split(".")[0] for n in ui.notes] == ["Undone: Again on Q2", "Undone: Easy on Q1",
                                                   "Nothing to undo in this session"]
    assert [r.rating for r in store.reviews(deck.name)] == [3, 2]
    assert summary.reviewed == 1 and summary.ratings == {"Hard": 1} and summary.undone == 2
    memories = store.memories(deck.name)
    assert "squeeze-excitation" not in memories  # never reviewed again, as before the undo
    assert memories["hard-soft-attention"] == session.scheduler.review(before["hard-soft-attention"], Rating.Hard,
                                                                       clock.now)


def test_undo_with_nothing_rated_warns(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["u", "q"])
    session.run_study(deck, store, ui, clock)
    assert ui.notes == ["Nothing to undo in this session."] and store.reviews(deck.name) == []


def test_the_interval_shown_is_the_one_stored(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "4", "q"])
    session.run_study(deck, store, ui, clock)
    easy = ui.prompts[1].split("[4] Easy (")[1].split(")")[0]
    stored = store.memories(deck.name)["hard-soft-attention"]
    assert session.format_interval(stored.due - clock.now) == easy


def test_progress_counts_again_cards_as_returning(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "1", "", "3", "q"])
    session.run_study(deck, store, ui, clock, new_per_day=3)
    assert ui.progress == [session.Progress(0, 3, 0), session.Progress(1, 3, 1), session.Progress(2, 2, 1)]


def test_learn_ahead_in_a_terminal_and_not_from_a_pipe(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    piped = scripted_ui(["", "3", "", "3"])
    summary = session.run_study(deck, store, piped, clock, new_per_day=2)
    assert summary.finished and summary.ahead == 0 and len(piped.prompts) == 4
    clock.advance(minutes=1)
    keys = scripted_ui(["\n", "", "3", "", "3", "q"])
    keys.keys = True
    summary = session.run_study(deck, store, keys, clock, new_per_day=2)
    assert keys.prompts[0].startswith("2 cards you are learning come back within 20m.\nThe first in 9:00 · Enter")
    assert keys.shown == ["hard-soft-attention", "squeeze-excitation"] and summary.ahead == 2
    assert [r.rating for r in store.reviews(deck.name)] == [3, 3, 3, 3]


def test_enter_takes_good_in_a_terminal_when_nothing_is_suggested(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["", "\n", "q"])
    ui.keys = True
    session.run_study(deck, store, ui, clock)
    assert [r.rating for r in store.reviews(deck.name)] == [3] and "Space Good" in ui.prompts[1]


def test_a_code_answer_goes_to_the_grade_hook(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    code = "class SpatialAttention(nn.Module):\n    pass"
    seen: list[tuple[str, str]] = []

    def grade_code(card, text):  # type: ignore[no-untyped-def]
        seen.append((card.id, text))
        return "3/13 checks passed"

    q10 = [deck.find("Q10")]
    ui = scripted_ui(["e", "2"], edits=[code])
    session.run_drill(q10, deck, store, ui, clock, grade_code=grade_code)
    assert seen == [("spatial-attention-code", code)] and ui.extras == ["3/13 checks passed"]
    assert ui.answers == [("spatial-attention-code", code)]


def test_an_empty_editor_asks_again(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    ui = scripted_ui(["e", "", "3", "q"], edits=[""])
    session.run_study(deck, store, ui, clock)
    assert "Nothing was written in the editor" in ui.warnings[0] and ui.answers == [("hard-soft-attention", "")]


def test_the_learn_ahead_countdown_starts_the_cards_when_it_runs_out(deck, store, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    session.run_study(deck, store, scripted_ui(["", "3"]), clock, new_per_day=1)
    ui = scripted_ui([])
    ui.keys = True
    waits: list[float | None] = []

    def tick(prompt: str, wait: float | None = None) -> str:
        ui.prompts.append(prompt)
        waits.append(wait)
        clock.advance(seconds=wait or 0)  # nobody pressed a key for that long
        return session.TIMEOUT

    ui.read_key = tick
    ui.read = lambda prompt: None  # the card comes up once the countdown is over; then input ends
    summary = session.run_study(deck, store, ui, clock, new_per_day=1)
    assert ui.shown == ["hard-soft-attention"] and summary.ahead == 0
    assert len(waits) == 600 and all(w == 1.0 for w in waits)  # a redraw each second for 10 minutes
    assert "The first in 10:00" in ui.prompts[0] and "The first in 0:01" in ui.prompts[-1]
    assert ui.prompts[1].startswith("\r")  # redrawn on the same line
