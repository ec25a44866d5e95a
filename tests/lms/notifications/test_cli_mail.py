"""`lms mail test ADDRESS` against a real SMTP server, the .eml fallback and a refused connection."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lms.cli import app
from lms.config import get_settings


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def lms(*args: str, **env: str):
    base = {"SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development", "SMTP_STARTTLS": "false"}
    result = CliRunner().invoke(app, ["mail", *args], env={**base, **env})
    assert "Traceback" not in result.output, result.output
    return result


def test_sends_one_message_and_prints_the_answer(smtp_server):
    result = lms("test", "ops@example.org", SMTP_HOST=smtp_server.host, SMTP_PORT=str(smtp_server.port), ORG_NAME="Example Agency")
    assert result.exit_code == 0, result.output
    assert f"via {smtp_server.host}:{smtp_server.port}" in result.stdout and "250 2.0.0 Message accepted" in result.stdout
    (msg,) = smtp_server.collector.messages
    assert msg["Subject"] == "Test message from Example Agency" and msg["To"] == "ops@example.org"
    assert msg["Auto-Submitted"] == "auto-generated" and msg["List-Unsubscribe"] is None
    assert "lms mail test" in msg.get_body(("plain",)).get_content() and msg.get_body(("html",)) is not None


def test_a_refusing_server_is_one_line_and_exit_1(smtp_server):
    smtp_server.collector.fail_next = 1
    result = lms("test", "ops@example.org", SMTP_HOST=smtp_server.host, SMTP_PORT=str(smtp_server.port))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: could not send to ops@example.org via 127.0.0.1:") and "421 4.3.2" in line


def test_no_server_listening():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = lms("test", "ops@example.org", SMTP_HOST="127.0.0.1", SMTP_PORT=str(port))
    assert result.exit_code == 1 and "ConnectionRefusedError" in result.stderr


def test_without_a_host_writes_an_eml_file(tmp_path):
    result = lms("test", "ops@example.org", SMTP_HOST="", MAIL_OUTBOX_DIR=str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().rsplit(" ", 1)[1])
    assert path.parent == tmp_path / "out" and path.suffix == ".eml"
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["To"] == "ops@example.org" and msg.get_body(("plain",)) is not None


def test_refuses_something_that_is_not_an_address():
    result = lms("test", "not-an-address")
    assert result.exit_code == 1 and "is not an e-mail address" in result.stderr
