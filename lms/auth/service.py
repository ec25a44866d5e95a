"""Signing in and out, server-side sessions and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import String, bindparam
from sqlmodel import Session, col, delete, select, update

from lms.audit.service import audit_record
from lms.auth import throttle
from lms.auth.models import UserSession
from lms.auth.passwords import hash_password, password_problems, verify_password
from lms.clock import utcnow
from lms.config import Settings
from lms.errors import FieldError
from lms.i18n import SUPPORTED_LANGUAGES, gettext, lazy_gettext, ngettext
from lms.people.models import RoleGrant, User


class AuthError(Exception):
    """A sign-in or password change that did not succeed; the message is safe to show."""


class ThrottledError(AuthError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        wait = gettext("Too many failed sign-in attempts. Try again in %(wait)s.") % {"wait": _humanise(retry_after)}
        super().__init__(f"{wait} {FORGOTTEN_PASSWORD}")


BAD_CREDENTIALS = lazy_gettext("The email address or password is not correct.")
# There is no self-service reset: administrators set new passwords (and can lift a wait at once).
FORGOTTEN_PASSWORD = lazy_gettext(
    "If you have forgotten your password, ask your administrator to reset it; they can also let you try again straight away."
)
CURRENT_PASSWORD_WRONG = lazy_gettext("Your current password is not correct.")
# Sessions are touched at most this often, so a page view is not a write every time.
TOUCH_INTERVAL = timedelta(seconds=60)


def _humanise(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds) % {"num": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass
class SignIn:
    user: User
    token: str
    device: str  # a new device id, for the device cookie that exempts this device from others' failures


def session_start(session: Session, user: User, client_ip: str | None) -> str:
    """A new server-side session for a person who has just proved who they are; returns the cookie's token."""
    token = secrets.token_urlsafe(32)  # 256 bits
    session.add(UserSession(token_hash=hash_token(token), user_id=user.id, client_ip=client_ip))
    # A sign-in is not a change to the person: keep updated_at (SCIM's lastModified) as it was.
    session.execute(update(User).where(col(User.id) == user.id).values(last_login_at=utcnow(), updated_at=User.updated_at))
    return token


@dataclass(frozen=True)
class LoginAttempt:
    """What the first half of a sign-in found, for the password check and the second half."""

    account: str
    keys: list[str]
    user_id: int | None
    password_hash: str | None
    device: str | None
    client_ip: str | None


def login_begin(session: Session, *, email: str, client_ip: str | None, device: str | None = None) -> LoginAttempt:
    """Apply throttling (lms.auth.throttle) and find the account. Raises ThrottledError (committing
    its audit event). The password is checked between this and login_finish, with no connection held.

    ``device`` is the id from a genuine device cookie issued to this account at an earlier sign-in;
    such attempts are checked against that device's counter only.
    """
    now = utcnow()
    account = normalise_email(email)[:320]
    keys = throttle.keys_for(account, client_ip, device)
    wait = throttle.blocked_for(session, keys, now)
    if wait:
        audit_record(
            session,
            action="login.throttled",
            actor_email=account,
            client_ip=client_ip,
            detail={"wait_seconds": wait, "known_device": bool(device)},
        )
        session.commit()
        raise ThrottledError(wait)
    user = session.exec(select(User).where(User.email == account)).first()
    session.rollback()  # hands the connection back before the slow password check
    return LoginAttempt(account, keys, user.id if user else None, user.password_hash if user else None, device, client_ip)


def login_finish(session: Session, *, attempt: LoginAttempt, ok: bool, new_hash: str | None, settings: Settings) -> SignIn:
    """Record the outcome of the password check and open a session, or raise AuthError. Commits."""
    now = utcnow()
    # Read again: the account may have been deactivated while its password was being checked.
    user = session.get(User, attempt.user_id) if attempt.user_id is not None else None
    if not ok or user is None or not user.is_active:
        throttle.failure_record(session, keys=attempt.keys, settings=settings, now=now)
        reason = "unknown" if user is None else ("inactive" if not user.is_active else "password")
        audit_record(
            session,
            action="login.failure",
            actor=user,
            actor_email=attempt.account,
            client_ip=attempt.client_ip,
            detail={"reason": reason, **({"known_device": True} if attempt.device else {})},
        )
        session.commit()
        raise AuthError(str(BAD_CREDENTIALS))

    if new_hash:
        user.password_hash = new_hash
        session.add(user)
    throttle.success_record(session, keys=attempt.keys)
    token = session_start(session, user, attempt.client_ip)
    audit_record(session, action="login.success", actor=user, client_ip=attempt.client_ip)
    session.commit()
    return SignIn(user=user, token=token, device=throttle.device_new())


