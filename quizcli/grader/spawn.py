"""Starting the zygote process, with nothing else loaded: `attnquiz grade` starts it first thing, so that
PyTorch loads while attnquiz itself starts, parses its arguments and reads the learner's file."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv.pop(1)); from quizcli.grader.zygote import main; main()"
_early: tuple[subprocess.Popen[bytes], str] | None = None


def allowed_env(home: str) -> dict[str, str]:
    """An allow-list: nothing of the user's environment (HOME, ATTNQUIZ_*, tokens) reaches the zygote,
    whose memory every worker inherits; each worker starts again from it, with its own folder as `home`."""
    keep = ("LANG", "LC_ALL", "LC_CTYPE", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(PATH="/usr/bin:/bin", HOME=home, TMPDIR=home, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore")
    return env


def _pdeathsig() -> None:
    with contextlib.suppress(Exception):
        from quizcli.grader import kernel

        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)


def start() -> tuple[subprocess.Popen[bytes], str]:
    """A new zygote process and its home folder (the early one, if `early()` started it)."""
    global _early
    if _early is not None:
        started, _early = _early, None
        return started
    home = tempfile.mkdtemp(prefix="attnquiz-zygote-")
    cmd = [sys.executable, "-I", "-B", "-c", BOOTSTRAP, str(PACKAGE_ROOT)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=home, env=allowed_env(home), start_new_session=True,
                                preexec_fn=_pdeathsig if sys.platform.startswith("linux") else None)
    except OSError:
        os.rmdir(home)
        raise
    return proc, home


def end(proc: subprocess.Popen[bytes], home: str) -> None:
    """End a zygote: SIGTERM to its group (the checker takes its worker's tree down), SIGKILL after half a
    second; then its pipes are closed and its folder removed."""
    for sig, grace in ((signal.SIGTERM, 0.5), (signal.SIGKILL, 2.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        with contextlib.suppress(OSError):
            if stream:
                stream.close()
    if home:
        import shutil

        shutil.rmtree(home, ignore_errors=True)


def early(argv: list[str]) -> None:
    """For `attnquiz grade ...` (not its --help), start the zygote now; the command adopts it. Without
    torch, nothing is started (grade then says how to get it)."""
    global _early
    if len(argv) < 2 or argv[1] != "grade" or any(a in ("--help", "-h") for a in argv[2:]):
        return
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return
    with contextlib.suppress(OSError):
        _early = start()
        import atexit

        atexit.register(_discard)


def _discard() -> None:
    """At exit, an early zygote that no grade adopted (the command failed first) is ended, its folder
    removed."""
    global _early
    if _early is None:
        return
    (proc, home), _early = _early, None
    end(proc, home)
