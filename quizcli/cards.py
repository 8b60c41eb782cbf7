"""Cards and decks: frozen dataclasses, loaded and validated from one YAML file per card."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from quizcli.errors import DeckError, UsageError

FORMAT_VERSION = 1
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "number", "title", "topics", "question", "answer")
OPTIONAL = ("format_version", "notes", "exercise", "key_points", "choices", "numeric")
MAX_CARD_BYTES = 1_000_000



def _yaml() -> tuple[Any, Any]:
    """PyYAML and its fastest safe loader, imported on first use: a cached deck never needs them."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KeyPoint(NamedTuple):
    """A point a typed answer must make: a claim (any one phrase) said of a subject (any one phrase).

    No subject: the question's own subject. `opposite` phrases say the reverse; a claim said of a `not_of`
    subject is a misattribution; after an `inverse` change ("a smaller r means ..."), a claim and its opposite
    swap. The old form `any: [...]` reads as claims with no subject.
    """

    point: str
    claim: tuple[str, ...]
    subject: tuple[str, ...] = ()
    opposite: tuple[str, ...] = ()
    not_of: tuple[str, ...] = ()
    implied: bool = False  # the question names the subject, so an answer may leave it out
    inverse: tuple[str, ...] = ()  # changes against the point ("smaller r"): what follows them reads reversed

    @property
    def phrases(self) -> tuple[str, ...]:
        return self.claim


class Choice(NamedTuple):
    """A multiple-choice question: one or more options are right ("select all that apply")."""

    prompt: str
    options: tuple[str, ...]
    correct: frozenset[int]
    explain: str


class Numeric(NamedTuple):
    """A question with an exact number for an answer (within `tolerance`), in `unit`."""

    prompt: str
    answer: float
    unit: str
    tolerance: float
    explain: str


@dataclass(frozen=True)
class Card:
    id: str
    number: int
    title: str
    topics: tuple[str, ...]
    question: str
    answer: str
    notes: str = ""
    exercise: str | None = None
    key_points: tuple[KeyPoint, ...] = ()
    choices: tuple[Choice, ...] = ()
    numeric: tuple[Numeric, ...] = ()
    path: Path | None = None

    @property
    def label(self) -> str:
        return f"Q{self.number}"


@dataclass(frozen=True)
class Deck:
    name: str  # keys progress: the name in deck.yaml, else the folder's name
    path: Path
    cards: tuple[Card, ...]
    title: str = ""

    def __iter__(self) -> Iterator[Card]:
        return iter(self.cards)

    def __len__(self) -> int:
        return len(self.cards)

    def topics(self) -> dict[str, int]:
        """Topic slug -> number of cards, sorted by slug."""
        counts: dict[str, int] = {}
        for card in self.cards:
            for topic in card.topics:
                counts[topic] = counts.get(topic, 0) + 1
        return dict(sorted(counts.items()))

    def with_topic(self, topic: str) -> list[Card]:
        known = self.topics()
        wanted = topic.strip().lower()
        if wanted not in known:
            raise UsageError(unknown_message("topic", topic, list(known)))
        return [card for card in self.cards if wanted in card.topics]

    def find(self, ref: str) -> Card:
        """A card by `Q4`, `4` or its id."""
        wanted = ref.strip().lower()
        number = wanted[1:] if wanted[:1] == "q" else wanted
        for card in self.cards:
            if card.id == wanted or (number.isdigit() and card.number == int(number)):
                return card
        names = [c.label for c in self.cards] + [c.id for c in self.cards]
        raise UsageError(unknown_message("card", ref, names))


def unknown_message(kind: str, value: str, valid: list[str]) -> str:
    """'unknown topic 'see'; did you mean 'se'? Valid topics: ...' in one line."""
    import difflib

    by_lower = {name.lower(): name for name in valid}
    close = [by_lower[m] for m in difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.5)]
    hint = f"; did you mean '{close[0]}'?" if close else "."
    return f"unknown {kind} '{value}'{hint} Valid {kind}s: {', '.join(valid)}"


def _line_of(text: str, field: str) -> int | None:
    match = re.search(rf"^{re.escape(field)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _fail(path: Path, text: str, field: str, problem: str) -> DeckError:
    line = _line_of(text, field)
    where = f"{path}:{line}" if line else str(path)
    return DeckError(f"{where}: field '{field}': {problem}")


def _text_field(path: Path, text: str, data: dict[str, Any], field: str, required: bool = True) -> str:
    value = data.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, text, field, "expected a non-empty string")
    return value.strip()


