"""The parent side of grading: runs the harness in an isolated child and turns what happened into a result.

The child gets its own process group, a wall-clock timeout, address-space / file-size / open-file / CPU
limits, no core dumps, stdin closed and a temporary working directory. Results come back as JSON lines on
a pipe of their own; stdout and stderr are only drained (bounded), never parsed.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from quizcli.errors import GraderError
from quizcli.grader.exercises import Exercise, SubmissionSyntaxError, class_names
from quizcli.grader.result import GradeResult, TestResult

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
             "from quizcli.grader.harness import main; main(sys.argv[1:])")
STREAM_LIMIT = 64 * 1024
CHANNEL_LIMIT = 4 * 1024 * 1024
CRASH_SIGNALS = {signal.SIGSEGV: "a segmentation fault (SIGSEGV)", signal.SIGBUS: "a bus error (SIGBUS)",
                 signal.SIGILL: "an illegal instruction (SIGILL)", signal.SIGFPE: "a floating-point trap (SIGFPE)",
                 signal.SIGABRT: "an abort (SIGABRT)"}


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0
    memory_mb: int = 2048
    file_mb: int = 64
    open_files: int = 256

    def apply(self) -> None:
        """Runs in the child between fork and exec."""
        memory = self.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        file_size = self.file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))
        cpu = int(self.timeout * 2) + 10  # a backstop; the wall-clock timeout normally acts first
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


class _Drain(threading.Thread):
    """Reads a stream to its end, keeping at most `limit` bytes."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__(daemon=True)
        self.stream, self.limit, self.data = stream, limit, bytearray()
        self.start()

    def run(self) -> None:
        try:
            while chunk := self.stream.read1(65536):  # type: ignore[attr-defined]
                room = self.limit - len(self.data)
                if room > 0:
                    self.data += chunk[:room]
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        self.join(timeout=2)
        return self.data.decode("utf-8", errors="replace")


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _log_internal(event: dict[str, Any]) -> str:
    """Keep the grader's own traceback for a bug report, out of the learner's way."""
    from quizcli.paths import data_dir

    log = data_dir() / "grader-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"{event.get('message')}\n{event.get('traceback', '')}", encoding="utf-8")
    except OSError:
        return "no log could be written"
    return f"details in {log}"


def _events(raw: str) -> list[dict[str, Any]]:
    events = []
    for line in raw.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def grade(path: Path, exercise: Exercise, limits: Limits | None = None) -> GradeResult:
    """Grade `path` against `exercise`. A learner's failure comes back as data; GraderError if we fail."""
    limits = limits or Limits()
    result = GradeResult(exercise=exercise.name, file=str(path), status="error")
    try:
        class_names(path)
    except SubmissionSyntaxError as exc:
        result.verdict, result.message = "syntax-error", str(exc)
        return result
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryDirectory(prefix="attnquiz-grade-") as work:
        cmd = [sys.executable, "-I", "-c", BOOTSTRAP, str(PACKAGE_ROOT), str(write_fd),
               str(exercise.directory), str(path.resolve()), exercise.class_name]
        env = {k: v for k, v in os.environ.items() if not k.startswith("ATTNQUIZ_")}
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", HOME=work)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, cwd=work, env=env, pass_fds=(write_fd,),
                                    start_new_session=True, preexec_fn=limits.apply)
        except OSError as exc:
            os.close(read_fd)
            raise GraderError(f"cannot start the grading process: {exc}") from None
        finally:
            os.close(write_fd)
        with os.fdopen(read_fd, "rb") as channel_file:
            channel = _Drain(channel_file, CHANNEL_LIMIT)
            assert proc.stdout is not None
            output = _Drain(proc.stdout, STREAM_LIMIT)
            timed_out = False
            try:
                proc.wait(timeout=limits.timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(proc.pid)  # nothing the learner started outlives the grade
            proc.wait()
            events = _events(channel.text())
            result.other_output = output.text()
    _classify(result, events, proc.returncode, timed_out, limits)
    return result


def _classify(result: GradeResult, events: list[dict[str, Any]], returncode: int, timed_out: bool,
              limits: Limits) -> None:
    current: tuple[str, str] | None = None  # (name, title) of the check that was running
    verdict: dict[str, Any] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "start":
            current = (str(event.get("name")), str(event.get("title", "")))
        elif kind == "result":
            current = None
            result.tests.append(TestResult(
                name=str(event["name"]), title=str(event.get("title", "")), status=event["status"],
                message=str(event.get("message", "")), hint=str(event.get("hint", "")),
                output=str(event.get("output", ""))))
        elif kind == "internal":
            raise GraderError(f"the grader failed: {event.get('message')} ({_log_internal(event)}); "
                              "this is a bug in attnquiz, not in your code")
        elif kind == "verdict":
            verdict = event
            if event.get("by_check") is True:  # a check stopped the grade on purpose (the constructor fails)
                current = None
            break
        elif kind == "done":
            failed = [t for t in result.tests if t.status != "pass"]
            result.status = "fail" if failed else "pass"
            result.message = (f"{len(failed)} of {len(result.tests)} checks did not pass" if failed
                              else f"all {len(result.tests)} checks passed")
            return
    if current:
        result.tests.append(TestResult(name=current[0], title=current[1], status="error",
                                       message="did not finish (see below)"))
    if verdict is not None:
        result.verdict, result.message = str(verdict["verdict"]), str(verdict["message"])
        if verdict.get("output"):
            result.other_output = str(verdict["output"]) + result.other_output
        return
    during = f" during check '{current[1]}'" if current else " while your file was being loaded"
    if timed_out:
        result.verdict = "timeout"
        result.message = (f"your code took longer than {limits.timeout:g} s{during}: an endless loop, "
                          "a sleep, or far too much work (raise the limit with --timeout)")
    elif returncode == -signal.SIGKILL:
        result.verdict = "out-of-memory"
        result.message = f"the system killed the grading process (SIGKILL){during}: most likely out of memory"
    elif returncode == -signal.SIGXFSZ:
        result.verdict = "file-too-large"
        result.message = f"your code wrote a file larger than {limits.file_mb} MiB{during}"
    elif returncode == -signal.SIGXCPU:
        result.verdict = "timeout"
        result.message = f"your code used more CPU time than allowed{during}"
    elif returncode < 0:
        sig = signal.Signals(-returncode)
        result.verdict = "signal"
        result.message = f"the process crashed with {CRASH_SIGNALS.get(sig, sig.name)}{during}"
    else:
        result.verdict = "os-exit"
        result.message = (f"the process exited with code {returncode}{during}, before the checks finished: "
                          "os._exit() or exit() in your code stops the grader too")
