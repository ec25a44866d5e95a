"""Configuration from the environment (prefix-free names, as operators expect: DATABASE_URL, ...)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Literal
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


class ConfigError(Exception):
    """A setting that makes the app unsafe or unable to start.

    Not a ValueError, so pydantic passes it through unwrapped and the CLI can print it as one line.
    """


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    proficio_env: str = Field("development", description="development or production")
    database_url: str = Field(f"sqlite:///{VAR_DIR / 'proficio.db'}", description="SQLAlchemy URL (sqlite or postgresql+psycopg)")
    secret_key: str = Field("", description="Signs CSRF tokens; generated under var/ in development")
    cookie_secure: bool = Field(False, description="Send cookies over HTTPS only")
    session_idle_minutes: int = Field(30, ge=1)
    session_absolute_hours: int = Field(12, ge=1)
    login_max_failures: int = Field(5, ge=1, description="Failures before delays start")
    login_window_minutes: int = Field(15, ge=1, description="How long failures are remembered")
    login_max_delay_seconds: int = Field(900, ge=1, description="Longest enforced wait after failures")
    attachments_dir: Path = Field(VAR_DIR / "attachments", description="Course files, outside the web root (relative: to the project)")
    attachment_max_mb: int = Field(10, ge=1, description="Largest course file an author may upload")
    # Below three, a published count can single out a person; five is the common statistical-office rule.
    report_min_group: int = Field(5, ge=3, description="Smallest group an organisation report shows figures for")
    forwarded_allow_ips: str = Field("127.0.0.1", description="Proxy addresses whose X-Forwarded-For is trusted")
    # A request takes its connection before its first query and keeps it to the end; no more requests
    # than this do database work at once in one process, so none can wait for a connection that a
    # request waiting for a thread holds (see docs/operations.md).
    db_pool_size: int = Field(10, ge=1, le=200, description="Database connections per server process")
    db_pool_timeout: float = Field(20.0, gt=0, le=300, description="Seconds a request waits for a connection before a 503")
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        "NORMAL", description="SQLite durability: FULL also keeps the last commits through a power cut"
    )
    worker_boot_timeout: int = Field(
        60, ge=5, le=600, description="Seconds a new server process may take to start before it is replaced"
    )
    login_account_max_failures: int = Field(
        100, ge=1, description="Failures on one account from anywhere before sign-ins from unknown devices wait"
    )
    login_device_days: int = Field(90, ge=1, description="How long a device that signed in is remembered")
    form_max_kb: int = Field(1024, ge=16, description="Largest body of an ordinary form, refused before it is read")
    page_size: int = Field(
        25,
        ge=4,
        le=500,
        description="Rows on one page of a list; tables of short rows show twice as many, the course catalogue half as many",
    )
    base_url: str = Field(
        "",
        description="Address clients reach Proficio at (https://lms.example.gov); "
        "the API's next-page links start with it, relative when empty",
    )

    @property
    def attachments_path(self) -> Path:
        return self.attachments_dir if self.attachments_dir.is_absolute() else PROJECT_ROOT / self.attachments_dir

    @property
    def is_production(self) -> bool:
        return self.proficio_env.lower() == "production"

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_production(self) -> "Settings":
        if self.is_production:
            if not self.secret_key:
                raise ConfigError("SECRET_KEY must be set when PROFICIO_ENV=production")
            if not self.cookie_secure:
                raise ConfigError("COOKIE_SECURE must be true when PROFICIO_ENV=production")
        if self.proficio_env.lower() not in {"development", "production"}:
            raise ConfigError("PROFICIO_ENV must be 'development' or 'production'")
        return self

    def resolved_secret_key(self) -> str:
        """The explicit key, or one generated once and kept under var/ so sessions survive restarts."""
        if self.secret_key:
            return self.secret_key
        key_file = VAR_DIR / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
