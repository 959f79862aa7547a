"""Record identity: time-ordered UUIDv7 keys, and short human codes with a check character.

UUIDv7 (RFC 9562) lets households and events created offline on field laptops merge later
without collisions, and keeps index inserts local. Python 3.11 has no uuid7, so `uuid6` gives it.
"""

import secrets

from uuid6 import uuid7

# Crockford's base32: no I, L, O, U, so a clerk reading a code aloud cannot confuse 1/I or 0/O.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def new_id():
    return uuid7()


def check_character(body: str) -> str:
    """A check character from the same alphabet (weighted sum mod 32 with odd weights): any
    single mistyped character changes it, and so do most swaps of neighbours."""
    total = sum(CROCKFORD.index(char) * (2 * i + 1) for i, char in enumerate(body))
    return CROCKFORD[total % 32]


def new_reference(length: int = 8) -> str:
    """A random, human-typable code like 7K3M-9Q2X-T (body in two groups, then the check)."""
    body = "".join(secrets.choice(CROCKFORD) for _ in range(length))
    return f"{body[:4]}-{body[4:]}-{check_character(body)}"


def clean_reference(text: str) -> str | None:
    """Normalise a typed code (case, dashes, O/I/L look-alikes); None when its check fails."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    raw = "".join(_READ_AS.get(ch, ch) for ch in raw)
    body, check = raw[:-1], raw[-1:]
    if len(body) < 4 or any(ch not in CROCKFORD for ch in body):
        return None
    if check_character(body) != check:
        return None
    return f"{body[:4]}-{body[4:]}-{check}"
