"""The scored quiz: drawing questions, reading answers, scoring. No Rich: it talks to a small UI protocol.

A quiz never reschedules flashcards; its answers are stored on their own, each as it is given.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from quizcli.cards import Card, Choice, Numeric
from quizcli.keypoints import Coverage, coverage
from quizcli.prompts import Signal, signal_of
from quizcli.store import Store

Kind = Literal["choice", "typed", "numeric"]
QUIT = Signal.QUIT
_ONLY_QUIT = frozenset({Signal.QUIT})
_LETTERS = "abcde"
_NUMBER = re.compile(r"[-+]?\d[\d,_ ]*(?:\.\d+)?(?:e[-+]?\d+)?\s*[kKmM]?(?![a-zA-Z])|[-+]?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Question:
    card: Card
    kind: Kind
    index: int = 0  # which choice / numeric item of the card

    @property
    def topic(self) -> str:
        return self.card.topics[0]

    @property
    def choice(self) -> Choice:
        return self.card.choices[self.index]

    @property
    def numeric(self) -> Numeric:
        return self.card.numeric[self.index]


def questions_of(card: Card) -> list[Question]:
    found: list[Question] = [Question(card, "choice", i) for i in range(len(card.choices))]
    if card.key_points:
        found.append(Question(card, "typed"))
    found += [Question(card, "numeric", i) for i in range(len(card.numeric))]
    return found


def draw(cards: Sequence[Card], count: int, seed: int | None) -> list[Question]:
    """`count` questions, spread over the cards first, no two in a row of one topic where the deck allows."""
    import random

    rng = random.Random(seed)
    pools = [questions_of(c) for c in cards]
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    picked: list[Question] = []
    while len(picked) < count and any(pools):
        for pool in pools:  # one question per card per round
            if pool and len(picked) < count:
                picked.append(pool.pop())
    return _spread_topics(picked)


def _spread_topics(questions: list[Question]) -> list[Question]:
    remaining, ordered = list(questions), list[Question]()
    while remaining:
        left = Counter(q.topic for q in remaining)
        last = ordered[-1].topic if ordered else None
        candidates = [q for q in remaining if q.topic != last] or remaining
        best = max(candidates, key=lambda q: left[q.topic])  # most frequent topic first avoids dead ends
        ordered.append(best)
        remaining.remove(best)
    return ordered


def parse_letters(line: str, options: int) -> frozenset[int] | Signal | None:
    """'b' or 'a,c' or 'a c' -> option indexes; QUIT; None if not a valid answer."""
    text = line.strip().lower()
    if signal_of(text, _ONLY_QUIT):
        return QUIT
    letters = [part for part in re.split(r"[\s,;]+", text) if part]
    if not letters or any(len(x) != 1 or x not in _LETTERS[:options] for x in letters):
        return None
    return frozenset(_LETTERS.index(x) for x in letters)


def parse_number(line: str) -> float | Signal | None:
    """The first number in the line: '8192', '8,192 weights', '8 192', '8.2k'; QUIT; None if none."""
    text = line.strip()
    if signal_of(text, _ONLY_QUIT):
        return QUIT
    match = _NUMBER.search(text)
    if not match:
        return None
    raw = match.group(0).strip()
    scale = {"k": 1e3, "m": 1e6}.get(raw[-1].lower(), 1.0)
    digits = re.sub(r"[,_ ]", "", raw.rstrip("kKmM ").strip())
    try:
        return float(digits) * scale
    except ValueError:
        return None


def numeric_correct(value: float, item: Numeric) -> bool:
    return abs(value - item.answer) <= item.tolerance + 1e-9 * max(1.0, abs(item.answer))


class QuizUI(Protocol):
    def show_quiz_question(self, question: Question, position: int, total: int) -> None: ...
    def show_choice_result(self, question: Question, chosen: frozenset[int]) -> None: ...
    def show_typed_result(self, question: Question, result: Coverage) -> None: ...
    def show_numeric_result(self, question: Question, value: float, correct: bool) -> None: ...
    def read(self, prompt: str) -> str | None: ...
    def warn(self, text: str) -> None: ...


@dataclass
class Answer:
    question: Question
    credit: float  # 0..1


@dataclass
class QuizSummary:
    planned: int
    answers: list[Answer] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(a.credit for a in self.answers)

    @property
    def finished(self) -> bool:
        return len(self.answers) == self.planned

    def per_topic(self) -> dict[str, tuple[float, int]]:
        """topic -> (credit, questions), over every topic of each card asked."""
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        for answer in self.answers:
            for topic in answer.question.card.topics:
                totals[topic][0] += answer.credit
                totals[topic][1] += 1
        return {t: (c, int(n)) for t, (c, n) in sorted(totals.items())}

    def missed(self) -> list[Answer]:
        return [a for a in self.answers if a.credit < 1.0]


def _ask(ui: QuizUI, prompt: str, parse: Callable[[str], object], invalid: str) -> object:
    while True:
        line = ui.read(prompt)
        if line is None:
            return QUIT
        value = parse(line)
        if value is not None:
            return value
        ui.warn(invalid.format(line.strip()))


def _credit(question: Question, ui: QuizUI) -> float | None:
    """Ask one question; its credit, or None when the learner quit."""
    if question.kind == "choice":
        choice = question.choice
        many = len(choice.correct) > 1
        prompt = "Letters, e.g. a,c (select all that apply) > " if many else "Letter > "
        chosen = _ask(ui, prompt, lambda s: parse_letters(s, len(choice.options)),
                      f"'{{}}' is not an answer: type letters a-{_LETTERS[len(choice.options) - 1]}, or q to quit.")
        if chosen == QUIT:
            return None
        assert isinstance(chosen, frozenset)
        ui.show_choice_result(question, chosen)
        return 1.0 if chosen == choice.correct else 0.0
    if question.kind == "numeric":
        value = _ask(ui, "Number > ", parse_number, "'{}' has no number in it; type one, or q to quit.")
        if value == QUIT:
            return None
        assert isinstance(value, float)
        correct = numeric_correct(value, question.numeric)
        ui.show_numeric_result(question, value, correct)
        return 1.0 if correct else 0.0
    attempt = ui.read("Your answer > ")
    if attempt is None or signal_of(attempt, _ONLY_QUIT):
        return None
    result = coverage(question.card.key_points, attempt)
    ui.show_typed_result(question, result)
    suggested = result.suggested_rating()
    accept = f"Enter to accept {suggested.name} ({result.credit:.0%} of a point), " if suggested else ""
    allowed = ("", "y", "n") if suggested else ("y", "n")
    verdict = _ask(ui, f"{accept}y to count it right, n to count it wrong > ",
                   lambda s: signal_of(s, _ONLY_QUIT) or (s.strip().lower() if s.strip().lower() in allowed
                                                          else None),
                   "'{}': " + ("press Enter, or " if suggested else "") + "type y, n or q.")
    if verdict is QUIT:
        return None
    return {"y": 1.0, "n": 0.0}.get(str(verdict), result.credit)


def correction_note(card: Card) -> str | None:
    """The card's note when it corrects the answer (a paragraph starting 'Correction'), for the quiz to show."""
    return card.notes if re.search(r"(?m)^Correction\b", card.notes) else None


def run_quiz(questions: list[Question], deck_name: str, store: Store, ui: QuizUI,
             clock: Callable[[], datetime]) -> QuizSummary:
    summary = QuizSummary(planned=len(questions))
    quiz_id = store.start_quiz(deck_name, len(questions), clock())
    for position, question in enumerate(questions, start=1):
        ui.show_quiz_question(question, position, len(questions))
        credit = _credit(question, ui)
        if credit is None:
            break
        store.record_answer(quiz_id, question.card.id, question.kind, credit, clock())
        summary.answers.append(Answer(question, credit))
    return summary
