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

from quizcli.cards import DECK_FILE, SLUG, read_deck_meta
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
    fields: dict[str, Any] = field(default_factory=dict)  # from the section's ```yaml attnquiz block


@dataclass
class ImportResult:
    deck_dir: Path
    written: list[Path] = field(default_factory=list)  # every card of the notes, new or not
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return len(self.written) - self.created - self.updated


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
        answer, fields, problem = split_fields(answer, f"{source}:{start + 1}")
        if problem:
            problems.append(problem)
            continue
        if points:  # the Markdown's own list; an export's ```yaml attnquiz block says it again, and wins
            fields.setdefault("key_points", points)
        sections.append(Section(int(match.group(1)), match.group(2).strip(), answer, start + 1, fields))
    if not any(HEADING.match(lines[i]) for i in heads):
        problems.append(f"{source}:1: no '## Q1: question' headings found")
    return title, sections, problems


FIELDS_FENCE = "```yaml attnquiz"  # the block export writes after each answer: every other field of the card


def split_fields(answer: str, where: str) -> tuple[str, dict[str, Any], str | None]:
    """(answer, fields, problem): the answer without its trailing ```yaml attnquiz block, and that block."""
    lines = answer.splitlines()
    starts = [i for i, ln in enumerate(lines) if ln.strip() == FIELDS_FENCE]
    if not starts:
        return answer, {}, None
    begin = starts[-1]
    close = next((i for i in range(begin + 1, len(lines)) if lines[i].rstrip() == "```"), None)
    if close is None or any(ln.strip() for ln in lines[close + 1:]):
        return answer, {}, f"{where}: the {FIELDS_FENCE} block must end with ``` and close the section; skipped"
    try:
        fields = yaml.safe_load("\n".join(lines[begin + 1:close])) or {}
    except yaml.YAMLError as exc:
        return answer, {}, f"{where}: the {FIELDS_FENCE} block is not valid YAML ({exc}); skipped"
    if not isinstance(fields, dict):
        return answer, {}, f"{where}: the {FIELDS_FENCE} block must be a mapping of fields; skipped"
    return "\n".join(lines[:begin]).strip(), fields, None


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


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML as a person would write it: fields in order, multi-line text as `|` blocks."""
    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value.strip("\n") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)

    def sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        flat = all(isinstance(item, (str, int, float)) and "\n" not in str(item) for item in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat and len(value) <= 8)

    Dumper.add_representer(str, text)
    Dumper.add_representer(list, sequence)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110)


def deck_name_for(notes: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", notes.stem.lower()).strip("-")
    return name if SLUG.match(name) else "notes"


def import_notes(notes: Path, out: Path | None) -> ImportResult:
    """Write (or merge into) a deck folder the cards of `notes`; an import with no cards writes nothing."""
    from quizcli.paths import decks_dir

    try:
        text = notes.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{notes}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{notes}: cannot read: {exc.strerror or exc}") from None
    title, sections, problems = parse_notes(text, str(notes))
    target = out or decks_dir() / deck_name_for(notes)
    result = ImportResult(deck_dir=target, problems=problems)
    if not sections:
        return result
    target.mkdir(parents=True, exist_ok=True)
    if not read_deck_meta(target).get("name"):
        (target / DECK_FILE).write_text(dump_yaml({"name": deck_name_for(notes), "title": title or notes.stem}),
                                        encoding="utf-8")
    from quizcli.merge import existing_cards, merge_card

    existing, unreadable = existing_cards(target)
    taken = {card.data["id"] for card in existing.values()}
    for section in sections:
        broken = [p for p in unreadable if p.name.startswith(f"q{section.number:02d}-")]
        if section.number not in existing and broken:
            result.problems.append(f"{broken[0]}: cannot be read, so Q{section.number} was not imported (it "
                                   f"would have made a second card); fix it (attnquiz validate {target}), import again")
            continue
        outcome = merge_card(section, existing.get(section.number), notes, target, taken)
        taken.add(outcome.card_id)
        result.written.append(outcome.path)
        result.created += outcome.created
        result.updated += outcome.updated
        result.conflicts += outcome.conflicts
    return result
