"""`pip install .` (not editable): the wheel carries the questions, and works from any other folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    [wheel] = dist.glob("attnquiz-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "quizcli/questions/attention/q10-spatial-attention-code.yaml" in names
    assert "quizcli/questions/exercises/spatial-attention/checks.py" in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    target = tmp_path_factory.mktemp("site")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    return target


def attnquiz(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(target))  # the wheel's copy comes before the repo's editable one
    code = "import sys, quizcli; assert quizcli.__file__.startswith(sys.argv.pop(1)); " \
           "from quizcli.cli import main; sys.argv[0] = 'attnquiz'; main()"
    return subprocess.run([sys.executable, "-c", code, str(target), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_installed_wheel_lists_the_deck_from_another_folder(installed: Path, tmp_path: Path) -> None:
    result = attnquiz(installed, tmp_path, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert [c["number"] for c in json.loads(result.stdout)] == list(range(1, 11))


def test_installed_wheel_grades_with_its_own_exercises(installed: Path, tmp_path: Path) -> None:
    solution = installed / "quizcli" / "questions" / "exercises" / "spatial-attention" / "solution.py"
    mine = tmp_path / "mine.py"
    mine.write_text(solution.read_text())
    result = attnquiz(installed, tmp_path, "grade", "mine.py", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "pass"
