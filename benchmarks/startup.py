"""Start-up time of attnquiz commands against their floor, `python -c "import typer, rich, yaml"`.

Run: `make bench` (or `.venv/bin/python benchmarks/startup.py [--runs N]`). Prints medians and ratios;
a figure, not a pass/fail test. Progress goes to a temporary ATTNQUIZ_HOME.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def median_seconds(cmd: list[str], runs: int, env: dict[str, str], stdin: str = "") -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, text=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    attnquiz = str(BIN / "attnquiz")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, ATTNQUIZ_HOME=home, COLUMNS="100")
        floor = median_seconds([sys.executable, "-c", "import typer, rich, yaml"], args.runs, env)
        cases = {
            "attnquiz --help": ([attnquiz, "--help"], ""),
            "attnquiz list": ([attnquiz, "list"], ""),
            "attnquiz stats": ([attnquiz, "stats"], ""),
            # First card shown, then end of input ends the session cleanly.
            "attnquiz study (to first card)": ([attnquiz, "study"], ""),
            "attnquiz drill --topic se (to first card)": ([attnquiz, "drill", "--topic", "se"], ""),
        }
        print(f"floor  python -c 'import typer, rich, yaml'  {floor * 1000:7.1f} ms")
        for name, (cmd, stdin) in cases.items():
            seconds = median_seconds(cmd, args.runs, env, stdin)
            print(f"{name:45s} {seconds * 1000:7.1f} ms  {seconds / floor:4.2f}x floor")


if __name__ == "__main__":
    main()
