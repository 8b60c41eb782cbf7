"""Golden cases: one folder per scenario under tests/golden, a submission and the verdict it must get.

expected.json: exercise, status (pass/fail/error), verdict (or null), failing (the checks that must not
pass, exactly), message_contains (found in the verdict or a failing check's message), and optionally
timeout, pass_exercise (grade with --exercise rather than by class name), output_cut, child_pid_in_output.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from quizcli.grader.harness import OUTPUT_LIMIT
from quizcli.grader.service import grade_file

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected.json").is_file())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    name = expected["exercise"] if expected.get("pass_exercise") else None
    graded = grade_file(case / "submission.py", name, float(expected.get("timeout", 30)))
    result = graded.result
    summary = f"{result.status} {result.verdict}: {result.message}\n" + "\n".join(
        f"  {t.status} {t.name}: {t.message}" for t in result.tests)
    assert result.status == expected["status"], summary
    assert result.verdict == expected["verdict"], summary
    if result.verdict != "syntax-error":
        assert result.exercise == expected["exercise"], summary
    assert sorted(t.name for t in result.tests if t.status != "pass") == expected["failing"], summary
    if "message_contains" in expected:
        texts = [result.message] + [t.message for t in result.tests]
        assert any(expected["message_contains"] in text for text in texts), summary
    if "hint_contains" in expected:
        hints = [t.hint for t in result.tests if t.status != "pass"]
        assert any(expected["hint_contains"] in hint for hint in hints), summary
    if expected.get("output_cut"):
        outputs = [t.output for t in result.tests if t.output]
        assert outputs and all(len(o) < OUTPUT_LIMIT + 100 and "more characters cut" in o for o in outputs)
    if expected.get("child_pid_in_output"):
        match = re.search(r"CHILD-PID (\d+)", result.other_output)
        assert match, result.other_output
        assert not alive(int(match.group(1))), "a process the submission started outlived the grade"


def test_every_verdict_has_a_golden_case() -> None:
    from quizcli.grader.result import VERDICTS

    seen = {json.loads((case / "expected.json").read_text())["verdict"] for case in CASES}
    assert set(VERDICTS) <= seen
