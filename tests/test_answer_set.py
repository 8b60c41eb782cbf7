"""The labelled answers the judge is measured on, and the figures it must keep on them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import answers  # noqa: E402

WRONG_KINDS = ("wrong", "swapped", "negated", "salad", "empty", "misattributed", "misplaced", "tanh",
               "code-softmax", "wrong-axis")


def test_the_set_is_large_and_varied_enough() -> None:
    items = answers.load_half("dev") + answers.load_half("held-out")
    assert len(items) >= 150
    wrong = [i for i in items if i["kind"] in WRONG_KINDS]
    assert len(wrong) * 3 >= len(items)
    assert len({i["answer"] for i in items if i["answer"].strip()}) == sum(1 for i in items if i["answer"].strip())


@pytest.mark.parametrize("half", answers.HALVES)
def test_the_judge_agrees_with_the_interviewer(half: str) -> None:
    figures = answers.measure(answers.load_half(half))
    assert figures.kappa >= 0.8
    assert figures.rating_agreement >= 0.85
    assert figures.false_good[0] <= 0.05 * figures.false_good[1]
    assert figures.salad_credited[0] == 0
    assert figures.wrong_credited[0] <= 0.15 * figures.wrong_credited[1]
    assert figures.again_on_right[0] <= 0.05 * figures.again_on_right[1]  # a right answer told Again


def test_kappa() -> None:
    assert answers.kappa([(True, True), (False, False)] * 5) == 1.0
    assert answers.kappa([(True, False), (False, True)] * 5) < 0
