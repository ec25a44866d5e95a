"""The manager's heatmap as CSV rows: one row per person × required competence (written by lms.csvfile)."""

from __future__ import annotations

from collections.abc import Iterator

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


def heatmap_rows(heatmap: Heatmap) -> Iterator[list[object]]:
    for person in heatmap.people:
        profile = heatmap.profiles.get(person.job_profile_id)
        for competence, _area in heatmap.competences:
            cell = heatmap.cell(person.id, competence.id)
            if cell is None:
                continue
            required, verified, self_level, lapsed = cell
            yield [
                person.name,
                person.email,
                profile.name if profile else "",
                competence.code,
                competence.name,
                required,
                verified,
                max(required - verified, 0),
                self_level,
                "yes" if lapsed else "no",
            ]
