"""A code answer typed (in the editor) for a card with an exercise is graded by the grader and shown."""

from __future__ import annotations

from quizcli.cards import load_shipped_deck
from quizcli.cli_study import _code_grader
from quizcli.grader.answers import CodeAnswers
from quizcli.grader.exercises import find_exercise, load_exercises


def q10():  # type: ignore[no-untyped-def]
    return load_shipped_deck().find("Q10")


def test_code_for_the_cards_exercise_is_graded() -> None:
    solution = find_exercise("spatial-attention", load_exercises()).solution.read_text()
    broken = solution.replace("return self.sigmoid(x)", "return self.sigmoid(x) * 2")
    with CodeAnswers() as answers:
        right = answers.grade("spatial-attention", solution)
        wrong = answers.grade("spatial-attention", broken)
        block = _code_grader(answers)(q10(), broken)
    assert right is not None and right.status == "pass"
    assert wrong is not None and wrong.status == "fail"
    assert "map_range" in {t.name for t in wrong.tests if t.status != "pass"}
    assert block is not None and "checks passed" in str(block.title)  # type: ignore[attr-defined]


def test_prose_or_other_code_is_left_to_the_key_points() -> None:
    with CodeAnswers() as answers:
        assert answers.grade("spatial-attention", "pool with mean and max over channels, conv 7x7, sigmoid") is None
        assert answers.grade("spatial-attention", "class Other:\n    pass\n") is None
        assert answers.zygote is None, "no grading process is started for an answer that is not code"
