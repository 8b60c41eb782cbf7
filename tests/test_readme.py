"""The README's commands are real: the set-up commands exist, CI runs the test one, and every
`attnquiz ...` line names a command and options that the tool accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizcli.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands(prefix: str) -> list[list[str]]:
    lines = [line.strip() for line in README.splitlines() if line.startswith("    ")]
    commands = []
    for line in lines:
        words = shlex.split(line.split("#", 1)[0])
        while words and "=" in words[0]:  # environment assignments
            words.pop(0)
        if words and words[0] == prefix:
            commands.append(words)
    return commands


def test_the_two_setup_commands_are_make_targets() -> None:
    start = README.split("## Start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in start.splitlines() if line.startswith("    ")]
    assert commands == ["make study", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("study", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_setup_never_asks_for_an_unpinned_torch() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "TORCH_SPEC ?= torch==2.13.0" in makefile
    assert "find_spec('torch') is None" in makefile


@pytest.mark.parametrize("words", readme_commands("attnquiz"), ids=lambda w: " ".join(w))
def test_readme_attnquiz_lines_parse(words: list[str]) -> None:
    # --help after the options checks the command and its options exist without running it.
    result = CliRunner().invoke(app, [*words[1:], "--help"])
    assert result.exit_code == 0, result.output


def test_documented_grade_json_matches_the_real_shape() -> None:
    import json

    from quizcli.grader.result import VERDICTS, GradeResult, TestResult

    block = README.split("```json", 1)[1].split("```", 1)[0]
    documented = json.loads(block)
    real = GradeResult("spatial-attention", "f.py", "fail", tests=[TestResult("a", "b", "fail")]).to_json()
    assert set(documented) == set(real)
    assert set(documented["tests"][0]) == set(real["tests"][0])
    for verdict in VERDICTS:
        assert f"`{verdict}`" in README, verdict


def test_readme_example_deck_validates(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    deck_yaml = next(b for b in blocks if b.startswith("# deck.yaml"))
    card_yaml = next(b for b in blocks if "format_version" in b)
    (tmp_path / "deck.yaml").write_text(deck_yaml)
    (tmp_path / "q01.yaml").write_text(card_yaml.replace("...", "and so on"))
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(app, ["list", "--deck", str(tmp_path), "--json"])
    assert listed.exit_code == 0 and '"hard-soft"' in listed.output
