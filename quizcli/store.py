"""The progress store: the only module that speaks SQL. Every write is committed when it is made."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from quizcli.errors import StoreError
from quizcli.scheduler import Memory

# Named migrations, applied in order and recorded by name. Never edit one that has shipped: add another.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_reviews_and_card_state", """
        CREATE TABLE card_state (
            deck TEXT NOT NULL,
            card_id TEXT NOT NULL,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            PRIMARY KEY (deck, card_id)
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            deck TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER NOT NULL,
            mode TEXT NOT NULL,
            reviewed_at TEXT NOT NULL
        );
        CREATE INDEX reviews_by_card ON reviews (deck, card_id);
    """),
    ("0002_grades", """
        CREATE TABLE grades (
            id INTEGER PRIMARY KEY,
            exercise TEXT NOT NULL,
            file TEXT NOT NULL,
            status TEXT NOT NULL,
            passed INTEGER NOT NULL,
            total INTEGER NOT NULL,
            graded_at TEXT NOT NULL
        );
    """),
    ("0003_quizzes", """
        CREATE TABLE quizzes (
            id INTEGER PRIMARY KEY,
            deck TEXT NOT NULL,
            started_at TEXT NOT NULL,
            planned INTEGER NOT NULL
        );
        CREATE TABLE quiz_answers (
            id INTEGER PRIMARY KEY,
            quiz_id INTEGER NOT NULL REFERENCES quizzes (id),
            card_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            credit REAL NOT NULL,
            answered_at TEXT NOT NULL
        );
    """),
)


class ReviewRow(NamedTuple):
    card_id: str
    rating: int
    mode: str
    reviewed_at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.notices: list[str] = []  # for the UI: what the store did that the learner should know
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.DatabaseError as exc:
                if "not a database" not in str(exc) and "malformed" not in str(exc):
                    raise
                aside = self._move_aside()
                self.notices.append(f"{path} was corrupt ({exc}); it is kept as {aside.name} and a new progress "
                                    "file was started")
                self._open()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot use the progress file: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open progress file: {exc.strerror or exc}") from None

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 10000")
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def _move_aside(self) -> Path:
        """Rename a corrupt store (and its WAL files) out of the way; never overwrite it."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            aside, n = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}"), n + 1
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.rename(aside.with_name(aside.name + suffix))
        return aside

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction, committed on exit: nothing written is left pending."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot write progress: {exc}") from None

    def _migrate(self) -> None:
        try:
            applied = {row[0] for row in self._db.execute("SELECT name FROM schema_migrations")}
        except sqlite3.OperationalError:  # a new store: set it up once
            self._db.execute("PRAGMA journal_mode = WAL")  # persistent: readers never block the writer
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
            applied = set()
        known = {name for name, _ in MIGRATIONS}
        if applied - known:
            newer = ", ".join(sorted(applied - known))
            raise StoreError(f"{self.path}: written by a newer attnquiz (migrations {newer}); upgrade attnquiz")
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            with self._write() as db:
                if db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                    continue  # another process applied it while we waited for the lock
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                           (name, _iso(datetime.now(timezone.utc))))

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read progress: {exc}") from None

    # reviews and card state
    def record_review(self, deck: str, card_id: str, rating: int, mode: str,
                      at: datetime, memory: Memory) -> int:
        """The review and the card's new state, in one committed transaction; returns the review's id."""
        with self._write() as db:
            cursor = db.execute("INSERT INTO reviews (deck, card_id, rating, mode, reviewed_at) "
                                "VALUES (?, ?, ?, ?, ?)", (deck, card_id, rating, mode, _iso(at)))
            self._set_state(db, deck, card_id, memory)
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _set_state(db: sqlite3.Connection, deck: str, card_id: str, memory: Memory) -> None:
        db.execute(
            "INSERT OR REPLACE INTO card_state VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (deck, card_id, memory.state, memory.step, memory.stability, memory.difficulty,
             _iso(memory.due), _iso(memory.last_review) if memory.last_review else None),
        )

    def undo_review(self, review_id: int, deck: str, card_id: str, before: Memory | None) -> None:
        """Take a review back: delete it and restore the card's memory as it was (None: never reviewed),
        in one committed transaction."""
        with self._write() as db:
            db.execute("DELETE FROM reviews WHERE id = ? AND deck = ? AND card_id = ?", (review_id, deck, card_id))
            if before is None:
                db.execute("DELETE FROM card_state WHERE deck = ? AND card_id = ?", (deck, card_id))
            else:
                self._set_state(db, deck, card_id, before)

    def forget_deck(self, deck: str) -> int:
        """Delete every review and card state of a deck; returns how many reviews there were."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM reviews WHERE deck = ?", (deck,))
            db.execute("DELETE FROM card_state WHERE deck = ?", (deck,))
        return int(cursor.rowcount)

    def memories(self, deck: str) -> dict[str, Memory]:
        rows = self._read("SELECT card_id, state, step, stability, difficulty, due, last_review "
                          "FROM card_state WHERE deck = ?", (deck,))
        result: dict[str, Memory] = {}
        for card_id, state, step, stability, difficulty, due, last in rows:
            result[card_id] = Memory(state=state, step=step, stability=stability, difficulty=difficulty,
                                     due=datetime.fromisoformat(due), last_review=_parse(last))
        return result

    def reviews(self, deck: str) -> list[ReviewRow]:
        rows = self._read("SELECT card_id, rating, mode, reviewed_at FROM reviews WHERE deck = ? ORDER BY id",
                          (deck,))
        return [ReviewRow(c, r, m, datetime.fromisoformat(t)) for c, r, m, t in rows]

    def first_reviews_since(self, deck: str, since: datetime) -> int:
        """How many cards had their very first review at or after `since` (the day's new cards)."""
        row = self._read("SELECT COUNT(*) FROM (SELECT card_id, MIN(reviewed_at) AS first FROM reviews "
                         "WHERE deck = ? GROUP BY card_id) WHERE first >= ?", (deck, _iso(since)))
        return int(row[0][0])

    # quizzes: a quiz row when it starts, each answer committed as it is given
    def start_quiz(self, deck: str, planned: int, at: datetime) -> int:
        with self._write() as db:
            cursor = db.execute("INSERT INTO quizzes (deck, started_at, planned) VALUES (?, ?, ?)",
                                (deck, _iso(at), planned))
        return int(cursor.lastrowid or 0)

    def record_answer(self, quiz_id: int, card_id: str, kind: str, credit: float, at: datetime) -> None:
        with self._write() as db:
            db.execute("INSERT INTO quiz_answers (quiz_id, card_id, kind, credit, answered_at) VALUES (?, ?, ?, ?, ?)",
                       (quiz_id, card_id, kind, credit, _iso(at)))

    def quiz_history(self, deck: str) -> list[tuple[datetime, float, int]]:
        """(started_at, score, answered) of every quiz with at least one answer, oldest first."""
        rows = self._read("SELECT q.started_at, SUM(a.credit), COUNT(a.id) FROM quizzes q JOIN quiz_answers a "
                          "ON a.quiz_id = q.id WHERE q.deck = ? GROUP BY q.id ORDER BY q.started_at", (deck,))
        return [(datetime.fromisoformat(t), float(score), int(n)) for t, score, n in rows]

    # grades
    def record_grade(self, exercise: str, file: str, status: str, passed: int, total: int,
                     at: datetime) -> None:
        with self._write() as db:
            db.execute("INSERT INTO grades (exercise, file, status, passed, total, graded_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (exercise, file, status, passed, total, _iso(at)))

    def exercise_status(self) -> dict[str, str]:
        """exercise -> 'passed' if any grade passed, else 'failing' if tried."""
        rows = self._read("SELECT exercise, MAX(status = 'pass') FROM grades GROUP BY exercise")
        return {name: "passed" if ok else "failing" for name, ok in rows}
