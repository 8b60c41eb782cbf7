"""Key-point grading on a table of real answers: other words, partial, wrong, typos."""

from __future__ import annotations

import pytest

from quizcli.cards import load_shipped_deck
from quizcli.keypoints import coverage, phrase_in, words
from quizcli.scheduler import Rating

DECK = load_shipped_deck()

CASES = [
    # (card, answer, points hit (by index), suggested rating)
    ("Q1", "Hard attention picks one region, a discrete crop, so it is not differentiable and you train it with "
           "REINFORCE. Soft attention takes a weighted average with continuous weights and trains end to end by "
           "backprop.", {0, 1, 2, 3}, Rating.Good),
    ("Q1", "soft attenton is diferentiable and trained end-to-end with backpropogation, hard attention is "
           "non differentiable", {1, 3}, Rating.Hard),  # typos; "non differentiable" in two words
    ("Q1", "one uses more heads than the other", set(), Rating.Again),
    ("Q2", "It learns the relationships between channels and recalibrates each channel per input, whereas a normal "
           "convolution just sums over all channels equally.", {0, 1, 2}, Rating.Good),
    ("Q2", "it rescales channels", {1}, Rating.Hard),
    ("Q3", "max pooling keeps the salient, discriminative responses like edges; average pooling keeps background "
           "texture; using both together is more robust", {0, 1, 2}, Rating.Good),
    ("Q3", "because max pooling only", set(), Rating.Again),
    ("Q4", "negligible: a global average pooling and two FC layers, FLOPs barely change though parameters "
           "increase about 10%", {0, 1, 2}, Rating.Good),
    ("Q5", "convs are local so to relate far apart pixels you need many layers; a non-local block lets every "
           "position attend to all positions in a single step", {0, 1, 2}, Rating.Good),
    ("Q6", "a bottleneck with ratio r makes it cheaper", {0, 1}, Rating.Hard),
    ("Q7", "channel attention is what to focus on, spatial attention is where", {0, 1}, Rating.Good),
    ("Q7", "where vs what", {0, 1}, Rating.Good),  # word order does not matter
    ("Q9", "The non local block is basically self attention on feature maps; transformers are stacked "
           "self-attention; non-local nets add just a few blocks to a CNN backbone", {0, 1, 2}, Rating.Good),
    ("Q10", "take the mean and max over channels, concatenate to 2 channels, a 7x7 conv2d, then a sigmoid",
     {0, 1, 2}, Rating.Good),
    ("Q10", "use a softmax over the positions", set(), Rating.Again),
]


@pytest.mark.parametrize(("ref", "answer", "hit", "rating"), CASES)
def test_key_point_grading(ref: str, answer: str, hit: set[int], rating: Rating) -> None:
    card = DECK.find(ref)
    result = coverage(card.key_points, answer)
    assert {card.key_points.index(p) for p in result.hit} == hit
    assert result.suggested_rating() == rating


def test_short_words_must_match_exactly() -> None:
    assert not phrase_in("max", words("mask"))
    assert phrase_in("max pooling", words("pooling with max"))


def test_every_card_has_key_points_and_a_choice_question() -> None:
    for card in DECK:
        assert card.key_points and card.choices, card.id
        for choice in card.choices:
            assert 4 <= len(choice.options) <= 5 and choice.correct
