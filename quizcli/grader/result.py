"""What a grade says: data shared by the runner, the renderer and `--json` (close to Exercism's v3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error"]

# Verdicts that stop a grade before the checks finish, each with its own plain message.
VERDICTS = ("syntax-error", "import-error", "class-missing", "constructor-mismatch", "init-error", "timeout",
            "out-of-memory", "sys-exit", "os-exit", "signal", "file-too-large")


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

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.status == "pass")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 3,
            "status": self.status,
            "message": self.message or None,
            "verdict": self.verdict,
            "exercise": self.exercise,
            "file": self.file,
            "score": {"passed": self.passed, "total": len(self.tests)},
            "tests": [t.to_json() for t in self.tests],
        }
