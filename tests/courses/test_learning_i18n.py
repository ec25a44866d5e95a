"""The learner's and the manager's pages in French: a browser asking for French reads French, with no English left.

Each page is checked for a few key French strings and for the absence of the English strings it shows
today (the page's own text: the layout's is engineer L1's, tested in tests/lms/test_i18n.py).
"""

from __future__ import annotations

import html
import re

from babel.dates import format_date

from lms.clock import utcnow
from tests.assessments.factories import make_quiz, questions, start
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import competence, load_digcomp, make_profile, record

NNBSP = "\u202f"  # French puts a narrow no-break space before ; ? !
NBSP = "\u00a0"  # and a no-break space before : and % (Babel's percent format for fr)


def french(browser) -> None:
    browser.client.headers["Accept-Language"] = "fr-BE,fr;q=0.9,en;q=0.5"


def words(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed (no-break spaces kept)."""
    assert response.status_code == 200, response.text
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text))).strip()


def assert_french(page: str, shown: tuple[str, ...], gone: tuple[str, ...]) -> None:
    missing = [s for s in shown if s not in page]
    assert not missing, f"French missing: {missing}"
    left = [s for s in gone if s in page]
    assert not left, f"English left: {left}"


def test_my_learning_and_a_course_in_french(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First steps", "Keeping it safe"),))
    browser, _ = signed_in()
    french(browser)
    enrolled = browser.post(f"/courses/{course.id}/enrol", follow_redirects=True)
    assert "Vous êtes inscrit. Commencez quand vous le souhaitez" in words(enrolled)
    assert "You are enrolled" not in enrolled.text

    assert_french(
        words(browser.get("/learning")),
        (
            "Mes formations",
            "Parcourir le catalogue",
            "Mes certificats",
            "Recommandés pour vous",
            f"0{NBSP}% effectué",
            "Pas encore commencés (1)",
            "Pas d’échéance",
            "Vous vous êtes inscrit vous-même",
        ),
        (
            "Browse the catalogue",
            "My certificates",
            "Recommended for you",
            "Overdue courses come first",
            "% complete",
            "No recommendations right now",
            "Not started yet",
            "No due date",
            "You enrolled yourself",
        ),
    )
    assert_french(
        words(browser.get(f"/courses/{course.id}")),
        ("Durée approximative", "Votre progression", "Commencer", "Plan du cours", "0 leçons faites sur 2"),
        ("Takes about", "Develops", "Your progress", "Course outline", "lessons done", "% complete"),
    )


def test_a_lesson_and_its_completion_in_french_with_a_french_date(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First steps", "Keeping it safe"),))
    first, second = lessons_of(db, course)
    browser, _ = signed_in()
    french(browser)
    lesson_page = browser.get(f"/courses/{course.id}/lessons/{first.id}")
    assert 'aria-label="Fil d’Ariane"' in lesson_page.text
    assert_french(
        words(lesson_page),
        ("Leçon 1 sur 2", "Marquer comme terminée", f"Suivante{NBSP}: Keeping it safe", "Retour au plan du cours"),
        ("Lesson 1 of 2", "Mark complete", "Next:", "Back to the course outline", "You are not enrolled"),
    )
    for lesson in (first, second):
        assert browser.post(f"/courses/{course.id}/lessons/{lesson.id}/complete").status_code == 303
    today = format_date(utcnow(), "dd MMM y", locale="fr")
    assert_french(
        words(browser.get(f"/courses/{course.id}")),
        (
            "Cours terminé",
            f"Vous avez terminé ce cours le {today}",
            f"100{NBSP}% effectué",
            "Évaluer ce cours",
            "Ce cours vous a-t-il été utile\u202f?",
        ),
        ("Course completed", "You completed this course", "Rate this course", "How useful", "Send rating", "Comment (optional)"),
    )
    refused = browser.post(f"/courses/{course.id}/feedback", {"comment": "x" * 2001})
    assert refused.status_code == 422
    assert "Choisissez une note." in refused.text and "Limitez votre commentaire à 2\u202f000 caractères" in refused.text
    assert "Choose a rating" not in refused.text and "Keep your comment" not in refused.text


def test_a_quiz_from_intro_to_question_in_french(db, signed_in):
    quiz = make_quiz(db, data=questions(), pass_percent=60, time_limit_minutes=15, attempts_allowed=2, review_policy="after_passing")
    browser, _ = signed_in()
    french(browser)
    assert_french(
        words(browser.get(f"/quizzes/{quiz.id}")),
        (
            "Note de réussite",
            f"60{NBSP}%",
            "15 minutes, décomptées",
            "0 utilisée(s) sur 2 autorisée(s)",
            "Commencer le quiz",
            "une fois le quiz réussi",
        ),
        ("Pass mark", "Time limit", "used of", "Start the quiz", "You have not submitted an attempt yet.", "After you submit"),
    )
    attempt_id = start(browser, quiz)
    assert_french(
        words(browser.get(f"/attempts/{attempt_id}")),
        ("Tentative 1", "Question 1", "Marquer la question 1 pour la revoir", "Récapitulatif et envoi"),
        ("Attempt 1", "Flag question", "Summary and submit", "Select all that apply", "Your answer"),
    )
    assert_french(
        words(browser.get(f"/attempts/{attempt_id}/summary")),
        ("Vos réponses jusqu’ici", "Sans réponse", "Soumettre et terminer", "sont sans réponse."),
        ("Your answers so far", "Not answered", "Submit and finish", "Back to the questions", "not answered."),
    )


def test_my_skills_in_french(db, signed_in):
    load_digcomp(db)
    profile = make_profile(db)
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "1.1", 3)
    db.commit()
    french(browser)
    assert_french(
        words(browser.get("/skills")),
        (
            "Commencer une auto-évaluation",
            f"Requis pour votre fonction{NBSP}: Caseworker",
            "Niveau vérifié",
            "Autres compétences",
            "Pas d’auto-évaluation",
            "des compétences de votre fonction atteignent le niveau requis",
            "Demandez une évaluation à votre responsable",
            "2 niveaux en dessous",
        ),
        (
            "Start a self-assessment",
            "Required for your role",
            "Verified level",
            "Other competences",
            "Not self-assessed",
            "What next",
            "meet the required level",
            "Ask your manager for a rating",
            "levels below",
        ),
    )
    one = competence(db, "1.1").id
    assert_french(
        words(browser.get(f"/skills/{one}")),
        ("Retour à mes compétences", "Vos niveaux", "Historique des preuves", "Requis pour votre fonction"),
        ("Back to my skills", "Your levels", "Evidence history", "Required for your role", "Recorded by"),
    )


def test_a_managers_team_in_french_with_a_french_percentage(db, signed_in, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    browser, manager = signed_in("manager", name="Mona Manager")
    alice = make_user(name="Alice Able", manager_id=manager.id, job_profile_id=profile.id)
    record(db, alice, "1.1", 3)
    db.commit()
    french(browser)
    assert_french(
        words(browser.get("/team")),
        (
            "Synthèse de l’équipe",
            "Exigences atteintes",
            f"33{NBSP}%",
            f"Niveaux requis atteints{NBSP}: 1 sur 3.",
            "Carte des compétences",
            "Télécharger au format CSV",
            "Combler les écarts",
            "Collaborateurs directs uniquement",
            "3 / 3 atteint",
            "0 / 2 écart de 2",
        ),
        (
            "Team summary",
            "Requirements met",
            "required levels are met",
            "Skills heatmap",
            "Download as CSV",
            "Close the gaps",
            "Direct reports only",
            "Largest total gaps",
            "gap 2",
        ),
    )


def test_a_managers_page_for_one_person_in_french(db, signed_in, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    browser, manager = signed_in("manager", name="Mona Manager")
    alice = make_user(name="Alice Able", manager_id=manager.id, job_profile_id=profile.id)
    record(db, alice, "1.1", 2, source="manager", by=manager)
    db.commit()
    french(browser)
    today = format_date(utcnow(), "dd MMM y", locale="fr")
    assert_french(
        words(browser.get(f"/team/people/{alice.id}")),
        (
            "Retour à Mon équipe",
            f"Profil de poste{NBSP}: Caseworker",
            "Enregistrer une évaluation",
            f"source{NBSP}: évaluation du responsable, {today}",
            "1 enregistrement",
            "Choisissez un niveau",
        ),
        ("Back to My team", "Job profile:", "Record a rating", "manager rating", "1 record", "Choose a level", "Not required"),
    )
