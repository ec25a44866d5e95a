"""Alembic owns the schema: upgrading an empty database yields exactly the models, and back again."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lms import migrations
from lms.db import make_engine
from lms.app import load_features
from lms.models import metadata

load_features()  # the courses and assessments tables are part of the schema too


def test_upgrade_matches_models_and_downgrade_to_base(empty_db_url):
    migrations.upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
        assert diff == [], f"Migrations and models disagree: {diff}"
        assert migrations.current_revision(engine) == migrations.head_revision(empty_db_url)

        migrations.downgrade(empty_db_url, "base")
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        migrations.upgrade(empty_db_url)  # and up again from base
        assert "user_account" in inspect(make_engine(empty_db_url)).get_table_names()
    finally:
        engine.dispose()
