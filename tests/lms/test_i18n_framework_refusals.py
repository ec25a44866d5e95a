"""A framework file's refusals reach the person in their language, with the place in the file kept.

Each of the four parsers (Proficio's JSON and CSV, a CASE package, Moodle's CSV) names where a
problem is: a JSON path, a CFItem or a CSV line. The place is data (it names the file's own keys),
the sentence around it is the interface's, so an administrator reading French sees the sentence in
French and the path or line as the file has it.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from lms.competences.framework_moodle_csv import MOODLE_HEADER

NBSP = "\u00a0"
MOODLE_FRAMEWORK = ',FW,Cadre,,,"Pas encore, Compétent",,,,,,,1,'


def _csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


FILES = {
    "json": (
        "cadre.json",
        json.dumps({"code": "x", "name": "Cadre", "areas": [{"code": "A", "name": 5, "competences": []}]}).encode(),
        ("areas[0]", f"«{NBSP}name{NBSP}» doit être du texte, et non int."),
    ),
    "csv": (
        "cadre.csv",
        _csv("kind,code,name", "framework,x,Cadre", "gadget,y,Truc"),
        ("ligne 3", f"le type doit être framework, level, area ou competence, et non «{NBSP}gadget{NBSP}»."),
    ),
    "case": (
        "cadre.json",
        json.dumps({"CFDocument": {"identifier": "pas-un-uuid", "title": "Cadre"}, "CFItems": []}).encode(),
        ("CFDocument", f"«{NBSP}identifier{NBSP}» doit être un UUID."),
    ),
    "moodle": (
        "cadre.csv",
        _csv(",".join(f'"{h}"' for h in MOODLE_HEADER), MOODLE_FRAMEWORK, ",A1,Un,,,,,,,,,,0,", ",A1,Deux,,,,,,,,,,0,"),
        ("ligne 4", f"le numéro d’identification «{NBSP}A1{NBSP}» figure deux fois (la première fois à la ligne 3)."),
    ),
}


ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>')


def _problems(body: str) -> list[tuple[str, str]]:
    return [(where.strip(), what.strip()) for where, what in ROW.findall(body)]


def _upload(browser, fmt: str, filename: str, content: bytes):
    return browser.post("/admin/frameworks/import", {"fmt": fmt}, files={"file": (filename, content, "application/octet-stream")})


@pytest.mark.parametrize("fmt", list(FILES))
def test_each_parsers_refusal_reaches_a_french_reader_with_its_place(signed_in, fmt: str) -> None:
    browser, _admin = signed_in("admin", language="fr")
    filename, content, expected = FILES[fmt]
    response = _upload(browser, fmt, filename, content)
    assert response.status_code == 422
    body = html.unescape(response.text)
    assert f"Problèmes à corriger dans {filename}" in body, body[:2000]
    assert expected in _problems(body), _problems(body)


def test_an_english_reader_gets_the_same_refusal_in_english(signed_in) -> None:
    browser, _admin = signed_in("admin", language="en")
    filename, content, _expected = FILES["csv"]
    response = _upload(browser, "csv", filename, content)
    assert ("line 3", "kind must be framework, level, area or competence, not 'gadget'.") in _problems(html.unescape(response.text))
