"""The kernel calls and the sandbox, tested directly: Landlock confines a process, the worker reports
which protections it has (and still runs without them), and a process tree is killed whole."""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from quizcli.grader import kernel, sandbox

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox's kernel calls are Linux's")


def in_child(body) -> int:  # type: ignore[no-untyped-def]
    """Run `body()` in a forked child; its return value (a small int) is the exit code."""
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            code = body()
        finally:
            os._exit(code)
    return os.WEXITSTATUS(os.waitpid(pid, 0)[1])


@linux
def test_landlock_confines_reads_and_writes(tmp_path: Path) -> None:
    abi = kernel.landlock_abi()
    if not abi:
        pytest.skip("this kernel has no Landlock (or it is disabled)")
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")

    def body() -> int:
        kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
        kernel.landlock_restrict(sandbox.read_paths(), [str(inside)], abi)
        (inside / "ok.txt").write_text("fine")
        for attempt in (lambda: (outside / "new.txt").write_text("no"),
                        lambda: (outside / "secret.txt").read_text(),
                        lambda: Path(os.path.expanduser("~/.bashrc")).open("a").close()):
            try:
                attempt()
                return 1
            except PermissionError:
                pass
        return 0

    assert in_child(body) == 0
    assert (inside / "ok.txt").read_text() == "fine" and not (outside / "new.txt").exists()


@linux
def test_landlock_blocks_tcp_from_abi_4() -> None:
    abi = kernel.landlock_abi()
    if abi < 4:
        pytest.skip(f"Landlock ABI {abi} cannot restrict TCP (4 needed)")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def body() -> int:
        kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
        kernel.landlock_restrict(sandbox.read_paths(), [], abi)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2)
            return 1
        except PermissionError:
            return 0

    try:
        assert in_child(body) == 0
    finally:
        server.close()


def echo(sock: socket.socket) -> None:
    """A stand-in for the worker's request loop: says which ids and environment it got."""
    sock.sendall(f"{os.getpid()} {sorted(os.environ)}".encode())
    time.sleep(30)


@linux
def test_the_worker_reports_what_it_has_and_runs_without_the_rest(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no(*args: object) -> None:
        raise OSError(errno.EPERM, "not here")

    monkeypatch.setattr(kernel, "unshare", no)
    monkeypatch.setattr(kernel, "landlock_abi", lambda: 0)
    worker = sandbox.spawn(str(tmp_path), sandbox.Limits(), echo)
    try:
        said = worker.sock.recv(4096).decode()
        assert {"pid-namespace", "network-namespace", "landlock", "private-tmpfs"} <= set(worker.missing)
        assert "rlimits" in worker.protections and "clean-environment" in worker.protections
        assert "ATTNQUIZ_HOME" not in said and "'HOME'" in said  # HOME is the worker's own folder
    finally:
        stop(worker)


def stop(worker: sandbox.Worker) -> None:
    sandbox.kill_tree_of(worker.pid)
    os.kill(worker.pid, 9)
    os.waitpid(worker.pid, 0)


@linux
def test_with_namespaces_the_worker_is_pid_1(tmp_path: Path) -> None:
    worker = sandbox.spawn(str(tmp_path), sandbox.Limits(), echo)
    try:
        said = worker.sock.recv(4096).decode()
        if "pid-namespace" not in worker.protections:
            pytest.skip("unprivileged user namespaces are not available here")
        assert said.split()[0] == "1"
        assert "private-tmpfs" in worker.protections
    finally:
        stop(worker)


@linux
def test_kill_tree_takes_a_daemon_that_left_the_session() -> None:
    kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(write, f"{os.getpid()}\n".encode())
                time.sleep(60)
            os._exit(0)
        daemon = int(os.read(read, 64))
        os.waitpid(pid, 0)
        assert daemon in sandbox.tree(os.getpid()), "an orphan comes back to the subreaper"
        sandbox.kill_tree_of(os.getpid())
        time.sleep(0.05)
        sandbox.reap_children()
        assert not Path(f"/proc/{daemon}").exists()
    finally:
        kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 0)
