"""The parent side of grading: a warm zygote, the events of one grade, and what they mean for the learner.

attnquiz never imports torch and never loads the learner's file. It starts the zygote (which imports
torch once) with an allow-listed environment in its own session, asks it for a grade, and reads events
that carry this grade's token; anything else on the pipe is ignored. Ctrl-C, SIGTERM and SIGHUP end
the grade at once: the zygote's group is killed (the checker takes the worker's tree with it, and the
worker's PID namespace dies with its supervisor), the working directory is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from quizcli.errors import GraderError, Interrupted
from quizcli.grader import spawn
from quizcli.grader.exercises import Exercise
from quizcli.grader.result import GradeResult, Status, TestResult, sanitize
from quizcli.grader.sandbox import Limits

__all__ = ["Limits", "Zygote", "grade", "stop_on_signals"]

EVENT_LINE_LIMIT = 8 * 1024 * 1024
START_TIMEOUT = 120.0
SIGNAL_NAMES = {11: "a segmentation fault (SIGSEGV)", 7: "a bus error (SIGBUS)", 4: "an illegal instruction (SIGILL)",
                8: "a floating-point trap (SIGFPE)", 6: "an abort (SIGABRT)"}


class _Drain(threading.Thread):
    def __init__(self, stream: IO[bytes], limit: int = 64 * 1024) -> None:
        super().__init__(daemon=True)
        self.stream, self.limit, self.data = stream, limit, bytearray()
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := self.stream.read1(65536):  # type: ignore[attr-defined]
                self.data += chunk[:max(0, self.limit - len(self.data))]


class Zygote:
    """One warm grading process; `grade` may be called many times (as --watch does)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.home = ""
        self.buffer = b""
        self.pending = False  # a grade's `end` not read yet
        self.ready = False

    def __enter__(self) -> Zygote:
        self.launch()  # torch loads in the zygote while attnquiz reads the exercise and the file
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """A running zygote that has said it is ready."""
        if self.proc is not None and self.proc.poll() is None and self.ready:
            return
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self.launch()
        event = self._next(time.monotonic() + START_TIMEOUT)
        if event is None or event.get("event") != "ready":
            self.close()
            raise GraderError("the grading process did not start (is PyTorch installed? try "
                              "`python -c \"import torch\"`)" + self._stderr_tail())
        self.ready = True

    def launch(self) -> None:
        """Start the zygote without waiting for it."""
        if self.proc is not None:
            return
        try:
            self.proc, self.home = spawn.start()
        except OSError as exc:
            raise GraderError(f"cannot start the grading process: {exc}") from None
        assert self.proc.stderr is not None
        self.stderr = _Drain(self.proc.stderr)
        self.buffer = b""
        self.ready = False

    def _stderr_tail(self) -> str:
        text = bytes(getattr(getattr(self, "stderr", None), "data", b"")).decode("utf-8", "replace").strip()
        return f": {sanitize(text.splitlines()[-1])}" if text else ""

    def release(self) -> None:
        """Ask the zygote to end now, without waiting: `close` waits for it (meanwhile attnquiz shows the
        result). Used after the last grade of a command."""
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGTERM)

    def close(self) -> None:
        proc, self.proc = self.proc, None
        self.pending = self.ready = False
        if proc is not None:
            spawn.end(proc, self.home)
        elif self.home:
            shutil.rmtree(self.home, ignore_errors=True)
        self.home = ""

    def _send(self, line: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            raise GraderError("the grading process stopped unexpectedly" + self._stderr_tail()) from None

    def _next(self, deadline: float) -> dict[str, Any] | None:
        """The next event line, or None when the zygote's output ended or the deadline passed."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
            if len(self.buffer) > EVENT_LINE_LIMIT and b"\n" not in self.buffer:
                self.buffer = b""
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            event = json.loads(line)
        except ValueError:
            return {}
        return event if isinstance(event, dict) else {}

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the last grade's processes are gone (the zygote says `end`); restart if it does not."""
        deadline = time.monotonic() + timeout
        while self.pending and self.proc is not None:
            event = self._next(deadline)
            if event is None:
                self.close()
            elif event.get("event") == "end":
                self.pending = False
        self.pending = False

    def grade(self, path: Path, exercise: Exercise, limits: Limits,
              on_event: Callable[[dict[str, Any]], None] | None = None) -> GradeResult:
        self.settle()
        self.start()
        token = secrets.token_hex(16)
        self._send(json.dumps({"file": str(path.resolve()), "exercise_dir": str(exercise.directory),
                               "class_name": exercise.class_name, "limits": limits.to_json()}))
        self.pending = True
        events = self._collect(token, time.monotonic() + limits.timeout + 30, on_event or (lambda e: None))
        result = GradeResult(exercise=exercise.name, file=str(path), status="error")
        classify(result, events, limits)
        return result

    def _collect(self, token: str, deadline: float,
                 on_event: Callable[[dict[str, Any]], None]) -> list[dict[str, Any]]:
        """This grade's events, up to its result (the worker's tree is killed while we show it)."""
        events: list[dict[str, Any]] = []
        while True:
            event = self._next(deadline)
            if event is None:
                self.close()
                raise GraderError("the grading process stopped answering" + self._stderr_tail())
            kind = event.get("event")
            if kind == "end":
                self.pending = False
                return events
            if kind == "forked" and not events:
                self._send(token)  # only now: the worker was forked before the checker knew it
                events.append({"event": "forked"})
            elif event.get("token") == token or (kind == "internal" and not events):
                # (before the fork no learner code has run: the checker's own failure has no token yet)
                events.append(event)
                on_event(event)
                if kind in ("done", "verdict", "stopped", "internal"):
                    return events


def classify(result: GradeResult, events: list[dict[str, Any]], limits: Limits) -> None:
    current: tuple[str, str] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "sandbox":
            result.sandbox = {"active": [str(p) for p in event.get("protections", [])],
                              "missing": [str(p) for p in event.get("missing", [])]}
        elif kind == "output":
            result.other_output += sanitize(str(event.get("output", "")))
        elif kind == "start":
            current = (str(event.get("name")), str(event.get("title", "")))
        elif kind == "result":
            current = None
            status: Status = event["status"] if event.get("status") in ("pass", "fail", "error") else "error"
            result.tests.append(TestResult(name=str(event.get("name")), title=str(event.get("title", "")),
                                           status=status, message=sanitize(str(event.get("message", ""))),
                                           hint=str(event.get("hint", "")),
                                           output=sanitize(str(event.get("output", "")))))
        elif kind == "internal":
            raise GraderError(f"the grader failed: {event.get('message')} ({_log_internal(event)}); "
                              "this is a bug in attnquiz, not in your code")
        elif kind == "verdict":
            result.verdict, result.message = str(event.get("verdict")), sanitize(str(event.get("message", "")))
            result.hint = sanitize(str(event.get("hint") or ""))
            result.other_output += sanitize(str(event.get("output", "")))
            return
        elif kind == "stopped":
            if current:
                result.tests.append(TestResult(name=current[0], title=current[1], status="error",
                                               message="did not finish (see below)"))
            during = f" during check '{current[1]}'" if current else " while your file was being loaded"
            result.verdict, message = stop_verdict(event, during, limits)
            result.message = sanitize(message)
            result.other_output += sanitize(str(event.get("output", "")))
            return
        elif kind == "done":
            failed = [t for t in result.tests if t.status != "pass"]
            result.status = "fail" if failed else "pass"
            result.message = (f"{len(failed)} of {len(result.tests)} checks did not pass" if failed
                              else f"all {len(result.tests)} checks passed")
            return
    raise GraderError("the grading process ended without a result" + (f" during check '{current[1]}'"
                                                                      if current else ""))


def stop_verdict(event: dict[str, Any], during: str, limits: Limits) -> tuple[str, str]:
    """The verdict and message for a worker that stopped before the checks finished."""
    stop, message = str(event.get("verdict")), str(event.get("message", ""))
    status: dict[str, Any] = event["status"] if isinstance(event.get("status"), dict) else {}
    sig, code = status.get("signal"), status.get("exit")
    if stop == "timeout":
        return "timeout", (f"your code took longer than {limits.timeout:g} s{during}: an endless loop, a sleep, "
                           "or far too much work (raise the limit with --timeout)")
    if stop in ("os-exit", "sys-exit"):
        return stop, f"{message}{during}; the grader cannot go on without your module"
    if stop == "out-of-memory":
        return stop, f"your code ran out of memory{during} (the limit is {limits.memory_mb} MiB): {message}"
    if stop == "file-too-large":
        return stop, f"your code wrote a file past the size limit ({limits.file_mb} MiB){during}"
    if stop == "bad-answer":
        return "bad-answer", (f"the worker running your code answered something that is not an answer{during} "
                              f"({message}): your code wrote to the grader's channel or broke the worker")
    if event.get("watchdog") == "memory":
        return "out-of-memory", (f"the processes of your code held more than {limits.memory_mb} MiB together{during}; "
                                 "they were all stopped")
    if event.get("watchdog") == "processes":
        return "too-many-processes", (f"your code started more than {limits.processes} processes{during}; "
                                      "they were all stopped")
    if event.get("libgomp"):
        return "out-of-memory", (f"a thread could not be created under the memory limit{during} (libgomp: "
                                 "Thread creation failed)")
    if sig == signal.SIGXFSZ:
        return "file-too-large", f"your code wrote a file past the size limit ({limits.file_mb} MiB){during}"
    if sig == signal.SIGXCPU:
        return "timeout", f"your code used more CPU time than allowed{during}"
    if sig == signal.SIGKILL:
        return "out-of-memory", f"the system killed the process running your code (SIGKILL){during}: most likely memory"
    if isinstance(sig, int):
        return "signal", f"the process running your code crashed with {SIGNAL_NAMES.get(sig, f'signal {sig}')}{during}"
    if code == 96:
        return "channel-closed", (f"your code closed the worker's channel to the grader{during} (it closed file "
                                  "descriptors it did not open)")
    if code == 95:
        raise GraderError("the sandbox for your code could not be set up; this is a bug in attnquiz")
    return "lost", (f"the process running your code ended with exit code {code}{during} without calling "
                    "sys.exit or os._exit: a C library called exit(), or the process was stopped from outside")


def _log_internal(event: dict[str, Any]) -> str:
    from quizcli.paths import data_dir

    log = data_dir() / "grader-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"{event.get('message')}\n{event.get('traceback', '')}", encoding="utf-8")
    except OSError:
        return "no log could be written"
    return f"details in {log}"


STOPPED = "Stopped: your code and everything it started were ended."


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end a grade like Ctrl-C does (as Interrupted, with exit 143 / 129)."""
    def handler(signum: int, frame: object) -> None:
        raise Interrupted(signum, STOPPED)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def grade(path: Path, exercise: Exercise, limits: Limits | None = None, zygote: Zygote | None = None,
          on_event: Callable[[dict[str, Any]], None] | None = None) -> GradeResult:
    """Grade `path` against `exercise`. A learner's failure comes back as data; GraderError if we fail."""
    if zygote is not None:
        return zygote.grade(path, exercise, limits or Limits(), on_event)
    with Zygote() as own:
        return own.grade(path, exercise, limits or Limits(), on_event)
