"""Words and exit codes: one-line usage errors with a suggestion, names in any case, whole --help summaries."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from quizcli.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


@pytest.mark.parametrize(("args", "hint"), [
    (["stdy"], "did you mean 'study'"),
    (["study", "--nw", "3"], "--new"),
    (["drill"], "--topic"),
])
def test_usage_errors_are_one_line_with_a_suggestion(args: list[str], hint: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and hint.lower() in lines[0].lower(), result.output
    assert "--help" in lines[0]


def test_names_are_case_insensitive_with_did_you_mean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    drilled = run("drill", "--topic", "SE", "--seed", "1", input="\n3\nq\n")
    assert drilled.exit_code == 0, drilled.output
    assert run("show", "q4").exit_code == 0 and run("show", "SE-COST").exit_code == 0
    wrong = run("drill", "--topic", "NonLocal")
    assert wrong.exit_code == 2 and "did you mean 'non-local'" in wrong.output
    assert "did you mean 'se'" in run("list", "--topic", "SEE").output
    start = run("start", "SE-Block", str(tmp_path / "se.py"))
    assert start.exit_code == 0 and "se-block" in start.output


def test_exam_in_the_past_is_refused() -> None:
    result = run("stats", "--exam", "2020-01-01")
    assert result.exit_code == 2 and "in the past" in result.output


def test_validate_of_a_missing_folder_is_a_usage_error() -> None:
    result = run("validate", "/nope/not-here")
    assert result.exit_code == 2 and "no such deck folder" in result.output


def test_every_help_summary_ends_at_a_full_stop() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "60"})
    commands = result.output.split("Commands:", 1)[1]
    entries = re.split(r"\n  (?=\S)", "\n" + commands.strip("\n"))
    summaries = [" ".join(entry.split()[1:]) for entry in entries if entry.strip()]
    assert len(summaries) >= 15
    for summary in summaries:
        assert summary.endswith(".") and not summary.endswith("..."), summary


def test_due_is_one_line_and_json() -> None:
    line = run("due")
    assert line.exit_code == 0 and line.output == "0 due · 10 new · nothing scheduled\n"
    run("study", input="\n3\n\n3\nq\n")
    line = run("due")
    assert line.exit_code == 0 and line.output == "0 due · 8 new · next in 10m\n"
    data = json.loads(run("due", "--json").output)
    assert data["due"] == 0 and data["new"] == 8 and data["next_due"]


def test_summary_says_what_waits_instead_of_a_far_due_date() -> None:
    first = run("study", input="q\n")
    assert "10 new cards waiting today" in first.output
    assert "never reviewed" not in first.output
    rated = run("study", input="\n3\nq\n")
    assert "9 new cards waiting today" in rated.output


def test_fresh_stats_count_new_cards_as_due_today() -> None:
    result = run("stats")
    assert result.exit_code == 0
    assert re.search(r"due now\s+0 to review, 10 new", result.output)
    assert "not enough reviews yet" in result.output and "100%" not in result.output


def test_quiz_scores_are_points_with_what_accept_gives() -> None:
    result = run("quiz", "--count", "1", "--seed", "0", "--topic", "hard-soft", input="soft is differentiable\n\n")
    assert result.exit_code == 0, result.output
    assert re.search(r"Enter counts [0-9.]+ of a point", result.output)
    assert re.search(r"Score: [0-9.]+ of 1 point", result.output)


def test_grade_without_torch_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    submission = tmp_path / "x.py"
    submission.write_text("class SpatialAttention: pass\n")
    result = run("grade", str(submission))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and "attnquiz[grade]" in lines[0]
