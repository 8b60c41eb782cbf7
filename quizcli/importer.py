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
KEY_POINTS = re.compile(r"^\*\*Key points:?\*\*:?\s*$", re.IGNORECASE)
KEY_POINT_LISTS = ("subject", "claim", "opposite", "not_of", "inverse")
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
    key_points: list[dict[str, Any]] = field(default_factory=list)


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
        rest, points, bad = split_key_points(body[answer_at + 1:], start + answer_at + 3, source)
        problems += bad
        answer = "\n".join(([first.group(1)] if first.group(1) else []) + rest).strip()
        if not answer:
            problems.append(f"{where}: section 'Q{match.group(1)}' has an empty answer; skipped")
            continue
        sections.append(Section(int(match.group(1)), match.group(2).strip(), answer, start + 1, points))
    if not any(HEADING.match(lines[i]) for i in heads):
        problems.append(f"{source}:1: no '## Q1: question' headings found")
    return title, sections, problems


def split_key_points(lines: list[str], first_line: int,
                     source: str) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """The answer's lines without its `**Key points:**` list, the points, and problems (`source:line`).

    Each bullet is a point, optionally followed by `| subject: a, b | claim: c, d | opposite: e | not_of: f`;
    with no claim, the point's own words are its claim.
    """
    at = next((i for i, line in enumerate(lines) if KEY_POINTS.match(line.strip())), None)
    if at is None:
        return lines, [], []
    points: list[dict[str, Any]] = []
    problems: list[str] = []
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or re.match(r"^\s*[-*]\s+", lines[end])):
        line = lines[end].strip()
        end += 1
        if not line:
            continue
        text, *fields = [part.strip() for part in re.sub(r"^[-*]\s+", "", line).split("|")]
        point: dict[str, Any] = {"point": text}
        for item in fields:
            name, colon, value = item.partition(":")
            name = name.strip().lower().replace("-", "_").replace(" ", "_")
            phrases = [v.strip() for v in value.split(",") if v.strip()]
            if not colon or name not in KEY_POINT_LISTS or not phrases:
                problems.append(f"{source}:{first_line + end - 1}: key point '{item}': expected NAME: phrase, "
                                f"phrase with NAME one of {', '.join(KEY_POINT_LISTS)}; ignored")
                continue
            point[name] = phrases
        if text:
            point.setdefault("claim", [text])
            points.append(point)
    return lines[:at] + lines[end:], points, problems


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
        if section.key_points:
            data["key_points"] = section.key_points
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
