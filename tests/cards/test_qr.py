"""The QR symbols: what segno makes for the chosen mask, chosen by the standard's penalty."""

import random
import re

import pytest
import segno

from mawa.cards.qr import ERROR_LEVEL, best_mask, dark_runs, make_qr, penalty, qr_lines, qr_matrix

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_codes(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)

    def part(n):
        return "".join(rng.choice(CROCKFORD) for _ in range(n))

    return [f"{part(4)}-{part(4)}-{part(1)}" for _ in range(count)]


def reference_penalty(lines: list[str]) -> int:
    """ISO/IEC 18004 7.8.3.1, written the slow and obvious way."""
    n = len(lines)
    all_lines = lines + ["".join(col) for col in zip(*lines, strict=True)]
    score = 0
    for line in all_lines:
        for run in re.finditer("0{5,}|1{5,}", line):
            score += 3 + (run.end() - run.start() - 5)
        padded = "0000" + line + "0000"
        i = padded.find("1011101")
        while i != -1:
            if padded[i - 4 : i] == "0000" or padded[i + 7 : i + 11] == "0000":
                score += 40
            i = padded.find("1011101", i + 1)
    for r in range(n - 1):
        for c in range(n - 1):
            if lines[r][c] == lines[r][c + 1] == lines[r + 1][c] == lines[r + 1][c + 1]:
                score += 3
    dark = sum(line.count("1") for line in lines)
    score += 10 * int(abs(dark * 100 / (n * n) - 50) // 5)
    return score


def segno_lines(code: str, mask: int) -> list[str]:
    qr = segno.make_qr(code, error=ERROR_LEVEL, boost_error=True, mask=mask)
    return ["".join("1" if m else "0" for m in row) for row in qr.matrix]


@pytest.mark.parametrize(
    "code",
    random_codes(40) + ["7K3M-9Q2X-T", "hello wörld", "ابج", "x" * 60, "A" * 300, "0"],
)
def test_the_symbol_is_segnos_with_the_lowest_penalty_mask(code):
    mask = best_mask(code)
    assert qr_lines(code) == segno_lines(code, mask)
    scores = [reference_penalty(segno_lines(code, m)) for m in range(8)]
    assert scores[mask] == min(scores)
    assert (
        make_qr(code).matrix
        == segno.make_qr(code, error=ERROR_LEVEL, boost_error=True, mask=mask).matrix
    )


def test_penalty_matches_the_reference_on_every_mask():
    for code in random_codes(30, seed=11) + ["x" * 40]:
        for mask in range(8):
            lines = segno_lines(code, mask)
            rows = [int(line, 2) for line in lines]
            assert penalty(rows, len(lines)) == reference_penalty(lines)


def test_card_codes_are_small_alphanumeric_symbols_holding_exactly_the_code():
    qr = make_qr("7K3M-9Q2X-T")
    assert (qr.version, qr.mode, qr.error) == (1, "alphanumeric", "Q")
    assert len(qr_matrix("7K3M-9Q2X-T")) == 21


def test_dark_runs_cover_exactly_the_dark_modules():
    for code in random_codes(10) + ["x" * 80]:
        lines = qr_lines(code)
        n = len(lines)
        painted = [[0] * n for _ in range(n)]
        for col, row, width, height in dark_runs(lines):
            for r in range(row, row + height):
                for c in range(col, col + width):
                    painted[r][c] += 1
        assert painted == [[1 if bit == "1" else 0 for bit in line] for line in lines]
