"""The study session as a learner drives it: single keys in a pseudo-terminal, a line per prompt from a pipe."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def ratings(home: Path) -> list[int]:
    path = home / "progress.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    try:
        return [r for (r,) in db.execute("SELECT rating FROM reviews ORDER BY id")]
    except sqlite3.OperationalError:  # the session is still creating its tables
        return []
    finally:
        db.close()


def editor_script(tmp_path: Path, text: str) -> str:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!/bin/sh\ncat > \"$1\" <<'ANSWER'\n{text}\nANSWER\n")
    script.chmod(0o755)
    return str(script)


class Pty:
    """`python -m quizcli ARGS` in a pseudo-terminal; waits for text rather than sleeping."""

    def __init__(self, home: Path, *args: str, editor: str = "false") -> None:
        import pty

        env = dict(os.environ, ATTNQUIZ_HOME=str(home), COLUMNS="100", LINES="40", TERM="xterm",
                   EDITOR=editor, NO_COLOR="1")
        env.pop("VISUAL", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "quizcli", *args], env)
        self.output = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never appeared; the screen ended with:\n{self.output[-1500:]}")
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    break

    def send(self, data: str, then: str | None = None) -> None:
        mark = len(self.output)
        os.write(self.fd, data.encode())
        if then is not None:
            end = time.monotonic() + 20
            while then not in self.output[mark:]:
                if time.monotonic() > end:
                    raise AssertionError(f"{then!r} did not follow {data!r}:\n{self.output[mark:][-1500:]}")
                self._pump()

    def _pump(self) -> None:
        ready, _, _ = select.select([self.fd], [], [], 0.1)
        if ready:
            with contextlib.suppress(OSError):
                self.output += os.read(self.fd, 65536).decode("utf-8", "replace")

    def wait(self, timeout: float = 20) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self._pump()
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._pump()
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError(f"the session did not end:\n{self.output[-4000:]!r}")


QUESTION = "Your answer (Enter: reveal"
RATING = "u undo · q quit · ? keys >"


def test_keys_reveal_rate_undo_twice_editor_and_ctrl_c(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = "class SpatialAttention:\n    pass  # my code answer"
    term = Pty(home, "study", editor=editor_script(tmp_path, code))
    term.expect(QUESTION)
    term.send("\r", then=RATING)  # Enter on an empty line reveals
    assert "1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy" in term.output
    term.send("3", then=QUESTION)  # one key, no Enter
    assert ratings(home) == [3]
    term.send("\r", then=RATING)
    term.send("1", then="2 done · 9 left · 1 coming back")  # Again: shown as coming back, not a bigger total
    assert ratings(home) == [3, 1]
    term.send("u\r", then="Undone: Again on Q2")
    term.send("u\r", then="Undone: Good on Q1")
    assert ratings(home) == []
    assert "0 done · 10 left" in term.output
    term.send("e\r", then=RATING)  # the editor writes a multi-line answer
    assert "my code answer" in term.output and "class SpatialAttention:" in term.output
    assert list((home / "answers").glob("hard-soft-attention-*.md"))  # what was written is kept
    term.send(" ", then=QUESTION)  # Space takes the suggested rating (none matched: Again)
    time.sleep(0.3)  # the prompt is up: the session is waiting in its line editor
    term.send("\x03")  # Ctrl-C at the next question
    assert term.wait() == 130
    assert len(ratings(home)) == 1
    assert "every rating is saved" in term.output


def test_keys_quit_at_the_rating_and_end_of_input(tmp_path: Path) -> None:
    home = tmp_path / "home"
    term = Pty(home, "study")
    term.expect(QUESTION)
    term.send("\r", then=RATING)
    term.send("?", then=RATING)  # ? lists the keys, then asks again
    assert "undo the previous rating" in term.output
    term.send("x", then="'x' is not a rating")
    term.send("1q\r", then="'1q' is not a rating")  # keys arriving at once (a paste) neither rate nor quit
    term.send("4", then=QUESTION)
    term.send("\r", then=RATING)
    term.send("q")
    assert term.wait() == 0
    assert ratings(home) == [4] and "Session stopped, 9 left" in term.output
    again = Pty(home, "study")
    again.expect(QUESTION)
    again.send("\x04")  # Ctrl-D: end of input
    assert again.wait() == 0
    assert "Session stopped" in again.output and ratings(home) == [4]


def pipe(home: Path, text: str, *args: str, editor: str = "false") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ATTNQUIZ_HOME=str(home), COLUMNS="100", EDITOR=editor)
    env.pop("VISUAL", None)
    return subprocess.run([sys.executable, "-m", "quizcli", *(args or ("study",))], input=text, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_pipe_reveal_rate_undo_twice_and_end_of_input(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = pipe(home, "\n3\n\n1\nu\nu\n\n4\n")
    assert done.returncode == 0, done.stderr
    assert "Undone: Again on Q2" in done.stdout and "Undone: Good on Q1" in done.stdout
    assert ratings(home) == [4]
    assert "[1] Again (" in done.stdout and "Session stopped, 9 left" in done.stdout


def test_pipe_editor_answer_and_quit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = pipe(home, "e\n2\nq\n", editor=editor_script(tmp_path, "hard attention picks one region"))
    assert done.returncode == 0, done.stderr
    assert "hard attention picks one region" in done.stdout and "Key points: 1 of 4" in done.stdout
    assert "Enter = Hard" in done.stdout  # the editor's answer is graded like a typed one
    assert ratings(home) == [2] and "Session stopped, 9 left" in done.stdout


def test_pipe_ctrl_c_exits_130_and_keeps_ratings(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, ATTNQUIZ_HOME=str(home), COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "quizcli", "study"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("\n3\n")
    proc.stdin.flush()
    end = time.monotonic() + 30
    while ratings(home) != [3] and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert ratings(home) == [3] and "Traceback" not in err


def test_ctrl_c_in_the_editor_belongs_to_the_editor(tmp_path: Path) -> None:
    home = tmp_path / "home"
    editor = tmp_path / "editor-that-survives-ctrl-c"  # as vi does: Ctrl-C there leaves insert mode
    editor.write_text("#!/bin/sh\ntrap 'echo interrupted-but-kept >> \"$1\"' INT\nsleep 1\necho saved >> \"$1\"\n")
    editor.chmod(0o755)
    term = Pty(home, "study", editor=str(editor))
    term.expect(QUESTION)
    term.send("e\r")
    time.sleep(0.5)
    term.send("\x03")
    term.expect(RATING)
    assert "interrupted-but-kept" in term.output and "saved" in term.output
    term.send("3", then=QUESTION)
    term.send("q\r")
    assert term.wait() == 0 and ratings(home) == [3]
