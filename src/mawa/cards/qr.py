"""QR codes for card codes: module matrices, a fast mask choice, and runs to draw as vectors.

segno encodes. Its automatic mask choice (8 masks scored in pure Python) costs about 5 ms a
symbol, which alone would make a 1,000-card run take 5 s, so the choice is made here instead:

* segno builds the symbol once with mask 0;
* for a given version and error level, the symbol with mask *m* differs from the one with
  mask 0 by a fixed pattern (the two masks' XOR over the data region, plus the two format
  words), whatever the data. That difference is computed once per (version, error level) by
  asking segno for all eight masks, and cached;
* the eight candidates are scored with the four penalty rules of ISO/IEC 18004 (7.8.3.1),
  using whole rows and columns as strings and integers, and the lowest score wins (the
  lowest mask number on a tie).

The result is a symbol segno itself produces with that mask (tests check this), chosen by the
standard's criteria; the score is taken with the format information in place, as most
encoders do, so the pick can differ from segno's own on near ties.
"""

import re
from collections.abc import Iterator

import segno

QUIET_ZONE = 4  # modules of light border the QR specification asks for
ERROR_LEVEL = "m"  # raised by segno when the version has room to spare

_ONE = bytes.maketrans(b"\x00\x01", b"01")
_LIGHT5 = re.compile("0{5,}")
_DARK_RUN = re.compile("1+")
_DARK5 = re.compile("1{5,}")
_N3_BEFORE = "0000" + "1011101"
_N3_AFTER = "1011101" + "0000"
_N3_BOTH = "0000" + "1011101" + "0000"
_N3_BOTH_RE = re.compile(f"(?={_N3_BOTH})")


def make_qr(code: str) -> segno.QRCode:
    """The QR code for a card code: exactly the code, nothing added.

    Card codes (Crockford base32 upper case and hyphens) fit QR's alphanumeric mode, so a
    code like ``7K3M-9Q2X-T`` is a version 1 symbol (21 × 21 modules) and segno raises the
    error correction to Q, the most that version holds for it. A keyboard-wedge scanner types
    the decoded text; the Enter after it is the scanner's suffix setting, not in the symbol.
    """
    return segno.make_qr(code, error=ERROR_LEVEL, boost_error=True, mask=best_mask(code))


def qr_matrix(code: str) -> list[list[bool]]:
    """The symbol's modules without quiet zone, row by row; True is dark."""
    return [[bit == "1" for bit in line] for line in qr_lines(code)]


def qr_lines(code: str) -> list[str]:
    """The symbol's rows as strings of "1" (dark) and "0" (light), without quiet zone."""
    _, rows, n = _best(code)
    top = 1 << n
    return [bin(r | top)[3:] for r in rows]


def best_mask(code: str) -> int:
    """The mask number :func:`qr_matrix` picks for ``code``."""
    return _best(code)[0]


def _best(code: str) -> tuple[int, list[int], int]:
    base = segno.make_qr(code, error=ERROR_LEVEL, boost_error=True, mask=0)
    rows0 = _rows(base.matrix)
    n = len(rows0)
    best: tuple[int, list[int], int] = (0, rows0, n)
    best_score = None
    for mask, diff in enumerate(_mask_diffs(base, code)):
        rows = [r ^ d for r, d in zip(rows0, diff, strict=True)]
        score = penalty(rows, n)
        if best_score is None or score < best_score:
            best, best_score = (mask, rows, n), score
    return best


def _rows(matrix) -> list[int]:
    return [int(bytes(row).translate(_ONE), 2) for row in matrix]


_DIFFS: dict[tuple[int, str], tuple[tuple[int, ...], ...]] = {}


def _mask_diffs(base: segno.QRCode, code: str) -> tuple[tuple[int, ...], ...]:
    """Per mask, the rows to XOR onto the mask-0 symbol: the same for every symbol of one
    version and error level, so built once from this code's eight variants and cached."""
    key = (base.version, base.error)
    diffs = _DIFFS.get(key)
    if diffs is None:
        variants = [
            _rows(
                segno.make_qr(
                    code,
                    version=base.version,
                    error=base.error.lower(),
                    mode=base.mode,
                    boost_error=False,
                    mask=mask,
                ).matrix
            )
            for mask in range(8)
        ]
        diffs = tuple(
            tuple(a ^ b for a, b in zip(variants[0], rows, strict=True)) for rows in variants
        )
        _DIFFS[key] = diffs
    return diffs


def penalty(rows: list[int], n: int) -> int:
    """ISO/IEC 18004 mask penalty (N1 + N2 + N3 + N4) of an n × n symbol given as row ints."""
    top = 1 << n
    lines = [bin(r | top)[3:] for r in rows]
    lines += ["".join(col) for col in zip(*lines, strict=True)]
    # N1: 3 for five modules of one colour in a row or column, +1 for each more.
    joined = "2".join(lines)
    score = sum(len(run) - 2 for run in _LIGHT5.findall(joined))
    score += sum(len(run) - 2 for run in _DARK5.findall(joined))
    # N3: 40 for each 1:1:3:1:1 pattern with four light modules before or after it; the
    # quiet zone around the symbol counts as light. (str.count does not count overlaps, and
    # of the three only the "light on both sides" pattern can share modules with another.)
    padded = "0000" + "000020000".join(lines) + "0000"
    both = len(_N3_BOTH_RE.findall(padded)) if _N3_BOTH in padded else 0
    score += 40 * (padded.count(_N3_BEFORE) + padded.count(_N3_AFTER) - both)
    # N2: 3 for each 2 × 2 block of one colour.
    full = (1 << (n - 1)) - 1
    for a, b in zip(rows, rows[1:], strict=False):
        score += 3 * (~(a ^ b) & ~(a ^ (a >> 1)) & ~(b ^ (b >> 1)) & full).bit_count()
    # N4: 10 for each full 5 % that the share of dark modules is away from half.
    dark = sum(r.bit_count() for r in rows)
    score += 10 * int(abs(dark * 100 / (n * n) - 50) // 5)
    return score


def dark_runs(lines: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """Rectangles ``(col, row, width, height)`` in modules that together cover the dark modules
    of a symbol given as :func:`qr_lines`.

    Horizontal runs of dark modules, merged down with identical runs in the rows below, so a
    version 1 symbol draws as about 100 rectangles rather than 200-odd squares.
    """
    open_runs: dict[tuple[int, int], tuple[int, int]] = {}  # (col, width) -> (row0, height)
    for r, line in enumerate(lines):
        runs = {(m.start(), m.end() - m.start()) for m in _DARK_RUN.finditer(line)}
        for key in [key for key in open_runs if key not in runs]:
            row0, height = open_runs.pop(key)
            yield key[0], row0, key[1], height
        for key in runs:
            row0, height = open_runs.get(key, (r, 0))
            open_runs[key] = (row0, height + 1)
    for (col, width), (row0, height) in open_runs.items():
        yield col, row0, width, height
