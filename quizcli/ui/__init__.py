"""Everything the learner sees: the only package that imports Rich. This module holds the study and quiz
screens; views.py the tables, charts and the grade report (it loads rich.table, which a card does not need)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from quizcli.text import format_interval

if TYPE_CHECKING:
    from quizcli.cards import Card
    from quizcli.importer import ImportResult
    from quizcli.keypoints import Coverage
    from quizcli.quiz import Question, QuizSummary
    from quizcli.session import Summary


console = Console(highlight=False)


err_console = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def warning(message: str) -> None:
    err_console.print(f"[bold yellow]warning:[/] {escape(message)}", soft_wrap=True)


def _markdown(text: str) -> object:
    from rich.markdown import Markdown

    from quizcli.text import latex_to_text

    return Markdown(latex_to_text(text), code_theme="monokai")


def _bar(fraction: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


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
        from rich.table import Table

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
        from quizcli.ui.verdict import verdict_panel

        console.print(verdict_panel(result))

    # the quiz
    def show_quiz_question(self, question: Question, position: int, total: int) -> None:
        from rich.table import Table

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
        from quizcli.quiz import correction_note

        console.print(Panel(_markdown(question.card.answer), title="Answer", border_style="green"))  # type: ignore[arg-type]
        note = correction_note(question.card)
        if note:  # the answer's own words are corrected there, so the key points do not seem to contradict it
            console.print(Panel(_markdown(note), title="Note", border_style="dim", style="dim"))  # type: ignore[arg-type]
        self.show_coverage(result)

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


def started(exercise_name: str, title: str, statement: str, path: str) -> None:
    console.print(Panel(_markdown(statement), title=f"{escape(title)} · {exercise_name}",  # type: ignore[arg-type]
                        border_style="cyan"))
    console.print(f"Wrote [bold]{escape(path)}[/]. Fill in the TODOs, then: attnquiz grade {escape(path)}")
