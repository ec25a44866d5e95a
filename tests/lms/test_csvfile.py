"""The project's one CSV writer: what Excel gets (BOM, CRLF, quoting) and what it never runs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from lms.csvfile import BOM, csv_byte_chunks, csv_chunks, csv_response, csv_text, guard
from tests.support.event_loop import run_coroutine


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil","x")', "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "-", "--5", "- 3"],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(cell):
    assert guard(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", [-3, -0.5, Decimal("-2.50"), 0, 12, 1.5, True, "-3", "-0.5", "-.5", "-1e3", "-2.", "plain", "", "a=b"]
)
def test_numbers_and_plain_text_are_written_as_they_are(cell):
    assert guard(cell) == cell


def test_none_is_an_empty_field_and_other_values_are_text():
    class Thing:
        def __str__(self) -> str:
            return "=thing"

    assert guard(None) == ""
    assert guard(Thing()) == "=thing"  # only text is guarded; str() of an object is the caller's choice


def test_file_has_a_bom_crlf_and_reads_back():
    text = csv_text(["name", "score"], [["Ångström, Ana", -3], ["=1+1", None], ['say "hi"', 2.5]])
    assert text.startswith(BOM + "name,score\r\n")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [["name", "score"], ["Ångström, Ana", "-3"], ["'=1+1", ""], ['say "hi"', "2.5"]]


def test_bom_can_be_left_out_and_header_is_guarded_too():
    assert csv_text(["=a"], [], bom=False) == "'=a\r\n"
    assert csv_text(None, [[1]], bom=False) == "1\r\n"


def test_chunks_stream_without_reading_every_row():
    taken = 0

    def rows():
        nonlocal taken
        for n in range(10_000):
            taken += 1
            yield [n]

    chunks = csv_chunks(["n"], rows())
    first = next(chunks)
    assert first.startswith(BOM + "n\r\n0\r\n1\r\n") and taken < 2_000
    assert "".join([first, *chunks]).count("\r\n") == 10_001
    assert b"".join(csv_byte_chunks(None, [["é"]], bom=False)) == "é\r\n".encode()
    assert list(csv_chunks(None, [], bom=False)) == []


def test_response_is_an_attachment_that_says_utf8():
    response = csv_response("people.csv", ["name"], [["Łukasiewicz"]])
    assert response.media_type == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="people.csv"'
    assert response.headers["cache-control"] == "no-store"

    async def body() -> bytes:
        return b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[misc]

    assert run_coroutine(body()) == "\ufeffname\r\nŁukasiewicz\r\n".encode()
