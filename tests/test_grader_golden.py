"""Golden cases: one folder per scenario under tests/golden, a submission and the verdict it must get.

expected.json: exercise; status (or status_any); verdict (or verdict_any; absent means none); optionally
failing (exactly the checks that must not pass), message_contains (in the verdict or a check's message),
timeout, pass_exercise (grade with --exercise rather than by class name), output_cut, max_seconds,
untouched (nothing outside the grade's folder changed), secret_not_in_output, listen_port (nobody
connects to it), bounded_messages, clean_output.

Every case, hostile or not, must leave nothing behind: no process named by the marker `aqsurvivor`, no
file changed in HOME, ATTNQUIZ_HOME, the package or the submission's folder, no bytecode beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizcli.grader.runner import Zygote
from quizcli.grader.service import grade_file
from quizcli.grader.worker import OUTPUT_LIMIT

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected.json").is_file())
ROOT = Path(__file__).resolve().parent.parent
SECRET = "attnquiz-test-secret-4f1c"


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    """One warm grading process for all the cases, as `grade --watch` keeps one."""
    with Zygote() as warm:
        yield warm


def survivors(marker: str = "aqsurvivor") -> list[str]:
    """Processes carrying the marker that hostile submissions give whatever they leave behind (each test
    makes it unique, so that another run's grade in progress is not taken for a survivor)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (marker[:15] in comm or marker.encode() in cmdline):
            found.append(f"{pid} {comm}")
    return found


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file under the roots with a hash of its contents (bytecode caches of ours excluded)."""
    seen = {}
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts and ".venv" not in path.parts:
                seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


class Listener:
    """A TCP and a UDP socket on 127.0.0.1:port that record whether anyone reached them."""

    def __init__(self, port: int) -> None:
        self.reached = False
        self.tcp = socket.socket()
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.tcp.bind(("127.0.0.1", port))
            self.udp.bind(("127.0.0.1", port))
        except OSError as exc:
            pytest.skip(f"port {port} is busy on this machine: {exc}")
        self.tcp.listen(1)
        for sock in (self.tcp, self.udp):
            sock.settimeout(0.2)
            threading.Thread(target=self._watch, args=(sock,), daemon=True).start()

    def _watch(self, sock: socket.socket) -> None:
        while True:
            try:
                if sock.type == socket.SOCK_STREAM:
                    sock.accept()
                else:
                    sock.recv(100)
                self.reached = True
            except TimeoutError:
                continue
            except OSError:
                return

    def close(self) -> None:
        self.tcp.close()
        self.udp.close()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_case(case: Path, zygote: Zygote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = json.loads((case / "expected.json").read_text())
    home = tmp_path / "user-home"
    home.mkdir()
    (home / ".bashrc").write_text("# the learner's own\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ATTNQUIZ_SECRET", SECRET)
    aq_home = Path(os.environ["ATTNQUIZ_HOME"])
    aq_home.mkdir(parents=True, exist_ok=True)
    (aq_home / "progress.sqlite3").write_bytes(b"progress")
    watched = (home, aq_home, ROOT / "quizcli", ROOT / "questions", case)
    before = snapshot(*watched)
    listener = Listener(expected["listen_port"]) if "listen_port" in expected else None
    name = expected["exercise"] if expected.get("pass_exercise") else None
    marker = "aq" + os.urandom(6).hex()  # 14 characters: a process name keeps 15
    submission = tmp_path / "submission.py"
    submission.write_bytes((case / "submission.py").read_bytes().replace(b"aqsurvivor", marker.encode()))
    started = time.monotonic()
    try:
        graded = grade_file(submission, name, float(expected.get("timeout", 30)), zygote)
    finally:
        if listener:
            listener.close()
    took = time.monotonic() - started
    result = graded.result
    summary = f"{result.status} {result.verdict}: {result.message}\n" + "\n".join(
        f"  {t.status} {t.name}: {t.message[:300]}" for t in result.tests)
    assert result.status in expected.get("status_any", [expected.get("status")]), summary
    assert result.verdict in expected.get("verdict_any", [expected.get("verdict")]), summary
    if result.verdict not in ("syntax-error", "too-large") and "exercise" in expected:
        assert result.exercise == expected["exercise"], summary
    if "failing" in expected:
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
    if expected.get("bounded_messages"):
        assert all(len(t.message) < 5000 for t in result.tests), summary
    if expected.get("secret_not_in_output"):
        everything = json.dumps(result.to_json()) + result.other_output
        assert SECRET not in everything and str(home) not in everything and str(aq_home) not in everything
    if expected.get("clean_output"):
        everything = "".join([result.other_output] + [t.output + t.message for t in result.tests])
        assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) < 0xa0 for c in everything)
        json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")  # valid UTF-8, always
    if listener:
        assert not listener.reached, "the graded code reached 127.0.0.1"
    if "max_seconds" in expected:
        assert took < expected["max_seconds"], f"the grade took {took:.1f} s"
    zygote.settle()  # the grade's processes are killed while its result is shown: wait for that
    assert survivors(marker) == [], "a process the submission started outlived the grade"
    assert snapshot(*watched) == before, "the graded code changed a file outside its own folder"
    assert not (tmp_path / "__pycache__").exists(), "bytecode was written beside the graded file"


def test_every_verdict_has_a_golden_case() -> None:
    from quizcli.grader.result import VERDICTS

    seen = set()
    for case in CASES:
        expected = json.loads((case / "expected.json").read_text())
        seen.update(expected.get("verdict_any", [expected.get("verdict")]))
    untested = {"lost", "bad-answer", "too-large", "file-too-large", "signal"} - seen  # some have own tests
    assert set(VERDICTS) - untested <= seen