def login(
    session: Session,
    *,
    email: str,
    password: str,
    client_ip: str | None,
    settings: Settings,
    device: str | None = None,
) -> SignIn:
    """Check credentials, apply throttling and open a new server-side session, in one go. Commits.

    The web form runs the same three steps with a connection only for the first and last
    (lms/auth/routes.py), so a burst of sign-ins does not hold the pool while argon2 works.
    """
    attempt = login_begin(session, email=email, client_ip=client_ip, device=device)
    ok, new_hash = verify_password(password, attempt.password_hash)
    return login_finish(session, attempt=attempt, ok=ok, new_hash=new_hash, settings=settings)


def logout(session: Session, *, token: str, user: User | None, client_ip: str | None) -> None:
    session.exec(delete(UserSession).where(UserSession.token_hash == hash_token(token)))
    if user is not None:
        audit_record(session, action="logout", actor=user, client_ip=client_ip)
    session.commit()


def sessions_end_all(session: Session, *, user_id: int, except_token_hash: str | None = None) -> None:
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if except_token_hash:
        stmt = stmt.where(UserSession.token_hash != except_token_hash)
    session.exec(stmt)


# Built once (issue 15): the session, its person and their roles in one statement, one row per role.
_SESSION_USER_ROLES = (
    select(UserSession, User, RoleGrant.role)
    .join(User, col(User.id) == UserSession.user_id)
    .outerjoin(RoleGrant, col(RoleGrant.user_id) == User.id)
    .where(UserSession.token_hash == bindparam("token_hash", type_=String))
)


def resolve_session(session: Session, *, token: str, settings: Settings) -> tuple[User, UserSession, frozenset[str]] | None:
    """The signed-in user and their roles for a cookie token, or None when unknown, expired or deactivated."""
    now = utcnow()
    rows = session.exec(_SESSION_USER_ROLES, params={"token_hash": hash_token(token)}).all()
    if not rows:
        return None
    user_session, user, _role = rows[0]
    idle = timedelta(minutes=settings.session_idle_minutes)
    absolute = timedelta(hours=settings.session_absolute_hours)
    if not user.is_active or now - user_session.last_seen_at > idle or now - user_session.created_at > absolute:
        session.delete(user_session)
        session.commit()
        return None
    if now - user_session.last_seen_at > TOUCH_INTERVAL:
        user_session.last_seen_at = now
        session.add(user_session)
        session.commit()
    return user, user_session, frozenset(role for _s, _u, role in rows if role is not None)


def password_change(
    session: Session, *, user: User, current: str, new: str, keep_token_hash: str | None, client_ip: str | None
) -> None:
    """Change a user's own password and end their other sessions. Commits."""
    ok, _ = verify_password(current, user.password_hash)
    if not ok:
        raise AuthError(str(CURRENT_PASSWORD_WRONG))
    problems = password_problems(new, user_inputs=[user.email, user.name])
    if problems:
        raise AuthError(problems[0])
    user.password_hash = hash_password(new)
    session.add(user)
    sessions_end_all(session, user_id=user.id, except_token_hash=keep_token_hash)
    audit_record(session, action="password.change", actor=user, target_type="user", target_id=user.id, client_ip=client_ip)
    session.commit()


class LanguageError(FieldError):
    """A language the interface does not ship in."""


def account_language_set(session: Session, *, user: User, language: str | None, client_ip: str | None) -> bool:
    """Set the person's interface language (None: follow the browser); False when it was already so."""
    language = language or None
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise LanguageError(gettext("Choose one of the languages offered."), "language")
    if user.language == language:
        return False
    detail = {"from": user.language, "to": language}
    user.language = language
    session.add(user)
    audit_record(
        session, action="account.language", actor=user, target_type="user", target_id=user.id, client_ip=client_ip, detail=detail
    )
    session.commit()
    return True
