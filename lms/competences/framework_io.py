"""Framework files in and out: Proficio's JSON and CSV, Moodle's competency framework CSV and
CASE packages. Every format parses into one document (lms.competences.framework_doc), validated as
a whole (every error with its line or path) before anything is written.
"""

from __future__ import annotations

from lms.competences.framework_case_read import parse_case
from lms.competences.framework_csv import CSV_COLUMNS, export_csv
from lms.competences.framework_doc import (
    MAX_BYTES,
    FrameworkFileError,
    ImportCounts,
    decode,
    framework_document,
    framework_import,
)
from lms.competences.framework_csv import parse_csv
from lms.competences.framework_json import export_json, parse_json
from lms.competences.framework_moodle_csv import export_moodle_csv, parse_moodle_csv
from lms.i18n import gettext

FORMATS = ("json", "csv", "moodle", "case")

_PARSERS = {"json": parse_json, "csv": parse_csv, "moodle": parse_moodle_csv, "case": parse_case}


def parse(data: bytes | str, fmt: str) -> dict:
    text = decode(data)
    if fmt not in _PARSERS:
        raise FrameworkFileError(
            [gettext("Unknown format '%(format)s': use %(formats)s.") % {"format": fmt, "formats": ", ".join(FORMATS)}]
        )
    return _PARSERS[fmt](text)


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "MAX_BYTES",
    "FrameworkFileError",
    "ImportCounts",
    "export_csv",
    "export_json",
    "export_moodle_csv",
    "framework_document",
    "framework_import",
    "parse",
]
