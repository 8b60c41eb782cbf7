"""Every speed and memory figure of attnquiz in one run, each as a ratio to its floor on this machine.

    make bench        (or: .venv/bin/python benchmarks/run.py [--runs N] [--quick])

- start-up: `attnquiz --help` and `study` to its first card vs `python -c "import typer, rich, yaml"`
- grading: `attnquiz grade` of the correct spatial attention file vs `python -c "import torch"` (and
  benchmarks/regrade.py: save to verdict in `grade --watch`)
- scale: `list`, `stats` and `study` on generated decks of 1,000 and 10,000 cards vs a process that
  parses the same files with PyYAML's C loader (warm: the parsed-deck cache is valid; cold: the first
  start after a change); and how the cost grows from 1k to 10k
- memory: peak resident memory of `study` on the shipped deck

Figures, not tests: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from gendeck import write_deck  # noqa: E402

BIN = Path(sys.executable).parent
ATTNQUIZ = str(BIN / "attnquiz")
PARSE_FLOOR = ("import sys, pathlib, yaml\n"
               "for p in sorted(pathlib.Path(sys.argv[1]).glob('q*.yaml')):\n"
               "    yaml.load(p.read_bytes().decode('utf-8'), Loader=yaml.CSafeLoader)\n")


def seconds(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(cmds: list[list[str]], runs: int, env: dict[str, str]) -> list[float]:
    """Median seconds of each command, run in turn within each round, so that drift in the machine's
    speed falls on the floor and the commands alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for index, cmd in enumerate(cmds):
            times[index].append(seconds(cmd, 1, env))
    return [statistics.median(t) for t in times]


def peak_mib(cmd: list[str], env: dict[str, str]) -> float:
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def row(name: str, value: float, floor: float, goal: float | None, unit: str = "ms") -> None:
    ratio = value / floor
    verdict = "" if goal is None else ("  meets goal" if ratio <= goal else "  MISSES goal")
    goal_text = f"  (goal {goal:g}x)" if goal else ""
    shown = value * 1000 if unit == "ms" else value
    print(f"  {name:44s} {shown:9.1f} {unit}  {ratio:5.2f}x floor{goal_text}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--quick", action="store_true", help="fewer runs, 1k deck only")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "quizcli")], check=True)
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, ATTNQUIZ_HOME=str(Path(work) / "home"), COLUMNS="100")
        seconds([ATTNQUIZ, "stats"], 1, env)  # warm-up: the store is created once, as on any second day

        print("start-up")
        cases = (("attnquiz --help", [ATTNQUIZ, "--help"], 1.3),  # goals: issue 6 (1.3x), issue 2 (1.5x)
                 ("attnquiz study (to the first card)", [ATTNQUIZ, "study"], 1.3),
                 ("attnquiz list", [ATTNQUIZ, "list"], 1.5),
                 ("attnquiz drill --topic se (to the first card)", [ATTNQUIZ, "drill", "--topic", "se"], 1.5),
                 ("attnquiz stats (charts; no start-up goal)", [ATTNQUIZ, "stats"], None))
        floor, *values = interleaved([[sys.executable, "-c", "import typer, rich, yaml"]]
                                     + [cmd for _, cmd, _ in cases], runs, env)
        print(f"  floor: python -c 'import typer, rich, yaml'      {floor * 1000:9.1f} ms")
        for (name, _, goal), value in zip(cases, values, strict=True):
            row(name, value, floor, goal)

        print("grading")
        submission = Path(work) / "my_spatial.py"
        shutil.copy(ROOT / "questions" / "exercises" / "spatial-attention" / "solution.py", submission)
        torch_floor, graded = interleaved([[sys.executable, "-c", "import torch"],
                                           [ATTNQUIZ, "grade", str(submission)]], max(3, runs // 2), env)
        print(f"  floor: python -c 'import torch'                  {torch_floor * 1000:9.1f} ms")
        row("attnquiz grade my_spatial.py", graded, torch_floor, 1.15)  # issue 9: one torch import, warm forks

        print("scale (generated decks)")
        sizes = (1000,) if args.quick else (1000, 10000)
        per_size: dict[int, dict[str, float]] = {}
        for size in sizes:
            deck = Path(work) / f"deck{size}"
            write_deck(size, deck)
            scale_runs = 3 if size >= 10000 else max(3, runs // 2)
            names = ("list", "stats", "study")
            floor, *values = interleaved([[sys.executable, "-c", PARSE_FLOOR, str(deck)]]
                                         + [[ATTNQUIZ, name, "--deck", str(deck)] for name in names], scale_runs, env)
            print(f"  {size} cards, floor: parse them with the C loader  {floor * 1000:9.1f} ms")
            per_size[size] = dict(zip(names, values, strict=True))
            for name, value in per_size[size].items():
                row(f"attnquiz {name} --deck ({size} cards)", value, floor, 2.0)
            cold = []
            for _ in range(scale_runs):  # the first start after an edit parses everything and writes the cache
                shutil.rmtree(Path(env["ATTNQUIZ_HOME"]) / "cache", ignore_errors=True)
                cold.append(seconds([ATTNQUIZ, "list", "--deck", str(deck)], 1, env))
            row(f"  the same list with no cache yet ({size} cards)", statistics.median(cold), floor, 2.0)
        if len(sizes) == 2:
            for name in ("list", "stats", "study"):
                growth = per_size[10000][name] / per_size[1000][name]
                print(f"  {name}: 10k cards take {growth:.1f}x the time of 1k (linear would be at most 10x)")

        print("memory")
        mib = peak_mib([ATTNQUIZ, "study"], env)
        print(f"  peak resident memory of attnquiz study (shipped deck)   {mib:6.1f} MiB  (goal 60 MiB)"
              f"{'  meets goal' if mib <= 60 else '  MISSES goal'}")
        print(f"  (this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
