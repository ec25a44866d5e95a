"""The retention registry classifies every table and every column: a new table or column that nobody
has classified fails here, with what to add to lms/privacy/retention_registry.py."""

from __future__ import annotations

import pytest

from lms.app import load_features
from lms.models import metadata
from lms.privacy.retention_registry import NO_PERSONAL_DATA, REGISTRY, RULES, parse_overrides, rule_days

load_features()  # the courses' and assessments' tables hold personal data too

PERSON_COLUMNS = {"user_id", "actor_id", "viewer_id", "email", "actor_email", "client_ip", "account"}


def _points_at_people(table) -> bool:
    return any(c.name in PERSON_COLUMNS or any(fk.column.table.name == "user_account" for fk in c.foreign_keys) for c in table.columns)


def test_every_table_is_classified():
    tables = set(metadata.tables)
    missing = sorted(tables - set(REGISTRY) - set(NO_PERSONAL_DATA))
    assert not missing, f"add these tables to the retention registry (or to NO_PERSONAL_DATA, with the reason): {missing}"
    assert not set(REGISTRY) & set(NO_PERSONAL_DATA)
    assert not sorted((set(REGISTRY) | set(NO_PERSONAL_DATA)) - tables), "the registry names tables that no longer exist"


def test_no_table_said_to_hold_no_personal_data_points_at_a_person():
    wrong = [name for name in NO_PERSONAL_DATA if _points_at_people(metadata.tables[name])]
    assert not wrong, f"these tables link to people, so they hold personal data: {wrong}"


def test_every_column_of_a_table_with_personal_data_is_classified():
    problems = []
    for name, entry in REGISTRY.items():
        actual = {c.name for c in metadata.tables[name].columns}
        classified = set(entry.personal) | entry.other_columns
        if actual - classified:
            problems.append(f"{name}: classify {sorted(actual - classified)} (personal, with what it says, or other)")
        if classified - actual:
            problems.append(f"{name}: {sorted(classified - actual)} no longer exist")
        if set(entry.personal) & entry.other_columns:
            problems.append(f"{name}: {sorted(set(entry.personal) & entry.other_columns)} are both personal and other")
        if entry.rule is not None and entry.rule not in RULES:
            problems.append(f"{name}: no rule {entry.rule!r}")
    assert not problems, "\n".join(problems)


def test_every_column_linking_to_a_person_is_called_personal():
    unmarked = [
        f"{name}.{c.name}"
        for name, entry in REGISTRY.items()
        for c in metadata.tables[name].columns
        if any(fk.column.table.name == "user_account" for fk in c.foreign_keys) and c.name not in entry.personal
    ]
    assert not unmarked


def test_an_organisation_overrides_periods_in_days_or_years():
    days = rule_days("sessions=60d, audit_events=10y,deactivated_people=0")
    assert days["sessions"] == 60 and days["audit_events"] == 3650 and days["deactivated_people"] == 0
    assert days["record_views"] == RULES["record_views"].days
    assert parse_overrides("sesions=3d,audit_events=ten").problems == [
        "'sesions' is not a retention rule (one of: " + ", ".join(RULES) + ")",
        "audit_events: 'ten' is not a period such as 30d or 6y",
    ]
    with pytest.raises(ValueError, match="not a retention rule"):
        rule_days("nope=1d")


def test_a_bad_retention_setting_stops_the_app_starting(settings):
    from lms.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="RETENTION: sessions: 'forever' is not a period"):
        Settings(**{**settings.model_dump(), "retention": "sessions=forever"})
