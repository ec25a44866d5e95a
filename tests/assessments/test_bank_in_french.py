"""The question bank and its import read in French for a trainer whose language is French: the pages'
own words, the kinds and grades, a question's checks, and the import's report of what it refuses."""

from __future__ import annotations

import html
import re

NBSP = "\u00a0"
# A question the bank takes, an essay (refused) and a Moodle XML file's catch-all worth more than 0.
GIFT = b"::Capital:: The capital of France is {=Paris ~Lyon}\n\n::Essay:: Describe your week. {}\n"
XML = b"""<quiz><question type="numerical"><name><text>Sum</text></name>
<questiontext format="html"><text>2 + 2?</text></questiontext>
<answer fraction="100"><text>4</text></answer><answer fraction="50"><text>*</text></answer></question></quiz>"""


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(response.text))  # no-break spaces kept


def test_the_bank_and_a_questions_form_read_in_french(signed_in) -> None:
    browser, _trainer = signed_in("trainer", language="fr")
    bank = _text(browser.get("/author/questions"))
    assert "<h1>Banque de questions</h1>" in bank and "Catégories" in bank
    form = _text(browser.get("/author/questions/new?kind=multiple_choice"))
    assert "Nouvelle question : choix multiple" in form.replace(NBSP, " ")
    # Grades are French percentages, with Moodle's precision and a true minus.
    assert f">83,33333{NBSP}%<" in form and f">−100{NBSP}%<" in form
    assert "Tout ou rien : tous les points" in form.replace(NBSP, " ")


def test_a_questions_checks_reach_the_trainer_in_french(signed_in) -> None:
    browser, _trainer = signed_in("trainer", language="fr")
    browser.post("/author/questions/categories", data={"name": "Géographie"})
    response = browser.post("/author/questions/new", data={"kind": "numeric", "points": "1"})
    assert response.status_code == 422
    page = _text(response)
    assert "La question doit avoir un nom." in page and "Choisissez une catégorie pour la question." in page
    assert f"Au moins une réponse numérique doit valoir 100{NBSP}%." in page


def test_the_import_report_says_what_is_refused_in_french(signed_in) -> None:
    browser, _trainer = signed_in("trainer", language="fr")
    gift = _text(browser.post("/author/questions/import", data={"target": "file"}, files={"file": ("q.gift", GIFT, "text/plain")}))
    assert "1 question sera importée ; questions refusées : 1." in gift.replace(NBSP, " ")
    assert "Les questions à réponse libre ne sont pas prises en charge." in gift and "ligne 3" in gift
    assert "Importer 1 question" in gift
    xml = _text(browser.post("/author/questions/import", data={"target": "file"}, files={"file": ("q.xml", XML, "text/xml")}))
    assert f"valant plus de 0{NBSP}% n’est pas prise en charge" in xml and "question 1" in xml
