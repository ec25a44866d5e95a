"""The manager's heatmap as CSV: one row per person × required competence."""

from __future__ import annotations

import csv
import io
from typing import TypeVar

from lms.competences.selectors import Heatmap

COLUMNS = [
    "person",
    "email",
    "job_profile",
    "competence_code",
    "competence_name",
    "required",
    "verified",
    "gap",
    "self_assessed",
    "lapsed",
]

# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def heatmap_csv(heatmap: Heatmap) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for person in heatmap.people:
        profile = heatmap.profiles.get(person.job_profile_id)
        for competence, _area in heatmap.competences:
            cell = heatmap.cell(person.id, competence.id)
            if cell is None:
                continue
            required, verified, self_level, lapsed = cell
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        person.name,
                        person.email,
                        profile.name if profile else "",
                        competence.code,
                        competence.name,
                        required,
                        verified,
                        max(required - verified, 0),
                        "" if self_level is None else self_level,
                        "yes" if lapsed else "no",
                    )
                ]
            )
    return out.getvalue()
