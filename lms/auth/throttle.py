"""Sign-in throttling that falls on whoever fails, not on the account's owner.

Failed sign-ins are counted under several keys at once, each with its own allowance:

- ``account_ip``: one account from one client address (``LOGIN_MAX_FAILURES``). Slows someone
  guessing one password from one place; nobody else is affected.
- ``ip``: one client address, whatever the account (four times ``LOGIN_MAX_FAILURES``, since an
  office behind one NAT address shares it). Slows one address trying many accounts.
- ``account``: one account from anywhere (``LOGIN_ACCOUNT_MAX_FAILURES``, a high ceiling). Slows a
  guessing attack spread over many addresses; it never applies to a known device.
- ``device``: one account from a device that signed in to it before (OWASP's device cookie). A known
  device is checked against its own counter only, so failures from elsewhere never block the owner;
  failures made with that cookie count against that device alone.

A key's failures are forgotten ``LOGIN_WINDOW_MINUTES`` after its last failure. Once a key has had its
allowance, the next failure makes it wait 5 s, the one after 10 s, then 20 s, ... never more than
``LOGIN_MAX_DELAY_SECONDS``. While a key waits, attempts are refused without checking the password
and are not counted, so one failure can be added per wait at most: waits are bounded, and so is the
rate of guesses.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select as sa_select
from sqlmodel import Session, col

from lms.audit.service import audit_record
from lms.auth.models import LoginThrottle
from lms.config import Settings
from lms.people.models import User
from lms.web import signing

FIRST_DELAY_SECONDS = 5
DEVICE_PURPOSE = "device"
KIND_LABELS = {
    "account_ip": "Account from one address",
    "ip": "Address (any account)",
    "account": "Account from anywhere",
    "device": "Account on a known device",
}


@dataclass(frozen=True)
class Key:
    key: str
    kind: str
    account: str | None
    client_ip: str | None


def allowance(kind: str, settings: Settings) -> int:
    if kind == "ip":
        return settings.login_max_failures * 4
    if kind == "account":
        return settings.login_account_max_failures
    return settings.login_max_failures


def delay_after(failures: int, allowed: int, settings: Settings) -> int:
    """Seconds to wait after the given number of failures (0 while within the allowance)."""
    over = failures - allowed
    if over < 0:
        return 0
    return min(settings.login_max_delay_seconds, FIRST_DELAY_SECONDS * 2 ** min(over, 20))


def keys_for(account: str, client_ip: str | None, device: str | None) -> list[Key]:
    """The counters an attempt on ``account`` is checked against and, if it fails, counted under."""
    if device:
        digest = hashlib.sha256(device.encode()).hexdigest()[:32]
        return [Key(f"device:{account}|{digest}", "device", account, client_ip)]
    address = client_ip or ""
    keys = [Key(f"account_ip:{account}|{address}", "account_ip", account, client_ip)]
    if client_ip:
        keys.append(Key(f"ip:{client_ip}", "ip", None, client_ip))
    keys.append(Key(f"account:{account}", "account", account, None))
    return keys


def blocked_for(session: Session, keys: list[Key], now: datetime) -> int:
    """Whole seconds until every key allows another attempt (0: go ahead)."""
    rows = session.exec(sa_select(LoginThrottle.blocked_until).where(LoginThrottle.key.in_([k.key for k in keys]))).scalars().all()
    waits = [(until - now).total_seconds() for until in rows if until and until > now]
    return int(max(waits)) + 1 if waits else 0


def failure_record(session: Session, *, keys: list[Key], settings: Settings, now: datetime) -> None:
    window = timedelta(minutes=settings.login_window_minutes)
    # Counters that have expired and no longer hold anyone back are dropped, so the table stays small.
    session.exec(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - window,
            or_(LoginThrottle.blocked_until.is_(None), col(LoginThrottle.blocked_until) < now),
        )
    )
    for k in keys:
        row = session.get(LoginThrottle, k.key)
        if row is None:
            row = LoginThrottle(key=k.key, kind=k.kind, account=k.account, client_ip=k.client_ip, failures=0, last_failure_at=now)
        elif now - row.last_failure_at > window:
            row.failures = 0
            row.blocked_until = None
        row.failures += 1
        row.last_failure_at = now
        delay = delay_after(row.failures, allowance(k.kind, settings), settings)
        if delay:
            row.blocked_until = now + timedelta(seconds=delay)
        session.add(row)


def success_record(session: Session, *, keys: list[Key]) -> None:
    """The right password from this address or device: its own counter starts again.

    The per-address and per-account counters are kept: a guesser who owns one account must not be
    able to wipe the record of their guesses at others by signing in to it.
    """
    mine = [k.key for k in keys if k.kind in {"account_ip", "device"}]
    if mine:
        session.exec(delete(LoginThrottle).where(LoginThrottle.key.in_(mine)))


# --- The device cookie -------------------------------------------------------------------------------


def device_new() -> str:
    return secrets.token_urlsafe(24)


def device_cookie(secret: str, *, account: str, device: str) -> str:
    return signing.dumps(secret, DEVICE_PURPOSE, {"a": account, "d": device})


def device_from_cookie(secret: str, raw: str | None, *, account: str) -> str | None:
    """The device id in a genuine cookie issued to ``account``, else None."""
    data = signing.loads(secret, DEVICE_PURPOSE, raw)
    if not isinstance(data, dict) or data.get("a") != account:
        return None
    device = data.get("d")
    return device if isinstance(device, str) and 16 <= len(device) <= 64 else None


# --- What admins see and clear -----------------------------------------------------------------------


@dataclass
class ThrottleRow:
    key: str
    kind: str
    label: str
    account: str | None
    client_ip: str | None
    failures: int
    allowed: int
    last_failure_at: datetime
    blocked_until: datetime | None

    @property
    def waiting(self) -> bool:
        return self.blocked_until is not None


def throttles_active(session: Session, *, settings: Settings, now: datetime) -> list[ThrottleRow]:
    """Counters that hold someone back now or will at the next failure, the longest wait first."""
    window = timedelta(minutes=settings.login_window_minutes)
    rows = (
        session.exec(
            sa_select(LoginThrottle).where(
                or_(
                    col(LoginThrottle.blocked_until) > now,
                    col(LoginThrottle.last_failure_at) >= now - window,
                )
            )
        )
        .scalars()
        .all()
    )
    found = []
    for row in rows:
        allowed = allowance(row.kind, settings)
        blocked = row.blocked_until if row.blocked_until and row.blocked_until > now else None
        in_window = now - row.last_failure_at <= window
        if blocked is None and not (in_window and row.failures >= allowed):
            continue
        found.append(
            ThrottleRow(
                key=row.key,
                kind=row.kind,
                label=KIND_LABELS.get(row.kind, row.kind),
                account=row.account,
                client_ip=row.client_ip,
                failures=row.failures,
                allowed=allowed,
                last_failure_at=row.last_failure_at,
                blocked_until=blocked,
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    found.sort(key=lambda r: (r.blocked_until is None, -(r.blocked_until or far).timestamp(), r.account or "", r.client_ip or ""))
    return found


class ThrottleNotFound(LookupError):
    pass


def throttle_clear(session: Session, *, key: str, by: User, client_ip: str | None) -> LoginThrottle:
    """Forget one counter (an admin lets someone try again now). Audited in the same transaction."""
    row = session.get(LoginThrottle, key)
    if row is None:
        raise ThrottleNotFound(key)
    audit_record(
        session,
        action="login.throttle_clear",
        actor=by,
        client_ip=client_ip,
        detail={"kind": row.kind, "account": row.account, "address": row.client_ip, "failures": row.failures},
    )
    session.delete(row)
    return row


def throttle_clear_account(session: Session, *, account: str, by: User, client_ip: str | None) -> int:
    """Forget every counter naming this account (from any address or device). Audited."""
    rows = session.exec(sa_select(LoginThrottle).where(LoginThrottle.account == account)).scalars().all()
    if not rows:
        raise ThrottleNotFound(account)
    user_id = session.exec(sa_select(User.id).where(User.email == account)).scalars().first()
    audit_record(
        session,
        action="login.throttle_clear",
        actor=by,
        client_ip=client_ip,
        target_type="user" if user_id else None,
        target_id=user_id,
        detail={"account": account, "counters": len(rows), "failures": sum(r.failures for r in rows)},
    )
    for row in rows:
        session.delete(row)
    return len(rows)
