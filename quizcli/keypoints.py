"""Grading a typed answer against a card's key points: the entry point the study and quiz screens use.

The judge itself lives in quizcli.judge; `Coverage` is its verdict (hit, missed, contradicted, the
evidence for each point, and the suggested rating).
"""

from __future__ import annotations

from quizcli.cards import KeyPoint
from quizcli.judge import PointResult, Verdict, judge

Coverage = Verdict

__all__ = ["Coverage", "PointResult", "coverage"]


def coverage(points: tuple[KeyPoint, ...], attempt: str) -> Coverage:
    """Each key point covered, missed or contradicted by the typed attempt."""
    return judge(points, attempt)
