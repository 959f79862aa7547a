"""Small helpers shared by the Arabic and Latin halves (kept apart to avoid import cycles).

Hand-written: a few lines each, not worth a dependency.
"""

import re

_REPEAT = re.compile(r"(.)\1+", re.S)


def squeeze(key: str) -> str:
    """Collapse doubled symbols: shadda is not written, and Latin doubles letters freely."""
    return _REPEAT.sub(r"\1", key)


def collapse(text: str) -> str:
    """Runs of any Unicode whitespace to one space, trimmed."""
    return " ".join(text.split())


class LazyTable(dict):
    """A translate table that computes each code point on first sight and remembers it (up to
    a bound, so hostile input cannot grow it to the whole of Unicode)."""

    LIMIT = 1 << 15

    def __init__(self, func):
        super().__init__()
        self._func = func

    def __missing__(self, cp: int):
        value = self._func(cp)
        if len(self) < self.LIMIT:
            self[cp] = value
        return value
