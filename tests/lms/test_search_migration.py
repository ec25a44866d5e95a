"""Migration 0012 fills the search columns of rows that existed before it, on both engines."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from lms import migrations

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _blank(column: sa.Column) -> object:
    """A value for a required column the test does not care about (other work adds such columns)."""
    kind = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
    return {str: "", int: 0, bool: False, datetime: NOW, dict: {}}.get(kind, "")


def _insert(conn, table: str, **values) -> int:
    t = sa.Table(table, sa.MetaData(), autoload_with=conn)
    for column in t.columns:
        if column.name not in values and not column.nullable and column.server_default is None and not column.primary_key:
            values[column.name] = _blank(column)
    return conn.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one()


def test_existing_rows_are_searchable_after_the_upgrade(empty_db_url):
    migrations.upgrade(empty_db_url, "0011")
    engine = sa.create_engine(empty_db_url)  # a bare engine: the app's write hooks expect the head schema
    try:
        with engine.begin() as conn:
            _insert(conn, "user_account", email="anders@example.gov", name="Anders  Ångström", is_active=True, created_at=NOW)
            _insert(
                conn,
                "course",
                title="Łódź for Beginners",
                summary="Straße",
                audience="ÉLODIE",
                estimated_minutes=5,
                status="draft",
                created_at=NOW,
                updated_at=NOW,
            )
            category = _insert(conn, "question_category", name="Øster", created_at=NOW)
            _insert(
                conn,
                "question",
                category_id=category,
                kind="short_text",
                name="Ærø",
                data={"stem_markdown": "Ćevapi?"},
                version=1,
                archived=False,
                created_at=NOW,
                updated_at=NOW,
            )
            _insert(
                conn,
                "requirement",
                name="Data Ǆ",
                description="",
                everyone=False,
                due_days=30,
                recurrence="none",
                renew_window_days=0,
                grace_days=0,
                created_at=NOW,
                updated_at=NOW,
            )
        migrations.upgrade(empty_db_url)
        with engine.connect() as conn:
            texts = {
                t: conn.execute(sa.text(f"SELECT search_text FROM {t}")).scalar_one()
                for t in ("user_account", "course", "question", "requirement")
            }
        assert texts == {
            "user_account": "anders angstrom anders@example.gov",
            "course": "lodz for beginners strasse elodie",
            "question": "aero cevapi?",
            "requirement": "data dz",
        }
        migrations.downgrade(empty_db_url, "0011")
        with engine.connect() as conn:
            assert "search_text" not in {c["name"] for c in sa.inspect(conn).get_columns("user_account")}
    finally:
        engine.dispose()
