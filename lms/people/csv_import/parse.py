"""Reading the CSV: encoding, delimiter, header and each line on its own (no database).

It takes what spreadsheets write: a UTF-8 BOM, ';' or tab instead of ',' (many European locales), a
`sep=;` first line naming the delimiter, empty columns after the last named one, and text in either
Unicode form: the whole file is normalised to NFC, so a name saved on macOS (decomposed, "e" + accent)
matches the same name stored from a browser (composed) and is not counted as an update.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from lms.i18n import gettext
from lms.people.csv_import.result import ImportLineError
from lms.people.models import Role
from lms.people.service import PeopleError, clean_email

MAX_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = ("email", "name", "org_unit", "manager_email", "roles")
OPTIONAL_COLUMNS = ("job_profile", "active")
MAX_NAME = 200
_ROLE_SPLIT = re.compile(r"[;,\s]+")
_VALID_ROLES = {r.value for r in Role}
# What HR exports write for a yes/no column; anything else is a mistake reported with the line.
ACTIVE_VALUES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
# Excel's own hint line, "sep=;" (some tools quote it): it names the delimiter and is not the header.
_SEP_LINE = re.compile(r'"?sep=(.)"?\s*', re.IGNORECASE)


@dataclass
class Row:
    line: int
    email: str
    name: str
    unit_path: tuple[str, ...]
    manager_email: str | None
    roles: set[str]
    # None when the file has no job_profile column (profiles are left as they are); "" clears it.
    job_profile: str | None = None
    # None when the column is missing or empty (the account's status is left as it is).
    active: bool | None = None
    # The line has problems of its own: it is still checked against the others and the database, so
    # one upload reports everything wrong with it, but it is never imported. Its fields hold what
    # could be read ("" email when missing, the raw text when invalid; None manager when invalid).
    bad: bool = False


def parse(data: bytes | str) -> tuple[list[Row] | None, list[ImportLineError]]:
    """Every line as a row, bad ones marked (None when the file itself cannot be read), and every error."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        return _rejected(
            0,
            gettext("The file is too large (%(size)s KB); the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": size // 1024, "limit": MAX_BYTES // (1024 * 1024)},
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _rejected(0, gettext("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."))
    else:
        text = data.removeprefix("\ufeff")
    text = unicodedata.normalize("NFC", text)
    first_line = text.split("\n", 1)[0]
    sep = _SEP_LINE.fullmatch(first_line.rstrip("\r"))
    # Spreadsheets in many European locales save CSV with semicolons.
    delimiter = sep.group(1) if sep else max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if sep:
            next(reader)
        header = next(reader, None)
    except csv.Error as exc:
        return _rejected(2 if sep else 1, gettext("The header cannot be read: %(problem)s.") % {"problem": exc})
    if not header or not any(h.strip() for h in header):
        return _rejected(
            0,
            gettext("The file is empty. The first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(REQUIRED_COLUMNS)},
        )
    columns = [h.strip().lower().replace(" ", "_") for h in header]
    # A spreadsheet saves the empty columns to the right of the table as ",,,".
    while columns[-1] == "":
        columns.pop()
    header_errors = _check_header(columns, reader.line_num)
    if header_errors:
        return None, header_errors

    rows: list[Row] = []
    errors: list[ImportLineError] = []
    first_seen: dict[str, int] = {}
    previous_end = reader.line_num
    try:
        for fields in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) > len(columns) and not any(f.strip() for f in fields[len(columns) :]):
                fields = fields[: len(columns)]
            if len(fields) > len(columns):
                errors.append(
                    ImportLineError(
                        line,
                        gettext("Has %(values)s values but the header has %(columns)s columns.")
                        % {"values": len(fields), "columns": len(columns)},
                    )
                )
                continue
            record = dict(zip(columns, [f.strip() for f in fields] + [""] * (len(columns) - len(fields)), strict=True))
            row, problems = _row(line, record)
            if row.email in first_seen:
                problems.append(
                    gettext("Duplicate email %(email)s (first on line %(line)s).")
                    % {"email": row.email, "line": first_seen[row.email]}
                )
            elif row.email:
                first_seen[row.email] = line
            errors += [ImportLineError(line, p) for p in problems]
            row.bad = bool(problems)
            rows.append(row)
    except csv.Error as exc:
        errors.append(ImportLineError(reader.line_num, gettext("This line cannot be read: %(problem)s.") % {"problem": exc}))
    if not rows and not errors:
        errors.append(ImportLineError(0, gettext("The file has a header but no users.")))
    return (None if errors and not rows else rows), errors


def _rejected(line: int, message: str) -> tuple[None, list[ImportLineError]]:
    return None, [ImportLineError(line, message)]


def _check_header(columns: list[str], line: int) -> list[ImportLineError]:
    errors = []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(
            ImportLineError(
                line,
                gettext("Missing column(s): %(missing)s. The first line must be: %(header)s (job_profile and active are optional).")
                % {"missing": ", ".join(missing), "header": ",".join(REQUIRED_COLUMNS)},
            )
        )
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        errors.append(
            ImportLineError(
                line,
                gettext("Unknown column(s): %(unknown)s. Accepted: %(accepted)s.")
                % {"unknown": ", ".join(unknown), "accepted": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)},
            )
        )
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        errors.append(ImportLineError(line, gettext("Column(s) appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}))
    return errors


def _row(line: int, record: dict[str, str]) -> tuple[Row, list[str]]:
    """The line as far as it can be read, and every problem with it (all of them, not the first)."""
    problems = []
    email = record["email"].lower()
    if not email:
        problems.append(gettext("Email is missing."))
    else:
        try:
            email = clean_email(record["email"])
        except PeopleError as exc:
            problems.append(str(exc))
    name = " ".join(record["name"].split())
    if not name:
        problems.append(gettext("Name is missing."))
    elif len(name) > MAX_NAME:
        problems.append(gettext("Name is longer than %(max)s characters.") % {"max": MAX_NAME})
    path = tuple(p.strip() for p in record["org_unit"].split("/")) if record["org_unit"] else ()
    if any(not p for p in path):
        problems.append(
            gettext("Organisation unit '%(unit)s' has an empty part; write it like 'Digital Directorate / Data Team'.")
            % {"unit": record["org_unit"]}
        )
    elif any(len(p) > MAX_NAME for p in path):
        problems.append(gettext("An organisation unit name is longer than %(max)s characters.") % {"max": MAX_NAME})
    manager_email = None
    if record["manager_email"]:
        try:
            manager_email = clean_email(record["manager_email"])
        except PeopleError as exc:
            problems.append(gettext("Manager email: %(problem)s") % {"problem": exc})
    # Everyone is an employee, so saying so is harmless; other unknown words are mistakes.
    roles = {r.lower() for r in _ROLE_SPLIT.split(record["roles"]) if r} - {"employee"}
    unknown = sorted(roles - _VALID_ROLES)
    if unknown:
        problems.append(
            gettext("Unknown role(s): %(unknown)s. Use %(roles)s (separated by ';' or spaces).")
            % {"unknown": ", ".join(unknown), "roles": ", ".join(sorted(_VALID_ROLES))}
        )
    job_profile = " ".join(record["job_profile"].split()) if "job_profile" in record else None
    if job_profile and len(job_profile) > MAX_NAME:
        problems.append(gettext("Job profile is longer than %(max)s characters.") % {"max": MAX_NAME})
    active = None
    raw_active = record.get("active", "").lower()
    if raw_active:
        active = ACTIVE_VALUES.get(raw_active)
        if active is None:
            problems.append(
                gettext("Active '%(value)s' is not yes or no; write yes, no, true, false, 1 or 0, or leave it empty.")
                % {"value": record["active"]}
            )
    if any(not p for p in path) or any(len(p) > MAX_NAME for p in path):
        path = ()
    return Row(line, email, name, path, manager_email, roles & _VALID_ROLES, job_profile, active), problems
