from __future__ import annotations

from pathlib import Path

import pytest

from quizcli import quiz
from quizcli.cards import load_shipped_deck
from quizcli.store import Store

DECK = load_shipped_deck()


def test_draw_is_repeatable_with_a_seed_and_spreads_cards_and_topics() -> None:
    first = quiz.draw(list(DECK), 10, seed=11)
    assert [(q.card.id, q.kind, q.index) for q in first] == [(q.card.id, q.kind, q.index)
                                                            for q in quiz.draw(list(DECK), 10, seed=11)]
    assert first != quiz.draw(list(DECK), 10, seed=12)
    assert len({q.card.id for q in first}) == 10  # one question per card before any card repeats
    assert all(a.topic != b.topic for a, b in zip(first, first[1:], strict=False))


def test_draw_for_a_topic_uses_its_cards_and_caps_at_what_exists() -> None:
    se = DECK.with_topic("se")
    drawn = quiz.draw(se, 50, seed=1)
    assert {q.card.number for q in drawn} == {2, 4, 6}
    assert len(drawn) == sum(len(quiz.questions_of(c)) for c in se)


def test_every_card_offers_choice_and_typed_and_cost_cards_a_number() -> None:
    for card in DECK:
        kinds = {q.kind for q in quiz.questions_of(card)}
        assert {"choice", "typed"} <= kinds
    numbers = {q.card.number: q.numeric.answer for c in DECK for q in quiz.questions_of(c) if q.kind == "numeric"}
    assert numbers[10] == 98 and numbers[4] == 8192


@pytest.mark.parametrize(("line", "options", "expected"), [
    ("b", 4, frozenset({1})), ("a,c", 5, frozenset({0, 2})), (" A  C ", 5, frozenset({0, 2})),
    ("e", 4, None), ("ab", 4, None), ("", 4, None), ("q", 4, quiz.QUIT)])
def test_parse_letters(line: str, options: int, expected: object) -> None:
    assert quiz.parse_letters(line, options) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("98", 98.0), ("8,192 weights", 8192.0), ("8 192", 8192.0), ("about 8.2k", 8200.0), ("2.5M", 2.5e6),
    ("none", None), ("quit", quiz.QUIT)])
def test_parse_number(line: str, expected: object) -> None:
    assert quiz.parse_number(line) == expected


def _question(ref: str, kind: str) -> quiz.Question:
    return next(q for q in quiz.questions_of(DECK.find(ref)) if q.kind == kind)


def test_run_quiz_scores_each_kind_and_saves_each_answer(tmp_path: Path, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "p.sqlite3")
    questions = [_question("Q1", "choice"), _question("Q10", "numeric"), _question("Q7", "typed"),
                 _question("Q4", "numeric")]
    ui = scripted_ui(["a,b", "98 parameters", "channel attention is what, spatial is where", "", "banana", "4096"])
    summary = quiz.run_quiz(questions, "attention", store, ui, clock)
    assert [a.credit for a in summary.answers] == [1.0, 1.0, 1.0, 0.0]
    assert summary.finished and summary.score == 3.0
    assert "has no number" in ui.warnings[0]
    assert summary.per_topic()["se"] == (0.0, 1)
    assert [a.question.card.number for a in summary.missed()] == [4]
    assert store.quiz_history("attention")[0][1:] == (3.0, 4)
    assert store.memories("attention") == {}  # a quiz never reschedules flashcards


def test_typed_verdict_can_be_overridden_and_quitting_keeps_the_score(tmp_path: Path, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "p.sqlite3")
    questions = [_question("Q7", "typed"), _question("Q2", "typed"), _question("Q3", "choice")]
    ui = scripted_ui(["something vague", "y", "channels", "n", "q"])
    summary = quiz.run_quiz(questions, "attention", store, ui, clock)
    assert [a.credit for a in summary.answers] == [1.0, 0.0]
    assert not summary.finished
    assert store.quiz_history("attention")[0][1:] == (1.0, 2)


def test_partial_typed_answer_gets_partial_credit(tmp_path: Path, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "p.sqlite3")
    ui = scripted_ui(["channel attention is about what to focus on", ""])
    summary = quiz.run_quiz([_question("Q7", "typed")], "attention", store, ui, clock)
    assert summary.answers[0].credit == 0.5
