"""The SMTP client's edges: signing in to the server, a refused recipient, a server that hangs up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from lms.config import Settings
from lms.notifications.mailer import Letter, Mailer, MailError, build_message
from tests.lms.notifications.conftest import Collector, _free_port

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
# The test server takes passwords over plain SMTP on loopback; aiosmtpd rightly warns about that elsewhere.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
LETTER = Letter("Ann", "ann@example.org", "Hello", "text", "<p>html</p>", "https://lms.example.org/unsubscribe/x")


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"proficio", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture
def auth_server():
    collector = Collector()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield controller, collector
    controller.stop()


def settings_for(port: int, **extra) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_timeout=5, secret_key="k" * 40, **extra)


def test_signs_in_when_a_username_is_set(auth_server):
    controller, collector = auth_server
    with Mailer(settings_for(controller.port, smtp_username="proficio", smtp_password="s3cret")) as mailer:
        answer = mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="1")
        assert answer.startswith("250")
        # The connection is kept for the next message.
        mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="2")
    assert len(collector.envelopes) == 2


def test_no_sign_in_where_the_server_requires_one_is_a_mail_error(auth_server):
    controller, collector = auth_server
    with Mailer(settings_for(controller.port)) as mailer:
        with pytest.raises(MailError, match="^530"):
            mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="1")
    assert collector.envelopes == []


class Refusing(Collector):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        return "550 5.1.1 No such mailbox"


def test_a_refused_recipient_says_who_and_why():
    controller = Controller(Refusing(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with Mailer(settings_for(controller.port)) as mailer:
            with pytest.raises(MailError, match="ann@example.org: 550 5.1.1 No such mailbox"):
                mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="1")
    finally:
        controller.stop()


def test_quit_on_a_connection_the_server_already_closed(smtp_server):
    mailer = Mailer(settings_for(smtp_server.port))
    mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="1")
    assert mailer._smtp is not None
    mailer._smtp.sock.close()  # the server (or the network) went away between messages
    mailer.close()
    assert mailer._smtp is None


def test_starttls_is_attempted_when_set(smtp_server):
    # The test server offers no STARTTLS, so the upgrade fails rather than sending in clear text.
    with Mailer(settings_for(smtp_server.port).model_copy(update={"smtp_starttls": True})) as mailer:
        with pytest.raises(MailError, match="STARTTLS"):
            mailer.send(build_message(mailer.settings, LETTER, now=NOW), name="1")
    assert smtp_server.collector.envelopes == []
