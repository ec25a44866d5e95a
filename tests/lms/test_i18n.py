"""Interface languages (issue 18): how a page's language is chosen, what changes with it, and the catalogue check."""

from __future__ import annotations

import contextvars
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from sqlmodel import select

from lms import i18n, i18n_check
from lms.audit.models import AuditEvent
from lms.config import ConfigError, Settings
from lms.notifications.service import notify
from lms.people.models import User
from tests.conftest import csrf_token

FRENCH = {"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """What `make translations` does before `make test`: the French pages need the compiled catalogue."""
    po = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    with po.open("rb") as fp:
        from babel.messages.pofile import read_po

        catalog = read_po(fp)
    # Written aside and renamed: another test process may be reading the file meanwhile.
    tmp = mo.with_name(f"messages.{id(catalog)}.mo.tmp")
    with tmp.open("wb") as fp:
        write_mo(fp, catalog)
    tmp.replace(mo)


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_browser_s_language_is_used_when_supported(client):
    page = client.get("/login", headers=FRENCH)
    assert html_lang(page.text) == "fr"
    assert "Se connecter" in page.text and "Mot de passe" in page.text
    assert "Password" not in page.text

    page = client.get("/login", headers={"Accept-Language": "de-CH, de;q=0.9"})
    assert html_lang(page.text) == "en"
    assert "Password" in page.text


def test_default_language_applies_when_the_browser_asks_for_nothing_supported(settings):
    from fastapi.testclient import TestClient

    from lms.app import create_app

    app = create_app(settings.model_copy(update={"default_language": "fr"}))
    with TestClient(app) as c:
        assert html_lang(c.get("/login", headers={"Accept-Language": "de"}).text) == "fr"
        assert html_lang(c.get("/login", headers={"Accept-Language": "en-GB"}).text) == "en"
    app.state.engine.dispose()


def test_settings_refuse_an_unsupported_language_and_an_unknown_time_zone():
    with pytest.raises(ConfigError, match="DEFAULT_LANGUAGE"):
        Settings(default_language="de")
    with pytest.raises(ConfigError, match="TIME_ZONE"):
        Settings(time_zone="Europe/Atlantis")
    assert Settings(default_language="FR").default_language == "fr"


def test_the_profile_setting_beats_the_browser(signed_in, db):
    browser, user = signed_in()
    page = browser.get("/account", headers={"Accept-Language": "en"})
    assert html_lang(page.text) == "en"

    answer = browser.post("/language", {"language": "fr", "next": "/account"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    page = browser.get("/account", headers={"Accept-Language": "en"})
    assert html_lang(page.text) == "fr"
    assert "Les pages s’affichent désormais en Français." in page.text
    assert "Mon compte" in page.text and "My account" not in page.text
    # The notification choices on the same page, labels from the code included.
    assert "Formation obligatoire bientôt due" in page.text and "Immédiatement" in page.text
    db.expire_all()
    assert db.get(User, user.id).language == "fr"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "account.language")).one()
    assert event.actor_id == user.id and json.loads(event.detail) == {"from": None, "to": "fr"}

    # Back to following the browser: an English browser gets English again.
    browser.post("/language", {"language": "", "next": "/account"}, headers={"Accept-Language": "en"})
    page = browser.get("/account", headers={"Accept-Language": "en"})
    assert html_lang(page.text) == "en" and "Pages now follow your browser’s language." in page.text
    db.expire_all()
    assert db.get(User, user.id).language is None


def test_the_account_page_offers_the_languages_and_shows_the_choice(signed_in, db):
    browser, _user = signed_in()
    page = browser.get("/account").text
    section = page[page.index('id="language"') :]
    assert '<option value="" selected>Follow my browser</option>' in section
    assert '<option value="fr" lang="fr">Français</option>' in section
    browser.post("/language", {"language": "fr", "next": "/account"})
    page = browser.get("/account").text
    assert '<option value="fr" lang="fr" selected>Français</option>' in page
    # Choosing the language already chosen changes nothing, so nothing is audited twice.
    browser.post("/language", {"language": "fr", "next": "/account"})
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == "account.language")).all()) == 1


def test_the_switch_needs_the_csrf_token(signed_in, db):
    browser, user = signed_in()
    refused = browser.client.post("/language", data={"language": "fr", "next": "/"})
    assert refused.status_code == 403
    db.expire_all()
    assert db.get(User, user.id).language is None


def test_an_unsupported_language_is_refused_with_a_message(signed_in, db):
    browser, user = signed_in()
    answer = browser.post("/language", {"language": "de", "next": "/account"})
    assert answer.status_code == 303
    assert "Choose one of the languages offered." in browser.get("/account").text
    db.expire_all()
    assert db.get(User, user.id).language is None
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "account.language")).all()


def test_the_header_switch_works_without_an_account_and_without_javascript(client):
    page = client.get("/login", headers={"Accept-Language": "en"}).text
    # One small form per other language, its button named in that language.
    form = re.search(r'<form method="post" action="/language">(.*?)</form>', page, re.S)
    assert form and 'name="language" value="fr"' in form.group(1)
    assert '<button type="submit" class="usa-button usa-button--unstyled" lang="fr">Français</button>' in form.group(1)
    assert 'name="next" value="/login"' in form.group(1)

    answer = client.post("/language", data={"language": "fr", "next": "/login", "csrf_token": csrf_token(client)})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"}).text
    assert html_lang(page) == "fr" and "Mot de passe" in page
    assert 'lang="en">English</button>' in page

    client.post("/language", data={"language": "", "next": "/login", "csrf_token": csrf_token(client)})
    assert html_lang(client.get("/login", headers={"Accept-Language": "en"}).text) == "en"
    refused = client.post("/language", data={"language": "xx", "next": "/login", "csrf_token": csrf_token(client)})
    assert refused.status_code == 303
    assert "Choose one of the languages offered." in client.get("/login").text


def test_signing_in_in_french_shows_french_errors(client, make_user):
    user = make_user()
    answer = client.post(
        "/login", data={"email": user.email, "password": "not the password", "csrf_token": csrf_token(client)}, headers=FRENCH
    )
    assert answer.status_code == 422
    assert "L’adresse e-mail ou le mot de passe est incorrect." in answer.text
    assert "Il y a 1 problème" in answer.text


def test_a_french_page_shows_french_numbers_dates_and_percentages(signed_in, db, settings):
    browser, user = signed_in()
    when = datetime(2026, 3, 7, 9, 5, tzinfo=UTC)
    notify(db, user=user, kind="due_soon", object_ref="cycle:1", period="p", subject="Rappel", template="message",
           context={"text": "t"}, link="/learning", now=when, settings=settings)  # fmt: skip
    db.commit()
    page = browser.get("/notifications", headers=FRENCH).text
    assert html_lang(page) == "fr"
    assert "Tout marquer comme lu" in page and "Mark all as read" not in page
    # French short dates put the day first; the column says which time zone.
    assert "07/03/2026 09:05" in page and "Date (UTC)" in page
    assert "1–1 sur 1 notification" in page
    english = browser.get("/notifications", headers={"Accept-Language": "en"}).text
    assert "07/03/2026, 09:05" in english and "When (UTC)" in english

    i18n.begin("fr")
    assert i18n.format_number(1234567.5, 1) == "1\u202f234\u202f567,5"
    assert i18n.format_percent(0.875) == "88\u00a0%"
    assert i18n.format_date(datetime(2026, 12, 3, 23, 30)) == "3 déc. 2026"
    i18n.begin("en")
    assert i18n.format_number(1234567.5, 1) == "1,234,567.5"
    assert i18n.format_percent(0.875) == "88%"
    assert i18n.format_date(datetime(2026, 12, 3, 23, 30)) == "3 Dec 2026"


def test_times_are_shown_in_the_organisation_s_time_zone():
    from zoneinfo import ZoneInfo

    i18n.begin("en", ZoneInfo("Europe/Brussels"))
    # 23:30 UTC is already the next day in Brussels.
    assert i18n.format_date(datetime(2026, 12, 3, 23, 30)) == "4 Dec 2026"
    assert i18n.format_time(datetime(2026, 12, 3, 23, 30, tzinfo=UTC)) == "00:30"
    assert i18n.time_zone_name() == "Europe/Brussels"
    i18n.begin("fr")
    assert i18n.format_datetime(datetime(2026, 12, 3, 23, 30), "short") == "03/12/2026 23:30"
    assert i18n.format_percent(0.8755, 1) == "87,6\u00a0%"
    i18n.begin("en")
    assert i18n.format_percent(0.8755, 1) == "87.6%" and i18n.format_number(2.5, 0) == "2"
    for empty in (i18n.format_date, i18n.format_datetime, i18n.format_time, i18n.format_number, i18n.format_percent):
        assert empty(None) == ""


def test_outside_a_request_the_language_can_be_set_for_the_work_at_hand():
    # A job writing to someone in their language, in a context no request started.
    def work() -> tuple[str, str]:
        before = i18n.gettext("Sign in")
        i18n.set_language("fr")
        i18n.set_language("xx")  # not offered: ignored
        return before, i18n.gettext("Sign in")

    assert contextvars.Context().run(work) == ("Sign in", "Se connecter")
    assert i18n.current_language() == "en"


def test_error_pages_are_in_the_page_s_language(signed_in):
    browser, _user = signed_in()
    page = browser.get("/no/such/page", headers=FRENCH)
    assert page.status_code == 404
    assert html_lang(page.text) == "fr" and "Page introuvable" in page.text and "Erreur 404." in page.text


def test_a_missing_compiled_catalogue_falls_back_to_english(tmp_path):
    assert i18n.catalogue("fr", tmp_path).gettext("Sign in") == "Sign in"
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    catalog = Catalog(locale="fr")
    catalog.add("Sign in", "Se connecter")
    with (tmp_path / "fr" / "LC_MESSAGES" / "messages.mo").open("wb") as fp:
        write_mo(fp, catalog)
    found = i18n.catalogue("fr", tmp_path)
    assert found.gettext("Sign in") == "Se connecter"
    # A message the catalogue lacks is shown in English.
    assert found.gettext("Sign out") == "Sign out"


def test_accept_language_parsing_follows_the_quality_values():
    assert i18n.parse_accept_language("en;q=0.4, fr-CA;q=0.8, de") == ["de", "fr-ca", "en"]
    assert i18n.parse_accept_language("fr;q=0, en;q=abc, *") == []
    assert i18n.negotiate("de, fr-CA;q=0.8, en;q=0.4") == "fr"
    assert i18n.negotiate(None, "fr") == "fr"
    assert i18n.negotiate("ja", "fr") == "fr"


def _project(tmp_path: Path, template: str, translations: dict[str, str], *, fuzzy: bool = False) -> tuple[Path, Path]:
    """A tiny project: one template marked for translation and a French catalogue."""
    root = tmp_path / "project"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text(template)
    (root / "babel.cfg").write_text("[jinja2: templates/**.html]\nextensions = jinja2.ext.i18n\n")
    locale_dir = root / "locale"
    (locale_dir / "fr" / "LC_MESSAGES").mkdir(parents=True)
    catalog = Catalog(locale="fr")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if fuzzy else ())
    with (locale_dir / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as fp:
        write_po(fp, catalog)
    return root, locale_dir


def test_the_catalogue_check_fails_on_an_untranslated_message(tmp_path, capsys):
    template = '<p>{{ _("Hello") }}</p><p>{{ ngettext("%(num)s lesson", "%(num)s lessons", n) }}</p>'
    root, locale_dir = _project(tmp_path, template, {"Hello": "Bonjour"})
    found = i18n_check.check(locale_dir, root)
    assert found == ["fr: untranslated: '%(num)s lesson' (templates/page.html:1)"]

    root, locale_dir = _project(tmp_path / "fuzzy", '<p>{{ _("Hello") }}</p>', {"Hello": "Bonjour"}, fuzzy=True)
    assert i18n_check.check(locale_dir, root) == ["fr: fuzzy: 'Hello' (templates/page.html:1)"]

    root, locale_dir = _project(tmp_path / "done", '<p>{{ _("Hello") }}</p>', {"Hello": "Bonjour"})
    assert i18n_check.check(locale_dir, root) == []
    # `make translations-check` says what to do and fails; `update` writes the merge for translators.
    (root / "templates" / "page.html").write_text('<p>{{ _("Hello") }}</p><p>{{ _("Goodbye") }}</p>')
    assert i18n_check.main(["check"], locale_dir=locale_dir, root=root) == 1
    assert "fr: untranslated: 'Goodbye'" in capsys.readouterr().err
    assert 'msgid "Goodbye"' not in (locale_dir / "fr" / "LC_MESSAGES" / "messages.po").read_text()
    assert i18n_check.main(["update"], locale_dir=locale_dir, root=root) == 0
    text = (locale_dir / "fr" / "LC_MESSAGES" / "messages.po").read_text()
    assert 'msgid "Goodbye"' in text and 'msgstr "Bonjour"' in text


def test_the_shipped_french_catalogue_is_complete(capsys):
    assert i18n_check.main(["check"]) == 0, capsys.readouterr().err
    assert i18n_check.main(["nonsense"]) == 2
