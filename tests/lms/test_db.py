"""Engine settings an operator chooses: SQLite's durability level."""

from sqlalchemy import text

from lms.config import Settings
from lms.db import make_engine


def _synchronous(url: str, **kwargs) -> int:
    engine = make_engine(url, **kwargs)
    try:
        with engine.connect() as conn:
            return conn.execute(text("PRAGMA synchronous")).scalar_one()
    finally:
        engine.dispose()


def test_sqlite_synchronous_is_normal_by_default_and_full_when_asked(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert _synchronous(url) == 1  # NORMAL
    setting = Settings(database_url=url, sqlite_synchronous="full").sqlite_synchronous
    assert setting == "FULL"
    assert _synchronous(url, sqlite_synchronous=setting) == 2  # FULL
