"""Everything the learner sees: the only package that imports Rich. This module holds the study and quiz
screens; views.py the tables, charts and the grade report (it loads rich.table, which a card does not need)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from quizcli.text import format_interval

if TYPE_CHECKING:
    from rich.syntax import Syntax

    from quizcli.cards import Card
    from quizcli.importer import ImportResult
    from quizcli.keypoints import Coverage
    from quizcli.quiz import Question, QuizSummary
    from quizcli.session import Progress, Summary


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


def _attempt_renderable(attempt: str) -> Text | Syntax:
    """A typed attempt as text; a multi-line one (code from the editor) keeps its lines, as code if it looks so."""
    if "\n" in attempt and ("def " in attempt or "import " in attempt or "class " in attempt):
        from rich.syntax import Syntax

        return Syntax(attempt, "python", theme="monokai", word_wrap=True)
    return Text(_CONTROL.sub("", attempt))


_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z~]|\x1b.?|[\x00-\x08\x0b-\x1f\x7f]")


def points(value: float) -> str:
    """A score in points for a person: 6.67, 7, 0.5 (never 6.66667)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never reviewed"
    local = moment.astimezone()
    stamp = local.strftime("%a %d %b %H:%M")
    if moment <= now:
        return f"now ({stamp})"
    return f"in {format_interval(moment - now)} ({stamp})"


class RichUI:
    """The terminal side of session.UI: Rich panels out; input through quizcli.prompts (one key per rating
    and readline in a terminal, one line per prompt from a pipe)."""

    def __init__(self) -> None:
        from quizcli.prompts import Terminal

        self.interrupted = False
        self.terminal = Terminal()
        self.keys = self.terminal.keys
        self._notes: list[str] = []  # said just before a cleared screen: shown on the next one

    def show_question(self, card: Card, progress: Progress) -> None:
        if self.keys and console.is_terminal:
            console.clear()
        else:
            console.print()
        for text in self._notes:
            console.print(f"[cyan]{escape(text)}[/]")
        self._notes.clear()
        total = progress.done + progress.left
        back = f" · {progress.returning} coming back" if progress.returning else ""
        console.print(Text.assemble((_bar(progress.done / total if total else 1.0, 24), "cyan"),
                                    f" {progress.done} done · {progress.left} left{back}"))
        console.print(Panel(Text(card.question, style="bold"),
                            title=f"[bold cyan]{card.label}[/] · {escape(card.title)}",
                            subtitle=", ".join(card.topics), border_style="cyan"))

    def show_answer(self, card: Card, attempt: str) -> None:
        from rich.table import Table

        answer = Panel(_markdown(card.answer), title="Answer", border_style="green")  # type: ignore[arg-type]
        if attempt:
            yours = Panel(_attempt_renderable(attempt), title="Your answer", border_style="yellow")
            if console.width < 120 or "\n" in attempt:
                console.print(yours)
                console.print(answer)
            else:
                grid = Table.grid(expand=True, padding=(0, 1))
                grid.add_column(ratio=1)
                grid.add_column(ratio=2)
                grid.add_row(yours, answer)
                console.print(grid)
        else:
            console.print(answer)
        if card.notes:
            console.print(Panel(_markdown(card.notes), title="Note", border_style="dim",  # type: ignore[arg-type]
                                style="dim"))

    def show_coverage(self, result: Coverage) -> None:
        from quizcli.ui.verdict import verdict_panel

        console.print(verdict_panel(result))

    def show_extra(self, block: object) -> None:
        console.print(block)

    def show_keys(self, at_rating: bool) -> None:
        from rich.table import Table

        keys = Table.grid(padding=(0, 2))
        if at_rating:
            rows = [("1 2 3 4", "Again, Hard, Good, Easy (the interval each gives is in the prompt)"),
                    ("Space, Enter", "the suggested rating, or Good when there is none"),
                    ("u", "undo the previous rating and show that card again"), ("q", "stop; every rating is saved")]
        else:
            rows = [("text, Enter", "your attempt, with line editing and history"), ("Enter", "reveal the answer"),
                    ("e", "write a longer answer (or code) in $EDITOR"), ("u", "undo the last rating"),
                    ("q, Ctrl-D", "stop; every rating is saved")]
        if not self.keys:
            rows = [(k.replace("Space, ", ""), v) for k, v in rows]
        for key, what in rows:
            keys.add_row(Text(key, style="bold cyan"), what)
        console.print(Panel(keys, title="Keys", border_style="dim"))

    def read(self, prompt: str) -> str | None:
        return self._input(self.terminal.line, prompt)

    def read_key(self, prompt: str, wait: float | None = None) -> str | None:
        if self.keys and "   " in prompt and len(prompt) > console.width:  # the choices, then the keys
            choices, prompt = prompt.split("   ", 1)
            console.print(choices, highlight=False)
        return self._input(lambda text: self.terminal.key(text, wait), prompt)

    def _input(self, reader: Callable[[str], str | None], prompt: str) -> str | None:
        try:
            return reader(prompt)
        except KeyboardInterrupt:
            self.interrupted = True
            console.print()
            return None

    def edit(self, card: Card) -> str | None:
        from quizcli.paths import data_dir
        from quizcli.prompts import EditorError

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        draft = data_dir() / "answers" / f"{card.id}-{stamp}.{'py' if card.exercise else 'md'}"
        try:
            return self.terminal.edit(draft)
        except EditorError as exc:
            self.warn(str(exc))
            return None

    def note(self, text: str) -> None:
        if self.keys and console.is_terminal:
            self._notes.append(text)  # the next card clears the screen: say it there
        else:
            console.print(f"[cyan]{escape(text)}[/]")

    def warn(self, text: str) -> None:
        console.print(f"[yellow]{escape(text)}[/]")

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
        made, total = len(result.hit), len(result.hit) + len(result.missed)
        console.print(f"[dim]Verdict: {made} of {total} key points, so Enter counts {points(result.credit)} of a "
                      "point; y counts it right (1 point), n wrong (0).[/]")

    def show_numeric_result(self, question: Question, value: float, correct: bool) -> None:
        item = question.numeric
        want = f"{item.answer:,.10g} {item.unit}".strip()
        verdict = "[green]Right.[/]" if correct else f"[red]Not quite:[/] {value:,.10g} given, {want} expected."
        console.print(verdict + (f" {escape(item.explain)}" if item.explain else ""))


