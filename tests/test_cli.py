from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from quizcli.cli import app
from quizcli.paths import store_path

runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("list", "topics", "show", "study", "drill", "stats"):
        assert command in result.output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("attnquiz 0.")


def test_list_and_topic_filter() -> None:
    result = run("list")
    assert result.exit_code == 0
    assert "Q1" in result.output and "Q10" in result.output
    cards = json.loads(run("list", "--topic", "se", "--json").output)
    assert [c["number"] for c in cards] == [2, 4, 6]
    assert cards[1]["id"] == "se-cost" and "se" in cards[1]["topics"]


def test_topics() -> None:
    result = run("topics")
    assert result.exit_code == 0
    assert "non-local" in result.output and "Q2, Q4, Q6" in result.output


def test_show_card_with_answer_and_note() -> None:
    result = run("show", "Q4")
    assert result.exit_code == 0
    assert "Negligible" in result.output and "3 × 3" in result.output and "0.26%" in result.output
    assert run("show", "se-cost").output == result.output


def test_show_unknown_card_is_a_usage_error() -> None:
    result = run("show", "Q42")
    assert result.exit_code == 2
    assert "unknown card 'Q42'" in result.output
    assert "Traceback" not in result.output


def test_study_rates_every_card_then_nothing_is_due() -> None:
    result = run("study", input="\n3\n" * 10)
    assert result.exit_code == 0, result.output
    assert "Session complete" in result.output and "10 reviewed (Good 10)" in result.output
    again = run("study", input="")
    assert again.exit_code == 0
    assert "Nothing due now." in again.output and "Next card due in 10m" in again.output
    stats = json.loads(run("stats", "--json").output)
    assert (stats["reviews"], stats["due"], stats["new"], stats["cards"]) == (10, 0, 0, 10)


def test_study_quit_halfway_keeps_ratings() -> None:
    result = run("study", input="\n3\nan attempt\n2\n\nq\n")
    assert "Key points: 0 of" in result.output
    assert result.exit_code == 0
    assert "stopped, 8 left" in result.output
    assert "an attempt" in result.output
    stats = json.loads(run("stats", "--json").output)
    assert stats["reviews"] == 2 and stats["new"] == 8


def test_study_end_of_input_is_clean() -> None:
    result = run("study", input="\n")
    assert result.exit_code == 0
    assert "0 reviewed" in result.output


def test_study_invalid_rating_asks_again() -> None:
    result = run("study", input="\n9\n3\nq\n")
    assert "'9' is not a rating" in result.output
    assert json.loads(run("stats", "--json").output)["reviews"] == 1


def test_study_new_limit() -> None:
    result = run("study", "--new", "2", input="\n3\n" * 5)
    assert "2 reviewed" in result.output
    result = run("study", "--new", "2", input="")
    assert "new-card limit is reached" in result.output


def test_drill_topic() -> None:
    result = run("drill", "--topic", "se", "--seed", "1", input="\n1\n\n3\n\n3\n\n3\n")
    assert result.exit_code == 0, result.output
    assert "Drill complete" in result.output and "4 reviewed (Again 1, Good 3)" in result.output
    stats = json.loads(run("stats", "--json").output)
    assert stats["reviews"] == 4 and stats["topics"]["se"]["reviewed"] == 3


def test_drill_unknown_topic() -> None:
    result = run("drill", "--topic", "see")
    assert result.exit_code == 2
    assert "unknown topic 'see'; did you mean 'se'?" in result.output
    assert "Traceback" not in result.output


def test_stats_json_shape_on_a_fresh_store() -> None:
    stats = json.loads(run("stats", "--json").output)
    assert {"cards", "reviews", "due", "new", "topics"} <= set(stats)
    assert stats["topics"]["se"] == {"cards": 3, "reviewed": 0, "due": 0}
    table = run("stats")
    assert table.exit_code == 0 and "Per topic" in table.output


def test_corrupt_store_is_moved_aside_with_a_message() -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 200)
    result = run("stats")
    assert result.exit_code == 0
    assert "warning:" in result.output and str(path) in result.output and "corrupt" in result.output
    assert "Traceback" not in result.output
    assert len(list(path.parent.glob("progress.sqlite3.corrupt-*"))) == 1


def test_bad_card_in_deck_is_reported(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "attention"
    deck.mkdir()
    (deck / "bad.yaml").write_text("id: x\nnumber: 1\n")
    monkeypatch.setattr("quizcli.paths.shipped_deck_dir", lambda: deck)
    result = run("list")
    assert result.exit_code == 1
    assert "bad.yaml: missing required field 'title'" in result.output


def test_study_suggests_a_rating_from_the_typed_attempt() -> None:
    attempt = "hard is a discrete crop, not differentiable, REINFORCE; soft uses continuous weights, end to end"
    result = run("study", input=f"{attempt}\n\nq\n")
    assert "Key points: 4 of 4" in result.output and "Enter = Good" in result.output
    assert json.loads(run("stats", "--json").output)["reviews"] == 1


def test_quiz_piped_and_stats_after() -> None:
    # "a" answers a choice, "1" a number, and a typed answer is "a" then Enter to accept its verdict
    result = run("quiz", "--count", "3", "--seed", "5", "--topic", "se", input="a\n1\n\n" * 6)
    assert result.exit_code == 0, result.output
    assert "Quiz complete" in result.output and "Score:" in result.output and "3/3 · Q" in result.output
    stats = json.loads(run("stats", "--json").output)
    assert len(stats["quizzes"]) == 1 and stats["reviews"] == 0


def test_quiz_end_of_input_keeps_the_score_so_far() -> None:
    result = run("quiz", "--count", "5", "--seed", "2", input="")
    assert result.exit_code == 0
    assert "Quiz stopped after 0 of 5" in result.output


def test_quiz_unknown_topic() -> None:
    result = run("quiz", "--topic", "nonlocal")
    assert result.exit_code == 2 and "did you mean 'non-local'" in result.output


def test_stats_screen_with_exam_date() -> None:
    run("study", input="\n3\n\n1\nq\n")
    result = run("stats", "--exam", "2030-01-15")
    assert result.exit_code == 0, result.output
    for part in ("Due in the next 14 days", "Reviews,", "mastery now", "Predicted recall on", "Most at risk"):
        assert part in result.output, part
    bad = run("stats", "--exam", "15/01/2030")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
