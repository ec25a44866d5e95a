"""preferredLanguage through scim2-client: it sets the person's interface language when Proficio ships
in it (regional tags and Accept-Language lists included), keeps other values out without an error,
and is what a GET returns."""

from __future__ import annotations

import json

from scim2_models import PatchOp
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.people.models import User

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def _create(scim, email: str, **fields):
    model = scim.get_resource_model("User")
    return scim.create(model.model_validate({"schemas": [USER], "userName": email, **fields}))


def _patch(scim, user_id: str, *operations: dict):
    model = scim.get_resource_model("User")
    return scim.modify(model, user_id, PatchOp[model].model_validate({"Operations": list(operations)}))


def _language(db, user_id: str) -> str | None:
    db.expire_all()
    return db.get(User, int(user_id)).language


def test_create_sets_the_language_and_get_returns_it(scim, db):
    belgian = _create(scim, "belgian@example.gov", preferredLanguage="fr-BE")
    assert belgian.preferred_language == "fr" and _language(db, belgian.id) == "fr"
    assert scim.query(scim.get_resource_model("User"), belgian.id).preferred_language == "fr"
    canadian = _create(scim, "canadian@example.gov", preferredLanguage="fr_CA")
    assert _language(db, canadian.id) == "fr"
    # An Accept-Language list, as RFC 7643 formats it: the first language the interface ships in.
    listed = _create(scim, "listed@example.gov", preferredLanguage="de-CH, en-GB;q=0.8, fr;q=0.5")
    assert _language(db, listed.id) == "en"
    # A language Proficio does not ship in is not an error: the person follows their browser.
    german = _create(scim, "german@example.gov", preferredLanguage="de-DE")
    assert german.preferred_language is None and _language(db, german.id) is None
    none_said = _create(scim, "plain@example.gov")
    assert none_said.preferred_language is None and _language(db, none_said.id) is None
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "user.language")).all()
    assert {e.target_id for e in events} == {belgian.id, canadian.id, listed.id}
    assert all(e.actor_email == "API token HR directory" for e in events)


def test_patch_replaces_keeps_unsupported_values_out_and_remove_clears(scim, db):
    person = _create(scim, "patched@example.gov", preferredLanguage="en-GB")
    assert _language(db, person.id) == "en"
    changed = _patch(scim, person.id, {"op": "replace", "path": "preferredLanguage", "value": "fr-CA"})
    assert changed.preferred_language == "fr" and _language(db, person.id) == "fr"
    assert changed.meta.version != person.meta.version
    # Unsupported: no error, and the language stays as it was.
    kept = _patch(scim, person.id, {"op": "replace", "path": "preferredLanguage", "value": "ja-JP"})
    assert kept.preferred_language == "fr" and _language(db, person.id) == "fr"
    removed = _patch(scim, person.id, {"op": "remove", "path": "preferredLanguage"})
    assert removed.preferred_language is None and _language(db, person.id) is None
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user.language").order_by(AuditEvent.id.desc())).first()
    assert json.loads(event.detail) == {"from": "fr", "to": None}


def test_put_sets_it_and_a_put_without_it_keeps_the_persons_choice(scim, db):
    person = _create(scim, "replaced@example.gov", displayName="Rae Placed")
    person.preferred_language = "fr-LU"
    replaced = scim.replace(person)
    assert replaced.preferred_language == "fr" and _language(db, person.id) == "fr"
    # A directory that does not manage languages leaves the one the person has.
    replaced.preferred_language = None
    again = scim.replace(replaced)
    assert again.preferred_language == "fr" and _language(db, person.id) == "fr"
    replaced.preferred_language = "es"
    assert scim.replace(replaced).preferred_language == "fr"


def test_the_published_user_schema_lists_preferred_language(http):
    schemas = http.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").json()
    assert "preferredLanguage" in {a["name"] for a in schemas["attributes"]}
