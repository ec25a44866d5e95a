"""An administrator whose language is French reads the people import's refusals and its outcome in French."""

from __future__ import annotations

import re

from tests.lms.test_admin_import import BAD, GOOD, text_of, upload
from tests.lms.test_i18n import compiled_catalogues  # noqa: F401 - autouse: French needs the compiled catalogue


def _problems(response) -> dict[str, str]:
    body = text_of(response)
    body = body[body.index("Problèmes trouvés") :]
    return dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', body))


def test_a_refused_file_is_explained_line_by_line_in_french(signed_in):
    browser, _ = signed_in("admin", language="fr")
    response = upload(browser, BAD)
    assert response.status_code == 422
    problems = _problems(response)
    assert problems["5"] == "Adresse e-mail grace@example.gov en double (première occurrence à la ligne 2)."
    assert problems["4"] == "Supérieur ghost@example.gov inconnu\u00a0: absent de ce fichier et pas un utilisateur existant."
    assert "Le fichier a été refusé\u00a0: 3 problèmes trouvés. Rien n’a été importé." in text_of(response)


def test_an_import_s_outcome_is_told_in_french(signed_in):
    browser, _ = signed_in("admin", language="fr")
    dry = text_of(upload(browser, GOOD, dry_run=True))
    assert "Utilisateurs qui seraient créés\u00a0: 2, mis à jour\u00a0: 0, inchangés\u00a0: 0." in dry
    assert "Simulation\u00a0: rien n’a été enregistré." in dry
    done = upload(browser, GOOD)
    assert done.status_code == 303
    listing = text_of(browser.get(done.headers["location"]))
    assert "Utilisateurs créés\u00a0: 2, mis à jour\u00a0: 0, inchangés\u00a0: 0." in listing
