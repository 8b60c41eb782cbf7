"""Grading a typed answer against a card's key points: the entry point the study and quiz screens use.

The judge itself lives in quizcli.judge; `Coverage` is its verdict (hit, missed, contradicted, the
evidence for each point, and the suggested rating).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from quizcli.cards import KeyPoint, _fail, _line_of
from quizcli.errors import DeckError
from quizcli.judge import PointResult, Verdict, judge

Coverage = Verdict

__all__ = ["Coverage", "PointResult", "coverage", "item_error", "parse_key_points"]


def coverage(points: tuple[KeyPoint, ...], attempt: str) -> Coverage:
    """Each key point covered, missed or contradicted by the typed attempt."""
    return judge(points, attempt)


KEY_POINT_FIELDS = ("point", "claim", "any", "subject", "opposite", "not_of", "implied", "inverse")


def item_error(path: Path, text: str, field: str, index: int, problem: str) -> DeckError:
    """An error on item `index` of a list field, at that item's own line when it can be found."""
    start = _line_of(text, field)
    lines = text.splitlines()
    if start is not None:
        block = []
        for number in range(start, len(lines)):  # the lines after `field:`, 0-based index = line number - 1
            if re.match(r"^\S", lines[number]):
                break
            dash = re.match(r"^(\s*)-\s", lines[number])
            if dash:
                block.append((len(dash.group(1)), number + 1))
        indent = min((i for i, _ in block), default=0)
        items = [number for i, number in block if i == indent]
        if index < len(items):
            return DeckError(f"{path}:{items[index]}: field '{field}': item {index + 1}: {problem}")
    return _fail(path, text, field, f"item {index + 1}: {problem}")


def _phrase_list(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, (str, int, float)) and str(p).strip() for p in value):
        return None
    return tuple(str(p).strip() for p in value)


def parse_key_points(path: Path, text: str, items: list[dict[str, Any]]) -> tuple[KeyPoint, ...]:
    """The card's `key_points` list; every problem names the file, the item's line and the field."""
    points = []
    for index, item in enumerate(items):
        point = item.get("point")
        if not isinstance(point, str) or not point.strip():
            raise item_error(path, text, "key_points", index, "'point' must be a non-empty string")
        unknown = sorted(set(map(str, item)) - set(KEY_POINT_FIELDS))
        if unknown:
            raise item_error(path, text, "key_points", index,
                             f"unknown key '{unknown[0]}' (known: {', '.join(KEY_POINT_FIELDS)})")
        if "claim" in item and "any" in item:
            raise item_error(path, text, "key_points", index, "give 'claim' or the older 'any', not both")
        lists = {}
        for key in ("claim", "any", "subject", "opposite", "not_of", "inverse"):
            phrases = _phrase_list(item.get(key))
            if phrases is None:
                raise item_error(path, text, "key_points", index, f"'{key}' must be a list of phrases")
            lists[key] = phrases
        claim = lists["claim"] or lists["any"]
        if not claim:
            raise item_error(path, text, "key_points", index, "'claim' must list at least one phrase")
        implied = item.get("implied", False)
        if not isinstance(implied, bool) or (implied and not lists["subject"]):
            raise item_error(path, text, "key_points", index, "'implied' must be true or false, with a 'subject'")
        points.append(KeyPoint(point.strip(), claim, lists["subject"], lists["opposite"], lists["not_of"], implied,
                               lists["inverse"]))
    return tuple(points)
