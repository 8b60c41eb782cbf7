"""Starting the sandboxed worker, and ending it with everything it started.

The checker forks a small supervisor, which enters new user, PID, network, mount and IPC namespaces
where the system allows them, and forks the worker as PID 1 of the new PID namespace (when PID 1 dies,
the kernel kills everything else in it). The worker mounts its own /proc and a size-capped tmpfs on its
working directory, sets its rlimits, no_new_privs and Landlock (files, TCP, signals), drops the
environment to an allow-list and serves requests on its socket. Whatever is missing is reported, and
the grade says so. The checker watches the tree (process count, total memory) and kills all of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from quizcli.grader import kernel
from quizcli.grader.spawn import allowed_env

EXIT_SETUP_FAILED = 95


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0
    memory_mb: int = 2048  # address space per process, and total resident memory of the whole tree
    file_mb: int = 64  # largest file, and the size of the tmpfs working directory
    open_files: int = 256
    processes: int = 32  # processes in the tree at once

    def to_json(self) -> dict[str, float]:
        return {"timeout": self.timeout, "memory_mb": self.memory_mb, "file_mb": self.file_mb,
                "open_files": self.open_files, "processes": self.processes}


@dataclass
class Worker:
    pid: int  # the supervisor (host PID); the worker is its only child
    sock: socket.socket
    output_fd: int
    protections: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def read_paths() -> list[str]:
    """What the worker may read: Python, its packages and the system's libraries; nothing of the user's."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(__file__).resolve().parent.parent)}
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    paths.update(("/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/localtime", "/dev/null", "/dev/zero",
                  "/dev/urandom", "/dev/random", "/dev/shm"))
    return sorted(p for p in paths if os.path.exists(p))


def spawn(workdir: str, limits: Limits, serve: Callable[[socket.socket], None]) -> Worker:
    """Fork the supervisor and the worker; return once the worker has reported its protections."""
    ours, theirs = socket.socketpair()
    out_r, out_w = os.pipe()
    status_r, status_w = os.pipe()
    checker = os.getpid()
    pid = os.fork()
    if pid == 0:  # the supervisor
        try:
            ours.close()
            os.close(out_r)
            os.close(status_r)
            _supervise(checker, theirs, out_w, status_w, workdir, limits, serve)
        finally:
            os._exit(EXIT_SETUP_FAILED)
    theirs.close()
    os.close(out_w)
    os.close(status_w)
    report = _read_report(status_r, deadline=time.monotonic() + 10)
    os.close(status_r)
    return Worker(pid, ours, out_r, report.get("protections", []), report.get("missing", []))


def _read_report(fd: int, deadline: float) -> dict[str, list[str]]:
    data = b""
    while b"\n" not in data and time.monotonic() < deadline and len(data) < 65536:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    try:
        report = json.loads(data.split(b"\n")[0])
    except ValueError:
        return {}
    return report if isinstance(report, dict) else {}


def _keep_only(fds: set[int]) -> None:
    for fd in sorted(int(name) for name in os.listdir("/proc/self/fd") if name.isdigit()) if os.path.isdir(
            "/proc/self/fd") else range(3, 1024):
        if fd not in fds and fd > 2:
            with contextlib.suppress(OSError):
                os.close(fd)


def _supervise(checker: int, sock: socket.socket, out_w: int, status_w: int, workdir: str, limits: Limits,
               serve: Callable[[socket.socket], None]) -> None:
    os.setsid()  # the terminal's Ctrl-C is attnquiz's to handle, not the learner's code's
    protections, missing = [], []
    linux = sys.platform.startswith("linux")
    if linux:
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != checker:
            os._exit(EXIT_SETUP_FAILED)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    _keep_only({sock.fileno(), status_w})
    namespaces = False
    if linux:
        uid, gid = os.getuid(), os.getgid()
        try:
            kernel.unshare(kernel.CLONE_NEWUSER | kernel.CLONE_NEWNS | kernel.CLONE_NEWPID | kernel.CLONE_NEWNET
                           | kernel.CLONE_NEWIPC | kernel.CLONE_NEWUTS)
            kernel.write_id_maps(uid, gid)
            namespaces = True
            protections += ["pid-namespace", "network-namespace", "mount-namespace"]
        except OSError:
            missing += ["pid-namespace", "network-namespace"]
        if not namespaces:
            with contextlib.suppress(OSError):
                kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
    child = os.fork()
    if child == 0:
        try:
            _enter_worker(sock, status_w, workdir, limits, namespaces, protections, missing, serve)
        finally:
            os._exit(EXIT_SETUP_FAILED)
    sock.close()
    os.close(status_w)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(EXIT_SETUP_FAILED)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):  # die the same way, so the checker reads the worker's fate from ours
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else EXIT_SETUP_FAILED)


