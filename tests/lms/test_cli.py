"""The `lms` command as an operator uses it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from lms import migrations
from lms.auth.passwords import verify_password
from lms.cli import app
from lms.config import get_settings
from lms.db import make_engine
from lms.people.models import User
from lms.people.selectors import user_by_email, user_roles

STRONG = "violet kettle parade 1987 umbrella"
CLOSED_PG = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/nothing"


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def lms(db_url: str, *args: str, input: str | None = None, **env: str):
    result = CliRunner().invoke(
        app,
        list(args),
        input=input,
        env={"DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development", **env},
    )
    assert "Traceback" not in result.output, result.output
    return result


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    return lines[0]


def read_db(db_url: str):
    engine = make_engine(db_url)
    return engine, Session(engine)


def test_db_current_prints_the_head_revision(db_url):
    result = lms(db_url, "db", "current")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{migrations.head_revision(db_url)} (head)"


def test_db_downgrade_to_base_and_back(db_url):
    assert lms(db_url, "db", "downgrade", "base").exit_code == 0
    assert "base (no schema)" in lms(db_url, "db", "current").stdout
    assert lms(db_url, "db", "upgrade").exit_code == 0
    assert lms(db_url, "db", "downgrade", "-1").exit_code == 0
    assert "run `lms db upgrade`" in lms(db_url, "db", "current").stdout


def test_demo_loads_once_then_refuses_politely(db_url):
    first = lms(db_url, "demo")
    assert first.exit_code == 0, first.output
    assert "manager@example.gov" in first.stdout and "proficio-demo-2026" in first.stdout
    assert "already has users" in one_line_error(lms(db_url, "demo"))
    again = lms(db_url, "demo", "--if-empty")
    assert again.exit_code == 0 and "already has users" in again.stdout


def test_users_create_with_password_from_stdin_can_sign_in(db_url):
    lms(db_url, "users", "create", "--email", "boss@example.gov", "--name", "Bo Ss", "--password-stdin", input=STRONG + "\n")
    result = lms(
        db_url,
        "users",
        "create",
        "--email",
        "New.Person@Example.gov",
        "--name",
        "New Person",
        "--role",
        "trainer",
        "--role",
        "manager",
        "--manager-email",
        "boss@example.gov",
        "--password-stdin",
        input=STRONG + "\n",
    )
    assert result.exit_code == 0, result.output
    engine, session = read_db(db_url)
    with session:
        user = user_by_email(session, "new.person@example.gov")
        assert verify_password(STRONG, user.password_hash)[0]
        assert user_roles(session, user.id) == {"trainer", "manager"}
        assert user.manager_id == user_by_email(session, "boss@example.gov").id
    engine.dispose()


def test_users_create_asks_twice_without_echo(db_url):
    result = lms(db_url, "users", "create", "--email", "p@example.gov", "--name", "P Q", input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output and "Repeat for confirmation" in result.output


@pytest.mark.parametrize(
    "args,input,reason",
    [
        ([], "password\n", "at least 12 characters"),
        ([], "password1234\n", "less common password"),
        (["--role", "wizard"], STRONG + "\n", "Unknown role"),
        (["--manager-email", "ghost@example.gov"], STRONG + "\n", "ghost@example.gov"),
        (["--org-unit", "Nowhere"], STRONG + "\n", "no organisation unit"),
    ],
    ids=["short", "common", "role", "manager", "unit"],
)
def test_users_create_refusals_are_one_line(db_url, args, input, reason):
    result = lms(db_url, "users", "create", "--email", "w@example.gov", "--name", "W", *args, "--password-stdin", input=input)
    assert reason in one_line_error(result)
    engine, session = read_db(db_url)
    with session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0
    engine.dispose()


def test_users_import_reports_summary_or_every_bad_line(db_url, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "email,name,org_unit,manager_email,roles\na@example.gov,Ann,Ops / Desk,,manager\nb@example.gov,Bob,Ops / Desk,a@example.gov,\n"
    )
    dry = lms(db_url, "users", "import", str(good), "--dry-run")
    assert dry.exit_code == 0 and "Would create 2" in dry.stdout
    done = lms(db_url, "users", "import", str(good))
    assert done.exit_code == 0 and "Created 2" in done.stdout and "no password" in done.stdout
    assert "unchanged 2" in lms(db_url, "users", "import", str(good)).stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,org_unit,manager_email,roles\nc@example.gov,,,,\nd@example.gov,Di,,x@example.gov,\n")
    rejected = lms(db_url, "users", "import", str(bad))
    assert rejected.exit_code == 1
    assert "Line 2: Name is missing." in rejected.stderr and "Line 3: Unknown manager" in rejected.stderr
    assert "Nothing was imported" in rejected.stderr
    assert "is not a file" in one_line_error(lms(db_url, "users", "import", str(tmp_path / "missing.csv")))


def test_check_passes_on_a_good_database(db_url):
    result = lms(db_url, "check")
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["ok", "ok", "ok"]


@pytest.mark.parametrize("url", [CLOSED_PG, "sqlite:////proc/no-such-dir/proficio.db"], ids=["pg-closed", "sqlite-bad-path"])
def test_check_fails_on_an_unreachable_database(url):
    result = lms(url, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("FAIL")
    assert "s3cret" not in result.output, "passwords in URLs must never be printed"


def test_bad_configuration_is_one_line_everywhere(db_url):
    result = lms(db_url, "check", PROFICIO_ENV="production", COOKIE_SECURE="false")
    assert result.exit_code == 1 and result.stdout.startswith("FAIL") and "COOKIE_SECURE" in result.stdout
    assert "COOKIE_SECURE" in one_line_error(lms(db_url, "db", "current", PROFICIO_ENV="production"))
    assert "Connection refused" in one_line_error(lms(CLOSED_PG, "demo"))


def test_serve_refuses_a_database_that_is_not_migrated(empty_db_url):
    assert "run `lms db upgrade`" in one_line_error(lms(empty_db_url, "serve", "--port", "1"))


def test_console_script_works(tmp_path, sqlite_template):
    lms_bin = Path(sys.executable).parent / "lms"
    target = tmp_path / "proficio.db"
    shutil.copy(sqlite_template, target)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "SECRET_KEY": "s" * 40, "PROFICIO_ENV": "development"}

    def run(*args: str, **extra):
        return subprocess.run([str(lms_bin), *args], env={**env, **extra}, capture_output=True, text=True, timeout=60)

    shown = run("--help")
    assert shown.returncode == 0 and "users" in shown.stdout and "serve" in shown.stdout
    checked = run("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    broken = run("check", DATABASE_URL="nonsense://")
    assert broken.returncode == 1 and "Traceback" not in broken.stdout + broken.stderr


def test_a_mistyped_command_line_shows_the_usage_and_exits_2(db_url):
    # Usage mistakes are click's to report (usage line, exit 2), not "unexpected" errors.
    for args in (["users", "create", "--nope"], ["jobs", "retry", "abc"]):
        result = lms(db_url, *args)
        assert result.exit_code == 2, result.output
        assert "Usage: " in result.output and "unexpected" not in result.output
