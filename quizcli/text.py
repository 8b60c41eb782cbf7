"""LaTeX inside Markdown answers, turned into readable Unicode text for the terminal."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Any

_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_SUP = str.maketrans("0123456789+-()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-()", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎")


@lru_cache(maxsize=1)
def _converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text")


def _scripts(text: str) -> str:
    """x^2 -> x², W_1 -> W₁ where Unicode has the glyphs; anything else stays as written."""
    def sup(match: re.Match[str]) -> str:
        body = match.group(1) or match.group(2)
        return body.translate(_SUP) if all(ch in "0123456789+-()n" for ch in body) else match.group(0)

    def sub(match: re.Match[str]) -> str:
        body = match.group(1) or match.group(2)
        return body.translate(_SUB) if all(ch in "0123456789+-()" for ch in body) else match.group(0)

    text = re.sub(r"\^\{([^{}]+)\}|\^(\w)", sup, text)
    return re.sub(r"_\{([^{}]+)\}|_(\w)", sub, text)


def math_to_text(latex: str) -> str:
    text = _converter().latex_to_text(latex)
    text = re.sub(r"\s*([×·÷±≤≥≈])\s*", r" \1 ", text)
    return _scripts(re.sub(r"\s+", " ", text).strip())


def latex_to_text(markdown: str) -> str:
    """Replace every `$...$` span outside code with its Unicode rendering; code is left alone."""
    parts = _CODE.split(markdown)
    for index in range(0, len(parts), 2):
        parts[index] = _MATH.sub(lambda m: math_to_text(m.group(1)), parts[index])
    return "".join(parts)


def format_interval(delta: timedelta) -> str:
    """A short human interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
