"""Building and sending one e-mail: SMTP (smtplib) when SMTP_HOST is set, else an .eml file.

Every message has a plain-text and an HTML part and says it was sent by a machine
(`Auto-Submitted: auto-generated`, RFC 3834), and carries a one-click unsubscribe (RFC 8058):
`List-Unsubscribe: <https://…/unsubscribe/TOKEN>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
"""

from __future__ import annotations

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType

from lms.config import Settings


@dataclass(frozen=True)
class Letter:
    """What one message says, before it becomes MIME."""

    to_name: str
    to_address: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def build_message(settings: Settings, letter: Letter, *, now: datetime, ref: str = "") -> EmailMessage:
    """The MIME message: text and HTML alternatives with the headers above. `ref` goes into the
    Message-ID (the outbox row), so a retried message can be recognised in the server's logs."""
    sender = parseaddr(settings.mail_from)[1] or settings.mail_from
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = formataddr((letter.to_name, letter.to_address))
    msg["Subject"] = letter.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(idstring=f"proficio.{ref or secrets.token_hex(4)}", domain=sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    if letter.unsubscribe_url:  # every message to a person; not `lms mail test`'s, which no preference governs
        msg["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(letter.text)
    msg.add_alternative(letter.html, subtype="html")
    return msg


class MailError(Exception):
    """Sending failed; the message says why in one line (the server's answer, or the network error)."""


class Mailer:
    """Sends messages over one SMTP connection, opened on first use and reopened after an error;
    with no SMTP host, writes each message to MAIL_OUTBOX_DIR/<name>.eml instead.

    Use as a context manager so the connection is closed (QUIT) at the end.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):  # the server already hung up; nothing left to close cleanly
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        try:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, msg: EmailMessage, *, name: str) -> str:
        """Send (or write) one message; returns the server's answer or the file's path.
        Raises MailError; the connection is dropped then, so the next send starts afresh."""
        if not self.settings.smtp_host:
            return str(self._write(msg, name))
        sender = parseaddr(self.settings.mail_from)[1] or self.settings.mail_from
        recipient = parseaddr(str(msg["To"]))[1]
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            smtp = self._smtp
            code, answer = smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, answer, sender)
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
            code, answer = smtp.data(msg.as_bytes(policy=policy.SMTP))
            if code != 250:  # smtplib.data() returns the final reply rather than raising on it
                raise smtplib.SMTPDataError(code, answer)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise MailError(_describe(exc)) from exc
        return f"{code} {answer.decode(errors='replace')}"

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _write(self, msg: EmailMessage, name: str) -> Path:
        folder = self.settings.mail_outbox_path
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}.eml"
            path.write_bytes(msg.as_bytes(policy=policy.SMTP))
        except OSError as exc:
            raise MailError(f"could not write {folder}: {exc.strerror or exc}") from exc
        return path


def _describe(exc: Exception) -> str:
    """One line for the operator: the server's code and text, or what the network said."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {text.decode(errors='replace')}" for rcpt, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server closed the connection ({exc or 'no reason given'})"
    return f"{type(exc).__name__}: {exc}"
