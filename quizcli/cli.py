"""The `attnquiz` command line: the app, its error handling and `main`. Each group of commands lives in
its own module (cli_cards, cli_study, cli_stats, cli_decks, cli_grade, cli_check) and registers itself on `app`;
heavy modules are imported per command."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from quizcli import __version__
from quizcli.errors import ExitCode, Interrupted, QuizError


class _Group(TyperGroup):
    """The one place errors are caught: a QuizError or a usage error becomes one line on stderr and its
    exit code, with a suggestion."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command's whole first paragraph in the list, wrapped rather than cut at '...'."""
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.short_help and command.help:
                command.short_help = " ".join(command.help.split("\n\n")[0].split())
        super().format_commands(ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        from typer._click.exceptions import UsageError as ClickUsageError

        try:
            return super().invoke(ctx)
        except Interrupted as exc:  # stopped by a signal: at most a word on what was stopped
            if str(exc):
                from quizcli.ui import err_console

                err_console.print(f"[dim]{exc}[/]")
            raise typer.Exit(int(exc.exit_code)) from None
        except QuizError as exc:
            from quizcli.ui import error

            error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except ClickUsageError as exc:
            from quizcli.ui import error

            error(_usage_line(exc, self))
            raise typer.Exit(int(ExitCode.USAGE)) from None


def _usage_line(exc: Any, group: TyperGroup) -> str:
    """'No such command 'stdy'; did you mean 'study'? (see attnquiz --help)' in one line."""
    import difflib

    message = exc.format_message().rstrip(".")
    command_path = exc.ctx.command_path if exc.ctx is not None else "attnquiz"
    if message.startswith("No such command"):
        wanted = message.split("'")[1] if "'" in message else ""
        close = difflib.get_close_matches(wanted.lower(), [c.name or "" for c in _all_commands()], n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
    return f"{message} (see '{command_path} --help')"


app = typer.Typer(
    cls=_Group,
    help="Study attention mechanisms in CNNs for interviews: spaced-repetition flashcards, topic drills "
         "and a grader for your own PyTorch modules.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Typer's Rich help imports rich.markdown: ~65 ms on every --help
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"attnquiz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Study attention mechanisms in CNNs: flashcards, drills, and a grader for your own PyTorch modules."""


# Each module registers its commands on `app` when imported; the order is the order of --help.
from quizcli import cli_cards, cli_check, cli_decks, cli_grade, cli_stats, cli_study  # noqa: E402, F401

_ALL_COMMANDS = list(app.registered_commands)


def _all_commands() -> list[Any]:
    return _ALL_COMMANDS


def _only_the_command_run(argv: list[str]) -> None:
    """Typer builds every command's parameters on each start (~8 ms for 15 commands). When the first
    argument names a command, register only that one; top-level --help, typos (with suggestions) and
    completion still see them all."""
    name = argv[0] if argv and not argv[0].startswith("-") else None
    wanted = [info for info in app.registered_commands
              if name == (info.name or getattr(info.callback, "__name__", "").replace("_", "-"))]
    if wanted:
        app.registered_commands[:] = wanted


def main() -> None:
    """Console entry point."""
    _only_the_command_run(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - outside any prompt
        sys.exit(int(ExitCode.INTERRUPTED))