def imported(result: ImportResult) -> None:
    for problem in result.problems:
        error(problem)
    for conflict in result.conflicts:
        warning(conflict)
    if not result.written:
        console.print("Nothing imported: no deck was created.")
        return
    console.print(f"Imported {len(result.written)} cards into {result.deck_dir} ({result.created} new, "
                  f"{result.updated} updated, {result.unchanged} unchanged). Study them with: "
                  f"attnquiz study --deck {result.deck_dir.name}", soft_wrap=True)


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
    lines = [Text(f"{result.reviewed} reviewed ({parts}); every rating is saved.")]
    if result.undone:
        lines.append(Text(f"{result.undone} rating{'s' if result.undone > 1 else ''} undone (not saved)."))
    if result.ahead:
        lines.append(Text(f"{result.ahead} learning card{'s' if result.ahead > 1 else ''} studied ahead of time."))
    lines.append(Text(_next_line(result.next_due, result.new_waiting, now)))
    console.print(Panel(Group(*lines), title=f"{verb} {state}", border_style="blue"))


def _next_line(next_due: datetime | None, new_waiting: int, now: datetime) -> str:
    waiting = f"{new_waiting} new card{'s' if new_waiting > 1 else ''} waiting today"
    if next_due is not None and next_due <= now:
        return "Cards are due now: attnquiz study" + (f" (and {waiting})." if new_waiting else ".")
    if new_waiting:
        later = f"; the next review is due {_when(next_due, now)}" if next_due else ""
        return f"{waiting}: attnquiz study{later}."
    if next_due is None:
        return "No card reviewed yet."
    return f"Next card due {_when(next_due, now)}."


def quiz_summary(result: QuizSummary) -> None:
    console.print()
    answered = len(result.answers)
    title = "Quiz complete" if result.finished else f"Quiz stopped after {answered} of {result.planned}"
    lines = [Text(f"Score: {points(result.score)} of {answered} point{'s' if answered != 1 else ''}"
                  + (f" ({result.score / answered:.0%})" if answered else ""), style="bold")]
    for topic, (credit, count) in result.per_topic().items():
        lines.append(Text(f"  {topic:14s} {_bar(credit / count, 16)} {points(credit)}/{count}"))
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
