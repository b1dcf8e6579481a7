"""The event buffer keeps rows in day order as they arrive, as a stable sort by day would."""

import numpy as np
import pytest

from scrutiny.events import COLUMNS, EventBuffer


def _feed(buf: EventBuffer, rng: np.random.Generator, n_days: int, announce: bool) -> None:
    """A day's rows dated today, and some dated later (releases, removals), in one random sequence."""
    for day in range(n_days):
        if announce:
            buf.start_day(day)
        for _ in range(int(rng.integers(0, 4))):
            n = int(rng.integers(1, 6))
            ahead = rng.random() < 0.4
            days = day + (rng.integers(0, 5, n) if ahead else 0)
            buf.add(n, day=days, kind=int(rng.integers(0, 8)), person=rng.integers(0, 1000, n),
                    place=rng.integers(-1, 50, n))


@pytest.mark.parametrize("seed", range(20))
def test_rows_arrive_in_the_order_a_stable_sort_by_day_gives(seed):
    streamed, sorted_ = EventBuffer(replicate=3), EventBuffer(replicate=3)
    _feed(streamed, np.random.default_rng(seed), 12, announce=True)
    _feed(sorted_, np.random.default_rng(seed), 12, announce=False)  # never announced: sorted at the end
    assert streamed._in_order, "rows dated today or later never need the final sort"
    a, b = streamed.finish(), sorted_.finish()
    assert a.n_rows == b.n_rows > 0
    for c in COLUMNS:
        assert np.array_equal(a[c], b[c]), c
    assert (a["replicate"] == 3).all()
    assert (np.diff(a["day"]) >= 0).all()


@pytest.mark.parametrize("seed", range(5))
def test_joining_small_chunks_into_blocks_keeps_the_order(seed, monkeypatch):
    import scrutiny.events._log as log_module

    plain, joined = EventBuffer(), EventBuffer()
    _feed(plain, np.random.default_rng(seed), 30, announce=True)
    monkeypatch.setattr(log_module, "_JOIN_CHUNKS", 2)
    _feed(joined, np.random.default_rng(seed), 30, announce=True)
    assert joined._blocks["day"], "blocks were formed"
    a, b = plain.finish(), joined.finish()
    for c in COLUMNS:
        assert np.array_equal(a[c], b[c]), c


def test_a_row_dated_before_today_falls_back_to_the_sort():
    buf = EventBuffer()
    buf.start_day(5)
    buf.add(1, day=5, kind=1)
    buf.add(1, day=np.array([2]), kind=2)
    log = buf.finish()
    assert log["day"].tolist() == [2, 5] and log["kind"].tolist() == [2, 1]


def test_rows_dated_after_the_last_day_announced_are_kept_in_day_order():
    buf = EventBuffer()
    buf.start_day(0)
    buf.add(3, day=np.array([9, 7, 9]), kind=np.array([0, 1, 2]))
    log = buf.finish()
    assert log["day"].tolist() == [7, 9, 9] and log["kind"].tolist() == [1, 0, 2]
    assert buf.finish().n_rows == 0, "the buffer is empty afterwards"
