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
    # Run the usual layers forward and backward once before the fork, so that every child starts with
    # autograd and the kernels initialised (the first convolution backward costs ~0.4 s otherwise).
    x = torch.randn(2, 4, 6, 6, requires_grad=True)
    pooled = torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1)
    y = torch.sigmoid(torch.nn.Conv2d(2, 1, 7, padding=3, bias=False)(pooled)) * x
    z = torch.nn.functional.conv1d(y.mean((2, 3)).unsqueeze(1), torch.randn(1, 1, 3), padding=1)
    w = torch.softmax(torch.bmm(y.flatten(2).transpose(1, 2), y.flatten(2)), -1)
    u = torch.nn.functional.linear(y.mean((2, 3)), torch.randn(4, 4))
    torch.autograd.backward([y, z, w, u], [torch.ones_like(y), torch.ones_like(z), torch.ones_like(w),
                                           torch.ones_like(u)])
    y.double().sum()
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
        # The next grade's checker and worker are forked now, while attnquiz waits for a save; the
        # checker reads the command itself.
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                checker.kill_on_signal()
                code = 0 if checker.standby(1, 0) else 10
            except BaseException as exc:
                checker.internal_error(exc, traceback.format_exc(limit=12))
                code = 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 10:
            return  # attnquiz closed the pipe
        _write({"event": "end", "status": status})


if __name__ == "__main__":
    main()
