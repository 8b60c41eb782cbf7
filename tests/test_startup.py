"""The everyday commands never import torch: only the grader's child process does."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
sys.argv = ["attnquiz", *sys.argv[1:]]
from quizcli.cli import main
try:
    main()
except SystemExit:
    pass
print("\\nTORCH-IMPORTED" if "torch" in sys.modules else "\\nNO-TORCH", file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["list"], ["topics"], ["show", "Q10"], ["study"],
                                  ["drill", "--topic", "se"], ["stats"], ["quiz", "--count", "2"],
                                  ["stats", "--exam", "2030-01-01"]])
def test_command_does_not_import_torch(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], input="\n3\nq\n", capture_output=True,
                            text=True, timeout=60)
    assert result.stderr.strip().endswith("NO-TORCH"), result.stderr
