"""The demo accounts, shared by `lms demo`, `make run` and the login page."""

from __future__ import annotations

from sqlmodel import Session, select

from lms.people.models import User

DEMO_PASSWORD = "proficio-demo-2026"
DEMO_ACCOUNTS = [
    ("admin@example.gov", "Administrator"),
    ("trainer@example.gov", "Trainer"),
    ("manager@example.gov", "Manager"),
    ("lead@example.gov", "Skills lead"),
    ("employee@example.gov", "Employee"),
]


def demo_accounts_shown(session: Session) -> list[tuple[str, str]]:
    """The demo accounts to list on the login page: only when demo data is loaded."""
    emails = [email for email, _ in DEMO_ACCOUNTS]
    present = set(session.exec(select(User.email).where(User.email.in_(emails), User.is_active)).all())
    if len(present) != len(emails):
        return []
    return DEMO_ACCOUNTS
