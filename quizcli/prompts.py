"""Reading what the learner types: a line, one key press, or a text written in $EDITOR. No Rich here.

In a terminal (stdin and stdout both ttys) a line has readline editing and history, a multi-line paste
is kept whole, and a key prompt takes one key press with no Enter. From a pipe or a file every prompt
reads one line, exactly as typed, so scripts and tests see the same behaviour as always.

Commands come back as a typed `Signal`, never as strings compared in six places.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TextIO


class Signal(Enum):
    """A command typed at a prompt instead of an answer."""

    QUIT = "quit"
    UNDO = "undo"
    EDIT = "edit"
    HELP = "help"


_WORDS = {"q": Signal.QUIT, "quit": Signal.QUIT, "u": Signal.UNDO, "undo": Signal.UNDO,
          "e": Signal.EDIT, "edit": Signal.EDIT, "?": Signal.HELP, "help": Signal.HELP}
ENTER = "\n"  # what key() returns for Enter or Space in a terminal
TIMEOUT = ""  # what key() returns when no key came within `wait` seconds
PASTE_WAIT = 0.03  # seconds: lines arriving this close after Enter are one paste, not new answers


def signal_of(text: str, allowed: frozenset[Signal] = frozenset(Signal)) -> Signal | None:
    """The command a line or key stands for (`q`, `quit`, `u`, `e`, `?`...), if it is one of `allowed`."""
    signal = _WORDS.get(text.strip().lower())
    return signal if signal in allowed else None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Terminal:
    """The input side of a session. `keys` is True in a terminal: single keys, readline, $EDITOR."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.keys = _isatty(self.stdin) and _isatty(self.stdout) and os.environ.get("TERM") != "dumb"
        self._readline_ready = False

    def _write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def line(self, prompt: str) -> str | None:
        """One line without its newline, or None at end of input. Ctrl-C raises KeyboardInterrupt."""
        if not self.keys:
            self._write(prompt)
            line = self.stdin.readline()
            if not line:
                self._write("\n")
                return None
            return line.rstrip("\r\n")
        self._use_readline()
        try:
            first = input(prompt)
        except EOFError:
            self._write("\n")
            return None
        lines = [first]
        while self._pending(PASTE_WAIT):  # the rest of a multi-line paste belongs to this answer
            try:
                lines.append(input())
            except EOFError:
                break
        return "\n".join(lines)

    def key(self, prompt: str, wait: float | None = None) -> str | None:
        """In a terminal one key press (lowercased; Enter and Space give ENTER), or TIMEOUT when `wait`
        seconds pass without one; else one line.

        None at end of input (Ctrl-D). Ctrl-C raises KeyboardInterrupt, with the terminal restored.
        """
        if not self.keys:
            return self.line(prompt)
        import termios

        fd = self.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            raw = termios.tcgetattr(fd)
            raw[3] &= ~(termios.ICANON | termios.ECHO)  # lflags: no line buffering, no echo; Ctrl-C still works
            raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
            termios.tcsetattr(fd, termios.TCSANOW, raw)
            self._write(prompt)
            if wait is not None and not self._pending(wait):
                return TIMEOUT
            data = os.read(fd, 1)
            while self._pending(0.01):  # an escape sequence (arrow keys) or a paste: read it all
                data += os.read(fd, 1024)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if data in (b"", b"\x04"):
            self._write("\n")
            return None
        if data in (b"\r", b"\n", b" "):
            self._write("\n")
            return ENTER
        if data.startswith(b"\x1b"):
            self._write("\n")
            return "\x1b"
        text = data.decode("utf-8", "replace").lower()  # several keys at once (a paste) are no rating
        self._write((text.splitlines() or [""])[0] + "\n")
        return text

    def _pending(self, wait: float) -> bool:
        import select

        try:
            ready, _, _ = select.select([self.stdin], [], [], wait)
        except (OSError, ValueError):
            return False
        return bool(ready)

    def _use_readline(self) -> None:
        if self._readline_ready:
            return
        self._readline_ready = True
        import importlib

        with contextlib.suppress(ImportError):  # Windows has no readline: plain input()
            importlib.import_module("readline")  # importing it gives input() line editing and history

    def edit(self, draft: Path) -> str:
        """Open $VISUAL or $EDITOR (else vi) on `draft`, as `git commit` does, and return the saved text.

        The file is left in place, so what was written survives whatever happens next.
        """
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("vi" if self.keys else "")
        if not editor:
            raise EditorError("no $EDITOR is set and this is not a terminal: type the answer on one line")
        draft.parent.mkdir(parents=True, exist_ok=True)
        if not draft.exists():
            draft.write_text("", encoding="utf-8")
        import signal

        # Ctrl-C belongs to the editor while it runs (vi leaves insert mode with it), as with git commit:
        # a handler that does nothing here, and the default one in the editor (handlers reset on exec).
        previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
        try:
            done = subprocess.run([*shlex.split(editor), str(draft)], check=False)
        except OSError as exc:
            raise EditorError(f"cannot start the editor '{editor}': {exc.strerror or exc}") from None
        finally:
            signal.signal(signal.SIGINT, previous)
        if done.returncode != 0:
            raise EditorError(f"the editor '{editor}' exited with code {done.returncode}; nothing was taken "
                              f"(your text is kept in {draft})")
        text = draft.read_text(encoding="utf-8").rstrip()
        if not text:
            draft.unlink()  # nothing was written: no empty file left behind
        return text


class EditorError(Exception):
    """The editor could not be started or failed; the session says so and asks again."""


@contextlib.contextmanager
def held_keys(enabled: bool) -> Iterator[Callable[[float], str]]:
    """For a loop that reacts to keys while it prints (grade --watch): the terminal stays in cbreak mode
    until the block ends, and `read(timeout)` returns one key or "" after `timeout` seconds. Without a
    terminal (or not `enabled`), `read` only waits."""
    if not (enabled and sys.stdin.isatty()):
        def wait(timeout: float) -> str:
            import time

            time.sleep(timeout)
            return ""
        yield wait
        return
    import select
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        def read(timeout: float) -> str:
            ready, _, _ = select.select([fd], [], [], timeout)
            return os.read(fd, 1).decode("utf-8", "replace") if ready else ""
        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)

