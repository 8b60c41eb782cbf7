"""Nothing a learner writes is lost: re-import merges, export refuses to overwrite, Markdown round-trips."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from quizcli.cards import load_deck, load_shipped_deck
from quizcli.cli import app
from quizcli.paths import decks_dir

SEED = Path(__file__).parent / "data" / "seed_questions.md"
runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def fields(card):  # type: ignore[no-untyped-def]
    return {name: value for name, value in vars(card).items() if name != "path"}


def test_markdown_export_then_import_gives_the_same_deck_back(tmp_path: Path) -> None:
    shipped = load_shipped_deck()
    out = tmp_path / "attention.md"
    assert run("export", "--format", "markdown", "-o", str(out)).exit_code == 0
    result = run("import", str(out), "--out", str(tmp_path / "back"))
    assert result.exit_code == 0, result.output
    back = load_deck(tmp_path / "back")
    assert back.title == shipped.title and len(back) == len(shipped)
    for original, again in zip(shipped, back, strict=True):
        assert fields(again) == fields(original), original.label
    # every optional field of the shipped deck is exercised by this round trip
    assert all(any(getattr(c, name) for c in shipped) for name in ("notes", "exercise", "key_points", "choices",
                                                                   "numeric"))
    # and a second export of the imported deck is the same text
    again = tmp_path / "again.md"
    assert run("export", "-f", "markdown", "-o", str(again), "--deck", str(tmp_path / "back")).exit_code == 0
    assert again.read_text() == out.read_text()


def test_export_refuses_an_existing_file_and_adds_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "cards"
    first = run("export", "--format", "csv", "-o", str(target))
    assert first.exit_code == 0 and (tmp_path / "cards.csv").is_file()
    (tmp_path / "cards.csv").write_text("mine")
    refused = run("export", "--format", "csv", "-o", str(target))
    assert refused.exit_code == 2 and "already exists" in refused.output and "--force" in refused.output
    assert (tmp_path / "cards.csv").read_text() == "mine"
    assert run("export", "--format", "csv", "-o", str(target), "--force").exit_code == 0
    assert (tmp_path / "cards.csv").read_text().startswith("id,number")
    by_suffix = run("export", "-o", str(tmp_path / "deck.apkg"))
    assert by_suffix.exit_code == 0 and "(anki)" in by_suffix.output
    assert run("export", "-f", "pdf", "-o", str(tmp_path / "x")).exit_code == 2


def import_seed(tmp_path: Path, text: str | None = None) -> Path:
    notes = tmp_path / "notes.md"
    notes.write_text(text if text is not None else SEED.read_text())
    result = run("import", str(notes))
    assert result.exit_code in (0, 1), result.output
    return notes


def card_file(number: int) -> Path:
    [path] = (decks_dir() / "notes").glob(f"q{number:02d}-*.yaml")
    return path


def edit_card(number: int, **changes: object) -> None:
    path = card_file(number)
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    header = "".join(line + "\n" for line in path.read_text().splitlines() if line.startswith("#"))
    path.write_text(header + yaml.safe_dump(data, sort_keys=False))


def test_reimport_keeps_yaml_edits_and_takes_the_new_answer(tmp_path: Path) -> None:
    notes = import_seed(tmp_path)
    key_points = [{"point": "SE recalibrates channels", "any": ["recalibrat"]}]
    edit_card(2, topics=["se", "mine"], key_points=key_points, notes="my note", exercise="se-block")
    edit_card(3, question="My own wording of Q3?")
    notes.write_text(SEED.read_text().replace("**Negligible.**", "**Small.**"))
    again = run("import", str(notes))
    assert again.exit_code == 0, again.output
    assert "0 new, 1 updated, 9 unchanged" in again.output
    deck = load_deck(decks_dir() / "notes")
    q2 = deck.find("Q2")
    assert q2.topics == ("se", "mine") and q2.notes == "my note" and q2.exercise == "se-block"
    assert [p.point for p in q2.key_points] == ["SE recalibrates channels"]
    assert deck.find("Q3").question == "My own wording of Q3?"  # edited in the YAML only: kept
    assert deck.find("Q4").answer.startswith("**Small.**")  # changed in the notes only: taken


def test_a_field_changed_in_both_places_is_a_reported_conflict(tmp_path: Path) -> None:
    notes = import_seed(tmp_path)
    edit_card(4, answer="My own answer about the cost.")
    notes.write_text(SEED.read_text().replace("**Negligible.**", "**Small.**"))
    result = run("import", str(notes))
    assert result.exit_code == 1
    assert "field 'answer': changed both in the card and in notes.md" in result.output
    assert load_deck(decks_dir() / "notes").find("Q4").answer == "My own answer about the cost."
    side = card_file(4).with_name(card_file(4).name + ".conflict")
    assert "**Small.**" in yaml.safe_load(side.read_text())["answer"]


def test_an_import_with_no_cards_creates_nothing(tmp_path: Path) -> None:
    notes = tmp_path / "empty.md"
    notes.write_text("# Nothing\n\njust prose\n")
    result = run("import", str(notes))
    assert result.exit_code == 1 and "Nothing imported" in result.output
    assert not (decks_dir() / "empty").exists()


def test_decks_remove_asks_and_keeps_progress_unless_told(tmp_path: Path) -> None:
    import_seed(tmp_path)
    assert run("study", "--deck", "notes", input="\n3\nq\n").exit_code == 0
    declined = run("decks", "--remove", "notes", input="n\n")
    assert declined.exit_code == 0 and "Nothing deleted" in declined.output and (decks_dir() / "notes").is_dir()
    removed = run("decks", "--remove", "notes", input="y\n")
    assert removed.exit_code == 0 and "progress is kept" in removed.output
    assert not (decks_dir() / "notes").exists()
    import_seed(tmp_path)
    stats = run("stats", "--deck", "notes", "--json")
    assert '"reviews": 1' in stats.output  # the progress came back with the deck
    forgot = run("decks", "--remove", "notes", "--forget-progress", "--yes")
    assert forgot.exit_code == 0 and "Forgot 1 review of 'notes'" in forgot.output
    assert run("decks", "--remove", "attention", "--yes").exit_code == 2
    import_seed(tmp_path)
    assert "did you mean 'notes'" in run("decks", "--remove", "note", "--yes").output


def test_a_card_file_broken_by_an_edit_is_reported_not_duplicated(tmp_path: Path) -> None:
    notes = import_seed(tmp_path)
    card_file(2).write_text(card_file(2).read_text().replace("topics:", "topics: [se\n  oops:"))
    result = run("import", str(notes))
    assert result.exit_code == 1 and "cannot be read, so Q2 was not imported" in result.output
    assert len(list((decks_dir() / "notes").glob("q02-*.yaml"))) == 1
