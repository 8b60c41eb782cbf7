"""The judge of typed answers: each key point covered, missed or contradicted, with the words that decided it.

Deterministic, no model: words are normalised (quizcli.judge.tokens), a point's claims are found with
their polarity (quizcli.judge.match) and the subject they are said of (quizcli.judge.reading), and the
verdict suggests a rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from quizcli.judge.clauses import Key
from quizcli.judge.match import Answer, Match
from quizcli.judge.reading import Reading, names
from quizcli.judge.tokens import phrase_words, tokenize
from quizcli.scheduler import Rating

if TYPE_CHECKING:
    from quizcli.cards import KeyPoint

LIKENESS = frozenset({"like", "as"})  # "like a convolution does": the words before are said of it, unnegated
Status = Literal["covered", "missed", "contradicted"]


@dataclass(frozen=True)
class PointResult:
    point: KeyPoint
    status: Status
    evidence: str | None = None  # the answer's words that decided it
    said_of: str | None = None  # a misattribution: what the claim was said of instead


@dataclass(frozen=True)
class Verdict:
    results: tuple[PointResult, ...]

    def _with(self, status: Status) -> tuple[KeyPoint, ...]:
        return tuple(r.point for r in self.results if r.status == status)

    @property
    def hit(self) -> tuple[KeyPoint, ...]:
        return self._with("covered")

    @property
    def contradicted(self) -> tuple[KeyPoint, ...]:
        return self._with("contradicted")

    @property
    def missed(self) -> tuple[KeyPoint, ...]:
        """Every point not covered: missed or contradicted."""
        return tuple(r.point for r in self.results if r.status != "covered")

    @property
    def fraction(self) -> float:
        return len(self.hit) / len(self.results) if self.results else 0.0

    def suggested_rating(self) -> Rating | None:
        """A contradicted point: Again; every point covered: Good; some: Hard; none: Again."""
        if not self.results:
            return None
        if self.contradicted:
            return Rating.Again
        if len(self.hit) == len(self.results):
            return Rating.Good
        return Rating.Hard if self.hit else Rating.Again

    @property
    def credit(self) -> float:
        """Quiz credit: 1 for Good, the covered fraction for Hard, 0 for Again."""
        rating = self.suggested_rating()
        return 1.0 if rating == Rating.Good else self.fraction if rating == Rating.Hard else 0.0

    def to_json(self, label: str) -> dict[str, object]:
        rating = self.suggested_rating()
        return {"card": label,
                "points": [{"point": r.point.point, "status": r.status, "evidence": r.evidence}
                           for r in self.results],
                "suggested": rating.name if rating else None}


def _keys(phrases: tuple[str, ...], spatial_sa: bool) -> set[Key]:
    return {words for words in (phrase_words(p, spatial_sa)[0] for p in phrases) if words}




def _governs(answer: Answer, change: Match, match: Match) -> bool:
    """An inverse change ('smaller r', 'less reduction') bears on the words after it up to the next 'and', 'but',
    'so' in its sentence ('the smaller r, the more parameters'), or on the words beside it in its clause."""
    tokens = answer.tokens
    if set(change.positions) & set(match.positions) or tokens[change.first].sentence != tokens[match.first].sentence:
        return False
    if tokens[change.first].clause == tokens[match.first].clause:
        return True
    return change.first < match.first and not any(t.kind == "boundary" for t in tokens[change.first:match.first])


def _likened(answer: Answer, index: int) -> bool:
    """Whether the mention at `index` follows 'like' or 'as' ('like a convolution does')."""
    for i in range(index - 1, -1, -1):
        raw = answer.tokens[i].raw
        if raw not in ("a", "an", "the", "in", "with", "for"):  # "as in a convolution"
            return raw in LIKENESS and answer.tokens[i].clause == answer.tokens[index].clause
    return False


def _tightest(matches: list[tuple[Match, bool]]) -> list[tuple[Match, bool]]:
    """Where a claim and an opposite share words ('per position ... all channels'), the tighter match
    keeps them: fewest other words inside, then most words; the result in reading order."""
    kept: list[tuple[Match, bool]] = []
    used: set[int] = set()
    for match, claim in sorted(matches, key=lambda mc: (max(mc[0].positions) - mc[0].first
                                                        - len(mc[0].positions), -len(mc[0].positions))):
        if not used.intersection(match.positions):
            used.update(match.positions)
            kept.append((match, claim))
    return sorted(kept, key=lambda mc: mc[0].first)


def _judge_point(point: KeyPoint, answer: Answer, reading: Reading, spatial_sa: bool) -> PointResult:
    own_keys, wrong_keys = _keys(point.subject, spatial_sa), _keys(point.not_of, spatial_sa)
    support: list[str] = []
    against: list[tuple[str, str | None]] = []
    simple: list[tuple[Match, bool]] = []
    for phrases, claim in ((point.claim, True), (point.opposite, False)):
        for phrase in phrases:
            parts = [p.strip() for p in phrase.split(" + ") if p.strip()]
            if len(parts) > 1:
                found = [[m for m in answer.find(p, 1, spatial_sa, reading.taken) if answer.polarity(m) > 0]
                         for p in parts]
                if all(found):
                    lines = dict.fromkeys(answer.sentence_text(ms[0].first) for ms in found)  # in order, once each
                    words = " … ".join(lines)
                    (support.append(words) if claim else against.append((words, None)))
                continue
            simple += [(m, claim) for m in answer.find(phrase, 1 if claim else -1, spatial_sa, reading.taken)]
    inverse = [m for phrase in point.inverse for m in answer.find(phrase, 1, spatial_sa)
               if m.sign * answer.polarity(m) > 0]
    supported: set[int] = set()  # clauses that state the claim
    denied: list[tuple[int, str]] = []  # clauses that deny it
    for match, claim in _tightest(simple):
        contrasted = reading.in_contrast(match)
        if contrasted and not (claim and match.sign > 0) or reading.paired(match):
            continue  # "compared to the heavy convolutions": heavy is not said of the subject
        if reading.conjunction(match):
            continue  # "Where channel attention gives ..., spatial attention ...": a conjunction, not "where"
        said_of, mention = reading.attached(match)
        clause = answer.tokens[match.first].clause
        # a contradiction needs the words bound to their subject: not in a contrast ("unlike the softmax"),
        # nor carried into a clause whose subject could be either of two things
        firm = not contrasted and not (mention is None and clause in reading.ambiguous)
        is_own, is_wrong = names(said_of, own_keys), names(said_of, wrong_keys)
        own = is_own or (not own_keys and not is_wrong) or (point.implied and not said_of)
        wrong = is_wrong and not is_own
        value = match.sign * answer.polarity(match)
        if any(_governs(answer, change, match) for change in inverse):
            value = -value  # "a smaller r means more parameters": the reverse of the point, reversed
        if mention and mention.positions[0] > match.first and _likened(answer, mention.positions[0]):
            value = match.sign  # "not local like a convolution", "instead of mixing nearby pixels like a conv does"
        clause_start = answer.clause_tokens(answer.tokens[match.first].clause)[0]
        start = mention.positions[0] if mention and mention.positions[0] < match.first else clause_start
        words = answer.clause_text(start, max(match.positions))
        if own and value > 0:
            support.append(words)
            supported.add(clause)
        elif not firm:
            continue
        elif own and value < 0 and not answer.hedged(match) and not answer.supposed(match) \
                and (point.inverse or not reading.conditional(match)):  # an author's inverse: directions known
            numeric = any(answer.tokens[i].raw[:1].isdigit() for i in match.positions)
            denied.append((clause if numeric else -1, words))
        elif wrong and claim and value > 0:
            name = answer.span_text(mention.positions[0], mention.positions[-1]) if mention else None
            against.append((words, name))
    # "28M instead of 25M": a clause that states the claim and denies a near number of it states it
    against += [(words, None) for clause, words in denied if clause not in supported]
    if against:
        evidence, name = min(against, key=lambda a: a[1] is not None)  # "the opposite" before "of X"
        return PointResult(point, "contradicted", evidence, name)
    if support:
        return PointResult(point, "covered", support[0])
    return PointResult(point, "missed")


def judge(points: tuple[KeyPoint, ...], text: str) -> Verdict:
    """Every key point of a card judged against the typed answer."""
    vocabulary = " ".join(" ".join(p.subject + p.claim + p.not_of) for p in points).lower()
    spatial_sa = "spatial" in vocabulary and "self attention" not in vocabulary
    answer = Answer(text, tokenize(text, spatial_sa))
    reading = Reading(answer, [k for p in points for k in _keys(p.subject + p.not_of, spatial_sa)])
    return Verdict(tuple(_judge_point(p, answer, reading, spatial_sa) for p in points))
