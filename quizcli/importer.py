"""`attnquiz import`: Markdown notes in the seed's format (`## Q1: question`, `**Answer:**`) to YAML cards.

A section it cannot read is reported with its line number and the rest is still imported. Importing the
same file again updates the cards in place: a card keeps its id (and so its progress) by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizcli.cards import DECK_FILE, SLUG, card_files, read_deck_meta
from quizcli.errors import UsageError

HEADING = re.compile(r"^##\s+Q(\d+)\s*[:.)-]\s*(.+?)\s*$")
ANSWER = re.compile(r"^\*\*Answer:?\*\*:?\s*(.*)$")
TOPIC_WORDS = {
    "se": ("squeeze", "excitation", " se ", "se block", "(se)"),
    "cbam": ("cbam",),
    "eca": ("eca",),
    "non-local": ("non-local", "nonlocal", "non local"),
    "spatial": ("spatial",),
    "channel": ("channel",),
    "hard-soft": ("hard", "soft attention"),
    "transformers": ("transformer",),
    "cost": ("cost", "flop", "parameter"),
    "coding": ("implement", "```"),
}
STOP = {"what", "is", "the", "a", "an", "of", "in", "and", "to", "does", "do", "how", "why", "can", "be",
        "between", "difference", "explain", "concept", "used", "any", "are", "with", "for", "use"}


@dataclass
class Section:
    number: int
    question: str
    answer: str
    line: int


@dataclass
class ImportResult:
    deck_dir: Path
    written: list[Path] = field(default_factory=list)
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def parse_notes(text: str, source: str) -> tuple[str, list[Section], list[str]]:
    """(title, sections, problems) from the Markdown text; each problem names `source:line`.

    Every level-2 heading outside a code fence starts a section; one not of the form `## Qn: question`
    is reported and its section skipped, so it never runs into the previous answer.
    """
    lines = text.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
    heads: list[int] = []
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            heads.append(i)
    sections, problems = [], []
    for index, start in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(lines)
        where = f"{source}:{start + 1}"
        match = HEADING.match(lines[start])
        if not match:
            problems.append(f"{where}: heading {lines[start].strip()!r} is not of the form '## Q1: question'; "
                            "skipped")
            continue
        body = lines[start + 1:end]
        answer_at = next((j for j, ln in enumerate(body) if ANSWER.match(ln.strip())), None)
        if answer_at is None:
            problems.append(f"{where}: section 'Q{match.group(1)}' has no **Answer:** line; skipped")
            continue
        first = ANSWER.match(body[answer_at].strip())
        assert first is not None
        answer = "\n".join(([first.group(1)] if first.group(1) else []) + body[answer_at + 1:]).strip()
        if not answer:
            problems.append(f"{where}: section 'Q{match.group(1)}' has an empty answer; skipped")
            continue
        sections.append(Section(int(match.group(1)), match.group(2).strip(), answer, start + 1))
    if not any(HEADING.match(lines[i]) for i in heads):
        problems.append(f"{source}:1: no '## Q1: question' headings found")
    return title, sections, problems


def guess_topics(section: Section) -> list[str]:
    text = f" {section.question} {section.answer} ".lower()
    found = [topic for topic, words in TOPIC_WORDS.items() if any(w in text for w in words)]
    return found or ["general"]


def slug_for(question: str, taken: set[str]) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", question.lower()) if w not in STOP][:4] or ["card"]
    base = "-".join(words)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class _Literal(str):
    pass


def _dump(data: dict[str, Any]) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")

    Dumper.add_representer(_Literal, literal)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110)


def deck_name_for(notes: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", notes.stem.lower()).strip("-")
    return name if SLUG.match(name) else "notes"


def import_notes(notes: Path, out: Path | None) -> ImportResult:
    from quizcli.paths import decks_dir

    try:
        text = notes.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{notes}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{notes}: cannot read: {exc.strerror or exc}") from None
    title, sections, problems = parse_notes(text, str(notes))
    target = out or decks_dir() / deck_name_for(notes)
    target.mkdir(parents=True, exist_ok=True)
    result = ImportResult(deck_dir=target, problems=problems)
    existing = _existing_ids(target)
    meta = read_deck_meta(target)
    if not meta.get("name"):
        (target / DECK_FILE).write_text(_dump({"name": deck_name_for(notes), "title": title or notes.stem}),
                                        encoding="utf-8")
    taken = set(existing.values())
    for section in sections:
        card_id = existing.get(section.number) or slug_for(section.question, taken)
        taken.add(card_id)
        path = target / f"q{section.number:02d}-{card_id}.yaml"
        for old in target.glob(f"q{section.number:02d}-*.yaml"):
            if old != path:
                old.unlink()
        result.updated += section.number in existing
        data: dict[str, Any] = {
            "format_version": 1, "id": card_id, "number": section.number,
            "title": section.question.rstrip("?.").strip()[:80], "topics": guess_topics(section),
            "question": section.question, "answer": _Literal(section.answer + "\n"),
        }
        path.write_text(f"# Imported from {notes.name}, line {section.line}. Topics were guessed: edit freely.\n"
                        + _dump(data), encoding="utf-8")
        result.written.append(path)
    return result


def _existing_ids(directory: Path) -> dict[int, str]:
    """number -> id of the cards already in the folder, so a re-import keeps ids and progress."""
    found = {}
    for path in card_files(directory):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("number"), int) and isinstance(data.get("id"), str):
            found[data["number"]] = data["id"]
    return found
