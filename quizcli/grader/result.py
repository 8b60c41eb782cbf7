"""What a grade says: data shared by the runner, the renderer and `--json` (close to Exercism's v3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error"]

# Verdicts that stop a grade before the checks finish, each with its own plain message.
VERDICTS = ("syntax-error", "import-error", "class-missing", "constructor-mismatch", "init-error", "timeout",
            "out-of-memory", "sys-exit", "os-exit", "signal", "file-too-large", "too-large", "too-many-processes",
            "channel-closed", "bad-answer", "lost")
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sanitize(text: str) -> str:
    """Text from the learner's process made safe for a terminal and for UTF-8 JSON: escape sequences and
    control characters removed (newlines and tabs kept), lone surrogates replaced."""
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


@dataclass
class TestResult:
    name: str
    title: str
    status: Status
    message: str = ""
    hint: str = ""
    output: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "status": self.status,
                "message": self.message or None, "hint": self.hint or None, "output": self.output or None}


@dataclass
class GradeResult:
    exercise: str
    file: str
    status: Status
    message: str = ""
    verdict: str | None = None  # one of VERDICTS when status is "error"
    tests: list[TestResult] = field(default_factory=list)
    chosen_by_class: bool = False
    other_output: str = ""
    sandbox: dict[str, list[str]] = field(default_factory=dict)  # protections active and missing
    hint: str = ""  # for a verdict that stopped the grade (an error in __init__, say)

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.status == "pass")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 3,
            "status": self.status,
            "message": self.message or None,
            "verdict": self.verdict,
            "hint": self.hint or None,
            "exercise": self.exercise,
            "file": self.file,
            "score": {"passed": self.passed, "total": len(self.tests)},
            "tests": [t.to_json() for t in self.tests],
            "sandbox": self.sandbox or None,
        }
