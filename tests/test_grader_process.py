"""The grader as a real process: signals stop it within a second with nothing left behind; the learner's
file is read fresh every time (no bytecode), with its PEP 263 encoding; a huge file is refused before it
is parsed; --watch streams JSON Lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizcli.grader.exercises import find_exercise, load_exercises
from quizcli.grader.runner import Limits, Zygote
from tests.test_grader_golden import survivors

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = find_exercise("spatial-attention", load_exercises()).solution
ENDLESS = SOLUTION.read_text().replace(
    "        super().__init__()",
    "        super().__init__()\n        import ctypes\n        ctypes.CDLL(None).prctl(15, b'MARKER', 0, 0, 0)",
).replace("        # x: (B, C, H, W)", "        while True:\n            pass")


def start(args: list[str], home: Path, cwd: Path) -> subprocess.Popen[str]:
    (cwd / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, ATTNQUIZ_HOME=str(home), PYTHONPATH=str(ROOT), TMPDIR=str(cwd / "tmp"))
    return subprocess.Popen([sys.executable, "-m", "quizcli", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_survivor(marker: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not survivors(marker):
        assert time.monotonic() < end, "the endless loop never started"
        time.sleep(0.05)
    time.sleep(0.3)  # well inside the check now


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("watch", [False, True], ids=["grade", "watch"])
def test_a_signal_stops_the_grade_within_a_second(tmp_path: Path, sig: signal.Signals, code: int,
                                                  watch: bool) -> None:
    marker = "aq" + os.urandom(6).hex()
    (tmp_path / "loop.py").write_text(ENDLESS.replace("MARKER", marker))
    proc = start(["grade", "loop.py", *(["--watch"] if watch else [])], tmp_path / "home", tmp_path)
    try:
        wait_for_survivor(marker)
        sent = time.monotonic()
        os.kill(proc.pid, sig)
        proc.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, proc.stderr.read() if proc.stderr else ""
    assert took < 1.0, f"{sig.name} took {took:.2f} s to stop the grade"
    time.sleep(0.1)
    assert survivors(marker) == [], "the learner's process outlived attnquiz"
    assert list((tmp_path / "tmp").iterdir()) == [], "a working folder was left behind"
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")


def test_an_edit_kept_at_the_same_size_and_mtime_is_graded_afresh(tmp_path: Path) -> None:
    right = SOLUTION.read_text()
    wrong = right.replace("return self.sigmoid(x)", "return self.sigmoid(x) * 2")
    right = right.replace("# x: (B, C, H, W)", "# x: (B, C, H, W)    ")  # the same length as the wrong one
    assert len(wrong) == len(right)
    path = tmp_path / "mine.py"
    exercise = find_exercise("spatial-attention", load_exercises())
    with Zygote() as zygote:
        path.write_text(wrong)
        stamp = path.stat()
        assert zygote.grade(path, exercise, Limits()).status == "fail"
        path.write_text(right)
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as cp -p, tar or unzip leave it
        assert path.stat().st_size == stamp.st_size and path.stat().st_mtime_ns == stamp.st_mtime_ns
        assert zygote.grade(path, exercise, Limits()).status == "pass"
    assert not (tmp_path / "__pycache__").exists()


def test_a_50_mb_source_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    with big.open("w") as f:
        f.write("DATA = [\n")
        for _ in range(9_000_000):
            f.write("0, 1,\n")
        f.write("]\nclass SpatialAttention: pass\n")
    assert big.stat().st_size > 50_000_000
    proc = subprocess.run([sys.executable, "-c", "import resource, sys; from quizcli.cli import main; "
                           "sys.argv = ['attnquiz', 'grade', sys.argv[1], '--json']; main()", str(big)],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["verdict"] == "too-large", proc.stdout + proc.stderr
    graded = subprocess.run([sys.executable, "-m", "quizcli", "grade", str(big), "-e", "spatial-attention", "--json"],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert json.loads(graded.stdout)["verdict"] == "too-large", graded.stdout + graded.stderr


def test_watch_json_prints_one_object_a_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.py"
    path.write_text(SOLUTION.read_text())
    proc = start(["grade", "mine.py", "--watch", "--json"], tmp_path / "home", tmp_path)
    assert proc.stdout is not None
    try:
        first = json.loads(proc.stdout.readline())
        tmp = tmp_path / "mine.py.new"
        tmp.write_text(SOLUTION.read_text().replace("return self.sigmoid(x)", "return x"))
        tmp.replace(path)
        second = json.loads(proc.stdout.readline())
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=10)
    assert first["status"] == "pass" and second["status"] == "fail"
    assert proc.returncode == 130


def test_grade_starts_torch_early_and_leaves_nothing_when_the_command_fails(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, ATTNQUIZ_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path / "tmp"))
    failed = subprocess.run([sys.executable, "-m", "quizcli", "grade", "missing.py"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2 and "no such file" in failed.stderr
    assert list((tmp_path / "tmp").iterdir()) == [], "the early grading process left its folder behind"
    (tmp_path / "mine.py").write_text(SOLUTION.read_text())
    graded = subprocess.run([sys.executable, "-m", "quizcli", "grade", "mine.py", "--json"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(graded.stdout)["status"] == "pass", graded.stderr
    assert list((tmp_path / "tmp").iterdir()) == []
