"""The real SMTP server of the notification tests, for mail written in its recipient's language."""

from tests.lms.notifications.conftest import mail_settings, smtp_server

__all__ = ["mail_settings", "smtp_server"]
