"""The administration, reports, privacy, mandatory training, certificates and assignment pages in French,
asked for by a person whose setting is French; percentages keep the French space before %."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from courses.certificates.pdf import certificate_pdf
from courses.certificates.selectors import CertificateView
from lms import i18n
from lms.clock import utcnow
from lms.web.templating import templates
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course

DAY = timedelta(days=1)

ADMIN_PAGES = {
    "/admin": ["Tâches de fond", "Règles d’assignation"],
    "/admin/users": ["Ajouter un utilisateur", "Filtrer les utilisateurs", "Dernière connexion"],
    "/admin/users/new": ["Ajouter un utilisateur", "Mot de passe initial (facultatif)"],
    "/admin/users/import": ["Importer des utilisateurs depuis un fichier CSV", "Colonnes attendues dans le fichier"],
    "/admin/users/review": ["Comptes à examiner", "Pas de connexion récente"],
    "/admin/org-units": ["Unités", "Créer une unité"],
    "/admin/audit": ["Journal d’audit", "Heure (UTC)"],
    "/admin/jobs": ["Tâches de fond", "Filtrer les tâches"],
    "/admin/sign-in-throttles": ["Limitation des connexions", "Personne n’est empêché de se connecter."],
    "/admin/api-tokens": ["Jetons d’API", "Créer un jeton"],
    "/admin/retention": ["Durées de conservation", "Tables contenant des données personnelles"],
    "/admin/certificates": ["Certificats", "Rechercher des certificats"],
    "/admin/requirements": ["Exigences de formation obligatoire", "Filtrer les exigences"],
    "/admin/requirements/new": ["Créer une exigence", "Délai de grâce (jours)"],
    "/admin/assignment-rules": ["Règles d’assignation", "Créer une règle"],
    "/reports": ["Rapport de compétences"],
    "/reports/open-data": ["Données ouvertes", "Dictionnaire des données"],
    "/reports/compliance": ["Il n’y a pas encore d’exigence de formation obligatoire."],
    "/learning/certificates": ["Mes certificats", "Pas encore de certificat"],
    "/learning/completed": ["Cours terminés"],
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def french_admin(signed_in):
    browser, admin = signed_in("admin", "manager", language="fr")
    return browser, admin


def test_the_administration_and_report_pages_speak_french(french_admin):
    browser, admin = french_admin
    for path, expected in ADMIN_PAGES.items():
        response = browser.get(path)
        assert response.status_code == 200, path
        page = _text(response.text)
        assert '<html lang="fr"' in page, path
        for phrase in expected:
            assert phrase in page, f"{path}: {phrase!r} missing"
    person_page = _text(browser.get(f"/admin/users/{admin.id}").text)
    assert "État du compte" in person_page and "Définir un nouveau mot de passe" in person_page
    data_page = _text(browser.get(f"/admin/users/{admin.id}/data").text)
    assert "Exporter les données" in data_page and "Effacer" in data_page


def test_the_mandatory_training_pages_speak_french(db, french_admin, make_user):
    browser, manager = french_admin
    course = make_course(db, "Data protection basics")
    requirement = make_requirement(db, "Data protection", courses=[course])
    person = make_user(name="Ann Archer", manager_id=manager.id)
    make_cycle(db, requirement, person, opened_at=utcnow() - 40 * DAY, due_at=utcnow() - 2 * DAY)
    matrix = _text(browser.get("/team/compliance").text)
    assert "Filtrer la matrice des formations obligatoires" in matrix and "Personnes et exigences" in matrix
    cell = _text(browser.get(f"/team/compliance/{person.id}/{requirement.id}").text)
    assert "Envoyer un rappel maintenant" in cell and "Reporter l’échéance" in cell
    refused = browser.post(
        f"/team/compliance/{person.id}/{requirement.id}/extension",
        {"new_due": (utcnow() + 20 * DAY).date().isoformat(), "extension_reason": ""},
    )
    assert refused.status_code == 422 and "Indiquez pourquoi l’échéance est reportée." in refused.text
    detail = _text(browser.get(f"/admin/requirements/{requirement.id}").text)
    assert "Cours qui la satisfont" in detail and "À qui elle s’applique" in detail
    assigning = _text(browser.get("/team/assign").text)
    assert "Assigner un cours" in assigning
    assert "Assignations de l’équipe" in _text(browser.get("/team/assignments").text)


def test_the_certificate_check_speaks_french_to_a_visitor_whose_browser_asks_for_it(client):
    page = _text(client.get("/verify", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text)
    assert "Vérifier un certificat" in page and "Saisissez le code de vérification" in page
    missing = _text(client.get("/verify/NOPE-NOPE", headers={"Accept-Language": "fr"}).text)
    assert "Aucun certificat valide" in missing


def test_the_certificate_pdf_is_in_its_holders_language():
    done = utcnow()
    view = CertificateView(1, "ABCD-EFGH", 1, "Léa Lefèvre", "lea@example.org", 1, "Sécurité", done, done, None, None, "")
    with i18n.speaking("fr"):
        pdf = certificate_pdf(view, org_name="Ville de Namur", verify_url="https://lms.example.org/verify/ABCD-EFGH", now=done)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Certificat d’achèvement" in text and "Ce certificat atteste que" in text
    with i18n.speaking("fr"):
        assert f"Terminé le {i18n.format_date(done, 'long')}" in text
    assert "Code de vérification : ABCD-EFGH" in text
    assert reader.metadata.get("/Subject", "").startswith("Certificat")


@pytest.mark.parametrize(("language", "expected"), [("fr", "25\u00a0%"), ("en", "25%")])
def test_percentages_keep_the_french_space_before_the_sign(language, expected):
    i18n.begin(language)
    try:
        assert templates.env.from_string("{{ 0.25|format_percent }}").render() == expected
        macro = '{% from "reports/_macros.html" import pct %}{{ pct(0.251) }}'
        assert templates.env.from_string(macro).render().strip() == expected
    finally:
        i18n.begin("en")
