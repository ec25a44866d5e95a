"""The certificate as a PDF, drawn from its row on demand with fpdf2 (pure Python), with a QR code from segno.

Fonts: fpdf2's built-in (core) fonts need no font files, but they cover only Windows-1252, the PDF
standard's WinAnsiEncoding (Western European letters, such as "Zoë", "Müller", "Šimić", "Œuvre").
Any other character is replaced by its plain Latin base letter ("Łukasz" -> "Lukasz", "Dvořák" ->
"Dvorák") or, for scripts with no Latin form, by "?", so no name can make
the download fail. The /verify page, which is HTML, always shows the name exactly as stored.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import lru_cache

from typing import TYPE_CHECKING

from lms.i18n import current_language, format_date, gettext as _

from courses.certificates.selectors import CertificateView

if TYPE_CHECKING:
    from fpdf import FPDF

ENCODING = "cp1252"
# Letters that carry no combining mark in Unicode, so decomposition does not reach a base letter.
_BASE_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l", "Ŧ": "T", "ŧ": "t", "ĸ": "k", "ŉ": "'n"}
)
INK = (27, 27, 27)
MUTED = (80, 80, 80)


def printable(text: str) -> str:
    """``text`` in characters the core fonts can draw (see the module's docstring)."""
    return "".join(_printable_char(ch) for ch in text)


@lru_cache(maxsize=1024)
def _printable_char(ch: str) -> str:
    if _encodable(ch):
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch.translate(_BASE_LETTERS)) if not unicodedata.combining(c))
    return base if base and _encodable(base) else "?"


def _encodable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def long_date(moment: datetime) -> str:
    """2 December 2026, 2 décembre 2026: the month in words, so no reader mistakes day for month."""
    return format_date(moment, "long")


def certificate_pdf(
    view: CertificateView, *, org_name: str, verify_url: str, now: datetime, competences: list[str] | None = None
) -> bytes:
    """A one-page A4 landscape certificate: holder, course, dates, issuer, the code and a QR code to check it.

    In the current language: the holder's own, since only they download it (lms/i18n.py)."""
    # fpdf2 (with fontTools and Pillow) takes 30 MB in a process: imported by the first certificate drawn, not by every server.
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(printable(_("Certificate: %(course)s - %(person)s") % {"course": view.course_name.text, "person": view.person_name}))
    pdf.set_author(printable(org_name))
    pdf.set_subject(printable(_("Certificate of completion %(code)s") % {"code": view.code}))
    pdf.set_creator("Proficio")
    pdf.set_lang("en-GB" if current_language() == "en" else current_language())
    pdf.set_creation_date(view.issued_at)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, *, style: str = "", colour: tuple[int, int, int] = INK, gap: float = 3, lines: int = 1) -> None:
        pdf.set_text_color(*colour)
        text = printable(text)
        # Long names and titles get smaller type rather than pushing the dates into the QR code.
        while True:
            pdf.set_font("Helvetica", style=style, size=size)
            if size <= 9 or len(pdf.multi_cell(width, size * 0.5, text, dry_run=True, output="LINES")) <= lines:
                break
            size -= 1
        pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(24)
    # The competence line is paid for by tighter spacing at the top, so the longest certificate
    # (two-line title, valid until, revoked) still ends above the issuer's block.
    space = 4 if competences else 6
    line(org_name, 14, style="B", colour=MUTED, gap=space)
    line(_("Certificate of completion"), 28, style="B", gap=space)
    line(_("This certifies that"), 13, colour=MUTED)
    line(view.person_name, 26, style="B", gap=5)
    line(_("has completed the course"), 13, colour=MUTED)
    line(view.course_name.text, 20, style="B", gap=4 if competences else 6, lines=2)
    if competences:
        # One line, type shrinking to fit, so the dates below never reach the QR code.
        developed = _("Develops: %(competences)s") % {"competences": "; ".join(competences)}
        pdf.set_font("Helvetica", size=9)
        # A long list is cut with an ellipsis (the verification page lists every one).
        while len(developed) > 40 and len(pdf.multi_cell(width, 4.5, printable(developed), dry_run=True, output="LINES")) > 1:
            developed = developed[:-8].rstrip(" ;,") + "…"
        line(developed, 10, colour=MUTED, gap=3)
    line(_("Completed on %(date)s") % {"date": long_date(view.completed_at)}, 13)
    if view.valid_until is not None:
        line(_("Valid until %(date)s") % {"date": long_date(view.valid_until)}, 13, style="B")
    if view.revoked_at is not None and view.revoked_at <= now:
        revoked = _("Revoked on %(date)s: this certificate is no longer valid.") % {"date": long_date(view.revoked_at)}
        line(revoked, 13, style="B", colour=(181, 9, 9))

    qr_size = 34.0
    top = pdf.h - 20 - qr_size - 4
    _draw_qr(pdf, verify_url, x=pdf.w - pdf.r_margin - qr_size - 4, y=top, size=qr_size)
    pdf.set_xy(pdf.l_margin + 4, top + 4)
    text_width = width - qr_size - 16
    pdf.set_font("Helvetica", size=11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        text_width,
        5.5,
        printable(_("Issued by %(org)s on %(date)s.") % {"org": org_name, "date": long_date(view.issued_at)}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.set_text_color(*INK)
    pdf.multi_cell(text_width, 7, _("Verification code: %(code)s") % {"code": view.code}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font("Helvetica", size=11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        text_width,
        5.5,
        printable(_("Check this certificate at %(url)s or scan the QR code.") % {"url": verify_url}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares: sharp at any zoom or print size, and no image library involved."""
    import segno

    qr = segno.make(data, error="m", micro=False)
    matrix = qr.matrix
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_no, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            # One rectangle per run of dark modules keeps the page small.
            pdf.rect(x + start * module, y + row_no * module, (col - start) * module, module, style="F")
