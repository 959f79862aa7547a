"""The printable case summary for a reunification visit: A4, Arabic and Kurdish shaped and
right to left as on the ration cards (``mawa.cards.render.Page``, HarfBuzz through
``mawa.cards.text``)."""

from mawa.cards.render import A4_H, A4_W, GREY, Page

MARGIN, LINE, LABEL_W = 15.0, 6.5, 60.0


def summary_pdf(*, title: str, sections: list[tuple[str, list[tuple[str, str]]]],
                language: str, footer: str) -> bytes:  # fmt: skip
    """Sections of (label, value) rows under a title; values wrap over up to three lines."""
    page = Page(language=language, page_size=(A4_W, A4_H))
    pdf = page.pdf
    pdf.set_title(title)
    pdf.add_page()
    width = A4_W - 2 * MARGIN
    y = MARGIN
    align = "R" if page.rtl else "L"
    page.draw(MARGIN, y, width, 10, title, size=16, bold=True, align=align)
    y += 14
    for heading, rows in sections:
        if y > A4_H - 40:
            pdf.add_page()
            y = MARGIN
        page.draw(MARGIN, y, width, LINE, heading, size=12, bold=True, align=align)
        y += LINE + 1
        for label, value in rows:
            size, lines = page.fit(value or "—", width - LABEL_W - 4, size=10, min_size=8,
                                   max_lines=3)  # fmt: skip
            label_x = A4_W - MARGIN - LABEL_W if page.rtl else MARGIN
            value_x = MARGIN if page.rtl else MARGIN + LABEL_W + 4
            page.draw(label_x, y, LABEL_W, LINE, label, size=9, align=align, color=GREY)
            for line in lines:
                page.draw(value_x, y, width - LABEL_W - 4, LINE, line, size=size, align=align)
                y += LINE
            if y > A4_H - 25:
                pdf.add_page()
                y = MARGIN
        y += 3
    page.draw(MARGIN, A4_H - 15, width, LINE, footer, size=8, align=align, color=GREY)
    return bytes(pdf.output())
