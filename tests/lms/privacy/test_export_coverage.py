"""Every table column that points at a person is either in the subject access export or listed,
with its reason, as deliberately left out: a new table with a user id fails here until it is."""

from __future__ import annotations

import re

from sqlmodel import SQLModel

import lms.models  # noqa: F401 - every platform table
from lms.app import load_features
from lms.hooks import hooks
from lms.privacy.service import export_kinds

load_features()

# Columns that name a person without a foreign key (the audit log outlives what it mentions).
USER_ID_NAME = re.compile(r"(^|_)user_id$|_by_id$|^actor_id$|^subject_id$|^viewer_id$|^viewed_id$")


def user_id_columns() -> set[str]:
    found = set()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.c:
            points_at_user = any(fk.column.table.name == "user_account" for fk in column.foreign_keys)
            if points_at_user or (USER_ID_NAME.search(column.name) and not column.primary_key and table.name != "user_account"):
                found.add(f"{table.name}.{column.name}")
            elif points_at_user is False and column.primary_key and USER_ID_NAME.search(column.name):
                found.add(f"{table.name}.{column.name}")
    return found


def covered() -> dict[str, str]:
    return {column: kind.kind for kind in export_kinds() for column in kind.covers}


def test_every_user_id_column_is_exported_or_excluded_with_a_reason():
    columns = user_id_columns()
    assert "enrolment.user_id" in columns and "audit_event.actor_id" in columns  # the walk does find them
    missing = sorted(columns - set(covered()) - set(hooks.personal_data_excluded))
    assert not missing, (
        "columns holding a person's id that the subject access export neither exports nor excludes: "
        f"{missing}. Add a PersonalData kind covering them (lms/hooks.py) or list them in an EXCLUDED "
        "registry with the reason."
    )
    assert all(reason.strip() for reason in hooks.personal_data_excluded.values())


def test_the_registry_names_only_real_columns_and_each_once():
    real = {f"{table.name}.{column.name}" for table in SQLModel.metadata.sorted_tables for column in table.c}
    named = [column for kind in export_kinds() for column in kind.covers] + list(hooks.personal_data_excluded)
    assert sorted(set(named) - real) == []
    assert len(named) == len(set(named)), "a column is both exported and excluded, or exported twice"
    assert len({kind.kind for kind in export_kinds()}) == len(export_kinds())
