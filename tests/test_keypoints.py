"""The typed-answer judge: claims tied to their subject, negation and its scope, opposites, swaps,
misattribution, keyword salad, code names, abbreviations, numbers with units, typos."""

from __future__ import annotations

import pytest

from quizcli.cards import KeyPoint, load_shipped_deck
from quizcli.judge.tokens import phrase_words, tokenize
from quizcli.keypoints import coverage
from quizcli.scheduler import Rating

DECK = load_shipped_deck()


def statuses(ref: str, answer: str) -> list[str]:
    return [r.status for r in coverage(DECK.find(ref).key_points, answer).results]


CASES = [
    # (card, answer, status per point, suggested rating)
    ("Q1", "Hard attention picks one region, a discrete crop, so it is not differentiable and you train it with "
           "REINFORCE. Soft attention takes a weighted average with continuous weights and trains end to end by "
           "backprop.", "cccc", Rating.Good),
    ("Q1", "soft attenton is diferentiable and trained end-to-end with backpropogation, hard attention is "
           "non differentiable", "mcmc", Rating.Hard),  # typos; "non differentiable" in two words
    ("Q1", "one uses more heads than the other", "mmmm", Rating.Again),
    ("Q2", "It learns the relationships between channels and recalibrates each channel per input, whereas a normal "
           "convolution applies the same fixed weights to every input.", "ccc", Rating.Good),
    ("Q3", "max pooling keeps the salient, discriminative responses; average pooling keeps the overall "
           "statistics; using both together is more robust than either alone", "ccc", Rating.Good),
    ("Q3", "because max pooling only", "mmm", Rating.Again),
    ("Q5", "convs are local, so to relate far apart pixels you need many layers; a non-local block lets every "
           "position attend to all positions in a single step", "ccc", Rating.Good),
    ("Q6", "a bottleneck with ratio r makes it cheaper", "ccm", Rating.Hard),
    ("Q7", "channel attention is what to focus on, spatial attention is where", "cc", Rating.Good),
    ("Q7", "where vs what", "mm", Rating.Again),  # no subject: which one is which?
    ("Q10", "take the mean and max over channels, concatenate to 2 channels, a 7x7 conv2d, then a sigmoid",
     "ccc", Rating.Good),
    ("Q10", "use a softmax over the positions", "mmx", Rating.Again),
]
LETTER = {"c": "covered", "m": "missed", "x": "contradicted"}


@pytest.mark.parametrize(("ref", "answer", "expected", "rating"), CASES)
def test_judge_table(ref: str, answer: str, expected: str, rating: Rating) -> None:
    result = coverage(DECK.find(ref).key_points, answer)
    assert [r.status for r in result.results] == [LETTER[c] for c in expected]
    assert result.suggested_rating() == rating


@pytest.mark.parametrize("answer", [
    "Hard attention is differentiable, so it trains with backprop.",
    "Hard attention isn't non-differentiable: gradients go straight through it.",
    "Soft attention is not differentiable and needs REINFORCE.",
])
def test_negation_and_opposites_contradict(answer: str) -> None:
    result = coverage(DECK.find("Q1").key_points, answer)
    assert result.contradicted and result.suggested_rating() == Rating.Again


@pytest.mark.parametrize("answer", [
    "Hard attention is not differentiable.",
    "Hard attention cannot be trained with backpropagation, it needs REINFORCE.",
    "hard attention is non-differentiable",
    "Hard attention does not necessarily need RL, but it is not differentiable.",
])
def test_negated_opposites_and_hedges_cover(answer: str) -> None:
    assert statuses("Q1", answer)[1] == "covered"


def test_negation_scope_ends_at_the_clause() -> None:
    # "not" negates "trained with RL", not the backpropagation after "but"
    assert statuses("Q1", "Soft attention is not trained with RL but with backprop, end to end.")[3] == "covered"


def test_swapped_claims_are_contradicted_and_shown_with_their_words() -> None:
    result = coverage(DECK.find("Q7").key_points, "Channel attention is where to focus and spatial attention is what.")
    assert [r.status for r in result.results] == ["contradicted", "contradicted"]
    assert "Channel attention is where" in (result.results[0].evidence or "") + (result.results[1].evidence or "")
    assert result.suggested_rating() == Rating.Again


