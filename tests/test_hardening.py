"""Nothing lost, nothing that breaks it: killed sessions, concurrent writers, bad data dirs and decks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizcli import scheduler
from quizcli.cli import app
from quizcli.paths import store_path
from quizcli.scheduler import Rating
from quizcli.store import Store

runner = CliRunner()


def attnquiz(*args: str, **kwargs):  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "quizcli", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_sigkill_mid_session_keeps_every_rating_given(attnquiz_home: Path) -> None:
    rated = 4
    proc = attnquiz("study")
    assert proc.stdin is not None
    proc.stdin.write(b"\n3\n" * rated + b"a half-typed attempt")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if len(Store(store_path()).reviews("attention")) >= rated:
            break
        time.sleep(0.05)
    time.sleep(0.2)  # the fifth card is on screen, its answer half typed
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    store = Store(store_path())
    assert len(store.reviews("attention")) == rated
    assert len(store.memories("attention")) == rated


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    Store(path).close()
    writer = (
        "import sys; from datetime import datetime, timezone\n"
        "from pathlib import Path\n"
        "from quizcli import scheduler\n"
        "from quizcli.scheduler import Rating\n"
        "from quizcli.store import Store\n"
        "store = Store(Path(sys.argv[1]))\n"
        "for i in range(150):\n"
        "    now = datetime.now(timezone.utc)\n"
        "    store.record_review('attention', f'{sys.argv[2]}-{i % 10}', 3, 'study', now,\n"
        "                        scheduler.review(None, Rating.Good, now))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(path), name], stderr=subprocess.PIPE)
             for name in ("a", "b")]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    store = Store(path)
    assert len(store.reviews("attention")) == 300
    assert len(store.memories("attention")) == 20


def test_two_study_sessions_at_once(attnquiz_home: Path) -> None:
    import re

    procs = [attnquiz("study") for _ in range(2)]
    outs = [p.communicate(b"\n3\n" * 10, timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    assert not any(b"locked" in o[1] for o in outs)
    # How many cards each plans depends on when it starts (a card the other rated first is no longer
    # new); what must hold is that every rating either session reports is in the store.
    said = [int(m.group(1)) for o in outs for m in [re.search(rb"(\d+) reviewed", o[0])] if m]
    assert len(said) == 2 and min(said) >= 1, [o[0][-300:] for o in outs]
    assert len(Store(store_path()).reviews("attention")) == sum(said)


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def one_line_error(result, code: int, *parts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    for part in parts:
        assert part in errors[0], errors[0]
    assert "Traceback" not in result.output


def test_data_dir_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "not-a-dir"
    home.write_text("x")
    monkeypatch.setenv("ATTNQUIZ_HOME", str(home))
    one_line_error(run("stats"), 1, str(home), "cannot open progress file")


def test_data_dir_that_cannot_be_created(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATTNQUIZ_HOME", "/proc/attnquiz-cannot-live-here")
    one_line_error(run("study"), 1, "/proc/attnquiz-cannot-live-here", "cannot open progress file")


def test_missing_deck_folder() -> None:
    one_line_error(run("list", "--deck", "/no/such/deck"), 2, "unknown deck '/no/such/deck'")


def test_deck_with_zero_cards(tmp_path: Path) -> None:
    one_line_error(run("study", "--deck", str(tmp_path)), 1, str(tmp_path), "has no cards")


def test_card_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    one_line_error(run("list", "--deck", str(tmp_path)), 1, "bad.yaml", "not UTF-8")


def test_enormous_card_file(tmp_path: Path) -> None:
    (tmp_path / "huge.yaml").write_text("answer: |\n" + "  x" * 600_000 + "\n")
    one_line_error(run("list", "--deck", str(tmp_path)), 1, "huge.yaml", "larger than")


def test_grader_leaves_no_working_folder_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from quizcli.grader.exercises import find_exercise, load_exercises
    from quizcli.grader.runner import grade

    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    huge = Path(__file__).parent / "golden" / "huge-file" / "submission.py"
    result = grade(huge, find_exercise("spatial-attention", load_exercises()))
    assert result.verdict == "file-too-large"
    assert list(own.iterdir()) == []


def test_memory_record_survives_roundtrip(tmp_path: Path) -> None:
    now = scheduler.new_memory(__import__("datetime").datetime.now(__import__("datetime").timezone.utc)).due
    memory = scheduler.review(None, Rating.Hard, now)
    store = Store(tmp_path / "p.sqlite3")
    store.record_review("d", "c", 2, "study", now, memory)
    assert Store(tmp_path / "p.sqlite3").memories("d")["c"] == memory
    assert os.path.getsize(tmp_path / "p.sqlite3") > 0
