"""`attnquiz export`: a deck as an Anki package (genanki), CSV, or Markdown in the seed's format.

Anki ids are stable: the model id is fixed, the deck id comes from the deck's name and each note's GUID
from the deck name and card id, so importing a newer export into Anki updates notes instead of
duplicating them.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

from quizcli.cards import Card, Deck, unknown_message
from quizcli.errors import UsageError

FORMATS = ("anki", "csv", "markdown")
ANKI_MODEL_ID = 1607392319  # attnquiz basic model, fixed forever
ANKI_CSS = """.card { font-family: -apple-system, Segoe UI, sans-serif; font-size: 18px; text-align: left; }
pre { background: #f4f4f4; padding: 8px; overflow-x: auto; } .note { color: #666; font-size: 15px; }"""


EXTENSIONS = {"anki": ".apkg", "csv": ".csv", "markdown": ".md"}
MARKDOWN_CARRIES = ("format_version", "number", "question", "answer")  # the heading and the answer carry these


def target_for(fmt: str | None, output: Path | None, deck_name: str, force: bool) -> tuple[str, Path]:
    """The format and the file to write: the extension added when missing, an existing file refused."""
    by_suffix = {ext: kind for kind, ext in EXTENSIONS.items()} | {".markdown": "markdown"}
    if fmt is None:
        fmt = by_suffix.get(output.suffix.lower()) if output else None
        if fmt is None:
            raise UsageError("say which format: --format anki, csv or markdown (or -o a file ending in "
                             ".apkg, .csv or .md)")
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(unknown_message("format", fmt, list(FORMATS)))
    target = output or Path(deck_name)
    if not target.suffix or target.suffix.lower() not in by_suffix:
        target = target.with_name(target.name + EXTENSIONS[fmt])
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name with -o")
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; pass --force to overwrite it, or -o another file")
    return fmt, target


def _fields_of(card: Card) -> dict[str, Any]:
    """Every field of the card file except those the Markdown heading and answer carry, as written."""
    import yaml

    data: object = None
    if card.path is not None:
        try:
            data = yaml.safe_load(card.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            data = None
    if not isinstance(data, dict):  # the file is gone: what the card itself holds
        data = {"id": card.id, "title": card.title, "topics": list(card.topics)}
        data.update({k: v for k, v in (("notes", card.notes), ("exercise", card.exercise)) if v})
    fields = {k: v for k, v in data.items() if k not in MARKDOWN_CARRIES}
    if "\n" in card.question:
        fields["question"] = card.question
    return fields


def to_markdown(deck: Deck) -> str:
    """The import format, with each card's other fields in a ```yaml attnquiz block after its answer."""
    from quizcli.importer import FIELDS_FENCE, dump_yaml

    parts = [f"# {deck.title or deck.name}", ""]
    for card in deck:
        parts += [f"## Q{card.number}: {card.question.splitlines()[0]}", "**Answer:**", card.answer, "",
                  FIELDS_FENCE, dump_yaml(_fields_of(card)).rstrip("\n"), "```", ""]
    return "\n".join(parts)


def write_csv(deck: Deck, out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "number", "topics", "question", "answer"])
        for card in deck:
            writer.writerow([card.id, card.number, " ".join(card.topics), card.question, card.answer])


def _stable_id(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % (1 << 30) + (1 << 30)


def _html(markdown: str) -> str:
    """Markdown to HTML for Anki; $...$ becomes MathJax \\(...\\) so Anki renders it."""
    from markdown_it import MarkdownIt

    code_spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        code_spans.append(match.group(0))
        return f"\x00{len(code_spans) - 1}\x00"

    protected = re.sub(r"```.*?```|`[^`\n]*`", keep, markdown, flags=re.DOTALL)
    protected = re.sub(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$", lambda m: r"\\(" + m.group(1) + r"\\)", protected)
    restored = re.sub("\x00(\\d+)\x00", lambda m: code_spans[int(m.group(1))], protected)
    return str(MarkdownIt("commonmark").render(restored))


def write_anki(deck: Deck, out: Path) -> None:
    import genanki

    model = genanki.Model(
        ANKI_MODEL_ID, "attnquiz card",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Note"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                    "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<div class="note">{{Note}}</div>'}],
        css=ANKI_CSS, sort_field_index=3)
    anki_deck = genanki.Deck(_stable_id(f"attnquiz deck {deck.name}"), deck.title or deck.name)
    for card in deck:
        anki_deck.add_note(genanki.Note(
            model=model,
            fields=[_html(card.question), _html(card.answer), _html(card.notes) if card.notes else "", card.id],
            tags=list(card.topics),
            guid=genanki.guid_for("attnquiz", deck.name, card.id)))
    genanki.Package(anki_deck).write_to_file(str(out))


def export(deck: Deck, fmt: str, out: Path) -> None:
    if fmt not in FORMATS:
        raise UsageError(unknown_message("format", fmt, list(FORMATS)))
    try:
        if fmt == "markdown":
            out.write_text(to_markdown(deck), encoding="utf-8")
        elif fmt == "csv":
            write_csv(deck, out)
        else:
            write_anki(deck, out)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write: {exc.strerror or exc}") from None
