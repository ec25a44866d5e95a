"""Proficio: the platform (config, db, web plumbing, people, competences, reports, CLI)."""

from sqlmodel import SQLModel

# Named constraints give Alembic stable names to diff and drop on both engines.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
