"""The certificate PDF: its text (as pypdf extracts it) carries the person, the course, the dates and the code."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf

from courses.certificates.pdf import certificate_pdf, long_date, printable
from courses.certificates.selectors import CertificateView

DONE = datetime(2026, 3, 31, 10, 0, tzinfo=UTC)


def view(**changes) -> CertificateView:
    fields = dict(
        id=1,
        code="K7QM-3XHT-9BZR-WD4P",
        user_id=1,
        person_name="Zoë Müller",
        person_email="zoe@example.gov",
        course_id=1,
        course_title="Data protection – the essentials",
        completed_at=DONE,
        issued_at=DONE,
        valid_until=datetime(2027, 3, 31, tzinfo=UTC),
        revoked_at=None,
        revoked_reason="",
    )
    return CertificateView(**{**fields, **changes})


def pdf_text(data: bytes) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split()), reader


def draw(v: CertificateView, now: datetime = DONE) -> bytes:
    return certificate_pdf(v, org_name="Ministry of Examples", verify_url=f"https://lms.example.gov/verify/{v.code}", now=now)


def test_the_pdf_says_who_what_when_until_when_by_whom_and_how_to_check():
    data = draw(view())
    assert data.startswith(b"%PDF-")
    text, reader = pdf_text(data)
    for expected in (
        "Ministry of Examples",
        "Certificate of completion",
        "Zoë Müller",
        "Data protection – the essentials",
        "Completed on 31 March 2026",
        "Valid until 31 March 2027",
        "Verification code: K7QM-3XHT-9BZR-WD4P",
        "https://lms.example.gov/verify/K7QM-3XHT-9BZR-WD4P",
    ):
        assert expected in text, expected
    assert "Revoked" not in text
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595  # A4 landscape
    assert reader.metadata.title == "Certificate: Data protection – the essentials - Zoë Müller"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_no_end_date_and_a_revoked_certificate():
    text, _ = pdf_text(draw(view(valid_until=None)))
    assert "Valid until" not in text
    revoked = view(revoked_at=datetime(2026, 4, 2, tzinfo=UTC))
    assert "Revoked on 2 April 2026" in pdf_text(draw(revoked, now=datetime(2026, 4, 3, tzinfo=UTC)))[0]


def test_names_outside_the_core_fonts_never_break_the_download():
    text, _ = pdf_text(draw(view(person_name="Łukasz Dvořák", course_title="Ωmega 😀 course")))
    assert "Lukasz Dvorák" in text and "?mega ? course" in text
    assert printable("Šárka Œuvre Zoë") == "Šárka Œuvre Zoë"  # Windows-1252 has these
    assert printable("Đorđe Ħal ıi") == "Dorde Hal ii"
    assert printable("Иван") == "????"
    # Very long names and titles shrink rather than spill off the page.
    text, _ = pdf_text(draw(view(person_name="Anna " * 30, course_title="Records management " * 10)))
    assert "Verification code" in text


def test_dates_read_the_same_everywhere():
    assert long_date(datetime(2027, 1, 5, tzinfo=UTC)) == "5 January 2027"
