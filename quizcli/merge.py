"""Importing notes again without losing anything: a three-way merge of each card's fields.

Each imported card file remembers, in a comment, a digest of every field the notes gave it. On the next
import a field is updated only if the YAML still holds what the notes last gave (you did not edit it);
kept if the notes did not change it (your edit wins); and if both changed, the YAML keeps yours, the
notes' version is written beside the card (`<card>.yaml.conflict`) and the conflict is reported.
Fields the notes do not carry (topics, key points, quiz questions, notes, exercise, unless the notes
have a ```yaml attnquiz block) are never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from quizcli.cards import SLUG, card_files

if TYPE_CHECKING:
    from quizcli.importer import Section

DIGEST_LINE = re.compile(r"^# import-digest: (.*)$", re.MULTILINE)
DERIVED = ("title", "topics")  # guessed from the text when the notes do not give them: never a conflict


@dataclass
class Existing:
    path: Path
    text: str
    data: dict[str, Any]
    digests: dict[str, str]


@dataclass
class Outcome:
    card_id: str
    path: Path
    created: bool = False
    updated: bool = False
    conflicts: list[str] = field(default_factory=list)


def digest(value: object) -> str:
    canonical = json.dumps(value.strip() if isinstance(value, str) else value, sort_keys=True,
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def existing_cards(directory: Path) -> tuple[dict[int, Existing], list[Path]]:
    """number -> the card file already in the folder (its text, data and import digests); and the card
    files that cannot be read."""
    found: dict[int, Existing] = {}
    unreadable: list[Path] = []
    for path in card_files(directory):
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            unreadable.append(path)
            continue
        if isinstance(data, dict) and isinstance(data.get("number"), int) and isinstance(data.get("id"), str):
            match = DIGEST_LINE.search(text)
            digests = dict(part.split("=", 1) for part in match.group(1).split() if "=" in part) if match else {}
            found.setdefault(data["number"], Existing(path, text, data, digests))
        else:
            unreadable.append(path)
    return found, unreadable


def incoming_fields(section: Section) -> tuple[dict[str, Any], set[str]]:
    """The card's fields as the notes give them, and which of them were guessed rather than given."""
    from quizcli.importer import guess_topics

    given = {k: v for k, v in section.fields.items() if k not in ("number", "format_version", "answer")}
    fields: dict[str, Any] = {"question": section.question, "answer": section.answer + "\n"}
    fields.update(given)
    guessed = set()
    if "title" not in given:
        fields["title"] = section.question.rstrip("?.").strip()[:80]
        guessed.add("title")
    if "topics" not in given:
        fields["topics"] = guess_topics(section)
        guessed.add("topics")
    return fields, guessed


def _same(a: object, b: object) -> bool:
    return digest(a) == digest(b)


def merge_card(section: Section, old: Existing | None, notes: Path, target: Path, taken: set[str]) -> Outcome:
    from quizcli.importer import dump_yaml, slug_for

    fields, guessed = incoming_fields(section)
    block_id = fields.pop("id", None)
    if old is None:
        card_id = block_id if isinstance(block_id, str) and SLUG.match(block_id) and block_id not in taken \
            else slug_for(section.question, taken)
        path = target / f"q{section.number:02d}-{card_id}.yaml"
        n = 2
        while path.exists():
            path, n = target / f"q{section.number:02d}-{card_id}-{n}.yaml", n + 1
        data: dict[str, Any] = {"format_version": 1, "id": card_id, "number": section.number}
        data.update((k, v) for k, v in _ordered(fields))
        carried = {k: digest(v) for k, v in fields.items() if k not in guessed or k == "title"}
        _write(path, notes, section, data, carried, dump_yaml)
        return Outcome(card_id, path, created=True)
    outcome = Outcome(old.data["id"], old.path)
    data = dict(old.data)
    digests = dict(old.digests)
    incoming_conflicts: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "topics" and name in guessed:
            continue  # guessed topics never replace the card's
        current, last = data.get(name), old.digests.get(name)
        if name not in data:
            if last is None or last != digest(value):
                data[name] = value
                digests[name] = digest(value)
        elif _same(current, value):
            digests[name] = digest(value)
        elif last is not None and digest(current) == last:
            data[name] = value  # unchanged in the YAML since the last import: the notes' new text
            digests[name] = digest(value)
        elif (last is not None and digest(value) == last) or name in guessed:
            continue  # edited in the YAML, not in the notes (or only re-guessed): the YAML's stays
        else:
            incoming_conflicts[name] = value
    if incoming_conflicts:
        side = old.path.with_name(old.path.name + ".conflict")
        side.write_text(f"# {notes.name}, Q{section.number} (line {section.line}) says this; the card keeps its "
                        "own text.\n# Copy what you want into the card, then delete this file.\n"
                        + dump_yaml(incoming_conflicts), encoding="utf-8")
        for name in incoming_conflicts:
            outcome.conflicts.append(f"{old.path}: field '{name}': changed both in the card and in {notes.name} "
                                     f"(line {section.line}); kept the card's, the notes' version is in {side.name}")
    if data != old.data or digests != old.digests:
        outcome.updated = data != old.data
        _write(old.path, notes, section, data, digests, dump_yaml)
    return outcome


def _ordered(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    order = ("title", "topics", "question", "answer")
    return [(k, fields[k]) for k in order if k in fields] + [(k, v) for k, v in fields.items() if k not in order]


def _write(path: Path, notes: Path, section: Section, data: dict[str, Any], digests: dict[str, str],
           dump: Any) -> None:
    stamp = " ".join(f"{k}={v}" for k, v in sorted(digests.items()))
    path.write_text(f"# Imported from {notes.name}, line {section.line}. Edit freely: importing again keeps "
                    f"your edits.\n# import-digest: {stamp}\n" + dump(data), encoding="utf-8")
