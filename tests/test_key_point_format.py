"""The key-point card format: parsed, checked by `attnquiz validate` with file:line, and imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizcli.cards import KeyPoint, parse_card, read_card
from quizcli.errors import DeckError
from quizcli.importer import import_notes
from quizcli.validate import validate_deck

HEAD = "id: c\nnumber: 1\ntitle: T\ntopics: [t]\nquestion: What is special about it?\nanswer: A.\n"


def card(tmp_path: Path, key_points: str) -> Path:
    path = tmp_path / "q01-c.yaml"
    path.write_text(HEAD + "key_points:\n" + key_points, encoding="utf-8")
    return path


def test_claim_subject_opposite_not_of_are_read(tmp_path: Path) -> None:
    path = card(tmp_path, "  - point: P\n    subject: [hard attention]\n    claim: [not differentiable]\n"
                          "    opposite: [differentiable]\n    not_of: [soft attention]\n")
    assert read_card(path).key_points == (KeyPoint("P", ("not differentiable",), ("hard attention",),
                                                   ("differentiable",), ("soft attention",)),)


def test_the_old_any_form_reads_as_claims(tmp_path: Path) -> None:
    assert read_card(card(tmp_path, "  - point: P\n    any: [crop, discrete]\n")).key_points[0].claim == \
        ("crop", "discrete")


@pytest.mark.parametrize(("items", "line", "message"), [
    ("  - point: A\n    claim: [x1]\n  - point: B\n    claim: oops\n", 10, "item 2: 'claim' must be a list of phrases"),
    ("  - point: A\n    claim: [x1]\n    subjet: [y]\n", 8, "unknown key 'subjet'"),
    ("  - point: A\n", 8, "'claim' must list at least one phrase"),
    ("  - point: A\n    claim: [x1]\n    implied: true\n", 8, "'implied' must be true or false, with a 'subject'"),
])
def test_bad_key_points_name_file_line_and_field(tmp_path: Path, items: str, line: int, message: str) -> None:
    path = card(tmp_path, items)
    with pytest.raises(DeckError) as caught:
        parse_card(path, path.read_text(encoding="utf-8"))
    assert str(caught.value).startswith(f"{path}:{line}: field 'key_points': ") and message in str(caught.value)


def test_validate_flags_phrases_that_cannot_work(tmp_path: Path) -> None:
    card(tmp_path, "  - point: A\n    subject: [hard attention]\n    claim: [hard attention, special, '1',"
                   " differentiable]\n    opposite: [differentiable]\n")
    count, problems = validate_deck(tmp_path, set())
    assert count == 1 and len(problems) == 4
    assert all(p.startswith(f"{tmp_path / 'q01-c.yaml'}:8: field 'key_points': item 1: ") for p in problems)
    text = "\n".join(problems)
    assert "only names the subject" in text and "only repeats the question" in text
    assert "has no word to match" in text and "both a claim and its opposite" in text


def test_import_reads_a_key_points_list_under_the_answer(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# N\n\n## Q1: Hard or soft?\n**Answer:**\nHard picks one region.\n\n**Key points:**\n"
                     "- Hard attention is not differentiable | subject: hard attention, hard | claim: not "
                     "differentiable, needs RL | opposite: differentiable\n- Soft attention weights everything\n"
                     "- Odd | colour: red\n", encoding="utf-8")
    result = import_notes(notes, tmp_path / "deck")
    assert result.problems == [f"{notes}:10: key point 'colour: red': expected NAME: phrase, phrase with NAME one "
                               "of subject, claim, opposite, not_of, inverse; ignored"]
    imported = read_card(result.written[0])
    assert imported.answer == "Hard picks one region."
    assert imported.key_points[0] == KeyPoint("Hard attention is not differentiable",
                                              ("not differentiable", "needs RL"), ("hard attention", "hard"),
                                              ("differentiable",))
    assert imported.key_points[1].claim == ("Soft attention weights everything",)


def test_inverse_changes_are_read_imported_and_checked(tmp_path: Path) -> None:
    path = card(tmp_path, "  - point: P\n    claim: [fewer parameters]\n    opposite: [more parameters]\n"
                          "    inverse: [smaller r, 'r = 1']\n")
    assert read_card(path).key_points[0].inverse == ("smaller r", "r = 1")
    _, problems = validate_deck(tmp_path, set())
    assert len(problems) == 1 and "inverse 'r = 1' has no word to match" in problems[0]
    notes = tmp_path / "notes.md"
    notes.write_text("# N\n\n## Q1: Why reduce?\n**Answer:**\nCost.\n\n**Key points:**\n"
                     "- Fewer parameters | claim: fewer parameters | inverse: smaller r, less reduction\n",
                     encoding="utf-8")
    result = import_notes(notes, tmp_path / "deck")
    assert result.problems == []
    assert read_card(result.written[0]).key_points[0].inverse == ("smaller r", "less reduction")
