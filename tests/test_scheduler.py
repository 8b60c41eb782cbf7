from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quizcli import scheduler
from quizcli.scheduler import Rating
from quizcli.text import format_interval

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_new_card_intervals_follow_the_learning_steps() -> None:
    intervals = scheduler.preview(None, NOW)
    assert intervals[Rating.Again] == timedelta(minutes=1)
    assert intervals[Rating.Good] == timedelta(minutes=10)
    assert intervals[Rating.Again] < intervals[Rating.Hard] < intervals[Rating.Good] < intervals[Rating.Easy]


def test_preview_is_what_review_schedules() -> None:
    memory = scheduler.review(None, Rating.Good, NOW)
    later = memory.due
    shown = scheduler.preview(memory, later)
    for rating in scheduler.RATINGS:
        assert scheduler.review(memory, rating, later).due - later == shown[rating]


def test_good_reviews_grow_the_interval_and_easy_graduates() -> None:
    memory = scheduler.review(None, Rating.Easy, NOW)
    first = memory.due - NOW
    assert first >= timedelta(days=1)
    memory2 = scheduler.review(memory, Rating.Good, memory.due)
    assert memory2.due - memory.due > first


def test_retrievability_falls_with_time() -> None:
    memory = scheduler.review(None, Rating.Easy, NOW)
    assert scheduler.retrievability(None, NOW) == 0.0
    soon = scheduler.retrievability(memory, NOW + timedelta(days=1))
    late = scheduler.retrievability(memory, NOW + timedelta(days=60))
    assert 1.0 >= soon > late > 0.0


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="UTC"):
        scheduler.review(None, Rating.Good, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(seconds=30), "30s"), (timedelta(minutes=10), "10m"), (timedelta(hours=5), "5h"),
     (timedelta(days=3), "3d"), (timedelta(days=75), "2.5mo"), (timedelta(days=730), "2.0y")],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text
