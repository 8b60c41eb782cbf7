"""The console entry point. Before the command line is even parsed, `attnquiz grade` starts loading
PyTorch in its grading process (quizcli.grader.spawn), so the two start-ups overlap."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["grade"]:  # any other command loads nothing more for this
        from quizcli.grader import spawn

        spawn.early(sys.argv)
    from quizcli.cli import main as cli_main

    cli_main()
