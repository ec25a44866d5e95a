"""Job tests talk to the database through plain engines and sessions, as the worker does."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from lms.db import make_engine


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


def fresh(engine, model, key):
    """The row as the database has it now, not as some session remembers it."""
    with Session(engine) as other:
        return other.get(model, key)
