from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from quizcli.cards import load_shipped_deck
from quizcli.deckcache import _cache_file, load_deck_cached
from quizcli.errors import DeckError

SHIPPED = load_shipped_deck()


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    target = tmp_path / "deck"
    shutil.copytree(SHIPPED.path, target)
    return target


def test_cached_deck_equals_the_parsed_one_and_is_reused(deck_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_deck_cached(deck_dir)
    assert _cache_file(deck_dir).is_file()
    assert [c.id for c in first] == [c.id for c in SHIPPED] and first.cards[3].key_points == SHIPPED.cards[3].key_points

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again although nothing changed")

    monkeypatch.setattr("quizcli.deckcache.load_deck", no_parsing)
    assert load_deck_cached(deck_dir) == first


def test_an_edit_a_new_card_or_a_deleted_one_means_a_fresh_parse(deck_dir: Path) -> None:
    load_deck_cached(deck_dir)
    card = next(deck_dir.glob("q04-*.yaml"))
    text = card.read_text()
    card.write_text(text.replace("**Negligible.**", "**Tiny.**"))
    os.utime(card, ns=(1, 10**18))  # even with an mtime that went backwards or sideways, the size changed
    assert load_deck_cached(deck_dir).find("Q4").answer.startswith("**Tiny.**")
    extra = deck_dir / "q11.yaml"
    extra.write_text(text.replace("id: se-cost", "id: extra").replace("number: 4", "number: 11"))
    assert len(load_deck_cached(deck_dir)) == 11
    extra.unlink()
    assert len(load_deck_cached(deck_dir)) == 10


def test_a_broken_cache_is_ignored(deck_dir: Path) -> None:
    load_deck_cached(deck_dir)
    _cache_file(deck_dir).write_bytes(b"not a pickle")
    assert len(load_deck_cached(deck_dir)) == 10


def test_errors_still_come_from_the_loader(deck_dir: Path, tmp_path: Path) -> None:
    load_deck_cached(deck_dir)
    (deck_dir / "bad.yaml").write_text("id: [")
    with pytest.raises(DeckError, match="bad.yaml"):
        load_deck_cached(deck_dir)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DeckError, match="no cards"):
        load_deck_cached(tmp_path / "empty")


def test_a_new_parser_means_a_fresh_parse(deck_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quizcli.deckcache as deckcache

    first = load_deck_cached(deck_dir)
    parsed: list[Path] = []
    real = deckcache.load_deck

    def counting(directory: Path) -> object:
        parsed.append(directory)
        return real(directory)

    monkeypatch.setattr(deckcache, "load_deck", counting)
    assert load_deck_cached(deck_dir) == first and parsed == []
    monkeypatch.setattr(deckcache, "parser_version", lambda: (("cards.py", 1, 2),))  # cards.py was edited
    assert load_deck_cached(deck_dir) == first and parsed == [deck_dir]


def test_the_parser_version_follows_the_parser_module() -> None:
    from quizcli.deckcache import parser_version

    names = [name for name, _, _ in parser_version()]
    assert "cards.py" in names and all(size > 0 for _, size, _ in parser_version())
