"""The typed-answer verdict on screen: each key point covered, missed or contradicted, with its evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from quizcli.judge import PointResult, Verdict

MARKS = {"covered": ("✓", "green"), "missed": ("·", "yellow"), "contradicted": ("✗", "red")}


def _reason(result: PointResult) -> Text | None:
    if result.status == "covered" and result.evidence:
        return Text(f"“{result.evidence}”", style="dim")
    if result.status == "contradicted":
        if result.said_of:
            return Text(f"you said this of {result.said_of}: “{result.evidence}”", style="red")
        return Text(f"you said the opposite: “{result.evidence}”", style="red")
    return None


def verdict_panel(result: Verdict) -> Panel:
    """One line per point (✓ covered, · missed, ✗ contradicted) and the answer's words that decided it."""
    lines = Table.grid(padding=(0, 1))
    for point in result.results:
        mark, style = MARKS[point.status]
        lines.add_row(Text(f" {mark}", style=style), Text(point.point.point))
        reason = _reason(point)
        if reason is not None:
            lines.add_row(Text(""), reason)
    rating = result.suggested_rating()
    covered, total = len(result.hit), len(result.results)
    title = f"Key points: {covered} of {total}"
    if result.contradicted:
        title += f", {len(result.contradicted)} contradicted"
    subtitle = f"suggested: {rating.name}" if rating else None
    return Panel(lines, title=escape(title), subtitle=subtitle, border_style="magenta")
