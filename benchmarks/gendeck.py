"""Write a generated deck of N cards (for the scale benchmark): python benchmarks/gendeck.py N DIR."""

from __future__ import annotations

import sys
from pathlib import Path

TOPICS = ["se", "cbam", "eca", "non-local", "spatial", "channel", "hard-soft", "transformers", "cost", "coding"]


def write_deck(count: int, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deck.yaml").write_text(f"name: generated-{count}\ntitle: Generated deck of {count}\n")
    for n in range(1, count + 1):
        topics = f"[{TOPICS[n % 10]}, {TOPICS[(n * 7 + 3) % 10]}]" if n % 7 else f"[{TOPICS[n % 10]}]"
        (directory / f"q{n:05d}.yaml").write_text(
            f"format_version: 1\nid: card-{n}\nnumber: {n}\ntitle: Generated card {n}\ntopics: {topics}\n"
            f"question: What is fact number {n} about attention?\n"
            f"answer: |\n  Fact {n}: attention re-weights features, $3 \\times 3$ and `code` included.\n"
            f"  *   a bullet point for card {n}\n"
            f"key_points:\n  - point: fact {n}\n    any: [fact, attention]\n")


if __name__ == "__main__":
    write_deck(int(sys.argv[1]), Path(sys.argv[2]))
