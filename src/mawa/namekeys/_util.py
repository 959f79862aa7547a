"""Two tiny string helpers shared by the Arabic and Latin halves (kept apart to avoid cycles)."""


def squeeze(key: str) -> str:
    """Collapse doubled symbols: shadda is not written, and Latin doubles letters freely."""
    if len(key) < 2:
        return key
    return key[0] + "".join(b for a, b in zip(key, key[1:], strict=False) if a != b)


def collapse(text: str) -> str:
    """Runs of any Unicode whitespace to one space, trimmed."""
    return " ".join(text.split())
