"""Import, decks, export and validate, with real files."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizcli.cards import load_deck, load_shipped_deck
from quizcli.cli import app
from quizcli.importer import import_notes
from quizcli.paths import decks_dir

SEED = Path(__file__).parent / "data" / "seed_questions.md"
SHIPPED = load_shipped_deck()
runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def same_cards(a, b) -> bool:  # type: ignore[no-untyped-def]
    return [(c.number, c.question, c.answer) for c in a] == [(c.number, c.question, c.answer) for c in b]


def test_import_of_the_seed_gives_the_shipped_questions_and_answers() -> None:
    result = run("import", str(SEED))
    assert result.exit_code == 0, result.output
    deck = load_deck(decks_dir() / "seed-questions")
    assert len(deck) == 10 and same_cards(deck, SHIPPED)
    assert deck.title == "Day 16 Interview Questions: Attention Mechanisms"
    assert "se" in deck.find("Q2").topics and "non-local" in deck.find("Q9").topics
    assert "coding" in deck.find("Q10").topics


def test_reimport_updates_in_place_and_keeps_progress(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(SEED.read_text())
    assert run("import", str(notes)).exit_code == 0
    assert run("study", "--deck", "notes", input="\n3\nq\n").exit_code == 0
    notes.write_text(SEED.read_text().replace("**Negligible.**", "**Small.**"))
    again = run("import", str(notes))
    assert "0 new, 1 updated, 9 unchanged" in again.output
    deck = load_deck(decks_dir() / "notes")
    assert deck.find("Q4").answer.startswith("**Small.**")
    assert len(list((decks_dir() / "notes").glob("q*.yaml"))) == 10
    stats = json.loads(run("stats", "--deck", "notes", "--json").output)
    assert stats["reviews"] == 1 and stats["new"] == 9
    assert json.loads(run("stats", "--json").output)["reviews"] == 0  # the shipped deck's progress is apart


def test_unreadable_section_is_reported_by_line_and_the_rest_imported(tmp_path: Path) -> None:
    notes = tmp_path / "broken.md"
    text = SEED.read_text().replace("## Q5: Explain the concept of \"Non-Local\" operations.\n**Answer:**",
                                    "## Q5: Explain the concept of \"Non-Local\" operations.\nno answer marker")
    notes.write_text(text)
    line = text.splitlines().index('## Q5: Explain the concept of "Non-Local" operations.') + 1
    result = run("import", str(notes), "--out", str(tmp_path / "deck"))
    assert result.exit_code == 1
    assert f"broken.md:{line}: section 'Q5' has no **Answer:** line" in result.output
    assert len(load_deck(tmp_path / "deck")) == 9


def test_a_malformed_heading_ends_the_previous_answer(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# T\n\n## Q1: One?\n**Answer:**\nfirst\n\n## Q2 missing colon\n**Answer:**\nsecond\n"
                     "\n## Q3: Code?\n**Answer:**\n```python\n## a comment, not a heading\nx = 1\n```\n")
    result = run("import", str(notes), "--out", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "n.md:7: heading '## Q2 missing colon' is not of the form" in result.output
    deck = load_deck(tmp_path / "d")
    assert [c.number for c in deck] == [1, 3]
    assert deck.find("Q1").answer == "first"
    assert "## a comment, not a heading" in deck.find("Q3").answer


def test_import_of_a_file_with_no_questions(tmp_path: Path) -> None:
    notes = tmp_path / "empty.md"
    notes.write_text("# Nothing here\n\nJust prose.\n")
    result = run("import", str(notes), "--out", str(tmp_path / "d"))
    assert result.exit_code == 1 and "no '## Q1: question' headings" in result.output
    assert run("import", str(tmp_path / "missing.md")).exit_code == 2


def test_decks_lists_shipped_and_own_and_deck_option_errors(tmp_path: Path) -> None:
    import_notes(SEED, None)
    listing = run("decks")
    assert listing.exit_code == 0 and "attention" in listing.output and "seed-questions" in listing.output
    assert run("list", "--deck", str(decks_dir() / "seed-questions")).exit_code == 0
    bad = run("list", "--deck", "seed-question")
    assert bad.exit_code == 2 and "did you mean 'seed-questions'" in bad.output


def test_export_anki_opens_with_sqlite_and_guids_are_stable(tmp_path: Path) -> None:
    out1, out2 = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert run("export", "--format", "anki", "-o", str(out1)).exit_code == 0
    assert run("export", "--format", "anki", "-o", str(out2)).exit_code == 0

    def notes(path: Path) -> list[tuple[str, str, str]]:
        with zipfile.ZipFile(path) as archive:
            archive.extract("collection.anki2", path.parent / path.stem)
        db = sqlite3.connect(path.parent / path.stem / "collection.anki2")
        rows = db.execute("SELECT guid, tags, flds FROM notes ORDER BY sfld").fetchall()
        db.close()
        return rows

    first, second = notes(out1), notes(out2)
    assert len(first) == 10
    assert [r[0] for r in first] == [r[0] for r in second] and len({r[0] for r in first}) == 10
    by_id = {r[2].split("\x1f")[3]: r for r in first}
    q10 = by_id["spatial-attention-code"]
    assert "coding" in q10[1].split()
    assert "<pre><code" in q10[2] and "nn.Conv2d" in q10[2]
    assert r"\(3 \times 3\)" in by_id["se-cost"][2]  # math readable in Anki (MathJax)


def test_export_csv_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "deck.csv"
    assert run("export", "-f", "csv", "-o", str(out)).exit_code == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10
    assert [(int(r["number"]), r["question"], r["answer"]) for r in rows] == [
        (c.number, c.question, c.answer) for c in SHIPPED]
    assert rows[3]["topics"] == "se cost"


def test_markdown_export_then_import_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "deck.md"
    assert run("export", "--format", "markdown", "--output", str(out)).exit_code == 0
    assert out.read_text() .startswith("# Day 16 Interview Questions")
    assert run("import", str(out), "--out", str(tmp_path / "back")).exit_code == 0
    assert same_cards(load_deck(tmp_path / "back"), SHIPPED)


def test_export_unknown_format(tmp_path: Path) -> None:
    result = run("export", "-f", "pdf", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output


def test_validate_shipped_deck() -> None:
    result = run("validate")
    assert result.exit_code == 0 and "10 cards, no problems" in result.output


def test_validate_reports_every_problem_with_file_line_and_field(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    good = (SHIPPED.find("Q10").path or Path()).read_text()
    (deck / "a.yaml").write_text(good)
    (deck / "b.yaml").write_text(good.replace("number: 10", "number: 11"))  # duplicate id
    (deck / "c.yaml").write_text(good.replace("id: spatial-attention-code", "id: c")
                                 .replace("number: 10", "number: 12").replace("exercise: spatial-attention",
                                                                              "exercise: spatial-atention"))
    (deck / "d.yaml").write_text("format_version: 9\n" + good.replace("format_version: 1\n", ""))
    (deck / "e.yaml").write_text(good.replace("        correct: true\n", ""))
    (deck / "f.yaml").write_text("id: [unclosed\n")
    result = run("validate", str(deck))
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(lines) == 5, result.output
    text = "\n".join(lines)
    assert "b.yaml: field 'id': duplicate id 'spatial-attention-code'" in text
    assert "c.yaml: field 'exercise': unknown exercise 'spatial-atention'" in text
    assert "d.yaml:1: field 'format_version'" in text and "newer" in text
    assert "e.yaml:" in text and "field 'choices'" in text and "no option is marked correct" in text
    assert "f.yaml:2: invalid YAML" in text and "flow sequence started on line 1" in text


def test_plain_output_without_a_terminal_or_with_no_color() -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, NO_COLOR="1", FORCE_COLOR="")
    out = subprocess.run([sys.executable, "-m", "quizcli", "show", "Q4"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0 and "Negligible" in out.stdout
    assert "\x1b[" not in out.stdout


@pytest.mark.parametrize("args", [["--install-completion", "--help"], ["--version"]])
def test_completion_and_version_flags(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
