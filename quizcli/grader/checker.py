"""The trusted checker: runs an exercise's checks against the sandboxed worker and reports to attnquiz.

Forked by the zygote for each grade. It never loads the learner's file: it reads its bytes (bounded)
and sends them to the worker, then asks the worker narrow questions through proxies. Its events go to
attnquiz on a pipe the worker never holds, each stamped with a token that reaches the checker only
after the worker was forked, so nothing the worker writes can pass for a result.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import threading
import time
from pathlib import Path
from typing import Any

import torch

from quizcli.grader import kernel, sandbox, worker
from quizcli.grader.checklib import StopGrade
from quizcli.grader.proxy import Ctx, LearnerError, RemoteConnection, WorkerStopped

SOURCE_LIMIT = 1024 * 1024
OUTPUT_LIMIT = worker.OUTPUT_LIMIT


class Events:
    def __init__(self, fd: int) -> None:
        self.fd, self.token = fd, ""

    def emit(self, **event: Any) -> None:
        event["token"] = self.token
        data = (json.dumps(event, ensure_ascii=True) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data):]


def read_line(fd: int, limit: int = 4096) -> str:
    data = b""
    while not data.endswith(b"\n") and len(data) < limit:
        chunk = os.read(fd, 1)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace").strip()


class Drain(threading.Thread):
    """What the worker's processes write to fds 1 and 2, kept per check up to a bound. A thread keeps
    the pipe empty (a full pipe would stall the worker); `take` reads what is left, so whatever was
    written before an answer is counted with the request that it answered."""

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True)
        os.set_blocking(fd, False)
        self.fd, self.lock, self.buffer, self.dropped, self.seen = fd, threading.Lock(), bytearray(), 0, bytearray()
        self.open = True
        self.start()

    def run(self) -> None:
        while self.open:
            select.select([self.fd], [], [], 0.05)
            with self.lock:
                self._read()

    def _read(self) -> None:
        while self.open:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.open = False
                return
            room = OUTPUT_LIMIT - len(self.buffer)
            self.buffer += chunk[:max(room, 0)]
            self.dropped += max(0, len(chunk) - max(room, 0))
            if len(self.seen) < 65536:
                self.seen += chunk[:65536 - len(self.seen)]

    def take(self) -> str:
        with self.lock:
            self._read()
            text = self.buffer.decode("utf-8", "replace")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes cut]"
            self.buffer, self.dropped = bytearray(), 0
        return text


class Watchdog(threading.Thread):
    """Kills the worker's whole tree when it holds too many processes or too much memory."""

    def __init__(self, limits: sandbox.Limits) -> None:
        super().__init__(daemon=True)
        self.limits, self.reason, self.stopped = limits, "", threading.Event()
        self.start()

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.wait(0.05):
            try:
                pids = sandbox.tree(me)[1:]
                if len(pids) > self.limits.processes + 1:
                    self.reason = "processes"
                elif sandbox.resident_mb(pids) > self.limits.memory_mb:
                    self.reason = "memory"
            except Exception:  # a process vanishing mid-read, say: look again at the next tick
                continue
            if self.reason:
                sandbox.kill_tree_of(me)
                return


def load_checks(exercise_dir: Path) -> Any:
    """The exercise's contract (exercise.yaml) and its own checks (checks.py), joined by the engine."""
    from quizcli.grader.contract import load_suite

    return load_suite(exercise_dir)


EVENTS = Events(1)


def internal_error(exc: BaseException, trace: str) -> None:
    """The checker itself failed: a bug in attnquiz, reported as such (with the token, if we have it)."""
    EVENTS.emit(event="internal", message=f"{type(exc).__name__}: {exc}"[:2000], traceback=trace[-8000:])


DEFAULT_LIMITS = sandbox.Limits()


