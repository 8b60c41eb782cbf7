"""Property-based tests: any input to a parser gives a result or the project's own error, never another
exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcli import quiz, session
from quizcli.cards import load_shipped_deck, parse_card
from quizcli.errors import DeckError
from quizcli.importer import parse_notes
from quizcli.keypoints import coverage

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DECK = load_shipped_deck()
VALID = (DECK.find("Q10").path or Path()).read_text()

yaml_like = st.one_of(
    st.text(),
    st.text(alphabet="abc:-[]{}|>'\"#&*!%@`\n  \t0123456789.", max_size=200),
    st.builds(lambda cut, junk: VALID[:cut] + junk + VALID[cut:],
              st.integers(0, len(VALID)), st.text(alphabet=":-[]{}|>'\"\n #", max_size=8)),
    st.lists(st.sampled_from(["id: x", "number: 1", "topics: [a]", "question: q", "answer: a", "title: t",
                              "choices:", "  - options: [a, b]", "key_points: 3", "numeric:", "  - answer: x",
                              "format_version: 3", "exercise: 5", "- 1", "  x: y"]), max_size=12)
    .map("\n".join),
)


@SETTINGS
@given(yaml_like)
def test_card_loader_gives_a_card_or_a_deck_error(text: str) -> None:
    try:
        card = parse_card(Path("fuzz.yaml"), text)
    except DeckError as exc:
        message = str(exc)
        assert message.startswith("fuzz.yaml") and "\n" not in message.split(": ", 1)[0]
    else:
        assert card.id and card.number >= 1 and card.topics


markdown_like = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(["## Q1: What?", "## Q2: Why", "**Answer:**", "**Answer:** inline",
                                        "# Title", "```", "*   bullet", "$x^2$", "", "## Q: broken", "## Q3:"]),
                       st.text(max_size=30)), max_size=30).map("\n".join),
)


@SETTINGS
@given(markdown_like)
def test_markdown_importer_parses_anything(text: str) -> None:
    title, sections, problems = parse_notes(text, "notes.md")
    assert isinstance(title, str)
    for section in sections:
        assert section.answer.strip() and section.number >= 0
    for problem in problems:
        assert problem.startswith("notes.md:")


@SETTINGS
@given(st.text())
def test_prompt_parsers_never_raise(line: str) -> None:
    assert session.parse_rating(line) in (*session.RATING_WORDS.values(), *session.AT_RATING, None)
    letters = quiz.parse_letters(line, 5)
    assert letters is None or letters == quiz.QUIT or (isinstance(letters, frozenset) and letters <= set(range(5)))
    number = quiz.parse_number(line)
    assert number is None or number == quiz.QUIT or isinstance(number, float)
    result = coverage(DECK.find("Q1").key_points, line)
    assert len(result.hit) + len(result.missed) == len(DECK.find("Q1").key_points)
