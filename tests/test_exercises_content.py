"""Card content is checked: every reference solution passes its checks, every starter fails them."""

from __future__ import annotations

import pytest

from quizcli.cards import load_shipped_deck
from quizcli.grader.exercises import load_exercises
from quizcli.grader.runner import grade

EXERCISES = load_exercises()


def test_the_six_exercises_in_order() -> None:
    assert [e.name for e in EXERCISES] == ["spatial-attention", "channel-attention", "cbam", "se-block", "eca",
                                           "non-local"]
    assert {e.class_name for e in EXERCISES} == {"SpatialAttention", "ChannelAttention", "CBAM", "SEBlock", "ECA",
                                                 "NonLocalBlock"}


def test_cards_link_to_existing_exercises() -> None:
    names = {e.name for e in EXERCISES}
    for card in load_shipped_deck():
        assert card.exercise is None or card.exercise in names, card.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_reference_solution_passes(exercise) -> None:  # type: ignore[no-untyped-def]
    result = grade(exercise.solution, exercise)
    assert result.status == "pass", [(t.name, t.message) for t in result.tests if t.status != "pass"]
    assert len(result.tests) >= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_starter_fails(exercise) -> None:  # type: ignore[no-untyped-def]
    result = grade(exercise.starter, exercise)
    assert result.status == "fail"
    assert result.tests[0].status == "pass", "the starter builds, so the learner sees check-by-check feedback"