def _list_of_maps(path: Path, text: str, data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    items = data.get(field) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _fail(path, text, field, "expected a list of mappings")
    return items


def _key_points(path: Path, text: str, data: dict[str, Any]) -> tuple[KeyPoint, ...]:
    from quizcli.keypoints import parse_key_points  # the key-point format lives beside its judge

    return parse_key_points(path, text, _list_of_maps(path, text, data, "key_points"))


def _choices(path: Path, text: str, data: dict[str, Any]) -> tuple[Choice, ...]:
    choices = []
    for index, item in enumerate(_list_of_maps(path, text, data, "choices")):
        where = f"item {index + 1}"
        prompt, options = item.get("prompt", data.get("question")), item.get("options")
        if not isinstance(prompt, str) or not prompt.strip():
            raise _fail(path, text, "choices", f"{where}: 'prompt' must be a non-empty string")
        if not isinstance(options, list) or not 4 <= len(options) <= 5:
            raise _fail(path, text, "choices", f"{where}: 'options' must list 4 or 5 options")
        texts, correct = [], set()
        for number, option in enumerate(options):
            if not isinstance(option, dict) or not isinstance(option.get("text"), str):
                raise _fail(path, text, "choices", f"{where}, option {number + 1}: expected text (and correct: true)")
            texts.append(option["text"].strip())
            if option.get("correct") is True:
                correct.add(number)
        if not correct:
            raise _fail(path, text, "choices", f"{where}: no option is marked correct: true")
        choices.append(Choice(prompt.strip(), tuple(texts), frozenset(correct), str(item.get("explain", "")).strip()))
    return tuple(choices)


def _numeric(path: Path, text: str, data: dict[str, Any]) -> tuple[Numeric, ...]:
    questions = []
    for index, item in enumerate(_list_of_maps(path, text, data, "numeric")):
        where = f"item {index + 1}"
        prompt, answer, unit = item.get("prompt"), item.get("answer"), item.get("unit", "")
        tolerance = item.get("tolerance", 0)
        if not isinstance(prompt, str) or not prompt.strip():
            raise _fail(path, text, "numeric", f"{where}: 'prompt' must be a non-empty string")
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
            raise _fail(path, text, "numeric", f"{where}: 'answer' must be a finite number")
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
            raise _fail(path, text, "numeric", f"{where}: 'tolerance' must be a number of at least 0")
        questions.append(Numeric(prompt.strip(), float(answer), str(unit), float(tolerance),
                                 str(item.get("explain", "")).strip()))
    return tuple(questions)


def parse_card(path: Path, text: str) -> Card:
    """Validate one card's YAML text; every problem names the file, line and field."""
    yaml, loader = _yaml()
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and (mark is None or start.line != mark.line):
            problem += f" ({context} started on line {start.line + 1})"
        raise DeckError(f"{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise DeckError(f"{path}: a card must be a YAML mapping of fields, got {type(data).__name__}")
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail(path, text, "format_version", "expected a whole number")
    if version > FORMAT_VERSION:
        raise _fail(path, text, "format_version",
                    f"version {version} is newer than this attnquiz reads ({FORMAT_VERSION}); upgrade attnquiz")
    for field in REQUIRED:
        if field not in data:
            raise DeckError(f"{path}: missing required field '{field}'")
    unknown = sorted(set(map(str, data)) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _fail(path, text, unknown[0], f"unknown field (known: {', '.join(REQUIRED + OPTIONAL)})")
    card_id = data["id"]
    if not isinstance(card_id, str) or not SLUG.match(card_id):
        raise _fail(path, text, "id", "expected a slug such as 'se-cost' (lowercase letters, digits, dashes)")
    number = data["number"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise _fail(path, text, "number", "expected a whole number of at least 1")
    topics = data["topics"]
    if (not isinstance(topics, list) or not topics
            or not all(isinstance(t, str) and SLUG.match(t) for t in topics)):
        raise _fail(path, text, "topics", "expected a non-empty list of slugs such as [se, cost]")
    if len(set(topics)) != len(topics):
        raise _fail(path, text, "topics", f"a topic is listed twice: {topics}")
    exercise = data.get("exercise")
    if exercise is not None and (not isinstance(exercise, str) or not SLUG.match(exercise)):
        raise _fail(path, text, "exercise", "expected the slug of an exercise such as 'spatial-attention'")
    return Card(
        id=card_id,
        number=number,
        title=_text_field(path, text, data, "title"),
        topics=tuple(topics),
        question=_text_field(path, text, data, "question"),
        answer=_text_field(path, text, data, "answer"),
        notes=_text_field(path, text, data, "notes", required=False),
        exercise=exercise,
        key_points=_key_points(path, text, data),
        choices=_choices(path, text, data),
        numeric=_numeric(path, text, data),
        path=path,
    )


def read_card(path: Path) -> Card:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CARD_BYTES + 1)
        if len(raw) > MAX_CARD_BYTES:
            raise DeckError(f"{path}: card file is larger than {MAX_CARD_BYTES // 1000} kB")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    except OSError as exc:
        raise DeckError(f"{path}: cannot read card file: {exc.strerror or exc}") from None
    return parse_card(path, text)


DECK_FILE = "deck.yaml"


def read_deck_meta(directory: Path) -> dict[str, str]:
    """name and title from the deck's deck.yaml, if it has one."""
    meta_path = directory / DECK_FILE
    if not meta_path.is_file():
        return {}
    yaml, loader = _yaml()
    try:
        data = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DeckError(f"{meta_path}: cannot read deck file: {exc}") from None
    if not isinstance(data, dict):
        raise DeckError(f"{meta_path}: expected a mapping with name and title")
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not SLUG.match(name)):
        raise DeckError(f"{meta_path}: field 'name': expected a slug such as 'my-notes'")
    return {k: str(v) for k, v in data.items() if k in ("name", "title") and v is not None}


def card_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.name != DECK_FILE and p.is_file())


def duplicate_problems(cards: list[Card]) -> list[str]:
    """A line for every card whose id or number an earlier card already has, in file order."""
    problems = []
    ids: dict[str, Path | None] = {}
    numbers: dict[int, Path | None] = {}
    for card in cards:
        if card.id in ids:
            problems.append(f"{card.path}: field 'id': duplicate id '{card.id}' (also in {_name(ids[card.id])})")
        if card.number in numbers:
            problems.append(f"{card.path}: field 'number': duplicate number {card.number} "
                            f"(also in {_name(numbers[card.number])})")
        ids.setdefault(card.id, card.path)
        numbers.setdefault(card.number, card.path)
    return problems


def _name(path: Path | None) -> str:
    return path.name if path else "another card"


def load_deck(directory: Path, name: str | None = None) -> Deck:
    """Every card file in `directory`, sorted by number; ids and numbers must be unique."""
    if not directory.is_dir():
        raise DeckError(f"{directory}: deck folder not found")
    try:
        files = card_files(directory)
    except OSError as exc:
        raise DeckError(f"{directory}: cannot read deck folder: {exc.strerror or exc}") from None
    if not files:
        raise DeckError(f"{directory}: the deck has no cards (*.yaml files)")
    meta = read_deck_meta(directory)
    cards = [read_card(p) for p in files]
    clashes = duplicate_problems(cards)
    if clashes:
        raise DeckError(clashes[0])
    cards.sort(key=lambda c: c.number)
    return Deck(name=name or meta.get("name") or directory.name, path=directory, cards=tuple(cards),
                title=meta.get("title", ""))


def load_shipped_deck() -> Deck:
    from quizcli.paths import shipped_deck_dir

    return load_deck(shipped_deck_dir())


def resolve_deck(value: str | None) -> Path:
    """--deck: a folder, or the name of a deck in the data dir, or the shipped 'attention'; None: shipped."""
    from quizcli.paths import decks_dir, shipped_deck_dir

    if value is None or value == "attention":
        return shipped_deck_dir()
    as_path = Path(value).expanduser()
    if as_path.is_dir():
        return as_path
    if SLUG.match(value) and (decks_dir() / value).is_dir():
        return decks_dir() / value
    names = ["attention"] + [d.name for d in list_deck_dirs()]
    raise UsageError(unknown_message("deck", value, names) + " (or give a folder)")


def list_deck_dirs() -> list[Path]:
    """The learner's own decks, kept in the data dir."""
    from quizcli.paths import decks_dir

    base = decks_dir()
    return sorted(d for d in base.iterdir() if d.is_dir()) if base.is_dir() else []
