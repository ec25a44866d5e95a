"""The open-data export: figures by org unit × competence, suppressed as on every report page.

Only aggregates leave: org unit paths, the framework's codes and names, and counts and averages over
groups of at least the configured size. No person's name, email or id is in any field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from lms.reports.cube import COMPETENCE, Cube
from lms.reports.export import cell_values, unit_cells
from lms.reports.selectors import Columns

TITLE = "Digital competences by organisational unit"

# (field, type, unit, description): the data dictionary, in column order.
DICTIONARY = [
    (
        "unit_path",
        "string",
        "",
        'The organisational unit, with its parent units, separated by " / ". '
        '"Whole organisation" is everyone; "Not in any unit" is people not placed in a unit.',
    ),
    ("area_code", "string", "", "Code of the competence area in the framework."),
    ("area_name", "string", "", "Name of the competence area."),
    ("competence_code", "string", "", "Code of the competence in the framework."),
    ("competence_name", "string", "", "Name of the competence."),
    (
        "people",
        "integer",
        "people",
        "Active staff in the unit and its subunits whose job profile requires the competence. Empty when suppressed.",
    ),
    (
        "share_meeting_pct",
        "number",
        "percent",
        "Share of those people whose verified level meets the required "
        "level, rounded to one decimal. Empty when suppressed or when nobody is in scope.",
    ),
    (
        "average_gap",
        "number",
        "levels",
        "Average number of levels by which verified levels fall short of the "
        "required level (0 for people who meet it), rounded to two decimals.",
    ),
    ("average_verified_level", "number", "level", "Average verified level (0 when nothing is verified), rounded to two decimals."),
    (
        "average_self_assessed_level",
        "number",
        "level",
        "Average self-assessed level of the people who rated themselves, rounded to two decimals; empty when nobody did.",
    ),
    (
        "suppressed",
        "boolean",
        "",
        "True when the figures are withheld because the group is too small, or "
        "because they would let a withheld group be worked out from other published figures.",
    ),
]
FIELDS = [name for name, *_ in DICTIONARY]
DICTIONARY_HEADER = ["field", "type", "unit", "description"]
_SUPPRESSED = FIELDS.index("suppressed")


def suppression_rule(min_group: int) -> str:
    return (
        f"Figures about fewer than {min_group} people are withheld, together with any other figure that "
        "would let them be worked out by subtraction (for example a unit's total minus its other parts)."
    )


def dictionary_rows() -> list[list[str]]:
    return [list(entry) for entry in DICTIONARY]


def open_data_rows(cube: Cube, columns: Columns) -> Iterator[list]:
    """One row per unit with people in scope × competence, top-down, in FIELDS order."""
    tree = cube.tree
    areas = {a.key: a for a in columns.areas}
    comps = columns.competences
    for unit, cells in unit_cells(cube, COMPETENCE, [c.key for c in comps]):
        path = tree.path(unit)
        for comp, cell in zip(comps, cells, strict=True):
            area = areas[comp.area_id]
            people, share, gap, verified, self_level, *_levels, suppressed = cell_values(cell)
            yield [path, area.code, area.name, comp.code, comp.name, people, share, gap, verified, self_level, suppressed == "yes"]


def csv_rows(rows: Iterator[list]) -> Iterator[list]:
    """Booleans as true/false, the way the dictionary describes them."""
    for row in rows:
        yield [*row[:_SUPPRESSED], "true" if row[_SUPPRESSED] else "false", *row[_SUPPRESSED + 1 :]]


def metadata(columns: Columns, *, min_group: int, generated_at: datetime) -> dict:
    framework = columns.framework
    return {
        "title": TITLE,
        "generated_at": generated_at.isoformat(),
        "framework": None
        if framework is None
        else {
            "code": framework.code,
            "name": framework.name,
            "version": framework.version,
            "publisher": framework.publisher,
            "licence": framework.licence,
        },
        "min_group": min_group,
        "suppression": suppression_rule(min_group),
        "dictionary": [dict(zip(DICTIONARY_HEADER, entry, strict=True)) for entry in DICTIONARY],
    }


def json_chunks(meta: dict, rows: Iterator[list]) -> Iterator[bytes]:
    """{...metadata, "rows": [{field: value}, ...]} written row by row."""
    head = json.dumps(meta, ensure_ascii=False, indent=1)
    yield (head[:-1].rstrip() + ',\n "rows": [').encode()
    buffer, separator = [], "\n  "
    for n, row in enumerate(rows, 1):
        buffer.append(separator + json.dumps(dict(zip(FIELDS, row, strict=True)), ensure_ascii=False))
        separator = ",\n  "
        if n % 1000 == 0:
            yield "".join(buffer).encode()
            buffer.clear()
    buffer.append("\n ]\n}\n")
    yield "".join(buffer).encode()
