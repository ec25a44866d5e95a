"""The one CSV writer for every file a person downloads: it opens right in Excel and runs nothing.

- Encoding: UTF-8 with a byte order mark by default. Without the BOM, Excel on Windows reads a
  double-clicked CSV in the machine's legacy code page and "Ångström" arrives as "Ã…ngstrÃ¶m".
  `bom=False` leaves it out for consumers that choke on it (a program reading the file as plain
  UTF-8); every download in Proficio keeps it.
- Lines end in CRLF (RFC 4180), fields are quoted only when they must be.
- Formula-injection guard (`guard`): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
  return is prefixed with an apostrophe, so a spreadsheet shows it as text instead of running it
  (`=HYPERLINK(...)` in a person's name stays a name). Numbers are never touched: an int, float or
  Decimal is written as it is, and so is text that is exactly a number ("-3", "-0.5", "-1e3"), so a
  negative score stays a number that sums. `None` is an empty field.
- Streaming: rows go in as any iterable and come out as chunks (`csv_chunks`, `csv_byte_chunks`), so an
  export of 100,000 rows never sits in memory whole; `csv_response` sends them as they are written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from starlette.responses import StreamingResponse

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
CHUNK_ROWS = 1000

# What a spreadsheet runs as a formula when a cell starts with it (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number, sign included: Excel reads "-3" as minus three, not as a formula.
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")

Cell = object


def guard(value: Cell) -> Cell:
    """The value as it is safe to write: text a spreadsheet would run gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    if isinstance(value, (bool, int, float, Decimal, str)):
        return value
    return str(value)


def csv_chunks(header: Sequence[Cell] | None, rows: Iterable[Sequence[Cell]], *, bom: bool = True) -> Iterator[str]:
    """The file as text chunks of about CHUNK_ROWS rows each: BOM (unless `bom=False`), the header
    (unless None), then every row, every cell through `guard`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    if header is not None:
        writer.writerow([guard(v) for v in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([guard(v) for v in row])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail


def csv_byte_chunks(header: Sequence[Cell] | None, rows: Iterable[Sequence[Cell]], *, bom: bool = True) -> Iterator[bytes]:
    """`csv_chunks` encoded as UTF-8, for a response body or a file opened in binary mode."""
    for chunk in csv_chunks(header, rows, bom=bom):
        yield chunk.encode("utf-8")


def csv_text(header: Sequence[Cell] | None, rows: Iterable[Sequence[Cell]], *, bom: bool = True) -> str:
    """The whole file as one string, for small files (a command's output, a file inside an archive)."""
    return "".join(csv_chunks(header, rows, bom=bom))


def csv_response(
    filename: str, header: Sequence[Cell] | None, rows: Iterable[Sequence[Cell]], *, bom: bool = True
) -> StreamingResponse:
    """A download of the rows, sent as they are written (so `rows` may be a generator; read the
    database before calling, since the generator runs after the handler returns)."""
    return StreamingResponse(
        csv_byte_chunks(header, rows, bom=bom),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
