"""The shape of a clause: relative words, verbs, and a clause that names its own subject."""

from __future__ import annotations

from dataclasses import dataclass

from quizcli.judge.match import LINK_STEMS, PRONOUNS, Answer
from quizcli.judge.tokens import LINK_VERBS

RELATIVES = frozenset({"which", "whose", "who"})
SUBJECT_WORDS = frozenset({"it", "they", "we", "you", "i", "this", "these", "that", "its"})
DETERMINERS = frozenset({"a", "an", "the", "each", "every", "all", "its", "their", "one", "no", "both", "only"})
MODALS = frozenset({"can", "could", "will", "would", "must", "may", "might", "should"})
COPULAS = frozenset({"is", "are", "was", "were", "stays", "stay", "remains", "remain"})
Key = tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    positions: tuple[int, ...]
    key: Key
    contrast: bool  # after "unlike", "than", "not": names what the clause is contrasted with


class Clauses:
    """What a reader needs to know of a clause's shape, beside the answer it reads."""

    answer: Answer

    def _relative(self, members: list[int]) -> int | None:
        """Where a clause's relative word is: 0 in ', which ...', 2 in ', each of which ...'; None if it has none."""
        tokens = self.answer.tokens
        words = [k for k, i in enumerate(members) if tokens[i].kind == "word"][:3]
        if words and tokens[members[words[0]]].raw in RELATIVES:
            return words[0]
        if len(words) == 3 and tokens[members[words[1]]].raw == "of" and tokens[members[words[2]]].raw in RELATIVES:
            return words[2]  # "each of which", "all of which", "neither of which"
        return None

    def _right_after(self, members: list[int], mention: Mention) -> bool:
        """', which convolutions': the mention follows the relative word, with at most an article between."""
        tokens = self.answer.tokens
        words = [i for i in members if tokens[i].kind == "word" and tokens[i].raw not in ("a", "an", "the")]
        return len(words) > 1 and words[1] == mention.positions[0]

    def _is_verb(self, index: int) -> bool:
        token = self.answer.tokens[index]
        return token.kind == "word" and (token.raw in LINK_VERBS or token.text in LINK_STEMS
                                         or token.raw in MODALS)

    def _verb_between(self, first: int, last: int) -> bool:
        tokens = self.answer.tokens
        return any(tokens[i].kind != "word" or self._is_verb(i) or tokens[i].raw in RELATIVES | {"that"}
                   for i in range(first + 1, last)) or last - first > 5

    def _has_verb(self, members: list[int], after: int) -> bool:
        """A verb after token `after` ('which hard attention approximates', 'can only do'); 'being local' has none."""
        tokens = self.answer.tokens
        return any(self._is_verb(i) or (tokens[i].content and len(tokens[i].raw) > 3 and tokens[i].raw.isalpha()
                                        and tokens[i].raw.endswith(("s", "ed")) and not tokens[i].raw.endswith("ss"))
                   for i in members if i > after)

    def _verb_next(self, members: list[int]) -> bool:
        """', which uses ...', ', which only sees ...': the relative word is the subject of its own verb."""
        tokens = self.answer.tokens
        words = [i for i in members if tokens[i].kind == "word"][1:]
        for i in words[:2]:
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if self._is_verb(i) or (tokens[i].raw.endswith("s") and not tokens[i].raw.endswith("ss")
                                    and after is not None and after.raw in DETERMINERS):
                return True  # "which uses a ...", "which averages the whole map"
            if tokens[i].raw not in ("only", "just", "also", "then", "still", "always", "never", "not"):
                return False
        return False

    def _opens_own_subject(self, members: list[int]) -> bool:
        """'the block itself is ...': a clause opening with a noun the card does not name, then a copula."""
        tokens = self.answer.tokens
        words = [i for i in members if tokens[i].kind == "word"]
        opening: list[int] = []
        for i in words[:4]:
            if tokens[i].raw in COPULAS:
                return bool(opening)
            if tokens[i].raw in PRONOUNS or tokens[i].raw in SUBJECT_WORDS:
                return False
            if tokens[i].content:
                opening.append(i)
        return False
