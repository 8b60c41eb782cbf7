"""`attnquiz grade` of the correct spatial attention file against its floor, `python -c "import torch"`.

Run: `make bench` (or `.venv/bin/python benchmarks/grading.py [--runs N]`). A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BIN, median_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, ATTNQUIZ_HOME=home)
        submission = Path(home) / "my_spatial.py"
        shutil.copy(ROOT / "questions" / "exercises" / "spatial-attention" / "solution.py", submission)
        floor = median_seconds([sys.executable, "-c", "import torch"], args.runs, env)
        graded = median_seconds([str(BIN / "attnquiz"), "grade", str(submission)], args.runs, env)
    print(f"floor  python -c 'import torch'                 {floor * 1000:7.1f} ms")
    print(f"attnquiz grade my_spatial.py (13 checks)         {graded * 1000:7.1f} ms  {graded / floor:4.2f}x floor")


if __name__ == "__main__":
    main()
