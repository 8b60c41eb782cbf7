"""One error base for the whole tool, and the exit codes the CLI maps it to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # checks failed, a data file is bad, or the file could not be graded
    USAGE = 2  # the command line asked for something that does not exist
    INTERNAL = 3  # the grader itself failed
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    HANGUP = 129  # SIGHUP: the terminal went away
    TERMINATED = 143  # SIGTERM


class QuizError(Exception):
    """An error the user can act on: cli.py prints it as one line and exits with `exit_code`."""

    exit_code: ExitCode = ExitCode.FAILED


class UsageError(QuizError):
    """Unknown card, topic, exercise or option value."""

    exit_code = ExitCode.USAGE


class DeckError(QuizError):
    """A card file or deck folder cannot be read or is malformed."""


class StoreError(QuizError):
    """The progress database cannot be opened, read or written."""


class GraderError(QuizError):
    """The grader itself failed (not the learner's code)."""

    exit_code = ExitCode.INTERNAL


class Interrupted(QuizError):
    """attnquiz was asked to stop by a signal; whatever it had started is gone and its files removed."""

    def __init__(self, signum: int, message: str = "") -> None:
        super().__init__(message)
        self.exit_code = ExitCode(128 + signum)