def test_misattribution_names_the_wrong_subject() -> None:
    result = coverage(DECK.find("Q2").key_points, "SE treats all channels equally, it just adds a learned scale that "
                      "is the same for every image. The standard convolution is what models the dependencies "
                      "between channels.")
    first = result.results[0]
    assert first.status == "contradicted" and first.said_of == "standard convolution"
    assert result.suggested_rating() == Rating.Again and not result.hit


@pytest.mark.parametrize(("ref", "answer"), [
    ("Q1", "hard attention, soft attention, discrete, continuous, REINFORCE, backpropagation, differentiable, crop, "
           "weights"),
    ("Q7", "what, where, channel, spatial, mask"),
    ("Q10", "mean, max, concat, conv, sigmoid"),
])
def test_keyword_salad_earns_nothing(ref: str, answer: str) -> None:
    result = coverage(DECK.find(ref).key_points, answer)
    assert not result.hit and result.suggested_rating() == Rating.Again


def test_a_terse_note_with_links_is_not_salad() -> None:
    assert statuses("Q1", "hard = discrete, non-diff, needs RL. soft = continuous weights, differentiable, backprop") \
        == ["covered"] * 4


def test_dotted_code_names_count_as_their_last_name() -> None:
    code = ("avg = x.mean(dim=1, keepdim=True); mx = x.amax(1, keepdim=True); "
            "y = self.conv(torch.cat([avg, mx], dim=1)); return torch.sigmoid(y)")
    assert statuses("Q10", code) == ["covered"] * 3
    assert statuses("Q10", "return F.softmax(self.conv(x), dim=-1)")[2] == "contradicted"
    names = tokenize("torch.sigmoid x.amax F.softmax nn.Conv2d")
    assert [t.text for t in names] == ["sigmoid", "max", "softmax", "conv"]


@pytest.mark.parametrize(("text", "words"), [
    ("NL", ["nonlocal"]), ("SE", ["se"]), ("GAP", ["global", "averag", "pool"]), ("FC", ["fc"]),
    ("fully connected", ["fc"]), ("MLP", ["mlp"]), ("BN", ["batchnorm"]), ("RL", ["reinforcement", "learn"]),
    ("conv", ["conv"]), ("convolutions", ["conv"]), ("self-attn", ["self", "attention"]),
])
def test_abbreviations(text: str, words: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == words


def test_abbreviations_in_answers() -> None:
    assert statuses("Q9", "NL block = self-attn on CNN feature maps")[0] == "covered"
    assert statuses("Q4", "cheap; GAP + 2 FC; +0.26% FLOPs, +10% params") == ["covered"] * 4
    assert statuses("Q7", "CA: what. SA: where") == ["covered", "covered"]  # SA is spatial attention here


@pytest.mark.parametrize(("text", "words"), [
    ("10%", ["10%"]), ("0.26 %", ["0.26%"]), ("2.5M", ["2.5m"]), ("2.5 million", ["2.5m"]), ("C/16", ["c/16"]),
    ("C²/r", ["c^2/r"]), ("C^2 / r", ["c^2/r"]), ("3 x 3", ["3x3"]), ("1-2%", ["1%", "2%"]),
    ("ten percent", ["ten", "percent"]),
])
def test_numbers_with_units(text: str, words: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == words


def test_numbers_said_of_the_wrong_quantity_contradict() -> None:
    assert statuses("Q4", "FLOPs rise about 10% and parameters by 0.26%")[2:] == ["contradicted", "contradicted"]
    assert statuses("Q4", "FLOPs: +0.26 %. Params: about 9.8% more, 2.5M")[2:] == ["covered", "covered"]


def test_phrases_read_their_own_negation() -> None:
    assert phrase_words("not differentiable") == (("differentiabl",), True)
    assert phrase_words("without changing") == (("chang",), True)


def test_old_any_form_still_judges() -> None:
    point = KeyPoint("uses a sigmoid", ("sigmoid",))
    assert coverage((point,), "a sigmoid gate").suggested_rating() == Rating.Good
    assert coverage((point,), "no sigmoid here, a softmax").suggested_rating() == Rating.Again


def test_empty_answer_and_no_points() -> None:
    assert coverage(DECK.find("Q1").key_points, "").suggested_rating() == Rating.Again
    assert coverage((), "anything").suggested_rating() is None


def test_every_card_has_key_points_and_a_choice_question() -> None:
    for card in DECK:
        assert card.key_points and card.choices, card.id
        for choice in card.choices:
            assert 4 <= len(choice.options) <= 5 and choice.correct
