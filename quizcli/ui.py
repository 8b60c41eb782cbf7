"""Everything the learner sees: the only module that imports Rich."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
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
    from quizcli.importer import ImportResult
    from quizcli.keypoints import Coverage
    from quizcli.quiz import Question, QuizSummary
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

    def show_coverage(self, result: Coverage) -> None:
        lines = Table.grid(padding=(0, 1))
        for point in result.hit:
            lines.add_row(Text(" ✓", style="green"), Text(point.point))
        for point in result.missed:
            lines.add_row(Text(" ✗", style="red"), Text(point.point))
        total = len(result.hit) + len(result.missed)
        console.print(Panel(lines, title=f"Key points: {len(result.hit)} of {total}", border_style="magenta"))

    # the quiz
    def show_quiz_question(self, question: Question, position: int, total: int) -> None:
        card = question.card
        body: Text | Group
        if question.kind == "choice":
            options = Table.grid(padding=(0, 1))
            for index, option in enumerate(question.choice.options):
                options.add_row(Text(f"  {'abcde'[index]})", style="cyan"), Text(option))
            body = Group(Text(question.choice.prompt + "\n", style="bold"), options)
        elif question.kind == "numeric":
            body = Text(question.numeric.prompt, style="bold")
        else:
            body = Text(card.question, style="bold").append("\n\nType your answer in a line or two.", style="dim")
        kind = {"choice": "multiple choice", "typed": "typed answer", "numeric": "number"}[question.kind]
        console.print()
        console.print(Panel(body, title=f"[bold cyan]{position}/{total}[/] · {card.label} · {kind}",
                            subtitle=", ".join(card.topics), border_style="cyan"))

    def show_choice_result(self, question: Question, chosen: frozenset[int]) -> None:
        choice = question.choice
        right = chosen == choice.correct
        letters = ", ".join("abcde"[i] for i in sorted(choice.correct))
        verdict = "[green]Right.[/]" if right else f"[red]Not quite:[/] the answer is {letters}."
        console.print(verdict + (f" {escape(choice.explain)}" if choice.explain else ""))

    def show_typed_result(self, question: Question, result: Coverage) -> None:
        console.print(Panel(_markdown(question.card.answer), title="Answer", border_style="green"))  # type: ignore[arg-type]
        self.show_coverage(result)
        console.print(f"[dim]Verdict: {round(result.fraction * 100)}% of the key points.[/]")

    def show_numeric_result(self, question: Question, value: float, correct: bool) -> None:
        item = question.numeric
        want = f"{item.answer:,.10g} {item.unit}".strip()
        verdict = "[green]Right.[/]" if correct else f"[red]Not quite:[/] {value:,.10g} given, {want} expected."
        console.print(verdict + (f" {escape(item.explain)}" if item.explain else ""))

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


def decks_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    table = Table(title="Decks", title_justify="left")
    for name in ("name", "title", "cards", "folder", ""):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print("Use one with --deck NAME (or --deck FOLDER); add one with: attnquiz import NOTES.md")


def imported(result: ImportResult) -> None:
    for problem in result.problems:
        error(problem)
    fresh = len(result.written) - result.updated
    console.print(f"Imported {len(result.written)} cards into {result.deck_dir} ({fresh} new, {result.updated} "
                  f"updated). Study them with: attnquiz study --deck {result.deck_dir.name}")


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


def _bar(fraction: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _heat(count: int, top: int) -> Text:
    if count == 0:
        return Text("·", style="grey35")
    level = min(3, 1 + (3 * (count - 1)) // max(1, top))
    return Text("■", style=("green4", "green3", "bright_green", "bold bright_green")[level])


def stats_view(stats: Stats, now: datetime) -> None:
    head = Table.grid(padding=(0, 2))
    rows = (("cards", f"{stats.cards}  (new {stats.states.get('new', stats.new)}, learning "
                      f"{stats.states.get('learning', 0)}, review {stats.states.get('review', 0)})"),
            ("reviews", str(stats.reviews)), ("due now", str(stats.due)),
            ("due today", str(stats.forecast[0] if stats.forecast else stats.due)),
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
        level = stats.mastery.get(name, 0.0)
        table.add_row(Text(name, style="magenta"), str(topic.cards), str(topic.reviewed), str(topic.due),
                      Text(f"{_bar(level, 16)} {level:4.0%}", style="green" if level >= 0.9 else "yellow"))
    console.print(table)

    if stats.quizzes:
        quizzes = Table(title="Quizzes", title_justify="left")
        for name in ("taken", "score", ""):
            quizzes.add_column(name)
        for taken, score, answered in stats.quizzes[-8:]:
            quizzes.add_row(taken.astimezone().strftime("%d %b %H:%M"), f"{score:g} / {answered}",
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


def quiz_summary(result: QuizSummary) -> None:
    console.print()
    answered = len(result.answers)
    title = "Quiz complete" if result.finished else f"Quiz stopped after {answered} of {result.planned}"
    lines = [Text(f"Score: {result.score:g} / {answered}" + (f" ({result.score / answered:.0%})" if answered else ""),
                  style="bold")]
    for topic, (credit, count) in result.per_topic().items():
        lines.append(Text(f"  {topic:14s} {_bar(credit / count, 16)} {credit:g}/{count}"))
    console.print(Panel(Group(*lines), title=title, border_style="blue"))
    missed = result.missed()
    if missed:
        console.print("[bold]To review:[/]")
        for answer in missed:
            question = answer.question
            if question.kind == "choice":
                right = "; ".join(question.choice.options[i] for i in sorted(question.choice.correct))
            elif question.kind == "numeric":
                right = f"{question.numeric.answer:,.10g} {question.numeric.unit}".strip()
            else:
                right = "; ".join(p.point for p in question.card.key_points)
            console.print(f" • {question.card.label} {escape(question.card.title)}: {escape(right)}",
                          soft_wrap=False)
    console.print("[dim]Quizzes do not change your flashcard schedule; every answer is saved.[/]")


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
