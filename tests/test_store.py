from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizcli import scheduler
from quizcli.errors import StoreError
from quizcli.scheduler import Rating
from quizcli.store import MIGRATIONS, Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_reviews_survive_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    memory = scheduler.review(None, Rating.Good, NOW)
    store = Store(path)
    store.record_review("attention", "se-cost", int(Rating.Good), "study", NOW, memory)
    # No close(): a killed process never gets to close either.
    again = Store(path)
    assert again.memories("attention") == {"se-cost": memory}
    [row] = again.reviews("attention")
    assert (row.card_id, row.rating, row.mode, row.reviewed_at) == ("se-cost", 3, "study", NOW)
    assert again.memories("other-deck") == {}


def test_first_reviews_since_counts_cards_not_reviews(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    memory = scheduler.review(None, Rating.Good, NOW)
    store.record_review("d", "a", 3, "study", NOW - timedelta(days=1), memory)
    store.record_review("d", "a", 3, "study", NOW, memory)
    store.record_review("d", "b", 1, "study", NOW, memory)
    store.record_review("d", "b", 3, "study", NOW, memory)
    assert store.first_reviews_since("d", NOW - timedelta(hours=1)) == 1


def test_corrupt_file_is_renamed_aside_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    store = Store(path)
    [notice] = store.notices
    assert str(path) in notice and "corrupt" in notice
    [aside] = tmp_path.glob("p.sqlite3.corrupt-*[0-9Z]")
    assert aside.read_bytes() == garbage and aside.name in notice
    assert store.memories("attention") == {}  # a fresh, working store
    Store(path).close()
    assert len(list(tmp_path.glob("p.sqlite3.corrupt-*[0-9Z]"))) == 1


def test_a_directory_where_the_store_should_be_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError, match=rf"{path}: cannot"):
        Store(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations VALUES ('9999_future', '')")
    with pytest.raises(StoreError, match="newer attnquiz"):
        Store(path)


def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    Store(path).close()
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM schema_migrations")]
    assert names == [name for name, _ in MIGRATIONS]


def test_an_older_schema_is_migrated_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as db:  # a store written before 0002 existed
        db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        db.executescript(MIGRATIONS[0][1])
        db.execute("INSERT INTO schema_migrations VALUES (?, '')", (MIGRATIONS[0][0],))
    store = Store(path)
    store.record_grade("spatial-attention", "x.py", "pass", 5, 5, NOW)
    assert store.exercise_status() == {"spatial-attention": "passed"}


def test_exercise_status(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    store.record_grade("eca", "a.py", "fail", 1, 5, NOW)
    store.record_grade("cbam", "b.py", "fail", 1, 5, NOW)
    store.record_grade("cbam", "b.py", "pass", 5, 5, NOW)
    assert store.exercise_status() == {"eca": "failing", "cbam": "passed"}
