"""Exercise content is checked: every reference solution passes its checks, every starter fails them.

Nothing here names an exercise: adding one is adding a folder under questions/exercises.
"""

from __future__ import annotations

import ast

import pytest
import yaml

from quizcli.cards import load_shipped_deck
from quizcli.grader.contract import Contract, load_suite
from quizcli.grader.exercises import load_exercises
from quizcli.grader.runner import grade

EXERCISES = load_exercises()


def test_exercises_are_complete_folders() -> None:
    assert len(EXERCISES) >= 7
    assert len({e.class_name for e in EXERCISES}) == len(EXERCISES)
    assert len({e.order for e in EXERCISES}) == len(EXERCISES)
    for exercise in EXERCISES:
        for path in (exercise.starter, exercise.solution, exercise.checks, exercise.directory / "exercise.yaml"):
            assert path.is_file(), path


def test_cards_link_to_existing_exercises() -> None:
    names = {e.name for e in EXERCISES}
    linked = set()
    for card in load_shipped_deck():
        assert card.exercise is None or card.exercise in names, card.id
        linked.add(card.exercise)
    cards = {card.number for card in load_shipped_deck()}
    for exercise in EXERCISES:
        assert exercise.card is None or exercise.card in cards, exercise.name


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_contract_is_data_and_checks_have_no_preamble(exercise) -> None:  # type: ignore[no-untyped-def]
    contract = Contract.load(exercise.directory / "exercise.yaml")
    assert contract.class_name == exercise.class_name
    assert contract.builds and contract.shapes
    source = exercise.checks.read_text(encoding="utf-8")
    names = {t.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)}
    assert not names & {"CONSTRUCT", "SIGNATURE", "registry", "check"}, names
    suite = load_suite(exercise.directory)
    titles = [c.name for c in suite.checks]
    assert titles[0] == "builds" and titles[-1] == "batch_independent" and len(set(titles)) == len(titles)
    data = yaml.safe_load((exercise.directory / "exercise.yaml").read_text(encoding="utf-8"))
    assert data["signature"].startswith(exercise.class_name + "(")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_reference_solution_passes(exercise) -> None:  # type: ignore[no-untyped-def]
    result = grade(exercise.solution, exercise)
    assert result.status == "pass", [(t.name, t.message) for t in result.tests if t.status != "pass"]
    assert len(result.tests) >= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_starter_fails_but_builds(exercise) -> None:  # type: ignore[no-untyped-def]
    result = grade(exercise.starter, exercise)
    assert result.status == "fail"
    assert result.tests[0].status == "pass", "the starter builds, so the learner sees check-by-check feedback"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_starter_imports_what_the_solution_needs(exercise) -> None:  # type: ignore[no-untyped-def]
    def imports(path):  # type: ignore[no-untyped-def]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))}

    assert imports(exercise.solution) <= imports(exercise.starter)
