from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizcli.cards import load_deck, load_shipped_deck, parse_card
from quizcli.errors import DeckError, UsageError
from quizcli.text import latex_to_text

SEED = Path(__file__).parent / "data" / "seed_questions.md"

VALID = """\
format_version: 1
id: my-card
number: 1
title: A title
topics: [se]
question: What?
answer: This.
"""


def seed_sections() -> dict[int, tuple[str, str]]:
    """The original questions and answers: number -> (question, answer markdown)."""
    text = SEED.read_text(encoding="utf-8")
    sections = re.split(r"^## Q(\d+): ", text, flags=re.MULTILINE)[1:]
    result = {}
    for number, body in zip(sections[::2], sections[1::2], strict=True):
        question, _, rest = body.partition("\n")
        answer = rest.split("**Answer:**", 1)[1].strip()
        result[int(number)] = (question.strip(), answer)
    return result


def test_shipped_deck_has_the_ten_questions_in_order() -> None:
    deck = load_shipped_deck()
    assert [c.number for c in deck] == list(range(1, 11))
    assert len({c.id for c in deck}) == 10


def test_cards_keep_the_seed_wording() -> None:
    deck = load_shipped_deck()
    seed = seed_sections()
    assert sorted(seed) == list(range(1, 11))
    for card in deck:
        question, answer = seed[card.number]
        assert card.question == question, card.id
        assert card.answer == answer, card.id


def test_topics_required_by_the_product() -> None:
    deck = load_shipped_deck()
    topics = deck.topics()
    for slug in ("se", "cbam", "eca", "non-local", "spatial", "channel", "hard-soft", "transformers", "coding"):
        assert slug in topics, slug
    assert [c.label for c in deck.with_topic("se")] == ["Q2", "Q4", "Q6"]


def test_q4_note_carries_the_se_cost_correction() -> None:
    note = load_shipped_deck().find("Q4").notes
    assert "10%" in note and "0.26%" in note


def test_q10_links_the_spatial_attention_exercise() -> None:
    assert load_shipped_deck().find("10").exercise == "spatial-attention"


def test_find_by_label_number_or_id() -> None:
    deck = load_shipped_deck()
    assert deck.find("Q4").id == deck.find("4").id == deck.find("se-cost").id == "se-cost"
    assert deck.find("q4").number == 4
    with pytest.raises(UsageError, match="unknown card 'Q11'"):
        deck.find("Q11")


def test_unknown_topic_lists_valid_and_suggests_closest() -> None:
    with pytest.raises(UsageError) as info:
        load_shipped_deck().with_topic("sse")
    message = str(info.value)
    assert "did you mean 'se'?" in message
    assert "non-local" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("topics: [se]", "topics: se"), r"card\.yaml:5: field 'topics'"),
        (VALID.replace("number: 1", "number: one"), r"card\.yaml:3: field 'number'"),
        (VALID.replace("id: my-card", "id: My Card"), r"card\.yaml:2: field 'id'"),
        (VALID.replace("answer: This.\n", ""), r"card\.yaml: missing required field 'answer'"),
        (VALID.replace("question: What?", "question: ''"), r"card\.yaml:6: field 'question'"),
        (VALID + "colour: red\n", r"card\.yaml:8: field 'colour': unknown field"),
        (VALID.replace("format_version: 1", "format_version: 2"), r"card\.yaml:1: field 'format_version'.*newer"),
        (VALID.replace("title: A title", "title: [unclosed"), r"card\.yaml:\d+: invalid YAML"),
        ("- just\n- a list\n", r"card\.yaml: a card must be a YAML mapping"),
        (VALID + "numeric:\n  - {prompt: p, answer: .nan}\n", r"card\.yaml:8: field 'numeric'.*finite"),
        (VALID.replace("topics: [se]", "topics: [se, se]"), r"card\.yaml:5: field 'topics': a topic is listed twice"),
    ],
)
def test_malformed_card_names_file_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(DeckError, match=expected):
        parse_card(Path("card.yaml"), text)


def test_valid_card_parses() -> None:
    card = parse_card(Path("card.yaml"), VALID)
    assert (card.id, card.number, card.topics, card.answer) == ("my-card", 1, ("se",), "This.")


def test_deck_errors(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="deck folder not found"):
        load_deck(tmp_path / "missing")
    with pytest.raises(DeckError, match="has no cards"):
        load_deck(tmp_path)
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(VALID.replace("number: 1", "number: 2"))
    with pytest.raises(DeckError, match=r"b\.yaml: field 'id': duplicate id 'my-card' \(also in a\.yaml\)"):
        load_deck(tmp_path)
    (tmp_path / "b.yaml").write_bytes(b"id: \xff\xfe\n")
    with pytest.raises(DeckError, match=r"b\.yaml: not UTF-8"):
        load_deck(tmp_path)


def test_latex_becomes_readable_text_outside_code() -> None:
    assert latex_to_text(r"the heavy $3 \times 3$ convolutions") == "the heavy 3 × 3 convolutions"
    assert latex_to_text(r"($C^2/r$ instead of $C^2$)") == "(C²/r instead of C²)"
    assert latex_to_text("`$x$` and\n```\ncost = $y$\n```") == "`$x$` and\n```\ncost = $y$\n```"
