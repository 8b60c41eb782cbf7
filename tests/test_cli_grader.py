from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizcli.cli import app
from quizcli.grader import service
from quizcli.grader.exercises import load_exercises

runner = CliRunner()
EXERCISES = {e.name: e for e in load_exercises()}


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_start_writes_the_starter_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "my_spatial.py"
    result = run("start", "spatial-attention", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text() == EXERCISES["spatial-attention"].starter.read_text()
    assert "class SpatialAttention" in target.read_text() and "TODO" in target.read_text()
    target.write_text("# my work")
    again = run("start", "spatial-attention", str(target))
    assert again.exit_code == 2 and "already exists" in again.output and "--force" in again.output
    assert target.read_text() == "# my work"
    forced = run("start", "spatial-attention", str(target), "--force")
    assert forced.exit_code == 0 and "TODO" in target.read_text()


def test_start_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("start", "se-block").exit_code == 0
    assert (tmp_path / "se_block.py").is_file()


def test_start_unknown_exercise() -> None:
    result = run("start", "spatial")
    assert result.exit_code == 2 and "did you mean 'spatial-attention'" in result.output


def test_grade_pass_records_and_exercises_shows_status(tmp_path: Path) -> None:
    solution = tmp_path / "mine.py"
    solution.write_text(EXERCISES["spatial-attention"].solution.read_text())
    result = run("grade", str(solution))
    assert result.exit_code == 0, result.output
    assert "as spatial-attention (found class SpatialAttention" in " ".join(result.output.split())
    assert re.search(r"\b(\d+)/\1 checks passed", result.output), result.output
    listing = run("exercises")
    assert listing.exit_code == 0
    row = next(line for line in listing.output.splitlines() if "spatial-attention" in line)
    assert "passed" in row
    assert "not tried" in next(line for line in listing.output.splitlines() if "se-block" in line)


def test_grade_json_shape_and_fail_exit_code() -> None:
    result = run("grade", str(EXERCISES["eca"].starter), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["status"] == "fail" and data["exercise"] == "eca" and data["version"] == 3
    assert set(data["tests"][0]) == {"name", "title", "status", "message", "hint", "output"}
    assert [t["status"] for t in data["tests"]][:2] == ["pass", "error"]
    assert data["score"] == {"passed": 1, "total": len(data["tests"])}
    listing = run("exercises")
    assert "failing" in next(line for line in listing.output.splitlines() if line.startswith("│ eca"))


def test_grade_explicit_exercise_and_usage_errors(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text("class Foo:\n    pass\n")
    result = run("grade", str(plain))
    assert result.exit_code == 2
    assert "found Foo; expected one of SpatialAttention (spatial-attention)" in result.output
    verdict = run("grade", str(plain), "--exercise", "spatial-attention", "--json")
    assert verdict.exit_code == 1
    assert json.loads(verdict.output)["verdict"] == "class-missing"
    assert run("grade", str(tmp_path / "missing.py")).exit_code == 2


def test_syntax_error_is_reported_against_the_learners_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import torch\n\nclass SpatialAttention(torch.nn.Module:\n    pass\n")
    result = run("grade", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3" in result.output and "Traceback" not in result.output


def test_watch_grades_again_after_each_save(tmp_path: Path) -> None:
    path = tmp_path / "w.py"
    path.write_text("one")
    seen: list[str] = []

    def on_change() -> None:
        seen.append(path.read_text())
        if len(seen) == 2:
            raise KeyboardInterrupt

    def save_later() -> None:
        time.sleep(0.5)
        (tmp_path / "other.py").write_text("not watched")  # another file in the folder: no grade
        time.sleep(0.2)
        tmp = tmp_path / "w.py.swp"
        tmp.write_text("two")  # as editors save: a new file renamed over the old one
        tmp.replace(path)

    threading.Thread(target=save_later, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        service.watch(path, on_change)
    assert seen == ["one", "two"]


def test_choose_exercise_prefers_the_composite(tmp_path: Path) -> None:
    from quizcli.grader.exercises import choose_exercise

    path = tmp_path / "c.py"
    path.write_text("class CBAM: pass\nclass ChannelAttention: pass\nclass SpatialAttention: pass\n")
    assert choose_exercise(path, load_exercises()).name == "cbam"


def test_a_grader_failure_is_exit_3_not_the_learners_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    import shutil

    broken = tmp_path / "broken-exercise"
    shutil.copytree(EXERCISES["spatial-attention"].directory, broken)
    (broken / "checks.py").write_text("raise RuntimeError('a bug in the checks')\n")
    exercise = dataclasses.replace(EXERCISES["spatial-attention"], directory=broken)
    monkeypatch.setattr("quizcli.grader.service.load_exercises", lambda: [exercise])
    solution = tmp_path / "mine.py"
    solution.write_text(EXERCISES["spatial-attention"].solution.read_text())
    result = run("grade", str(solution))
    assert result.exit_code == 3
    [line] = [ln for ln in result.output.splitlines() if ln.strip()]
    assert "the grader failed" in line and "a bug in the checks" in line and "grader-error.log" in line
    from quizcli.paths import data_dir

    assert "Traceback" in (data_dir() / "grader-error.log").read_text()


def test_grade_warns_when_it_moves_a_corrupt_store_aside(tmp_path: Path) -> None:
    from quizcli.paths import store_path

    store_path().parent.mkdir(parents=True, exist_ok=True)
    store_path().write_bytes(b"garbage" * 100)
    result = run("grade", str(EXERCISES["spatial-attention"].solution), "--json")
    assert result.exit_code == 0
    assert "warning:" in result.output and "corrupt" in result.output
    assert list(store_path().parent.glob("progress.sqlite3.corrupt-*"))
