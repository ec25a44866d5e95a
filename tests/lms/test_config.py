"""Configuration: production refuses unsafe settings; development keeps a generated key."""

import pytest

from lms import config
from lms.config import ConfigError, Settings


def test_production_requires_secret_and_secure_cookies():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings(proficio_env="production", cookie_secure=True, secret_key="")
    with pytest.raises(ConfigError, match="COOKIE_SECURE"):
        Settings(proficio_env="production", secret_key="s" * 40, cookie_secure=False)
    assert Settings(proficio_env="production", secret_key="s" * 40, cookie_secure=True).is_production


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError):
        Settings(proficio_env="staging")


def test_development_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    first = Settings(secret_key="").resolved_secret_key()
    assert len(first) >= 40 and (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert Settings(secret_key="").resolved_secret_key() == first


def test_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "5")
    s = Settings()
    assert s.database_url == "sqlite:///elsewhere.db" and s.session_idle_minutes == 5
