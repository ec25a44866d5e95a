"""`lms mail test ADDRESS`: check the mail settings by sending one message now, outside the outbox."""

from __future__ import annotations

import re

import typer

from lms.cli._common import fail
from lms.clock import utcnow
from lms.config import get_settings
from lms.notifications.mailer import Letter, Mailer, MailError, build_message
from lms.notifications.rendering import render_mail

app = typer.Typer(help="Check outgoing mail (SMTP_HOST, SMTP_PORT, MAIL_FROM, ...).", no_args_is_help=True)

_ADDRESS = re.compile(r"[^@\s\"'<>,]+@[^@\s\"'<>,]+\.[^@\s\"'<>,]+")


@app.command("test")
def test(address: str = typer.Argument(..., help="Where to send the test message.")) -> None:
    """Send one test message now, bypassing the outbox, and print the server's answer.

    With SMTP_HOST empty the message is written to MAIL_OUTBOX_DIR instead, and the file's path printed.
    Exits non-zero with the reason when sending fails.
    """
    if not _ADDRESS.fullmatch(address.strip()):
        fail(f"{address!r} is not an e-mail address.")
    settings = get_settings()
    now = utcnow()
    ctx = {"org_name": settings.org_name, "base_url": settings.mail_base_url, "settings": settings, "now": now}
    text, html = render_mail("test", ctx)
    letter = Letter("", address.strip(), f"Test message from {settings.org_name}", text, html, unsubscribe_url="")
    msg = build_message(settings, letter, now=now)
    where = f"{settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host else str(settings.mail_outbox_path)
    try:
        with Mailer(settings) as mailer:
            answer = mailer.send(msg, name=f"test-{now:%Y%m%dT%H%M%S}")
    except MailError as exc:
        fail(f"could not send to {address.strip()} via {where}: {exc}")
    if settings.smtp_host:
        typer.echo(f"Sent to {address.strip()} via {where}; the server answered: {answer}")
    else:
        typer.echo(f"SMTP_HOST is empty, so the message was written to {answer}")
