"""Reading a downloaded spreadsheet back by its columns' identifiers, whatever language its headings are in."""

from __future__ import annotations

import csv
import io

from lms import i18n
from lms.export_headings import HEADINGS, LEVEL_PREFIX, heading


def identifier_of(language: str = "en") -> dict[str, str]:
    columns = [*HEADINGS, *(f"{LEVEL_PREFIX}{n}" for n in range(10))]
    with i18n.speaking(language):
        return {heading(column): column for column in columns}


def rows_by_identifier(response, language: str = "en") -> list[dict[str, str]]:
    """The rows of a CSV download as dicts keyed by column identifier (``unit_path``), as csv.DictReader
    would give them if the headings were the identifiers; columns that are data (a question) keep their name."""
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    back = identifier_of(language)
    header = [back.get(name, name) for name in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]
