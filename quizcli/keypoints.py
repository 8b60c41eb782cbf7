"""Grading a typed answer against a card's key points, tolerant of typos, word order and inflection."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizcli.cards import KeyPoint
from quizcli.scheduler import Rating

_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*%?")
STOPWORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "by", "with",
                       "it", "its", "as", "at", "from", "that", "this"})
WORD_SCORE = 80  # rapidfuzz ratio at which two words count as the same word


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _same_word(wanted: str, given: str) -> bool:
    if wanted == given:
        return True
    if len(wanted) <= 3 or len(given) <= 3:
        return False  # short words must match exactly ("max" is not "mask")
    shorter, longer = sorted((wanted, given), key=len)
    if len(shorter) >= 5 and longer.startswith(shorter):
        return True  # backprop / backpropagation, differentiable / differentiability
    from rapidfuzz.fuzz import ratio

    return ratio(wanted, given) >= WORD_SCORE


def phrase_in(phrase: str, attempt_words: list[str]) -> bool:
    """Every word of the phrase appears in the attempt, in any order, allowing typos."""
    wanted = words(phrase) or phrase.lower().split()
    return all(any(_same_word(w, g) for g in attempt_words) for w in wanted)


@dataclass(frozen=True)
class Coverage:
    hit: tuple[KeyPoint, ...]
    missed: tuple[KeyPoint, ...]

    @property
    def fraction(self) -> float:
        total = len(self.hit) + len(self.missed)
        return len(self.hit) / total if total else 0.0

    def suggested_rating(self) -> Rating:
        """All points: Good; some: Hard; none: Again."""
        if not self.missed:
            return Rating.Good
        return Rating.Hard if self.hit else Rating.Again


def coverage(points: tuple[KeyPoint, ...], attempt: str) -> Coverage:
    attempt_words = words(attempt)
    hit = tuple(p for p in points if any(phrase_in(phrase, attempt_words) for phrase in p.phrases))
    return Coverage(hit=hit, missed=tuple(p for p in points if p not in hit))
