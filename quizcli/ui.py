"""Everything the learner sees: the only module that imports Rich."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quizcli.text import format_interval

if TYPE_CHECKING:
    from quizcli.cards import Card, Deck
    from quizcli.grader.result import GradeResult
    from quizcli.session import Summary
    from quizcli.stats import Stats

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def _markdown(text: str) -> object:
    from rich.markdown import Markdown

    from quizcli.text import latex_to_text

    return Markdown(latex_to_text(text), code_theme="monokai")


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never reviewed"
    local = moment.astimezone()
    stamp = local.strftime("%a %d %b %H:%M")
    if moment <= now:
        return f"now ({stamp})"
    return f"in {format_interval(moment - now)} ({stamp})"


class RichUI:
    """The terminal side of session.UI: Rich panels out, one line in per prompt."""

    def __init__(self) -> None:
        self.interrupted = False

    def show_question(self, card: Card, position: int, total: int) -> None:
        console.print()
        console.print(Panel(Text(card.question, style="bold"),
                            title=f"[bold cyan]{card.label}[/] · {escape(card.title)}",
                            subtitle=f"{position}/{total} · {', '.join(card.topics)}",
                            border_style="cyan"))

    def show_answer(self, card: Card, attempt: str) -> None:
        answer = Panel(_markdown(card.answer), title="Answer", border_style="green")  # type: ignore[arg-type]
        if attempt:
            grid = Table.grid(expand=True, padding=(0, 1))
            grid.add_column(ratio=1)
            grid.add_column(ratio=2)
            grid.add_row(Panel(Text(attempt), title="Your answer", border_style="yellow"), answer)
            console.print(grid)
        else:
            console.print(answer)
        if card.notes:
            console.print(Panel(_markdown(card.notes), title="Note", border_style="dim",  # type: ignore[arg-type]
                                style="dim"))

    def read(self, prompt: str) -> str | None:
        console.print(escape(prompt), end="")
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            self.interrupted = True
            console.print()
            return None
        if not line:
            console.print()
            return None
        return line.rstrip("\r\n")

    def warn(self, text: str) -> None:
        console.print(f"[yellow]{escape(text)}[/]")


def deck_table(deck: Deck, cards: list[Card]) -> None:
    table = Table(title=f"{deck.name}: {len(cards)} of {len(deck)} cards", title_justify="left")
    table.add_column("#", justify="right", style="cyan")
    table.add_column("id")
    table.add_column("title")
    table.add_column("topics", style="magenta")
    for card in cards:
        table.add_row(card.label, card.id, card.title, ", ".join(card.topics))
    console.print(table)


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


def show_card(card: Card) -> None:
    console.print(Panel(Text(card.question, style="bold"),
                        title=f"[bold cyan]{card.label}[/] · {escape(card.title)}",
                        subtitle=f"{card.id} · {', '.join(card.topics)}", border_style="cyan"))
    RichUI().show_answer(card, "")
    if card.exercise:
        console.print(f"Exercise: [bold]{card.exercise}[/] (attnquiz start {card.exercise})")


def nothing_to_study(next_due: datetime | None, now: datetime, new_limit_reached: bool) -> None:
    if new_limit_reached:
        console.print("Nothing due, and today's new-card limit is reached (raise it with --new N).")
    else:
        console.print("Nothing due now.")
    if next_due is not None:
        console.print(f"Next card due {_when(next_due, now)}.")


def summary(result: Summary, now: datetime) -> None:
    console.print()
    parts = ", ".join(f"{name} {count}" for name, count in result.ratings.items()) or "none"
    verb = "Drill" if result.mode == "drill" else "Session"
    state = "complete" if result.finished else f"stopped, {result.remaining} left"
    console.print(Panel(
        Group(Text(f"{result.reviewed} reviewed ({parts}); every rating is saved."),
              Text(f"Next card due {_when(result.next_due, now)}.")),
        title=f"{verb} {state}", border_style="blue"))


def stats_view(stats: Stats, now: datetime) -> None:
    head = Table.grid(padding=(0, 2))
    for label, value in (("cards", stats.cards), ("reviews", stats.reviews), ("due now", stats.due),
                         ("new", stats.new)):
        head.add_row(Text(label, style="bold"), str(value))
    head.add_row(Text("next due", style="bold"), _when(stats.next_due, now) if stats.next_due else "—")
    console.print(Panel(head, title=f"Progress · {stats.deck}", border_style="blue"))
    table = Table(title="Per topic", title_justify="left")
    table.add_column("topic", style="magenta")
    table.add_column("cards", justify="right")
    table.add_column("reviewed", justify="right")
    table.add_column("due", justify="right")
    for name, topic in stats.topics.items():
        table.add_row(name, str(topic.cards), str(topic.reviewed), str(topic.due))
    console.print(table)


def utc_label(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# --- grading ---

_MARKS = {"pass": "[green]✓[/]", "fail": "[red]✗[/]", "error": "[red]![/]"}
_VERDICT_TITLES = {
    "syntax-error": "Syntax error", "import-error": "Your file could not be loaded",
    "class-missing": "Class not found", "constructor-mismatch": "Constructor does not match the contract",
    "timeout": "Timed out", "out-of-memory": "Out of memory", "sys-exit": "sys.exit() called",
    "os-exit": "The process exited early", "signal": "Crashed", "file-too-large": "File too large",
}


def exercises_table(rows: list[tuple[str, str, str, str]]) -> None:
    table = Table(title="Coding exercises", title_justify="left")
    for name in ("exercise", "class and constructor", "card", "status"):
        table.add_column(name)
    style = {"passed": "green", "failing": "red", "not tried": "dim"}
    for exercise, signature, card, status in rows:
        table.add_row(exercise, signature, card, f"[{style[status]}]{status}[/]")
    console.print(table)
    console.print("Begin one with: attnquiz start EXERCISE [PATH], then attnquiz grade PATH")


def started(exercise_name: str, title: str, statement: str, path: str) -> None:
    console.print(Panel(_markdown(statement), title=f"{escape(title)} · {exercise_name}",  # type: ignore[arg-type]
                        border_style="cyan"))
    console.print(f"Wrote [bold]{escape(path)}[/]. Fill in the TODOs, then: attnquiz grade {escape(path)}")


def _indented(text: Text, left: int = 5) -> None:
    from rich.padding import Padding

    console.print(Padding(text, (0, 0, 0, left)))


def grade_report(result: GradeResult, chosen_by_class: bool, class_name: str) -> None:
    if chosen_by_class:
        console.print(f"Grading [bold]{escape(result.file)}[/] as [bold]{result.exercise}[/] "
                      f"(found class {class_name}; choose another with --exercise)")
    elif result.exercise == "unknown":
        console.print(f"Grading [bold]{escape(result.file)}[/]")
    else:
        console.print(f"Grading [bold]{escape(result.file)}[/] as [bold]{result.exercise}[/]")
    previous = None
    for test in result.tests:
        console.print(f" {_MARKS[test.status]} {escape(test.title)}")
        if test.status != "pass" and test.message == previous:
            console.print("     [dim]same error as above[/]")
            continue
        if test.message:
            _indented(Text(test.message, style="dim" if test.status == "pass" else ""))
        if test.status != "pass" and test.hint:
            _indented(Text.assemble(("hint: ", "cyan"), test.hint))
        if test.output and test.status != "pass":  # --json keeps every check's output
            _indented(Text("your output:\n" + "\n".join(test.output.splitlines()[:20]), style="dim"), 7)
        previous = test.message if test.status != "pass" else None
    if result.verdict:
        body = Text(result.message)
        if result.other_output.strip():
            body.append("\n\nOutput:\n" + "\n".join(result.other_output.strip().splitlines()[:20]), style="dim")
        console.print(Panel(body, title=_VERDICT_TITLES.get(result.verdict, result.verdict), border_style="red"))
        return
    total, passed = len(result.tests), result.passed
    colour = "green" if result.status == "pass" else "red"
    console.print(f"\n[bold {colour}]{passed}/{total} checks passed[/]"
                  + ("" if result.status == "pass" else f": {total - passed} to fix, top to bottom"))
