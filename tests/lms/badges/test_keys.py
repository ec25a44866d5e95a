"""The signing key over its life: made by `lms badges keygen` or on first use, replaced without
breaking what it signed, and refused plainly when SECRET_KEY no longer opens it."""

from __future__ import annotations

import stat

from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from lms.app import create_app
from lms.badges.keys import key_generate
from lms.badges.models import BadgeKey
from lms.cli import app as cli
from lms.config import Settings, get_settings
from tests.conftest import csrf_token, sign_in
from tests.lms.badges.support import claim, jwt_parts, verified


def _valid(client: TestClient, token: str) -> bool:
    response = client.post("/badges/verify", data={"text": token, "csrf_token": csrf_token(client)})
    return "Valid credential" in response.text


def test_keygen_makes_an_encrypted_owner_only_key(db_url, tmp_path, db):
    get_settings.cache_clear()
    env = {"DATABASE_URL": db_url, "SECRET_KEY": "keygen-secret-" + "x" * 32, "BADGE_KEYS_DIR": str(tmp_path / "keys")}
    result = CliRunner().invoke(cli, ["badges", "keygen"], env=env)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "keys").glob("ed25519-*.pem")
    assert str(path) in result.stdout and "0600" in result.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert [k.thumbprint for k in db.exec(select(BadgeKey)).all()] == [path.name.removeprefix("ed25519-").removesuffix(".pem")]


def test_a_new_key_signs_from_then_on_and_the_old_credentials_still_verify(signed_in, client, db, settings, app):
    browser, user = signed_in()
    first = claim(browser, verified(db, user, code="1.1"))
    old = browser.get(f"/badges/{first}/credential.json").json()["jwt"]
    key_generate(db, directory=settings.badge_keys_path, secret=app.state.secret_key)
    db.commit()
    second = claim(browser, verified(db, user, code="1.2"))
    new = browser.get(f"/badges/{second}/credential.json").json()["jwt"]
    assert jwt_parts(old)[0]["kid"] != jwt_parts(new)[0]["kid"]
    assert len(client.get("/.well-known/jwks.json").json()["keys"]) == 2
    assert _valid(client, old) and _valid(client, new)

    # The key file gone (a new server without the old disk): the next claim makes a fresh key.
    for path in settings.badge_keys_path.glob("*.pem"):
        path.unlink()
    third = claim(browser, verified(db, user, code="1.3"))
    assert len(client.get("/.well-known/jwks.json").json()["keys"]) == 3
    assert _valid(client, browser.get(f"/badges/{third}/credential.json").json()["jwt"]) and _valid(client, old)


def test_a_changed_secret_key_is_refused_with_a_way_out(signed_in, db, settings):
    browser, user = signed_in()
    claim(browser, verified(db, user, code="2.1"))
    competence = verified(db, user, code="2.2")
    other = Settings(
        database_url=settings.database_url, secret_key="another-secret-" + "y" * 32, attachments_dir=settings.attachments_dir
    )
    application = create_app(other)
    try:
        with TestClient(application, base_url="http://testserver", follow_redirects=False) as client:
            assert sign_in(client, user.email).status_code == 303
            refused = client.post("/badges/claim", data={"competence_id": str(competence.id), "csrf_token": csrf_token(client)})
            assert refused.status_code == 422
            assert "SECRET_KEY may have changed" in refused.text and "lms badges keygen" in refused.text
    finally:
        application.state.engine.dispose()
