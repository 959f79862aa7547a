"""Printable ration cards: PDF sheets or single cards with a QR code of the card code.

Pure Python (fpdf2 + uharfbuzz for shaping, segno for QR); no Django here. Labels come in as
a dict, so the caller translates; :mod:`mawa.cards.labels` has English, Arabic and Sorani
defaults.
"""

from .labels import DEFAULT_LABELS, LABELS_AR, LABELS_CKB, LABELS_EN, labels_for
from .qr import make_qr, qr_matrix
from .render import CARD_H, CARD_W, CARDS_PER_SHEET, FONT_DIR, CardData, render_cards

__all__ = [
    "CARD_H",
    "CARD_W",
    "CARDS_PER_SHEET",
    "DEFAULT_LABELS",
    "FONT_DIR",
    "LABELS_AR",
    "LABELS_CKB",
    "LABELS_EN",
    "CardData",
    "labels_for",
    "make_qr",
    "qr_matrix",
    "render_cards",
]
