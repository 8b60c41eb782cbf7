"""`attnquiz check`, and what the quiz shows and says around typed answers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from quizcli import quiz
from quizcli.cards import load_shipped_deck
from quizcli.cli import app
from quizcli.store import Store

runner = CliRunner()
DECK = load_shipped_deck()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_check_json_has_the_documented_shape() -> None:
    result = run("check", "Q7", "Channel attention is where to focus and spatial attention is what.", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"card", "points", "suggested"} and data["card"] == "Q7"
    assert [set(p) for p in data["points"]] == [{"point", "status", "evidence"}] * 2
    assert [p["status"] for p in data["points"]] == ["contradicted", "contradicted"]
    assert all(p["evidence"] for p in data["points"]) and data["suggested"] == "Again"


def test_check_reads_standard_input_and_takes_an_id() -> None:
    answer = "channel attention decides what to attend to; spatial attention decides where"
    data = json.loads(run("check", "spatial-vs-channel", "-", "--json", input=answer).output)
    assert data["suggested"] == "Good" and all(p["status"] == "covered" for p in data["points"])
    missed = json.loads(run("check", "7", "-", "--json", input="").output)
    assert [p["evidence"] for p in missed["points"]] == [None, None] and missed["suggested"] == "Again"


def test_check_prints_the_verdict_with_its_reasons() -> None:
    result = run("check", "Q1", "Hard attention is differentiable because it uses a softmax.")
    assert result.exit_code == 0
    assert "contradicted" in result.output and "you said the opposite" in result.output
    assert "suggested: Again" in result.output


def test_check_unknown_card_is_a_usage_error() -> None:
    result = run("check", "Q99", "anything")
    assert result.exit_code == 2 and "unknown card 'Q99'" in result.output


def test_check_a_card_without_key_points(tmp_path: Path) -> None:
    (tmp_path / "q01-plain.yaml").write_text("id: plain\nnumber: 1\ntitle: Plain\ntopics: [misc]\n"
                                             "question: Why?\nanswer: Because.\n", encoding="utf-8")
    data = json.loads(run("check", "Q1", "because", "--json", "--deck", str(tmp_path)).output)
    assert data == {"card": "Q1", "points": [], "suggested": None}


def test_a_deck_with_no_quiz_material_says_so(tmp_path: Path) -> None:
    (tmp_path / "q01-plain.yaml").write_text("id: plain\nnumber: 1\ntitle: Plain\ntopics: [misc]\n"
                                             "question: Why?\nanswer: Because.\n", encoding="utf-8")
    result = run("quiz", "--deck", str(tmp_path))
    assert result.exit_code == 1 and "no quiz material" in result.output and "Score" not in result.output


def test_correction_notes_are_shown_with_the_typed_answer() -> None:
    assert quiz.correction_note(DECK.find("Q4")) == DECK.find("Q4").notes
    assert quiz.correction_note(DECK.find("Q5")) is None  # a note with no correction stays out of the quiz


def test_quiz_credit_follows_the_verdict_and_enter_needs_a_suggestion(tmp_path: Path, clock, scripted_ui) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "p.db")
    question = quiz.Question(DECK.find("Q7"), "typed")
    ui = scripted_ui(["Channel attention is where, spatial attention is what", ""])
    summary = quiz.run_quiz([question], "attention", store, ui, clock)
    assert summary.answers[0].credit == 0.0 and "Enter to accept Again" in ui.prompts[1]
    ui = scripted_ui(["channel attention: what. spatial attention: where", ""])
    assert quiz.run_quiz([question], "attention", store, ui, clock).answers[0].credit == 1.0


def test_check_never_imports_torch() -> None:
    import subprocess
    import sys

    probe = ("import sys\nsys.argv = ['attnquiz', 'check', 'Q1', 'hard attention is not differentiable']\n"
             "from quizcli.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().endswith("NO-TORCH") and "Key points: 1 of 4" in result.stdout
