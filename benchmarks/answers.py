"""How well the typed-answer judge agrees with a strict, fair interviewer, on the labelled answer set.

    python benchmarks/answers.py                 # every part, reported separately
    python benchmarks/answers.py --half dev -v   # one part, listing every disagreement

Parts: dev (the judge was tuned on it), held-out (kept aside while it was built), blind (written
later from the cards alone, without reading the judge or the other parts) and syntax (right and wrong
answers in complex syntax: relative clauses, appositives, participles, parentheses, coordinated numbers).

The set (tests/data/answers/*.yaml) labels every key point of every answer: covered, or not covered
because it is wrong, salad, partial, vague or absent. The interviewer's rating follows from the labels
with the judge's own rule: a point stated wrongly -> Again; every point covered -> Good; some -> Hard;
none -> Again.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizcli.cards import load_deck  # noqa: E402
from quizcli.judge import judge  # noqa: E402
from quizcli.scheduler import Rating  # noqa: E402

ANSWERS = ROOT / "tests" / "data" / "answers"
HALVES = ("dev", "held-out", "blind", "syntax")
LABELS = ("covered", "wrong", "salad", "partial", "vague", "absent")


@dataclass
class Figures:
    answers: int
    points: int
    accuracy: float
    precision: float
    recall: float
    kappa: float
    wrong_credited: tuple[int, int]
    salad_credited: tuple[int, int]
    wrong_flagged: tuple[int, int]
    rating_agreement: float
    false_good: tuple[int, int]
    again_on_nothing: tuple[int, int]
    false_contradicted: tuple[int, int]
    again_on_right: tuple[int, int]
    disagreements: list[str]


def load_half(half: str) -> list[dict[str, Any]]:
    import yaml

    items = yaml.safe_load((ANSWERS / f"{half}.yaml").read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


def interviewer_rating(labels: list[str]) -> Rating:
    if "wrong" in labels:
        return Rating.Again
    covered = labels.count("covered")
    return Rating.Good if covered == len(labels) else Rating.Hard if covered else Rating.Again


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def kappa(pairs: list[tuple[bool, bool]]) -> float:
    """Cohen's kappa of two yes/no raters."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    yes_a, yes_b = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def measure(items: list[dict[str, Any]]) -> Figures:
    deck = load_deck(ROOT / "questions" / "attention")
    pairs: list[tuple[bool, bool]] = []  # (interviewer says covered, judge says covered)
    wrong = [0, 0]
    salad = [0, 0]
    flagged = [0, 0]
    agree = 0
    false_good = [0, 0]
    nothing = [0, 0]
    false_contradicted = [0, 0]  # points not stated wrongly, judged contradicted
    again_on_right = [0, 0]  # answers with something right and nothing wrong, suggested Again
    notes: list[str] = []
    for item in items:
        card = deck.find(str(item["card"]))
        labels = [str(label) for label in item["labels"]]
        if len(labels) != len(card.key_points) or any(label not in LABELS for label in labels):
            raise SystemExit(f"{item['card']}: labels {labels} do not fit the card's {len(card.key_points)} points")
        verdict = judge(card.key_points, str(item.get("answer") or ""))
        for label, result in zip(labels, verdict.results, strict=True):
            said = result.status == "covered"
            pairs.append((label == "covered", said))
            if label == "wrong":
                wrong[0] += said
                wrong[1] += 1
                flagged[0] += result.status == "contradicted"
                flagged[1] += 1
            if label != "wrong":
                false_contradicted[0] += result.status == "contradicted"
                false_contradicted[1] += 1
            if label == "salad":
                salad[0] += said
                salad[1] += 1
            if (label == "covered") != said:
                notes.append(f"{card.label} [{item.get('kind', '')}] point {verdict.results.index(result) + 1}: "
                             f"label {label}, judge {result.status} ({result.evidence!r}) :: {item['answer']!r}")
        real, suggested = interviewer_rating(labels), verdict.suggested_rating()
        agree += suggested == real
        if real != Rating.Good:
            false_good[0] += suggested == Rating.Good
            false_good[1] += 1
        if "covered" in labels and "wrong" not in labels:
            again_on_right[0] += suggested == Rating.Again
            again_on_right[1] += 1
        if "covered" not in labels:
            nothing[0] += suggested == Rating.Again
            nothing[1] += 1
    hits = sum(a and b for a, b in pairs)
    return Figures(
        answers=len(items), points=len(pairs),
        accuracy=_ratio(sum(a == b for a, b in pairs), len(pairs)),
        precision=_ratio(hits, sum(b for _, b in pairs)), recall=_ratio(hits, sum(a for a, _ in pairs)),
        kappa=kappa(pairs), wrong_credited=(wrong[0], wrong[1]), salad_credited=(salad[0], salad[1]),
        wrong_flagged=(flagged[0], flagged[1]), rating_agreement=_ratio(agree, len(items)),
        false_good=(false_good[0], false_good[1]), again_on_nothing=(nothing[0], nothing[1]),
        false_contradicted=(false_contradicted[0], false_contradicted[1]),
        again_on_right=(again_on_right[0], again_on_right[1]),
        disagreements=notes)


def report(half: str, figures: Figures) -> str:
    def frac(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]} ({_ratio(*pair):.0%})"

    return "\n".join([
        f"{half}: {figures.answers} answers, {figures.points} point judgements",
        f"  per-point accuracy            {figures.accuracy:.3f}",
        f"  covered: precision / recall   {figures.precision:.3f} / {figures.recall:.3f}",
        f"  Cohen's kappa                 {figures.kappa:.3f}",
        f"  false credit, wrong claims    {frac(figures.wrong_credited)}",
        f"  wrong claims shown as such    {frac(figures.wrong_flagged)}",
        f"  false credit, salad           {frac(figures.salad_credited)}",
        f"  rating agreement              {figures.rating_agreement:.3f}",
        f"  false Good (not fully right)  {frac(figures.false_good)}",
        f"  Again when nothing is right   {frac(figures.again_on_nothing)}",
        f"  contradicted, not said wrong  {frac(figures.false_contradicted)}",
        f"  Again on right, nothing wrong {frac(figures.again_on_right)}",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES, action="append", help="Only this half (repeatable).")
    parser.add_argument("-v", "--verbose", action="store_true", help="List every point the judge gets wrong.")
    args = parser.parse_args()
    for half in args.half or HALVES:
        figures = measure(load_half(half))
        print(report(half, figures))
        if args.verbose:
            for line in figures.disagreements:
                print("   ", line)


if __name__ == "__main__":
    main()
