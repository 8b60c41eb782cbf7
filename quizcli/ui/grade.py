"""The grader's screens: the live line while checks run, the report, and the --watch header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from quizcli.ui import console

if TYPE_CHECKING:
    from quizcli.grader.result import GradeResult

_MARKS = {"pass": "[green]✓[/]", "fail": "[red]✗[/]", "error": "[red]![/]"}
_VERDICT_TITLES = {
    "syntax-error": "Syntax error", "import-error": "Your file could not be loaded",
    "class-missing": "Class not found", "constructor-mismatch": "Constructor does not match the contract",
    "init-error": "The constructor raised an error",
    "timeout": "Timed out", "out-of-memory": "Out of memory", "sys-exit": "sys.exit() called",
    "os-exit": "os._exit() called", "signal": "Crashed", "file-too-large": "File too large",
    "too-large": "File too large to grade", "too-many-processes": "Too many processes",
    "channel-closed": "The grader's channel was closed", "bad-answer": "Not an answer",
    "lost": "The process running your code ended",
}


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A transient line, `check 5/13: title`, while the checks run (only in a terminal)."""
    if not enabled or not console.is_terminal:
        yield lambda event: None
        return
    with console.status("starting the grader...", spinner="dots") as status:
        state = {"total": 0, "index": 0}

        def update(event: dict[str, Any]) -> None:
            kind = event.get("event")
            if kind == "plan":
                state["total"] = int(event.get("total") or 0)
                status.update("loading your file...")
            elif kind == "start":
                state["index"] += 1
                status.update(f"check {state['index']}/{state['total'] or '?'}: {escape(str(event.get('title')))}")

        yield update


def _indented(text: Text, left: int = 5) -> None:
    console.print(Padding(text, (0, 0, 0, left)))


def sandbox_line(result: GradeResult) -> None:
    if not result.sandbox:
        return
    missing = result.sandbox.get("missing") or []
    if missing:
        console.print(f"[dim]sandbox: without {', '.join(missing)} on this system; your code ran with "
                      f"{', '.join(result.sandbox.get('active') or ['process limits only'])}[/]")
    else:
        console.print("[dim]sandbox: namespaces, Landlock, limits; no network, no files outside its folder[/]")


def grade_report(result: GradeResult, chosen_by_class: bool, class_name: str, hints: bool = False) -> None:
    if chosen_by_class:
        console.print(f"Grading [bold]{escape(result.file)}[/] as [bold]{result.exercise}[/] "
                      f"(found class {class_name}; choose another with --exercise)")
    elif result.exercise == "unknown":
        console.print(f"Grading [bold]{escape(result.file)}[/]")
    else:
        console.print(f"Grading [bold]{escape(result.file)}[/] as [bold]{result.exercise}[/]")
    previous = None
    hidden_hints = 0
    for test in result.tests:
        console.print(f" {_MARKS[test.status]} {escape(test.title)}")
        if test.status != "pass" and test.message == previous:
            console.print("     [dim]same cause as above[/]")
            continue
        if test.message:
            _indented(Text(test.message, style="dim" if test.status == "pass" else ""))
        if test.status != "pass" and test.hint:
            if hints:
                _indented(Text.assemble(("hint: ", "cyan"), test.hint))
            else:
                hidden_hints += 1
        if test.output and test.status != "pass":  # --json keeps every check's output
            _indented(Text("your output:\n" + "\n".join(test.output.splitlines()[:20]), style="dim"), 7)
        previous = test.message if test.status != "pass" else None
    if result.verdict:
        body = Text(result.message)
        if result.other_output.strip():
            body.append("\n\nOutput:\n" + "\n".join(result.other_output.strip().splitlines()[:20]), style="dim")
        if result.hint and hints:
            body.append("\n\nhint: ", style="cyan").append(result.hint)
        console.print(Panel(body, title=_VERDICT_TITLES.get(result.verdict, result.verdict), border_style="red"))
        if result.hint and not hints:
            console.print("[dim]a hint is available: grade again with --hints (or press h in --watch)[/]")
        sandbox_line(result)
        return
    total, passed = len(result.tests), result.passed
    colour = "green" if result.status == "pass" else "red"
    console.print(f"\n[bold {colour}]{passed}/{total} checks passed[/]"
                  + ("" if result.status == "pass" else f": {total - passed} to fix, top to bottom"))
    if hidden_hints:
        console.print(f"[dim]{hidden_hints} hint{'s' if hidden_hints > 1 else ''} available: grade again with "
                      "--hints (or press h in --watch)[/]")
    sandbox_line(result)


def watch_header(path: str, changed: str, when: datetime) -> None:
    """Each grade in --watch starts on a clean screen, stamped with the time and what changed."""
    if console.is_terminal:
        console.clear()
    console.print(f"[bold]{when.strftime('%H:%M:%S')}[/] {escape(path)}"
                  + (f" [dim]·[/] [cyan]{escape(changed)}[/]" if changed else ""))


def watching(path: str) -> None:
    console.print(f"[dim]Watching {escape(path)} for changes; h for hints, Ctrl-C to stop.[/]")


def next_exercise(name: str, title: str, command: str) -> None:
    console.print(f"\n[green]Passed.[/] Next: [bold]{escape(name)}[/] ({escape(title)}): {escape(command)}")


def code_answer(result: GradeResult) -> Panel:
    """A code answer's grade, beside the model answer: one line a check, failures with their message."""
    lines = Text()
    for test in result.tests:
        mark = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("!", "red")}[test.status]
        lines.append(f" {mark[0]} ", style=mark[1]).append(test.title + "\n")
        if test.status != "pass" and test.message:
            lines.append(f"     {test.message}\n", style="dim")
    if result.verdict:
        lines.append(result.message + "\n", style="red")
    passed, total = result.passed, len(result.tests)
    title = (f"Your code: {passed}/{total} checks passed" if not result.verdict
             else f"Your code: {_VERDICT_TITLES.get(result.verdict, result.verdict)}")
    return Panel(lines, title=title, border_style="green" if result.status == "pass" else "red")


def code_answer_problem(message: str) -> Text:
    return Text(f"Your code was not graded: {message}", style="yellow")
