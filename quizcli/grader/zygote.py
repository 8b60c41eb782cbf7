"""The zygote: imports torch once, then forks a trusted checker for each grade attnquiz asks for.

Started by runner.py with an allow-listed environment and its own session. It reads one JSON command a
line on fd 0 and writes JSON events a line on fd 1 (the checker writes there too, while the zygote
waits for it). Fork happens before any thread pool starts: torch runs on one thread here.
"""

from __future__ import annotations

import contextlib
import json
import os
import traceback
import warnings


def _prepare() -> None:
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    torch.zeros(1) + 1  # touch the allocator before the fork, not in every child
    import quizcli.grader.checker
    import quizcli.grader.checklib
    import quizcli.grader.proxy
    import quizcli.grader.sandbox  # noqa: F401  (loaded once here, shared by every fork)


def _write(event: dict[str, object]) -> None:
    data = (json.dumps(event) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def main() -> None:
    from quizcli.grader import checker, kernel

    _prepare()
    with contextlib.suppress(OSError, AttributeError):
        kernel.prctl(kernel.PR_SET_DUMPABLE, 0)  # the learner's code may not read our memory or our fds
    _write({"event": "ready", "pid": os.getpid()})
    while True:
        line = checker.read_line(0, limit=1 << 20)
        if not line:
            return
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                checker.kill_on_signal()
                checker.run(request, 1, 0)
            except BaseException as exc:
                checker.internal_error(exc, traceback.format_exc(limit=12))
                code = 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        _write({"event": "end", "status": status})


if __name__ == "__main__":
    main()
