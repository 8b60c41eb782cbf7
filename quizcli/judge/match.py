"""Finding a key point's claims in an answer, with their polarity and the subject they are said of.

A claim counts only in a clause whose subject is the point's subject (named there, or carried over from
the clause before, as "it" does). A negation before it in the clause ("not", "never", "without", "rather
than", ...) flips it; an opposite claim says the reverse; a claim said of one of the point's `not_of`
subjects is a misattribution. A sentence that only lists terms makes no claim at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from quizcli.judge.tokens import (
    HEDGE,
    LINK_MARKS,
    LINK_VERBS,
    NEGATION,
    PREPOSITIONS,
    Token,
    phrase_words,
    stem,
    tokenize,
)

NEGATION_REACH = 6  # content words after a negation that it still negates
DIFFERENT = frozenset({"different", "differ", "distinct"})
NARROW = DIFFERENT | {"instead", "rather", "beyond", "outside"}
NEGATING = NEGATION | DIFFERENT  # in an answer; a card phrase "different for each input" is not negated
# "dilutes a strong response with the background": a verb that negates its object, not what a preposition adds
OBJECTING = frozenset({"dilut", "lose", "discard", "ignor", "miss", "blur", "wash", "lack"})
NUMBER_REACH = 2  # content words a negation reaches to negate a number ("is not 10%", "doesn't add 10%")
NARROW_REACH = 3  # content words "rather than" / "instead of" still negate
QUANTIFIERS = frozenset({"all", "every", "each", "per", "only"})
SHARED = frozenset({"all", "every", "across"})  # "across all channels": shared by them, not one per each
SUBJECT_PRONOUNS = frozenset({"it", "they", "we", "you", "i", "he", "she"})
WINDOW_SLACK = 3  # other words allowed inside a phrase's match ("weights per channel" ~ "per-channel weights")
FUZZY = 80  # rapidfuzz ratio at which two long words count as one (typos)
LINK_STEMS = frozenset(stem(w) for w in LINK_VERBS) | LINK_VERBS
PRONOUNS = frozenset({"it", "its", "they", "this", "these", "those", "we", "you", "i", "which", "that", "whose",
                      "who", "both", "either", "each", "everything"})


@lru_cache(maxsize=20000)
def same_word(wanted: str, given: str) -> bool:
    """Equal, or a typo of a long word (same first two letters), or a longer form of a long stem."""
    if wanted == given:
        return True
    if len(wanted) < 5 or len(given) < 5 or not (wanted.isalpha() and given.isalpha()):
        return _same_number(wanted, given)
    if wanted[:2] != given[:2]:
        return False
    shorter, longer = sorted((wanted, given), key=len)
    if len(shorter) >= 6 and longer.startswith(shorter):
        return True
    if len(longer) - len(shorter) > 2:
        return False  # a typo drops or adds a letter or two: "statistics" is not "static"
    from rapidfuzz.fuzz import ratio

    return bool(ratio(wanted, given) >= FUZZY)


def _same_number(wanted: str, given: str) -> bool:
    """10% ~ 9.8% (within 15%, same unit); 2.5m ~ 2.51m."""
    units = ("%", "m")
    unit_w = wanted[-1] if wanted[-1:] in units else ""
    unit_g = given[-1] if given[-1:] in units else ""
    if unit_w != unit_g:
        return False
    try:
        a, b = float(wanted.rstrip("%m")), float(given.rstrip("%m"))
    except ValueError:
        return False
    decimals = len(given.rstrip("%m").partition(".")[2])
    return a == b or round(a, decimals) == b or (a > 0 and abs(a - b) / a <= 0.15)  # 0.26 ~ 0.3, 10 ~ 9.8


@lru_cache(maxsize=2048)
def _joined(phrase: str) -> bool:
    """Whether a phrase joins its own words with 'and' / 'or' ('plug and play'): a joined phrase may span them."""
    return any(t.kind == "boundary" for t in tokenize(phrase))


@dataclass(frozen=True)
class Match:
    positions: tuple[int, ...]  # token indexes
    sign: int  # +1: says the claim, -1: says its reverse

    @property
    def first(self) -> int:
        return min(self.positions)


class Answer:
    """An answer cut into tokens, with what the judge needs per clause."""

    def __init__(self, text: str, tokens: tuple[Token, ...]) -> None:
        self.text = text
        self.tokens = tokens
        self._within: frozenset[int] = frozenset()  # the match polarity() is reading
        self.mentioned: frozenset[int] = frozenset()  # tokens that name a subject (set by the reader)
        self.content = [i for i, t in enumerate(tokens) if t.content]
        asked = {t.sentence for t in tokens if t.kind == "mark" and t.text == "?"}  # "one is enough?" asserts nothing
        self.salad = frozenset(s for s in {t.sentence for t in tokens} if s in asked or self._is_list(s))

    def _is_list(self, sentence: int) -> bool:
        """A sentence of three or more bare terms and no verb, '=', ':' or arrow: a list, not a claim."""
        toks = [t for t in self.tokens if t.sentence == sentence]
        if any(t.kind == "mark" and t.text in LINK_MARKS and not self._bound(t) for t in toks):
            return False
        if any(t.raw == "then" for t in toks):
            return False  # "pool over H and W, then an MLP, then a softmax": steps in order, like arrows
        if any(t.kind == "word" and (t.text in LINK_STEMS or t.raw in LINK_VERBS | PRONOUNS) for t in toks):
            return False  # a verb or a pronoun: someone is saying something
        clauses: dict[int, list[Token]] = {}
        for t in toks:
            if t.content:
                clauses.setdefault(t.clause, []).append(t)
        if len(clauses) < 3:
            return False
        terms = sum(1 for words in clauses.values()
                    if len(words) <= 2 and not any(w.raw in PREPOSITIONS or
                                                   (w.raw.endswith("ed") and len(w.raw) > 4) for w in words))
        return terms >= 0.6 * len(clauses)

    def _bound(self, mark: Token) -> bool:
        """'r=16', 'kernel_size=7': an '=' written tight inside a term links nothing."""
        text = self.text
        return (mark.text == "=" and mark.start > 0 and mark.end < len(text)
                and not text[mark.start - 1].isspace() and not text[mark.end].isspace())

    def find(self, phrase: str, sign: int, spatial_sa: bool, exclude: frozenset[int] = frozenset()) -> list[Match]:
        """Every tight, non-overlapping match of the phrase's words, in any order, within one sentence."""
        words, negated = phrase_words(phrase, spatial_sa)
        if not words:
            return []
        sign = -sign if negated else sign
        span = len(words) + WINDOW_SLACK
        found: list[tuple[int, tuple[int, ...]]] = []
        content = [i for i in self.content if i not in exclude and self.tokens[i].sentence not in self.salad]
        for k, start in enumerate(content):
            if not any(same_word(w, self.tokens[start].text) for w in words):
                continue
            window = [i for i in content[k:k + span] if self.tokens[i].sentence == self.tokens[start].sentence]
            used: list[int] = []
            for word in words:
                hit = next((i for i in window if i not in used and same_word(word, self.tokens[i].text)), None)
                if hit is None:
                    break
                used.append(hit)
            else:
                if self._coherent(phrase, words, used):
                    found.append((max(used) - min(used), tuple(sorted(used))))
        taken: set[int] = set()
        matches = []
        for _, positions in sorted(found):
            if not taken.intersection(positions):
                taken.update(positions)
                matches.append(Match(positions, sign))
        return matches

    def _coherent(self, phrase: str, words: tuple[str, ...], used: list[int]) -> bool:
        """A phrase's words hold together: no 'and' / 'but' / 'so' between them ('every location, so it
        selects which features' is not 'which positions'), and a leading quantifier quantifies a word of the
        phrase ('all attention' is not 'attention over all positions')."""
        low, high = min(used), max(used)
        if not _joined(phrase) and any(self.tokens[i].kind == "boundary" for i in range(low, high)):
            return False
        if len({self.tokens[i].clause for i in used}) > 1 and not _joined(phrase) and not all(
                self._bracketed(j) for j in range(low, high) if self.tokens[j].kind == "mark"):
            return False  # "adapt to every input, applies the same ...": not "same for every input"
        for i in used:  # "the same weight across all channels" is not "channel weights"
            before = [j for j in range(i - 1, max(i - 3, -1), -1) if self.tokens[j].raw not in ("the", "a", "an")]
            if before and self.tokens[before[0]].raw in SHARED and self.tokens[before[0]].text not in words:
                return False
        if len(words) > 1 and words[0] in QUANTIFIERS:
            lead = used[0]
            clause = self.tokens[lead].clause
            following = [i for i in self.content if i > lead and self.tokens[i].clause == clause][:2]
            return not following or any(i in used for i in following)
        return True

    def _bracketed(self, index: int) -> bool:
        """A comma inside a parenthesis ('the backbone (ResNet, MobileNet) stays')."""
        start = self.tokens[index].start
        return self.text.count("(", 0, start) > self.text.count(")", 0, start)

    def polarity(self, match: Match) -> int:
        """-1 when an odd number of negations in the clause reach the match, else +1."""
        self._within = frozenset(match.positions)
        first = match.first
        clause = self.tokens[first].clause
        flips = sum(1 for i in range(first + 1, max(match.positions))  # "gradient can't flow"
                    if i not in match.positions and self.tokens[i].kind == "word"
                    and self.tokens[i].text in NEGATING and self._negates(i))
        reach = 0
        for i in range(first - 1, -1, -1):
            token = self.tokens[i]
            if token.clause != clause:
                if not self._listed(clause, first):
                    break
                clause = token.clause  # "no convolution or recurrence": the negation reaches each of them
            if i in match.positions:
                continue
            if "(" in self.text[token.end:self.tokens[i + 1].start]:
                break  # "not tiny (~10% more)": a negation does not reach into a parenthesis
            if token.kind == "word" and token.text in NEGATING and self._negates(i):
                narrow = token.text in NARROW  # "rather than X", "beyond X", "different from X": X only
                if narrow and i + 2 < len(self.tokens) and self.tokens[i + 1].raw in ("of", "than") \
                        and self.tokens[i + 2].raw.endswith("ing") and len(self.tokens[i + 2].raw) > 5:
                    narrow = False  # "instead of looking only at a local 3x3 neighbourhood": the whole phrase
                if (not narrow or reach <= NARROW_REACH) and not self._determined(i, first):
                    flips += 1
            if self._new_subject(i) or (i in self.mentioned and i not in match.positions):
                # "rather than weighting every pixel it gives ...", "not negligible in params (+10%)"
                break
            if token.content:
                reach += 1
                if reach > (NUMBER_REACH if self._numeric(match) else NEGATION_REACH):
                    break  # "accuracy doesn't really change up to r = 16": the number is not negated
        return -1 if flips % 2 else 1

    def _listed(self, clause: int, first: int) -> bool:
        """'or recurrence', 'nor recurrence': a bare noun joined by 'or' to the noun before it."""
        members = self.clause_tokens(clause)
        if self.tokens[members[0]].raw not in ("or", "nor"):
            return False
        before = [i for i in members if i < first and self.tokens[i].kind == "word"]
        return all(not self.tokens[i].content for i in before) and members[0] > 0 \
            and self.tokens[members[0] - 1].kind == "word"

    def _numeric(self, match: Match) -> bool:
        return any(self.tokens[i].raw[:1].isdigit() for i in match.positions)

    def _determined(self, negation: int, target: int) -> bool:
        """'no gradient through the argmax', 'beyond its window in one layer': 'no' and 'beyond' negate their
        noun, not what a preposition adds after it."""
        if self.tokens[negation].raw not in ("no", "beyond", "outside") and self.tokens[negation].text not in OBJECTING:
            return False
        seen = False
        for i in range(negation + 1, target):
            token = self.tokens[i]
            if seen and token.raw in PREPOSITIONS:
                return True
            seen = seen or token.content
        return False

    def supposed(self, match: Match) -> bool:
        """'Without the bottleneck you'd have 2C² weights', 'Without RL, hard attention ...': a sentence that opens
        with 'without' supposes its words away up to a comma or a new subject; it does not deny them."""
        sentence = self.tokens[match.first].sentence
        members = [i for i, t in enumerate(self.tokens) if t.sentence == sentence and t.kind == "word"]
        if not members or self.tokens[members[0]].raw != "without" or match.first < members[0]:
            return False
        for i in range(members[0] + 1, match.first):
            token = self.tokens[i]
            if token.kind == "mark" and token.text == "," or token.raw in SUBJECT_PRONOUNS:
                return False
        return True

    def hedged(self, match: Match) -> bool:
        """'not just nearby ones', 'not only the peak': the words hold, but not alone."""
        clause = self.tokens[match.first].clause
        for i in range(match.first - 1, -1, -1):
            if self.tokens[i].raw == "not" and self.tokens[i + 1].raw in HEDGE:
                return True
            if self.tokens[i].clause != clause or self.tokens[i].content and self.tokens[i].raw not in HEDGE:
                return False
        return False

    def _new_subject(self, index: int) -> bool:
        """'it gives', 'they are': a pronoun that starts a new predicate; a negation before it does not reach
        past it ('make it differentiable' and 'let it learn' keep theirs)."""
        token = self.tokens[index]
        if token.raw not in SUBJECT_PRONOUNS or index + 1 >= len(self.tokens):
            return False
        following = self.tokens[index + 1]
        before = self.tokens[index - 1] if index else None
        if before is not None and before.kind == "word" and (before.raw in LINK_VERBS or before.text in LINK_STEMS):
            return False
        return following.kind == "word" and (following.raw in LINK_VERBS or following.text in LINK_STEMS
                                             or following.raw in ("s", "re", "ll", "d"))

    def _negates(self, index: int) -> bool:
        token = self.tokens[index]
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if token.text in ("instead", "rather"):
            return following is not None and following.raw in ("of", "than")
        if token.text in DIFFERENT:  # "different from self-attention"; "a different kernel" negates nothing
            return following is not None and following.raw == "from"
        if token.text == "not" and token.raw.startswith("non"):  # "non-differentiable": the one word only
            return following is not None and following.kind == "word" and index + 1 in self._within
        return not (token.text == "not" and following is not None and following.raw in HEDGE)

    def clause_text(self, first: int, last: int) -> str:
        """The answer's own words from token `first` to the end of token `last`'s clause."""
        tokens = self.tokens
        end = last
        while end + 1 < len(tokens) and tokens[end + 1].clause == tokens[last].clause \
                and tokens[end + 1].kind != "mark":
            end += 1
        start = first
        while start < end and tokens[start].kind != "word":
            start += 1
        return " ".join(self.text[tokens[start].start:tokens[end].end].split())


    def sentence_text(self, index: int) -> str:
        """The answer's own words of the sentence (a line of code) holding token `index`, cut at 80 characters."""
        sentence = self.tokens[index].sentence
        members = [i for i, t in enumerate(self.tokens) if t.sentence == sentence and t.kind != "mark"]
        text = " ".join(self.text[self.tokens[members[0]].start:self.tokens[members[-1]].end].split())
        return text if len(text) <= 80 else text[:79] + "…"

    def clause_tokens(self, clause: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.clause == clause]

    def span_text(self, first: int, last: int) -> str:
        return " ".join(self.text[self.tokens[first].start:self.tokens[last].end].split())
