"""How long a re-grade takes in `attnquiz grade --watch`: from a save of the file to its verdict.

    .venv/bin/python benchmarks/regrade.py [--saves N]

For each exercise, runs `attnquiz grade SOLUTION --watch --json` (the zygote stays warm), saves the file
N times as editors do (a new file renamed over the old one), and reads the JSON line each save brings.
Prints the median and the worst time from save to verdict. Figures, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ATTNQUIZ = str(Path(sys.executable).parent / "attnquiz")


def next_line(proc: subprocess.Popen[bytes], timeout: float) -> dict[str, object]:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise TimeoutError("no verdict")
    line = proc.stdout.readline()
    result = json.loads(line)
    assert isinstance(result, dict)
    return result


def measure(solution: Path, saves: int, env: dict[str, str]) -> tuple[list[float], str]:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "mine.py"
        source = solution.read_text()
        path.write_text(source)
        proc = subprocess.Popen([ATTNQUIZ, "grade", str(path), "--watch", "--json"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
        try:
            first = next_line(proc, 120)
            times = []
            for index in range(saves):
                new = Path(work) / "mine.py.tmp"
                new.write_text(source + f"\n# save {index}\n")
                time.sleep(0.3)  # a learner does not save twice within a debounce window
                start = time.perf_counter()
                new.replace(path)
                result = next_line(proc, 60)
                times.append(time.perf_counter() - start)
                assert result["status"] == "pass", result
        finally:
            proc.terminate()
            proc.wait()
    return times, str(first["status"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from quizcli.grader.exercises import load_exercises

    env = dict(os.environ, ATTNQUIZ_HOME=tempfile.mkdtemp(prefix="attnquiz-bench-"))
    print(f"re-grade in --watch, from a save to its verdict ({args.saves} saves each; goal: median <= 0.3 s)")
    for exercise in load_exercises():
        times, _ = measure(exercise.solution, args.saves, env)
        median = statistics.median(times)
        mark = "meets goal" if median <= 0.3 else "MISSES goal"
        print(f"  {exercise.name:20s} median {median * 1000:6.0f} ms   worst {max(times) * 1000:6.0f} ms   {mark}")


if __name__ == "__main__":
    main()