def _enter_worker(sock: socket.socket, status_w: int, workdir: str, limits: Limits, namespaces: bool,
                  protections: list[str], missing: list[str], serve: Callable[[socket.socket], None]) -> None:
    linux = sys.platform.startswith("linux")
    if linux:
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
        kernel.prctl(kernel.PR_SET_DUMPABLE, 1)
    tmpfs = False
    if namespaces:
        try:
            kernel.mount("none", "/", None, kernel.MS_REC | kernel.MS_PRIVATE)
            kernel.mount("proc", "/proc", "proc", kernel.MS_NOSUID | kernel.MS_NODEV | kernel.MS_NOEXEC)
            kernel.mount("tmpfs", workdir, "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                         f"size={limits.file_mb}m,mode=0700")
            tmpfs = True
            protections.append("private-tmpfs")
        except OSError:
            missing.append("private-tmpfs")
    os.chdir(workdir)
    memory = limits.memory_mb * 1024 * 1024
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_FSIZE, limits.file_mb * 1024 * 1024),
                         (resource.RLIMIT_NOFILE, limits.open_files),
                         (resource.RLIMIT_NPROC, limits.processes),
                         (resource.RLIMIT_CPU, int(limits.timeout * 2) + 10)):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))
    protections.append("rlimits")
    if linux:
        abi = kernel.landlock_abi()
        proc = ["/proc"] if namespaces else [f"/proc/{os.getpid()}"]
        try:
            if not abi:
                raise OSError(95, "no Landlock")
            kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
            done = kernel.landlock_restrict(read_paths() + proc, [workdir, "/dev/null"], abi)
            protections.append("landlock-" + "+".join(done))
            if "tcp" not in done and not namespaces:
                missing.append("network")
        except OSError:
            missing.append("landlock")
    else:
        missing += ["landlock", "pid-namespace", "network-namespace"]
    if not tmpfs:
        missing.append("private-tmpfs")
    os.environ.clear()
    os.environ.update(allowed_env(workdir))
    protections.append("clean-environment")
    os.write(status_w, (json.dumps({"protections": protections, "missing": sorted(set(missing))}) + "\n").encode())
    os.close(status_w)
    serve(sock)


def tree(root: int) -> list[int]:
    """`root` and its descendants (host PIDs), found through /proc/<pid>/task/<tid>/children."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    queue.extend(int(c) for c in f.read().split())
            except OSError:
                continue
    return found


def resident_mb(pids: list[int]) -> float:
    """Memory the processes hold together: the sum of their proportional set sizes (a page shared by n
    processes, as after a fork, counts 1/n in each), or of their private resident pages where PSS is
    unavailable."""
    total_kb = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total_kb += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            continue
        except (OSError, ValueError, StopIteration):
            pass
        try:
            with open(f"/proc/{pid}/statm") as f:
                fields = f.read().split()
            total_kb += (int(fields[1]) - int(fields[2])) * os.sysconf("SC_PAGE_SIZE") / 1024
        except (OSError, ValueError, IndexError):
            continue
    return total_kb / 1024


REAPED: dict[int, int] = {}  # pid -> wait status, for the children reaped while killing


def reap_children() -> None:
    """Reap whatever of ours has exited, so a dead child stops being listed; keep its status."""
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                return
            REAPED[pid] = status


def kill_tree_of(root: int) -> None:
    """SIGKILL everything under `root` (not `root` itself), again until nothing is left: a fork bomb races
    us, and orphans come back to `root`, a child subreaper."""
    for _ in range(100):
        pids = tree(root)[1:]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        reap_children()
        time.sleep(0.002)
