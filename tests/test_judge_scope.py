"""What a claim is said of, and how far a negation reaches: the failure classes a blind labelled set exposed
(right answers told they contradict a point, wrong ones credited)."""

from __future__ import annotations

import pytest

from quizcli.cards import load_shipped_deck
from quizcli.judge.tokens import tokenize
from quizcli.keypoints import coverage
from quizcli.scheduler import Rating

DECK = load_shipped_deck()
LETTER = {"c": "covered", "m": "missed", "x": "contradicted"}


def letters(ref: str, answer: str) -> str:
    result = coverage(DECK.find(ref).key_points, answer)
    return "".join(next(k for k, v in LETTER.items() if v == r.status) for r in result.results)


def rating(ref: str, answer: str) -> Rating | None:
    return coverage(DECK.find(ref).key_points, answer).suggested_rating()


@pytest.mark.parametrize(("answer", "flops", "params"), [
    # a number is said of the noun it counts, even after "and" in a coordinated verb phrase
    ("It's cheap: SE adds about 10% more parameters and only 0.26% more FLOPs.", "c", "c"),
    ("Roughly 2.5M extra params and about 0.3% more FLOPs.", "c", "c"),
    ("It adds 10% more FLOPs and 0.26% more parameters.", "x", "x"),  # swapped numbers are still caught
    ("Negligible FLOPs, but not negligible parameters: +2.5M, about 10%.", "c", "c"),
])
def test_numbers_are_said_of_the_noun_they_count(answer: str, flops: str, params: str) -> None:
    assert letters("Q4", answer)[2:] == flops + params


@pytest.mark.parametrize(("answer", "expected"), [
    ("A larger r means fewer weights; a smaller r means more parameters for the same accuracy.", "c"),
    ("The smaller the reduction ratio, the more parameters the MLP needs.", "c"),  # Q6 names "smaller ratio"
    ("Setting r too small gives more parameters for no gain.", "c"),
    ("Less reduction means more parameters, so a bottleneck of C/r saves weights.", "c"),
    ("The reduction adds more parameters.", "x"),  # said of the reduction itself: wrong
    ("Reducing the channels gives the block more parameters.", "x"),
])
def test_a_change_and_what_follows_from_it_do_not_contradict(answer: str, expected: str) -> None:
    assert letters("Q6", answer)[0] == expected


def test_phrase_words_stay_in_one_clause() -> None:
    # "every location, so it's selecting which feature maps" is not "which positions" said of channel attention
    answer = ("Channel attention gives one scalar per channel, the same at every location, so it's selecting which "
              "feature maps are important. Spatial attention gives an HxW mask over positions.")
    assert letters("Q7", answer) == "cc"
    assert letters("Q8", "Yes, they are plug and play.")[0] == "c"  # a phrase may hold its own "and"


