"""Messages with a context (pgettext): one English word, translated by what it is said of; and percentages
formatted by the locale rather than written with a literal % in the templates."""

from __future__ import annotations

import re
from pathlib import Path

from lms import i18n
from lms.i18n_check import extract, template
from lms.web.templating import TEMPLATES_DIR, templates
from tests.courses.factories import make_course
from tests.lms.test_i18n import compiled_catalogues  # noqa: F401 - autouse: the French pages need the compiled catalogue


def test_the_same_english_word_reads_differently_in_french_by_its_context():
    page = templates.env.from_string(
        '{{ pgettext("course", "Archived") }} / {{ pgettext("requirement", "Archived") }} / {{ pgettext("lesson", "Completed") }}'
        ' / {{ npgettext("course", "%(num)s draft", "%(num)s drafts", 2) }}'
    )
    with i18n.speaking("fr"):
        assert page.render() == "Archivé / Archivée / Terminée / 2 drafts"
        assert str(i18n.lazy_pgettext("course", "Published")) == "Publié"
        assert i18n.npgettext("course", "%(num)s draft", "%(num)s drafts", 1) == "%(num)s draft"
    with i18n.speaking("en"):
        assert page.render() == "Archived / Archived / Completed / 2 drafts"
        assert str(i18n.lazy_pgettext("course", "Published")) == "Published"


def test_extraction_keeps_each_context_apart(tmp_path: Path):
    extracted = template(extract(tmp_path / "messages.pot"))
    contexts = {(m.context, m.id) for m in extracted if m.context}
    # From a template (pgettext), from Python (pgettext) and from a module constant (lazy_pgettext).
    assert {("course", "Archived"), ("requirement", "Archived"), ("lesson", "Completed"), ("course", "Completed")} <= contexts
    assert extracted.get("Archived", context="course").locations[0][0] == "templates/courses/_status.html"


def test_a_course_s_status_tag_agrees_with_le_cours_in_french(db, signed_in):
    browser, trainer = signed_in("trainer")
    make_course(db, "Écrire pour le web", editors=[trainer], status="archived")
    make_course(db, "Données ouvertes", editors=[trainer], status="published")
    db.commit()
    page = browser.get("/author", headers={"Accept-Language": "fr"}).text
    assert sorted(re.findall(r'course-status--\w+">([^<]+)<', page)) == ["Archivé", "Publié"]
    english = browser.get("/author", headers={"Accept-Language": "en"}).text
    assert sorted(re.findall(r'course-status--\w+">([^<]+)<', english)) == ["Archived", "Published"]


PERCENT = re.compile(r"\}\}\s*%(?!\})|%%\"|[0-9]%<")


def test_no_template_writes_a_literal_percent_sign_after_a_number():
    """French puts a space before % (« 80 % »): a percentage goes through format_percent, never a literal sign."""
    found = [
        f"{path.relative_to(TEMPLATES_DIR)}:{number}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PERCENT.search(line)
    ]
    assert found == []


def test_a_link_inside_a_translated_sentence_is_escaped_like_the_rest():
    page = templates.env.from_string('{{ _("Recommended: %(course)s.", course=title|link(url)) }}')
    html = page.render(title="<b>Phishing</b>", url='/courses/1?x="y"')
    assert html == 'Recommended: <a href="/courses/1?x=&#34;y&#34;">&lt;b&gt;Phishing&lt;/b&gt;</a>.'