def standby(events_fd: int, command_fd: int) -> bool:
    """Fork a sandboxed worker now, then wait for attnquiz to ask for a grade, so that a grade does not
    wait for the forks. Returns False when attnquiz closed the command pipe (the zygote then ends)."""
    import shutil
    import tempfile

    with contextlib.suppress(OSError, AttributeError):  # not Linux: orphans go to init, /proc finds none
        kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
    workdir = tempfile.mkdtemp(prefix="attnquiz-grade-")
    spawned = sandbox.spawn(workdir, DEFAULT_LIMITS, worker.serve)
    line = read_line(command_fd, limit=1 << 20)
    try:
        if not line:
            return False
        request = json.loads(line)
        limits = sandbox.Limits(**request["limits"])
        if limits != DEFAULT_LIMITS:
            sandbox.kill_tree_of(os.getpid())
            spawned = sandbox.spawn(workdir, limits, worker.serve)
        run(request, spawned, limits, events_fd, command_fd)
        return True
    finally:
        sandbox.kill_tree_of(os.getpid())
        with contextlib.suppress(OSError):  # where /proc cannot list the tree: the worker's own session
            os.killpg(spawned.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


def run(request: dict[str, Any], spawned: sandbox.Worker, limits: sandbox.Limits, events_fd: int,
        command_fd: int) -> None:
    """One grade, start to end, with a worker forked before this grade's token existed."""
    events = EVENTS
    events.fd = events_fd
    deadline = time.monotonic() + limits.timeout
    path = Path(request["file"])
    events.emit(event="forked")
    events.token = read_line(command_fd)
    with open(path, "rb") as f:
        source = f.read(SOURCE_LIMIT + 1)
    checks = load_checks(Path(request["exercise_dir"]))
    events.emit(event="sandbox", protections=spawned.protections, missing=spawned.missing)
    events.emit(event="plan", total=len(checks.registry.checks))
    drain, dog = Drain(spawned.output_fd), Watchdog(limits)
    ctx = Ctx(RemoteConnection(spawned.sock, deadline))
    current: dict[str, str] = {}
    try:
        _grade(ctx, checks, source, request["class_name"], path, events, drain, current)
    except WorkerStopped as stop:
        dog.stopped.set()
        # A worker that died by itself has its supervisor mirror its fate: read that before killing.
        status = _reap(spawned.pid, 0.5 if stop.verdict in ("lost", "bad-answer") else 0.0)
        events.emit(event="stopped", verdict=stop.verdict, message=str(stop), check=current.get("name"),
                    title=current.get("title"), status=status, watchdog=dog.reason, output=_tail(drain, ctx),
                    libgomp="Thread creation failed" in drain.seen.decode("utf-8", "replace"))
        return
    dog.stopped.set()
    events.emit(event="done")  # the result is known; the tree is killed after, while attnquiz shows it


def _tail(drain: Drain, ctx: Ctx) -> str:
    """What the learner's code printed since the last call, Python's prints first, cut at the bound."""
    text = "".join(ctx.output) + drain.take()
    ctx.output.clear()
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + f"\n[... {len(text) - OUTPUT_LIMIT} more characters cut]"
    return text


def _reap(pid: int, wait: float) -> dict[str, int]:
    """How the supervisor (and so the worker) ended, waiting up to `wait` seconds; {} if still running."""
    end = time.monotonic() + wait
    while True:
        sandbox.reap_children()
        if pid in sandbox.REAPED:
            status = sandbox.REAPED[pid]
            return {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
        if time.monotonic() >= end:
            return {}
        time.sleep(0.005)


def _grade(ctx: Ctx, checks: Any, source: bytes, class_name: str, path: Path, events: Events, drain: Drain,
           current: dict[str, str]) -> None:
    display = path.name
    if len(source) > SOURCE_LIMIT:
        events.emit(event="verdict", verdict="too-large",
                    message=f"{display} is larger than {SOURCE_LIMIT // 1024} KiB; a module this size is not an answer")
        return
    current.update(name="", title="")
    try:
        loaded = ctx.call("load", source=torch.frombuffer(bytearray(source), dtype=torch.uint8) if source
                          else torch.zeros(0, dtype=torch.uint8), class_name=class_name, filename=str(path))
    except LearnerError as exc:
        what = "an import failed" if "ImportError" in str(exc) or "ModuleNotFoundError" in str(exc) else \
            "your file raised an error"
        alone = (" (only this file is graded: if the module is a file of yours beside it, put its code in "
                 "this file)") if "ModuleNotFoundError" in str(exc) else ""
        events.emit(event="verdict", verdict="import-error", output=_tail(drain, ctx),
                    message=f"{what} while it was being loaded: {exc}{alone}")
        return
    output = _tail(drain, ctx)
    if loaded.get("verdict") == "syntax-error":
        events.emit(event="verdict", verdict="syntax-error", message=loaded.get("message", ""), output=output)
        return
    if loaded.get("verdict") == "class-missing":
        seen = ", ".join(loaded.get("found", [])) or "no classes"
        events.emit(event="verdict", verdict="class-missing", output=output,
                    message=f"{display} defines {seen}, but no class named {class_name}")
        return
    if output:
        events.emit(event="output", output=output)
    mismatch = _constructor_mismatch(ctx, checks, class_name)
    if mismatch:
        events.emit(event="verdict", verdict="constructor-mismatch", message=mismatch, output=output)
        return
    failed = False
    for check in checks.registry.checks:
        current.update(name=check.name, title=check.title)
        events.emit(event="start", name=check.name, title=check.title)
        ctx.output.clear()
        result: dict[str, Any] = {"event": "result", "name": check.name, "title": check.title, "hint": check.hint}
        try:
            note = check.fn(ctx)
            result.update(status="pass", message=note or "")
        except StopGrade as stop:  # the constructor fails: one verdict, not one failure per check
            events.emit(event="verdict", verdict=stop.verdict, message=stop.message, hint=stop.hint,
                        output=_tail(drain, ctx))
            return
        except AssertionError as exc:
            result.update(status="fail", message=str(exc) or "assertion failed")
            if getattr(exc, "hint", None) is not None:  # a hint that fits this failure
                result["hint"] = exc.hint  # type: ignore[attr-defined]
        except LearnerError as exc:
            result.update(status="error", message=f"your code raised an error: {exc}")
            if getattr(exc, "hint", None) is not None:
                result["hint"] = exc.hint  # type: ignore[attr-defined]
        except Exception as exc:
            if not failed:
                raise  # nothing explains it: a bug in the check, reported as attnquiz's
            # A check written for a module that passed the checks above trips on one that did not.
            result.update(status="error", message=f"could not be checked, because of the failure above "
                                                  f"({type(exc).__name__}: {str(exc)[:200]})")
        failed = failed or result["status"] != "pass"
        result["output"] = _tail(drain, ctx)
        events.emit(**result)


def _constructor_mismatch(ctx: Ctx, checks: Any, class_name: str) -> str | None:
    for case in getattr(checks, "CONSTRUCT", []):
        args, kwargs = case["args"], case["kwargs"]
        answer = ctx.call("fits", positional=len(args), keywords=list(kwargs))
        if answer["fits"] is False:
            call = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            return (f"{class_name}({call}) does not fit your constructor {class_name}{answer.get('signature', '')} "
                    f"({answer.get('why', '')}); the contract is {checks.SIGNATURE}")
    return None


def kill_on_signal() -> None:
    """SIGTERM from the zygote or attnquiz: take the worker's tree down with us."""
    def handler(signum: int, frame: object) -> None:
        sandbox.kill_tree_of(os.getpid())
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    signal.signal(signal.SIGINT, handler)
