"""The real SMTP server of the notification tests, for a course named in its mail's recipient's language."""

from tests.lms.notifications.conftest import mail_settings, smtp_server

__all__ = ["mail_settings", "smtp_server"]
