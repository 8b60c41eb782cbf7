"""Tables, charts and the grade report."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quizcli.ui import _bar, _when, console, points

if TYPE_CHECKING:
    from quizcli.cards import Card, Deck
    from quizcli.stats import Stats


TABLE_ROWS = 200  # beyond this, a plain listing: Rich lays out a 10,000-row table in seconds


def deck_table(deck: Deck, cards: list[Card]) -> None:
    if len(cards) > TABLE_ROWS:
        _plain_listing(deck, cards)
        return
    table = Table(title=f"{deck.name}: {len(cards)} of {len(deck)} cards", title_justify="left")
    table.add_column("#", justify="right", style="cyan")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("topics", style="magenta")
    for card in cards:
        table.add_row(card.label, card.id, card.title, ", ".join(card.topics))
    console.print(table)


def _plain_listing(deck: Deck, cards: list[Card]) -> None:
    width = max(len(c.label) for c in cards)
    id_width = min(40, max(len(c.id) for c in cards))
    lines = [f"{deck.name}: {len(cards)} of {len(deck)} cards"]
    lines += [f"{c.label:>{width}}  {c.id:<{id_width}}  {c.title}  [{', '.join(c.topics)}]" for c in cards]
    console.file.write("\n".join(lines) + "\n")


def topics_table(deck: Deck) -> None:
    table = Table(title=f"Topics in {deck.name}", title_justify="left")
    table.add_column("topic", style="magenta")
    table.add_column("cards", justify="right")
    table.add_column("questions")
    for topic, count in deck.topics().items():
        labels = ", ".join(c.label for c in deck if topic in c.topics)
        table.add_row(topic, str(count), labels)
    console.print(table)
    console.print("Drill one with: attnquiz drill --topic TOPIC")


def decks_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    table = Table(title="Decks", title_justify="left")
    for name in ("name", "title", "cards", "folder", ""):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print("Use one with --deck NAME (or --deck FOLDER); add one with: attnquiz import NOTES.md")


def _heat(count: int, top: int) -> Text:
    if count == 0:
        return Text("·", style="grey35")
    level = min(3, 1 + (3 * (count - 1)) // max(1, top))
    return Text("■", style=("green4", "green3", "bright_green", "bold bright_green")[level])


def stats_view(stats: Stats, now: datetime) -> None:
    head = Table.grid(padding=(0, 2))
    rows = (("cards", f"{stats.cards}  (new {stats.states.get('new', stats.new)}, learning "
                      f"{stats.states.get('learning', 0)}, review {stats.states.get('review', 0)})"),
            ("reviews", str(stats.reviews)),
            ("due now", f"{stats.due} to review, {stats.new_today} new"),
            ("due today", f"{stats.forecast[0] if stats.forecast else stats.due} (new cards included)"),
            ("next due", _when(stats.next_due, now) if stats.next_due else "—"),
            ("exercises passed", f"{stats.exercises[0]} of {stats.exercises[1]}"))
    for label, value in rows:
        head.add_row(Text(label, style="bold"), value)
    console.print(Panel(head, title=f"Progress · {stats.deck}", border_style="blue"))

    if stats.forecast:
        top = max(stats.forecast) or 1
        forecast = Table.grid(padding=(0, 1))
        for offset, count in enumerate(stats.forecast):
            day = (now + timedelta(days=offset)).astimezone(timezone.utc)
            label = "today" if offset == 0 else day.strftime("%a %d")
            forecast.add_row(Text(label, style="bold"), Text(_bar(count / top, 30), style="cyan"), str(count))
        console.print(Panel(forecast, title="Due in the next 14 days", border_style="blue"))

    if stats.heatmap:
        top = max(n for _, n in stats.heatmap) or 1
        grid = Table.grid(padding=(0, 0))
        grid.add_column(width=4)
        weeks = [stats.heatmap[i:i + 7] for i in range(0, len(stats.heatmap), 7)]
        for _ in weeks:
            grid.add_column(width=2)
        for weekday in range(7):
            cells = [_heat(week[weekday][1], top) if weekday < len(week) else Text(" ") for week in weeks]
            grid.add_row(Text(weeks[0][weekday][0].strftime("%a") if weekday < len(weeks[0]) else ""), *cells)
        first, last = stats.heatmap[0][0], stats.heatmap[-1][0]
        console.print(Panel(grid, title=f"Reviews, {first:%d %b} to {last:%d %b} (UTC days)", border_style="blue"))

    table = Table(title="Per topic", title_justify="left")
    for name, justify in (("topic", "left"), ("cards", "right"), ("reviewed", "right"), ("due", "right"),
                          ("mastery now", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name, topic in stats.topics.items():
        level = stats.mastery.get(name)
        if level is None:
            mastery = Text("—", style="dim")
        else:
            counted = stats.mastered_cards.get(name, 0)
            mastery = Text(f"{_bar(level, 8)} {level:4.0%} ({counted}/{topic.cards})",
                           style="green" if level >= 0.9 else "yellow")
        table.add_row(Text(name, style="magenta"), str(topic.cards), str(topic.reviewed), str(topic.due), mastery)
    console.print(table)
    console.print(Text("Mastery: the mean predicted recall now of the cards (counted/all) out of learning with "
                       "2 reviews or more; — : not enough reviews yet.", style="dim"))

    if stats.quizzes:
        quizzes = Table(title="Quizzes", title_justify="left")
        for name in ("taken", "score", ""):
            quizzes.add_column(name)
        for taken, score, answered in stats.quizzes[-8:]:
            quizzes.add_row(taken.astimezone().strftime("%d %b %H:%M"), f"{points(score)} of {answered} points",
                            Text(_bar(score / answered if answered else 0, 20), style="cyan"))
        console.print(quizzes)
    if stats.exam:
        exam = Table(title=f"Predicted recall on {stats.exam.day:%a %d %b %Y}", title_justify="left")
        exam.add_column("topic", style="magenta")
        exam.add_column("recall")
        for name, recall in stats.exam.recall.items():
            exam.add_row(name, f"{_bar(recall, 16)} {recall:4.0%}")
        console.print(exam)
        risky = ", ".join(f"{label} {title} ({recall:.0%})" for label, title, recall in stats.exam.at_risk)
        console.print(f"Most at risk: {escape(risky)}")


def exercises_table(rows: list[tuple[str, str, str, str]]) -> None:
    table = Table(title="Coding exercises", title_justify="left")
    for name in ("exercise", "class and constructor", "card", "status"):
        table.add_column(name)
    style = {"passed": "green", "failing": "red", "not tried": "dim"}
    for exercise, signature, card, status in rows:
        table.add_row(exercise, signature, card, f"[{style[status]}]{status}[/]")
    console.print(table)
    passed = sum(1 for row in rows if row[3] == "passed")
    console.print(Text.assemble(("Progress: ", "bold"), (_bar(passed / len(rows) if rows else 0, 20), "green"),
                                f" {passed}/{len(rows)} passed"))
    console.print("Begin one with: attnquiz start EXERCISE [PATH], then attnquiz grade PATH")
