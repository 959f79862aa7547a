"""Hybrid logical clock: wall time in milliseconds shifted left 16 bits, plus a counter.

Node clocks can be hours off. An event's time is never less than any time this database has
seen (its own or received), so an edit made after receiving another is ordered after it even
when the laptop's clock is behind; ties between places break on the event id.
"""

import time

SHIFT = 16


def wall() -> int:
    return int(time.time() * 1000) << SHIFT


def tick(last: int, now: int | None = None) -> int:
    """The next local time after `last`."""
    now = wall() if now is None else now
    return now if now > last else last + 1


def merge(last: int, received: int) -> int:
    """The local clock after receiving a time from elsewhere."""
    return max(last, received)
