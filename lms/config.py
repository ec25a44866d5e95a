"""Configuration from the environment (prefix-free names, as operators expect: DATABASE_URL, ...)."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from typing import Literal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from lms.i18n import SUPPORTED_LANGUAGES
from lms.people.models import ROLE_LABELS
from lms.privacy.retention_registry import parse_overrides as parse_retention

_ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
# Where SCIM may carry a person's org unit path or job profile name (lms/scim): text, one value.
SCIM_TEXT_ATTRIBUTES = frozenset(
    {"title", "userType", "nickName", "preferredLanguage", "locale"}
    | {_ENTERPRISE + name for name in ("department", "division", "organization", "costCenter", "employeeNumber")}
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"


class ConfigError(Exception):
    """A setting that makes the app unsafe or unable to start.

    Not a ValueError, so pydantic passes it through unwrapped and the CLI can print it as one line.
    """


_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# WCAG 2 level AA for normal text: the primary colour carries white text (buttons, the header band)
# and is itself text on white (links), and both pairs have the same ratio.
MIN_CONTRAST = 4.5
# Profile fields single sign-on may keep in step with the provider (OIDC_MANAGED_FIELDS).
SSO_FIELDS = ("name", "email", "org_unit", "manager", "job_profile")


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio between a #rgb/#rrggbb colour and white (1 to 21)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


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
    packages_dir: Path | None = Field(
        None, description="Unpacked SCORM packages, outside the web root (unset: a packages folder next to ATTACHMENTS_DIR)"
    )
    package_max_mb: int = Field(200, ge=1, description="Largest SCORM package (zip) a trainer may upload")
    badges_for_courses: bool = Field(False, description="Offer a digital badge (Open Badges 3.0) for each completed course too")
    badge_keys_dir: Path | None = Field(
        None,
        description="Where the Open Badges signing key is kept (encrypted, mode 0600), outside the web root "
        "(unset: a badge-keys folder next to ATTACHMENTS_DIR)",
    )
    # Below three, a published count can single out a person; five is the common statistical-office rule.
    report_min_group: int = Field(5, ge=3, description="Smallest group an organisation report shows figures for")
    # None: 60 s in production (a stream of quiz results recomputes a report at most once a minute),
    # 0 in development (every change shows at once).
    report_refresh_seconds: int | None = Field(
        None, ge=0, le=3600, description="Reports recompute their figures at most this often while data keeps changing"
    )
    # None: 60 s in production, 0 (off) in development, where templates change under a running server.
    page_cache_seconds: int | None = Field(
        None, ge=0, le=3600, description="Learner pages are answered from a kept copy for at most this long (lms/web/page_cache.py)"
    )
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
    # Short: an invitation link is a password-setting key, and a mailed one also sits in the outbox.
    invitation_days: int = Field(14, ge=1, le=90, description="Days an invitation (set-your-password) link stays valid")
    # Subject access exports (docs/privacy.md): a ZIP of a person's records, kept outside the web root.
    export_days: int = Field(7, ge=1, le=30, description="Days a personal data export stays downloadable")
    exports_dir: Path = Field(VAR_DIR / "exports", description="Where personal data exports are written (relative: to the project)")
    # Retention periods (lms/privacy/retention_registry.py, docs/privacy.md): "sessions=60d,audit_events=10y".
    retention: str = Field("", description="Overrides of the retention registry's periods, e.g. audit_events=10y,sessions=60d")
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
        "the API's next-page links start with it, relative when empty; "
        "links in e-mail start with it (http://127.0.0.1:8000 when empty)",
    )

    # xAPI statements to the organisation's learning record store (docs/xapi.md); off while XAPI_ENDPOINT is empty.
    xapi_endpoint: str = Field("", description="The LRS's xAPI base URL (statements go to <it>/statements); empty: none are queued")
    xapi_username: str = Field("", description="Basic-auth user for the LRS; no credentials sent when empty")
    xapi_password: str = Field("", description="Basic-auth password for XAPI_USERNAME")
    xapi_actor_homepage: str = Field(
        "", description="homePage of every actor's account (a person is named by their id); BASE_URL when empty"
    )
    xapi_actor_mbox: bool = Field(
        False, description="Name actors by mailto: address instead of an account (their e-mail goes to the LRS)"
    )

    # Outgoing mail (docs/mail.md). With no SMTP host, messages are written as .eml files instead.
    smtp_host: str = Field("", description="Mail server to send through; empty writes .eml files to MAIL_OUTBOX_DIR")
    smtp_port: int = Field(587, ge=1, le=65535, description="Mail server port (587 submission with STARTTLS, 25 plain)")
    smtp_username: str = Field("", description="Sign in to the mail server as this user; no sign-in when empty")
    smtp_password: str = Field("", description="Password for SMTP_USERNAME")
    smtp_starttls: bool = Field(True, description="Upgrade the mail connection with STARTTLS before signing in or sending")
    smtp_timeout: float = Field(20.0, gt=0, le=300, description="Seconds to wait for the mail server before giving up")
    mail_from: str = Field("Proficio <proficio@example.org>", description="Sender of every message (From header and envelope)")
    mail_outbox_dir: Path = Field(
        VAR_DIR / "outbox", description="Where .eml files go when SMTP_HOST is empty (relative: to the project)"
    )
    reminder_days: str = Field("14,3", description="Days before a due date that reminders go out, comma-separated")
    escalation_days: int = Field(
        7, ge=1, le=365, description="Days overdue before the line manager is told (and their manager after twice as many)"
    )

    # Interface language and displayed times (docs/languages.md); times are stored in UTC whatever this says.
    default_language: str = Field(
        "en", description="Interface language when neither the person nor their browser chooses a supported one (en, fr)"
    )
    time_zone: str = Field("UTC", description="Time zone dates and times are shown in (an IANA name such as Europe/Brussels)")

    # The organisation's own look: shown in the header, the page title and the footer.
    org_name: str = Field("Proficio", min_length=1, max_length=80, description="Name in the header and every page title")
    org_logo_url: str = Field("", description="Logo beside the name: a path under /static/ or an https:// address; none when empty")
    org_primary_colour: str = Field(
        "#005ea2", description="Hex colour of buttons, links and the header band; must reach 4.5:1 against white"
    )
    org_support_email: str = Field("", description="Address the footer offers for help; none when empty")
    org_support_text: str = Field("", max_length=300, description="A line of help in the footer (opening hours, a phone number)")

    # Single sign-on through the organisation's OpenID Connect provider (docs/sso.md); off while
    # OIDC_ISSUER is empty.
    oidc_issuer: str = Field(
        "", description="The provider's issuer URL (its /.well-known/openid-configuration is read); empty turns single sign-on off"
    )
    oidc_client_id: str = Field("", description="Client id Proficio is registered under at the provider")
    oidc_client_secret: str = Field("", description="Client secret for OIDC_CLIENT_ID")
    oidc_scopes: str = Field(
        "openid email profile", description="Scopes asked for, space-separated (add groups if the provider needs it)"
    )
    oidc_provider_name: str = Field(
        "", max_length=80, description="Name on the sign-in button (Sign in with ...); ORG_NAME when empty"
    )
    oidc_claim_subject: str = Field("sub", description="Claim that names a person for good (Entra ID: oid); never the e-mail")
    oidc_claim_email: str = Field("email", description="Claim holding the e-mail address")
    oidc_claim_name: str = Field("name", description="Claim holding the display name")
    oidc_claim_groups: str = Field("groups", description="Claim holding the person's groups, mapped to roles by GROUP_ROLES")
    oidc_claim_org_unit: str = Field("", description="Claim holding the org unit path (A / B); not read when empty")
    oidc_claim_manager: str = Field("", description="Claim holding the line manager's e-mail; not read when empty")
    oidc_claim_job_profile: str = Field("", description="Claim holding the job profile's name; not read when empty")
    oidc_create_accounts: bool = Field(False, description="Create an account at a first sign-in that matches none (just in time)")
    oidc_managed_fields: str = Field(
        "name,email", description="Profile fields the provider overwrites at every sign-in: name,email,org_unit,manager,job_profile"
    )
    oidc_clock_skew_seconds: int = Field(120, ge=0, le=900, description="Leeway for the ID token's times against this server's clock")
    auth_local_passwords: str = Field(
        "all", description="Who may sign in with a Proficio password: all, admins (AUTH_BREAK_GLASS_ADMINS only) or off"
    )
    auth_break_glass_admins: str = Field(
        "", description="Comma-separated e-mails of administrators who keep a password when AUTH_LOCAL_PASSWORDS=admins"
    )
    # Both single sign-on group claims and SCIM groups map to roles through this one table.
    group_roles: str = Field(
        "", description="Group-to-role table: 'LMS Trainers=trainer;LMS Admins=admin'; roles it names follow the groups"
    )
    # SCIM provisioning (/scim/v2): where a person's org unit and job profile come from.
    scim_org_unit_attribute: str = Field(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        description="SCIM attribute holding the org unit path",
    )
    scim_job_profile_attribute: str = Field("title", description="SCIM attribute holding the job profile's name")

    @property
    def org_logo_origin(self) -> str:
        """The logo's origin when it is hosted elsewhere, for the CSP's img-src; empty for a local file."""
        if not self.org_logo_url.startswith("https://"):
            return ""
        host = self.org_logo_url.removeprefix("https://").split("/", 1)[0]
        return f"https://{host}"

    @property
    def attachments_path(self) -> Path:
        return self.attachments_dir if self.attachments_dir.is_absolute() else PROJECT_ROOT / self.attachments_dir

    @property
    def packages_path(self) -> Path:
        if self.packages_dir is None:
            return self.attachments_path.parent / "packages"
        return self.packages_dir if self.packages_dir.is_absolute() else PROJECT_ROOT / self.packages_dir

    @property
    def badge_keys_path(self) -> Path:
        if self.badge_keys_dir is None:
            return self.attachments_path.parent / "badge-keys"
        return self.badge_keys_dir if self.badge_keys_dir.is_absolute() else PROJECT_ROOT / self.badge_keys_dir

    @property
    def exports_path(self) -> Path:
        return self.exports_dir if self.exports_dir.is_absolute() else PROJECT_ROOT / self.exports_dir

    @property
    def mail_outbox_path(self) -> Path:
        return self.mail_outbox_dir if self.mail_outbox_dir.is_absolute() else PROJECT_ROOT / self.mail_outbox_dir

    @property
    def mail_base_url(self) -> str:
        """Start of every link in e-mail: mail is read outside the app, so links must be absolute."""
        return (self.base_url or "http://127.0.0.1:8000").rstrip("/")

    @property
    def xapi_homepage(self) -> str:
        return (self.xapi_actor_homepage or self.mail_base_url).rstrip("/")

    @property
    def reminder_day_list(self) -> tuple[int, ...]:
        """REMINDER_DAYS as numbers, largest first ("14,3" -> (14, 3))."""
        return tuple(sorted({int(d) for d in self.reminder_days.split(",") if d.strip()}, reverse=True))

    @property
    def is_production(self) -> bool:
        return self.proficio_env.lower() == "production"

    @property
    def report_refresh(self) -> int:
        if self.report_refresh_seconds is not None:
            return self.report_refresh_seconds
        return 60 if self.is_production else 0

    @property
    def page_cache(self) -> int:
        if self.page_cache_seconds is not None:
            return self.page_cache_seconds
        return 60 if self.is_production else 0

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("org_primary_colour")
    @classmethod
    def _readable_colour(cls, value: str) -> str:
        # ConfigError, not ValueError: the operator reads this one line when the app refuses to start.
        if not _HEX_COLOUR.fullmatch(value):
            raise ConfigError(f"ORG_PRIMARY_COLOUR must be a hex colour such as #005ea2, not {value!r}")
        ratio = contrast_with_white(value)
        if ratio < MIN_CONTRAST:
            raise ConfigError(
                f"ORG_PRIMARY_COLOUR {value} has a contrast of {ratio:.2f}:1 with white text; "
                f"at least {MIN_CONTRAST}:1 is needed to be readable (choose a darker shade)"
            )
        return value.lower()

    @field_validator("org_logo_url")
    @classmethod
    def _safe_logo(cls, value: str) -> str:
        # Only our own static files or an https address: no other schemes (javascript:, data:), no
        # path climbing out of /static/, no quotes or spaces that could leave the attribute.
        if not value:
            return value
        ok_local = value.startswith("/static/") and ".." not in value and "//" not in value
        ok_remote = re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>]*)?", value) is not None
        if not (ok_local and re.fullmatch(r"[^\s\"'<>]+", value) or ok_remote):
            raise ConfigError(f"ORG_LOGO_URL must be a path under /static/ or an https:// address, not {value!r}")
        return value

    @field_validator("xapi_endpoint")
    @classmethod
    def _lrs_address(cls, value: str) -> str:
        # Statements carry learners' activity, and Basic credentials go with them: an address only.
        value = value.strip()
        if value and re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value) is None:
            raise ConfigError(
                f"XAPI_ENDPOINT must be an http:// or https:// address such as https://lrs.example.gov/xAPI, not {value!r}"
            )
        return value

    @field_validator("default_language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        if value.lower() not in SUPPORTED_LANGUAGES:
            raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}, not {value!r}")
        return value.lower()

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"TIME_ZONE must be an IANA time zone such as Europe/Brussels or UTC, not {value!r}") from None
        return value

    @field_validator("reminder_days")
    @classmethod
    def _day_list(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not all(p.isdigit() and 0 < int(p) <= 365 for p in parts):
            raise ConfigError(f"REMINDER_DAYS must be whole days between 1 and 365, comma-separated (14,3), not {value!r}")
        return ",".join(parts)

    @field_validator("retention")
    @classmethod
    def _retention(cls, value: str) -> str:
        problems = parse_retention(value).problems
        if problems:
            raise ConfigError("RETENTION: " + "; ".join(problems))
        return value

    @field_validator("org_support_email")
    @classmethod
    def _plain_email(cls, value: str) -> str:
        if value and not re.fullmatch(r"[^@\s\"'<>]+@[^@\s\"'<>]+\.[^@\s\"'<>]+", value):
            raise ConfigError(f"ORG_SUPPORT_EMAIL must be an email address, not {value!r}")
        return value

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    @property
    def oidc_managed_field_set(self) -> frozenset[str]:
        return frozenset(f.strip() for f in self.oidc_managed_fields.split(",") if f.strip())

    @property
    def break_glass_emails(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.auth_break_glass_admins.split(",") if e.strip())

    @property
    def group_role_map(self) -> dict[str, str]:
        """Group name -> role code, from GROUP_ROLES (already validated)."""
        pairs = (item.rsplit("=", 1) for item in self.group_roles.split(";") if item.strip())
        return {group.strip(): role.strip() for group, role in pairs}

    @field_validator("auth_local_passwords")
    @classmethod
    def _local_passwords(cls, value: str) -> str:
        if value.lower() not in {"all", "admins", "off"}:
            raise ConfigError(f"AUTH_LOCAL_PASSWORDS must be all, admins or off, not {value!r}")
        return value.lower()

    @field_validator("oidc_managed_fields")
    @classmethod
    def _managed_fields(cls, value: str) -> str:
        unknown = {f.strip() for f in value.split(",") if f.strip()} - set(SSO_FIELDS)
        if unknown:
            raise ConfigError(f"OIDC_MANAGED_FIELDS may name {', '.join(SSO_FIELDS)}; not {', '.join(sorted(unknown))}")
        return value

    @field_validator("scim_org_unit_attribute", "scim_job_profile_attribute")
    @classmethod
    def _scim_attribute(cls, value: str, info: ValidationInfo) -> str:
        if value not in SCIM_TEXT_ATTRIBUTES:
            raise ConfigError(
                f"{(info.field_name or '').upper()} must be a single-valued text attribute of the SCIM User: one of "
                f"{', '.join(sorted(SCIM_TEXT_ATTRIBUTES))}; {value!r} is not"
            )
        return value

    @field_validator("group_roles")
    @classmethod
    def _group_roles(cls, value: str) -> str:
        for item in (i for i in value.split(";") if i.strip()):
            group, eq, role = item.rpartition("=")
            if not eq or not group.strip() or role.strip() not in ROLE_LABELS:
                raise ConfigError(
                    f"GROUP_ROLES must be 'group=role' pairs separated by ';' with roles among "
                    f"{', '.join(ROLE_LABELS)}; {item.strip()!r} is not"
                )
        return value

    @model_validator(mode="after")
    def _check_production(self) -> "Settings":
        if self.is_production:
            if not self.secret_key:
                raise ConfigError("SECRET_KEY must be set when PROFICIO_ENV=production")
            if not self.cookie_secure:
                raise ConfigError("COOKIE_SECURE must be true when PROFICIO_ENV=production")
        if self.oidc_issuer and not self.oidc_client_id:
            raise ConfigError("OIDC_CLIENT_ID must be set when OIDC_ISSUER is")
        if self.auth_local_passwords != "all" and not self.oidc_issuer:
            raise ConfigError("AUTH_LOCAL_PASSWORDS can only be narrowed when single sign-on is on (OIDC_ISSUER)")
        if self.is_production and self.xapi_endpoint and not self.base_url:
            # Statements name people and activities by addresses under it; a guessed one would split
            # the LRS's records of one course in two the day the real address is set.
            raise ConfigError("BASE_URL must be set when XAPI_ENDPOINT is (statements name activities by addresses under it)")
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
