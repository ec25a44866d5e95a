"""A real SMTP server (aiosmtpd) on a free loopback port, collecting what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session as SmtpSession


@dataclass
class Collector:
    """aiosmtpd handler: keeps each envelope; `fail_next` answers the next DATA commands with 421
    (the first `drop_next` of them also hang up), as a busy or restarting server does."""

    envelopes: list[Envelope] = field(default_factory=list)
    fail_next: int = 0
    drop_next: int = 0
    refusals: int = 0

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        if self.fail_next > 0:
            self.fail_next -= 1
            self.refusals += 1
            if self.drop_next > 0:
                self.drop_next -= 1
                assert server.transport is not None
                server.transport.close()
            return "421 4.3.2 Service not available, try again later"
        self.envelopes.append(envelope)
        return "250 2.0.0 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        out = []
        for env in self.envelopes:
            raw = env.original_content or env.content
            assert isinstance(raw, bytes)
            msg = message_from_bytes(raw, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out


@dataclass
class SmtpServer:
    host: str
    port: int
    collector: Collector


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, collector)
    finally:
        controller.stop()


@pytest.fixture
def mail_settings(settings, smtp_server, tmp_path):
    """The test settings pointed at the test server (no STARTTLS: it speaks plain SMTP)."""
    return settings.model_copy(
        update={
            "smtp_host": smtp_server.host,
            "smtp_port": smtp_server.port,
            "smtp_starttls": False,
            "smtp_timeout": 5.0,
            "mail_from": "Proficio <noreply@example.org>",
            "base_url": "https://lms.example.org",
            "mail_outbox_dir": tmp_path / "outbox",
        }
    )
