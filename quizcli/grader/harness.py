"""The child side of grading: loads the learner's file, runs the exercise's checks, reports on its own fd.

Run only by runner.py, in a fresh process with limits set. Results go as JSON lines on a file descriptor
of their own, never on stdout, and end with a `done` marker; the learner's prints are captured per check.
"""

from __future__ import annotations

import errno
import importlib.util
import io
import json
import os
import sys
import traceback
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

OUTPUT_LIMIT = 4000  # characters of the learner's prints kept per check


class BoundedWriter(io.TextIOBase):
    """A text sink that keeps the first OUTPUT_LIMIT characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        room = OUTPUT_LIMIT - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def value(self) -> str:
        text = "".join(self.parts)
        return text + (f"\n[... {self.dropped} more characters cut]" if self.dropped else "")


class Channel:
    def __init__(self, fd: int) -> None:
        os.set_inheritable(fd, False)  # processes the learner starts do not get the results channel
        self._file = os.fdopen(fd, "w", buffering=1, encoding="utf-8")

    def emit(self, **event: Any) -> None:
        self._file.write(json.dumps(event) + "\n")
        self._file.flush()


def stop_verdict(exc: BaseException) -> str | None:
    """Failures that end the grade rather than one check: memory or file-size limits reached."""
    if isinstance(exc, MemoryError) or (isinstance(exc, RuntimeError) and "can't allocate memory" in str(exc)):
        return "out-of-memory"
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "file-too-large"
    return None


STOP_MESSAGES = {"out-of-memory": "your code ran out of memory (the grading process has a memory limit)",
                 "file-too-large": "your code wrote a file past the size limit"}


def where_in(path: Path, exc: BaseException) -> str:
    """`my_file.py:14 in forward: RuntimeError: ...` for the learner's deepest frame in the traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    kind = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    first_line = kind.splitlines()[0] if kind else type(exc).__name__
    if not frames:
        return first_line
    frame = frames[-1]
    code = f"\n    {frame.line.strip()}" if frame.line else ""
    return f"{path.name}:{frame.lineno} in {frame.name}: {first_line}{code}"


def load_submission(path: Path, channel: Channel) -> ModuleType | None:
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location("submission", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["submission"] = module
    out = BoundedWriter()
    try:
        with redirect_stdout(out), redirect_stderr(out):
            spec.loader.exec_module(module)
    except SyntaxError as exc:
        channel.emit(event="verdict", verdict="syntax-error",
                     message=f"{path.name}:{exc.lineno}: syntax error: {exc.msg}", output=out.value())
        return None
    except SystemExit as exc:
        channel.emit(event="verdict", verdict="sys-exit", output=out.value(),
                     message=f"your file called sys.exit({exc.code!r}) while it was being imported")
        return None
    except BaseException as exc:
        stop = stop_verdict(exc)
        if stop:
            channel.emit(event="verdict", verdict=stop, output=out.value(),
                         message=f"{STOP_MESSAGES[stop]} while your file was being imported")
        else:
            what = "an import failed" if isinstance(exc, ImportError) else "your file raised an error"
            channel.emit(event="verdict", verdict="import-error", output=out.value(),
                         message=f"{what} while it was being loaded: {where_in(path, exc)}")
        return None
    return module


def run_checks(path: Path, exercise_dir: Path, class_name: str, channel: Channel) -> None:
    warnings.filterwarnings("ignore")
    import torch

    from quizcli.grader.checklib import StopGrade
    from quizcli.grader.contract import load_suite
    from quizcli.grader.proxy import Ctx, LearnerError

    torch.set_num_threads(1)
    suite = load_suite(exercise_dir)

    module = load_submission(path, channel)
    if module is None:
        return
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        found = sorted(n for n, v in vars(module).items() if isinstance(v, type) and v.__module__ == "submission")
        seen = ", ".join(found) if found else "no classes"
        channel.emit(event="verdict", verdict="class-missing",
                     message=f"{path.name} defines {seen}, but no class named {class_name}")
        return

    ctx = Ctx(cls, path)
    for check in suite.checks:
        channel.emit(event="start", name=check.name, title=check.title)
        out = BoundedWriter()
        result: dict[str, Any] = {"event": "result", "name": check.name, "title": check.title,
                                  "hint": check.hint}
        try:
            with redirect_stdout(out), redirect_stderr(out):
                note = check.fn(ctx)
            result.update(status="pass", message=note or "")
        except StopGrade as stop:
            channel.emit(event="verdict", verdict=stop.verdict, message=stop.message, hint=stop.hint,
                         output=out.value(), by_check=True)
            return
        except AssertionError as exc:
            result.update(status="fail", message=str(exc) or "assertion failed")
            hint = getattr(exc, "hint", None)
            if hint is not None:
                result["hint"] = hint
        except LearnerError as exc:
            result.update(status="error", message=f"your code raised an error: {exc}")
            result["hint"] = getattr(exc, "hint", "") or ""
        except SystemExit as exc:
            channel.emit(event="verdict", verdict="sys-exit", output=out.value(),
                         message=f"your code called sys.exit({exc.code!r}) during check '{check.title}'")
            return
        except BaseException as exc:
            stop_kind = stop_verdict(exc)
            if stop_kind:
                channel.emit(event="verdict", verdict=stop_kind, output=out.value(),
                             message=f"{STOP_MESSAGES[stop_kind]} during check '{check.title}'")
                return
            result.update(status="error", message=f"your code raised an error: {where_in(path, exc)}")
        result["output"] = out.value()
        channel.emit(**result)
    channel.emit(event="done")


def main(argv: list[str]) -> None:
    fd, exercise_dir, submission, class_name = argv
    channel = Channel(int(fd))
    try:
        run_checks(Path(submission).resolve(), Path(exercise_dir), class_name, channel)
    except BaseException as exc:  # the grader's own failure: report it, do not pass it off as the learner's
        channel.emit(event="internal", message=f"{type(exc).__name__}: {exc}",
                     traceback=traceback.format_exc(limit=8))
    sys.stdout.flush()
    sys.stderr.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