def test_a_quantifier_quantifies_its_own_noun() -> None:
    # "attention over all positions" is not "all attention"; "across all channels" is not "channel weights"
    answer = ("NL block = self-attn over all positions of a conv feature map; Transformer = stack of self-attn "
              "layers, no convs; NL nets insert a few blocks into a CNN backbone.")
    assert letters("Q9", answer) == "ccc"
    assert letters("Q7", "Spatial attention picks which locations matter, the same weight across all channels.") \
        == "mc"


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    ("Q7", "Channel attention is coarser, rather than weighting every pixel it gives each channel one scalar; "
           "spatial attention is a mask over positions.", "cc"),
    ("Q7", "Instead of one weight per position, channel attention gives one weight per channel.", "cm"),
    ("Q7", "Spatial attention doesn't care about channels, it makes an HxW mask telling where to look.", "mc"),
    ("Q1", "With hard attention there's no gradient through the argmax so you need RL; soft attention uses "
           "softmax weights over all positions, so backprop works end to end.", "cccc"),
    ("Q3", "Max pooling loses everything except the peak, and average pooling dilutes the strongest responses; "
           "together they are complementary.", "ccc"),
    ("Q3", "Only max would miss the global context; together they are complementary.", "mmc"),
    ("Q5", "Each output is a weighted sum over all positions, not just nearby ones as in a convolution.", "cmc"),
    ("Q5", "Instead of mixing only nearby pixels like a convolution does, a non-local block sees all positions.",
     "cmc"),
    ("Q8", "They keep the shape, and nothing else in the network needs to change.", "cmc"),
])
def test_how_far_a_negation_reaches(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


@pytest.mark.parametrize(("ref", "answer"), [
    ("Q7", "Spatial attention is not about where, it reweights the channels."),
    ("Q1", "Hard attention has no discrete choice, it gives continuous weights to all features."),
    ("Q8", "Yes, but nothing about them is lightweight, you have to redesign the net."),
    ("Q5", "Convolution is global, it sees all positions at once."),
])
def test_negated_and_wrong_claims_are_still_contradicted(ref: str, answer: str) -> None:
    assert "x" in letters(ref, answer) and rating(ref, answer) == Rating.Again


def test_terms_joined_by_tight_equals_are_a_list_and_steps_joined_by_then_are_not() -> None:
    assert letters("Q6", "bottleneck, C/r, r=16, parameters, compression") == "mmm"
    assert letters("Q10", "conv, sigmoid, max, mean, cat, kernel_size=7") == "mmm"
    assert letters("Q10", "Global average pooling over H and W, then an MLP, then a softmax.") == "xxx"


@pytest.mark.parametrize(("text", "words"), [
    ("conv7x7", ["conv", "7x7"]), ("conv2d", ["conv"]), ("Gumbel-softmax", ["gumbel"]),
    ("it means", ["it", "means"]), ("almost nothing", ["negligibl"]), ("without modifying", ["without", "chang"]),
    ("w/o changing", ["without", "chang"]), ("→ σ", ["→", "sigmoid"]), ("in 1 layer", ["in", "one", "layer"]),
    ("r = 1 the", ["r", "=", "1", "the"]), ("acc ~same", ["accuracy", "about", "same"]),
])
def test_words(text: str, words: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == words


def test_a_named_estimator_is_not_a_softmax() -> None:
    answer = ("Hard attention is a discrete selection, not differentiable, so it needs REINFORCE or Gumbel-softmax. "
              "Soft attention is a softmax-weighted average over all positions, trained with backprop.")
    assert letters("Q1", answer) == "cccc"


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "non-" negates its own word only, not the rest of a bullet
    ("Q1", "* Hard: argmax/sampled location -> non-differentiable -> REINFORCE\n"
           "* Soft: softmax weights over all locations -> differentiable -> backprop", "cccc"),
    # a negation stops at a named subject: "not negligible in params (+~10%)"
    ("Q4", "Negligible in compute (<1% FLOPs), not negligible in params (+~10%, mostly in the last stage).", "cmcc"),
    # "Structure:" heads what follows; the parameters of the line before are not its subject
    ("Q4", "FLOPs: +0.26%. Params: +10% (25M -> 28M). Structure: global pool and two small FC layers, so cheap.",
     "cccc"),
])
def test_prefixes_headings_and_named_subjects_bound_a_claim(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


def test_both_at_the_start_means_the_two_named_after_it() -> None:
    answer = "Both are trained with backprop; hard attention uses binary 0/1 weights, soft attention continuous ones."
    assert letters("Q1", answer) == "cxcc"  # hard attention trained with backprop: wrong
    # one subject named twice is not "both"
    assert letters("Q7", "Both produce a mask over pixels; channel attention just uses more channels for it.")[1] \
        == "m"


def test_everything_is_a_pronoun_not_a_subject_of_its_own() -> None:
    answer = "In soft attention the weights sum to one, and since everything is smooth you can backprop through it."
    assert letters("Q1", answer)[3] == "c"


def test_it_does_not_stand_for_a_plural() -> None:
    answer = ("The FLOPs barely change (under 1%) while the parameters grow by roughly 10%; it's two small FC layers "
              "after a global pool, so cheap overall.")
    assert "x" not in letters("Q4", answer)
    assert letters("Q4", "The parameters are negligible, they barely change.")[3] == "x"  # "they" still carries them


def test_a_distant_negation_does_not_reach_a_number() -> None:
    answer = "The bottleneck to C/r cuts the parameters, and accuracy doesn't really change up to r = 16."
    assert letters("Q6", answer) == "ccc"
    assert letters("Q4", "The parameters do not rise 10%, they rise 0.26%.")[3] == "x"


def test_a_typo_is_a_letter_or_two_not_another_word() -> None:
    answer = ("Convolutions fuse channels with static weights inside a local receptive field; SE looks at global "
              "channel statistics and learns a per-sample gating of the channels, capturing channel dependencies.")
    assert letters("Q2", answer) == "ccc"  # "statistics" is not the opposite "static"
    assert letters("Q1", "soft attenton is diferentiable")[3] == "c"


def test_a_is_b_speaks_of_a() -> None:
    answer = "Hard attention is soft attention with a temperature of zero, so it trains with backprop too."
    assert letters("Q1", answer)[1] == "x" and rating("Q1", answer) == Rating.Again


def test_a_bare_pair_around_vs_names_no_subject() -> None:
    answer = "As opposed to spatial attention, which weights each position, channel attention weights each channel " \
             "(what vs where)."
    assert "x" not in letters("Q7", answer)


def test_only_quantifies_the_word_after_it() -> None:
    answer = ("Unlike a Transformer, which is a stack of self-attention layers, a non-local network only adds a few "
              "self-attention blocks to a CNN.")
    assert letters("Q9", answer)[1:] == "cc"
    assert letters("Q9", "Non-local networks use only attention, stacked in every layer.")[2] == "x"


@pytest.mark.parametrize(("answer", "expected"), [
    # Q6's first point names its inverse changes ("smaller r", "less reduction"): the direction is known
    ("A smaller r means more parameters; a larger r means fewer.", "c"),
    ("Smaller r means fewer parameters, so r = 2 is the cheapest.", "x"),
    ("With less reduction you get fewer weights.", "x"),
    ("A bigger r gives more parameters and better accuracy.", "x"),
    ("The smaller the reduction ratio, the more parameters the MLP needs.", "c"),
    ("A wider bottleneck means more parameters, so r = 16 keeps it cheap.", "c"),  # "so" ends the change's reach
])
def test_an_inverse_change_reverses_what_follows_it(answer: str, expected: str) -> None:
    assert letters("Q6", answer)[0] == expected


def test_without_inverse_a_change_and_its_consequence_do_not_contradict() -> None:
    from quizcli.cards import KeyPoint
    from quizcli.judge import judge

    point = KeyPoint("The reduction cuts parameters", ("fewer parameters",), opposite=("more parameters",))
    assert judge((point,), "A smaller r means more parameters.").results[0].status == "missed"
    assert judge((point,), "The reduction means more parameters.").results[0].status == "contradicted"
    assert judge((point._replace(inverse=("smaller r",)),), "A smaller r means more parameters.").results[0].status \
        == "covered"


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "beyond X" negates X only, not the "in one layer" after it
    ("Q5", "Convolution never sees beyond its small local window in one layer, so you need many layers for "
           "long-range interactions; a non-local block lets every position attend to every other in one step.", "ccc"),
    # "different from X" negates X
    ("Q9", "The non-local block isn't different from self-attention in essence.", "cmm"),
    ("Q9", "A non-local block is different from self-attention.", "xmm"),
    # a sentence opening with "Without X" supposes X away, it does not deny it
    ("Q6", "Without the bottleneck you'd have 2C^2 weights; with it you have 2C^2/r, so it is about cost.", "cmm"),
    ("Q1", "Without REINFORCE, hard attention could not be trained, because it picks one discrete region.", "cmmm"),
    ("Q2", "SE reweights channels per input; a conv's kernels don't change after training.", "mcc"),
])
def test_beyond_different_from_and_without(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


def test_a_terse_note_with_shorthand() -> None:
    assert letters("Q8", "yes, drop-in w/o changing the backbone; shape-preserving, lightweight; put after conv") \
        == "ccc"
    assert letters("Q10", "mean&max over C (dim=1) → cat → conv 7×7 (2→1) → σ") == "ccc"


def test_x_of_y_is_not_said_of_y() -> None:
    answer = ("The non-local block computes, for every position, a softmax-weighted sum of the values at all other "
              "positions, which is exactly the self-attention of the Transformer applied to a CNN feature map.")
    assert letters("Q9", answer)[0] == "c"


def test_the_subject_is_the_one_before_the_verb() -> None:
    # "a spatial H by W map" and "per-channel weights" are objects: the swap is caught
    answer = ("I think channel attention gives a spatial H by W map that says where to look, and spatial attention "
              "gives a vector of per-channel weights saying what to look at.")
    assert letters("Q7", answer) == "xx"
    assert letters("Q7", "Channel attention uses spatial pooling to give one weight per channel.")[0] == "c"


def test_a_negation_does_not_reach_into_a_parenthesis() -> None:
    answer = "Parameter-wise it's not tiny (~10% more), compute-wise it's negligible (~0.26% more FLOPs)."
    assert letters("Q4", answer)[2:] == "cc"


# A point is contradicted only when the opposite (or the misattribution) is bound to its subject in one simple
# clause: not reached through a coordination, a relative clause with its own subject, a contrast aside, a
# parenthesis or a prepositional phrase. Each class below: a right answer not contradicted, and the same
# syntax with a wrong claim still caught.

@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # a word before a counted noun modifies that noun, across "to ResNet-50 and"
    ("Q4", "SE is cheap: it adds only about 10% more parameters to ResNet-50 and a negligible 0.26% more FLOPs, "
           "because the FC layers work on a 1x1 vector.", "cccc"),
    # a noun phrase names its own noun: "a negligible amount of compute" is said of compute, not of parameters
    ("Q4", "It costs about 10% extra parameters on ResNet-50 but a negligible amount of compute (0.26% more FLOPs), "
           "since the two FC layers act on a pooled vector.", "cccc"),
    # a clause that states a number and denies a near one states it ("28M instead of 25M")
    ("Q4", "For ResNet-50 the SE version has around 10% more parameters (roughly 28M instead of 25M) and only 0.26% "
           "more FLOPs, since global pooling and two small FC layers are cheap.", "cccc"),
    ("Q4", "SE adds about 0.26% more parameters to ResNet-50 and about 10% more FLOPs.", "mmxx"),
])
def test_coordinated_numbers_are_said_of_their_own_noun(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # ", which convolutions, being local, can only do by stacking": the relative clause has its own subject
    ("Q5", "Non-local operations compute each output position as a weighted sum over the features at all "
           "positions, capturing long-range dependencies directly, which convolutions, being local, can only do "
           "by stacking many layers.", "ccc"),
    # a complete relative clause hands the subject back to its antecedent
    ("Q1", "Soft attention, which hard attention approximates with a sample, is a weighted average over all "
           "locations and is differentiable; hard attention picks one location and needs REINFORCE.", "cccc"),
    # after a relative clause with its own subject, "and it ..." could be either: never a contradiction
    ("Q2", "SE explicitly models the dependencies between channels, which a convolution only captures implicitly "
           "and locally, and it rescales each channel with a weight computed from the input image itself.", "ccc"),
    # ", which uses a very large convolution kernel": the convolution is an object, the antecedent the subject
    ("Q5", "A non-local operation, which uses a very large convolution kernel, is still local.", "mmx"),
    ("Q1", "Hard attention, which uses a softmax over all locations, is differentiable, while soft attention, "
           "which samples one location, needs REINFORCE.", "xxxx"),
    ("Q7", "Channel attention, which gives an H x W mask, decides where to look.", "xx"),
])
def test_relative_clauses_speak_of_their_own_subject(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # a sentence that opens with a participle phrase says it of the subject named right after it
    ("Q5", "Processing only a small neighbourhood at a time, a convolution needs many stacked layers before "
           "distant pixels can interact, whereas a non-local block relates every position to every other position "
           "in a single layer.", "ccc"),
    ("Q1", "Being a discrete sample of one location, hard attention has no gradient and needs reinforcement "
           "learning; soft attention, computing a softmax-weighted average over every location, trains with "
           "ordinary backprop.", "cccc"),
    ("Q5", "Being global, convolutions see the whole image in one layer.", "xmx"),
])
def test_a_leading_participle_is_said_of_the_subject_after_it(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "SE, unlike a convolution whose weights are fixed, computes ...": the aside over, SE again
    ("Q2", "SE, unlike a convolution whose weights are fixed after training, computes channel weights from the "
           "input and models the relations between channels.", "ccc"),
    # a claim in a contrast ("unlike the softmax") supports but never contradicts
    ("Q1", "While soft attention produces a probability for every location and takes the expectation, which keeps "
           "the whole model differentiable, hard attention samples a single location, and that sampling step, "
           "unlike the softmax, has no gradient, so it is trained with a Monte Carlo estimate.", "cccc"),
    # "Where channel attention gives ..., spatial attention ...": a conjunction, not the claim "where"
    ("Q7", "Where channel attention gives a weight per channel (what), spatial attention gives a weight per "
           "position (where).", "cc"),
    ("Q2", "SE, unlike a convolution, uses the same fixed scale for every image.", "mxm"),
])
def test_a_contrast_aside_does_not_take_the_subject(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "no convolution or recurrence": the negation reaches each noun of the list
    ("Q9", "A Transformer stacks many self-attention layers and uses no convolution or recurrence.", "mcm"),
    ("Q9", "A Transformer uses convolution or recurrence in every layer.", "mxm"),
    # a verb that negates its object ("dilutes") does not reach into a prepositional phrase after it
    ("Q3", "Average pooling dilutes a strong response with the background, so it encodes global statistics.", "cmm"),
    ("Q3", "Average pooling ignores the background and keeps only the peak.", "xxm"),
])
def test_negation_over_lists_and_prepositions(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


def test_a_noun_with_its_own_copula_leaves_it_ambiguous() -> None:
    # "the block itself is ...; so its cost is modest": "its" may be the block, not the parameters
    answer = ("While the FLOPs barely move, the parameters increase by about 10%; the block itself is just a pooling "
              "and two FC layers, so its cost is modest.")
    assert letters("Q4", answer) == "cccc"
    # bound in one clause by a pronoun with nothing else named between, the misattribution still counts
    assert letters("Q4", "The parameters increase by about 10%, and they are negligible.")[0] == "x"


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "as opposed to soft attention" is an aside: what follows is still said of hard attention
    ("Q1", "Hard attention, as opposed to soft attention, picks a single location, so it is not differentiable and "
           "is trained with REINFORCE; soft attention takes a weighted average over all locations and is "
           "differentiable.", "cccc"),
    ("Q1", "Hard attention, as opposed to soft attention, is differentiable.", "mxmx"),
    # commas inside a parenthesis do not cut the clause around it
    ("Q4", "The compute overhead is small, well under 1% more FLOPs, but the parameter overhead (about 10%, mostly "
           "in the last stage, where C is 2048) is not negligible; the block is a global pool and two FC layers.",
     "cccc"),
    # "instead of" + a gerund negates the whole phrase, not only its first words
    ("Q5", "Instead of looking only at a local 3x3 neighbourhood, as a convolution does, a non-local operation "
           "looks at all positions at once.", "mmc"),
    ("Q5", "A non-local operation looks only at a local 3x3 neighbourhood.", "mmx"),
])
def test_asides_parentheses_and_gerunds(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected


def test_a_phrase_does_not_span_a_comma() -> None:
    # "adapt to every input, applies the same ...": not "same for every input" said of the convolution
    answer = "SE, unlike a convolution whose weights adapt to every input, applies the same fixed scale to all images."
    assert letters("Q2", answer) == "mxm"
    assert letters("Q2", "A convolution applies the same weights to every input.")[2] == "c"


def test_a_parenthesis_keeps_its_commas_for_negation_but_not_for_a_phrase() -> None:
    # "(discrete, no gradient, needs RL)": "no" does not reach past its comma
    answer = ("The difference: soft = expectation over locations (continuous weights, backprop works), hard = a sample "
              "of one location (discrete, no gradient, needs RL).")
    assert letters("Q1", answer) == "cccc"
    # "the rest of the backbone (ResNet, MobileNet) stays as it is": one phrase around a bracketed list
    answer = ("Being shape-preserving and cheap, they are dropped in after a convolution, usually on the residual "
              "branch, while the rest of the backbone (ResNet, MobileNet) stays as it is.")
    assert letters("Q8", answer) == "ccc"


@pytest.mark.parametrize(("ref", "answer", "expected"), [
    # "each of which only sees a small neighbourhood" is a relative clause on "convolutions"
    ("Q5", "Non-local operations capture long-range dependencies in a single step, since every position attends to "
           "every other position, rather than relying on many stacked convolutions, each of which only sees a small "
           "neighbourhood.", "cmc"),
    # "but their weights are static": a possessive opening points back to the subject before it
    ("Q2", "Conv filters mix channels too, but their weights are static once trained and they only see a local "
           "patch; SE instead computes input-dependent channel weights from global information and so models "
           "channel relationships explicitly.", "ccc"),
    ("Q2", "SE filters mix channels, but their weights are static once trained.", "mxm"),
])
def test_each_of_which_and_their(ref: str, answer: str, expected: str) -> None:
    assert letters(ref, answer) == expected
