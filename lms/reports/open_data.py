"""The open-data export: figures by org unit × competence, suppressed as on every report page.

Only aggregates leave: org unit paths, the framework's codes and names, and counts and averages over
groups of at least the configured size. No person's name, email or id is in any field.

Disclosure review (docs/privacy.md, "Open data"): suppression stops subtraction within one file, not
across files published at different times. A unit of 7 that becomes 8 would give the newcomer's level
away as 8 × this month's average minus 7 × last month's, and whether they meet the requirement from
the shares. So the published shares and averages are perturbed: before dividing, the count meeting
the requirement moves by up to ±2 and each sum of levels (gap, verified, self-assessed) by up to ±8
(one person's largest contribution), by amounts drawn from a keyed hash (HMAC-SHA256 with the
installation's secret key) of the cell's own figures. The same figures always give the same amounts,
so downloading again reveals nothing new; a person more or less gives unrelated amounts, so the
difference between two months is the newcomer's contribution plus noise as large as it. Counts of
people are exact: they say only how many people there are, which the differencing attack assumes
known. tests/lms/privacy/test_open_data_disclosure.py runs the attack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import datetime

from lms.reports.aggregate import LEVELS, Figures
from lms.reports.cube import COMPETENCE, Cell, Cube
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
        "level, rounded to one decimal, after the count meeting it is perturbed by up to 2 people (see suppression). "
        "Empty when suppressed or when nobody is in scope.",
    ),
    (
        "average_gap",
        "number",
        "levels",
        "Average number of levels by which verified levels fall short of the "
        "required level (0 for people who meet it), rounded to two decimals, after the sum is perturbed by up to 8 levels.",
    ),
    (
        "average_verified_level",
        "number",
        "level",
        "Average verified level (0 when nothing is verified), rounded to two decimals, after the sum is perturbed by up to 8 levels.",
    ),
    (
        "average_self_assessed_level",
        "number",
        "level",
        "Average self-assessed level of the people who rated themselves, rounded to two decimals, after the sum is "
        "perturbed by up to 8 levels; empty when nobody did.",
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


# The largest move of the count meeting a requirement, and of a sum of levels (one person's most).
COUNT_NOISE = 2
SUM_NOISE = max(LEVELS)


def suppression_rule(min_group: int) -> str:
    return (
        f"Figures about fewer than {min_group} people are withheld, together with any other figure that "
        "would let them be worked out by subtraction (for example a unit's total minus its other parts). "
        f"Shares and averages are perturbed: the count behind a share by up to {COUNT_NOISE} people and each sum "
        f"of levels behind an average by up to {SUM_NOISE} levels, the same way each time for the same figures, "
        "so that comparing two downloads does not reveal a person who joined or left between them."
    )


def open_data_key(secret_key: str) -> bytes:
    """The perturbation's key, derived from the installation's secret (so it is never the CSRF key
    itself). Changing SECRET_KEY changes every perturbation: two downloads of unchanged figures then
    differ, and averaging many such pairs would wear the noise down; so keep the key."""
    return hashlib.sha256(b"proficio open data|" + secret_key.encode()).digest()


def _noise(key: bytes, unit: int, comp: int, f: Figures) -> tuple[int, int, int, int]:
    message = f"{unit}|{comp}|{f.requirements}|{f.meeting}|{f.gap_sum}|{f.verified_sum}|{f.self_count}|{f.self_sum}"
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    span = 2 * SUM_NOISE + 1
    return (
        digest[0] % (2 * COUNT_NOISE + 1) - COUNT_NOISE,
        int.from_bytes(digest[1:5]) % span - SUM_NOISE,
        int.from_bytes(digest[5:9]) % span - SUM_NOISE,
        int.from_bytes(digest[9:13]) % span - SUM_NOISE,
    )


def _clamp(value: int, high: int) -> int:
    return min(max(value, 0), high)


def published_figures(cell: Cell, *, key: bytes | None, unit: int, comp: int) -> list:
    """people, share %, average gap, average verified, average self-assessed: as the open-data file
    publishes them (perturbed with `key`; exact, as on the report pages, without)."""
    f = cell.figures
    if key is None or cell.suppressed or f is None or not f.requirements:
        return cell_values(cell)[:5]
    n, top = f.requirements, max(LEVELS)
    d_meeting, d_gap, d_verified, d_self = _noise(key, unit, comp, f)
    meeting = _clamp(f.meeting + d_meeting, n)
    gap = _clamp(f.gap_sum + d_gap, n * top)
    verified = _clamp(f.verified_sum + d_verified, n * top)
    self_avg = round(_clamp(f.self_sum + d_self, f.self_count * top) / f.self_count, 2) if f.self_count else None
    return [cell.people, round(meeting / n * 100, 1), round(gap / n, 2), round(verified / n, 2), self_avg]


def dictionary_rows() -> list[list[str]]:
    return [list(entry) for entry in DICTIONARY]


def open_data_rows(cube: Cube, columns: Columns, *, key: bytes | None) -> Iterator[list]:
    """One row per unit with people in scope × competence, top-down, in FIELDS order; shares and
    averages perturbed with `key` (the module docstring says why), exact when it is None."""
    tree = cube.tree
    areas = {a.key: a for a in columns.areas}
    comps = columns.competences
    for unit, cells in unit_cells(cube, COMPETENCE, [c.key for c in comps]):
        path = tree.path(unit)
        for comp, cell in zip(comps, cells, strict=True):
            area = areas[comp.area_id]
            people, share, gap, verified, self_level = published_figures(cell, key=key, unit=unit, comp=comp.key)
            row = [path, area.code, area.name, comp.code, comp.name, people, share, gap, verified, self_level, cell.suppressed]
            yield row


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
