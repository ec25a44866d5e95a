"""Every /author route, for the roles that pass its policy: trainers 404 on courses they do not edit,
editors and admins allowed. The 404 keeps drafts from leaking their existence. (Who passes the
policy at all is tests/lms/test_access_policies.py.)"""

from __future__ import annotations

import re

import pytest

from courses.files.service import attachment_store
from courses.models import LessonProgress, Module
from courses.packages.service import package_lesson_create
from tests.courses.factories import lessons_of, make_course
from tests.courses.packages.factories import scorm12
from tests.lms.routes_util import api_routes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def author_calls(app, ids: dict[str, int]) -> list[tuple[str, str]]:
    calls = []
    for route in api_routes(app):
        if not (route.path.startswith("/author") or route.path.startswith("/courses/{course_id}/files")):
            continue
        if route.path.startswith(("/author/questions", "/author/quizzes")) or "/quizzes" in route.path:
            continue  # assessments' authoring routes: their access is tested in tests/assessments
        # A package lesson's own routes act on the course's SCORM lesson, the others on a page lesson.
        own = {**ids, "lesson_id": ids["package_lesson_id"]} if "/package" in route.path else ids
        path = re.sub(r"\{(\w+)\}", lambda m, own=own: str(own[m.group(1)]), route.path)
        for method in sorted(route.methods - {"HEAD"}):
            calls.append((method, path))
    # Destructive calls last, so the others still find what they need.
    return sorted(calls, key=lambda c: (c[1].endswith(("/delete", "/remove")), c[1], c[0]))


@pytest.fixture
def world(app, db, make_user):
    owner, co_editor = make_user("trainer"), make_user("trainer")
    course = make_course(db, editors=[owner, co_editor], status="draft", modules=[["One", "Two"]])
    lesson = lessons_of(db, course)[0]
    # Progress makes the delete routes refuse, so the loop leaves the course intact.
    db.add(LessonProgress(user_id=make_user().id, lesson_id=lesson.id, course_id=course.id))
    attachment = attachment_store(db, settings=app.state.settings, course=course, by=owner, filename="a.png", data=PNG)
    module = db.get(Module, lesson.module_id)
    settings = app.state.settings
    package = package_lesson_create(
        db, settings=settings, module=module, title="", filename="p.zip", data=scorm12(), complete_when_opened=False, by=owner
    )
    db.commit()
    ids = {
        "course_id": course.id,
        "module_id": lesson.module_id,
        "lesson_id": lesson.id,
        "attachment_id": attachment.id,
        "user_id": co_editor.id,
        "action": "publish",
        "package_lesson_id": package.lesson_id,
        "language": "fr",  # a version of the course in French (courses/translations)
    }
    return {"owner": owner, "ids": ids}


def test_there_are_author_routes_to_check(app, world):
    calls = author_calls(app, world["ids"])
    assert len(calls) >= 25
    assert ("POST", "/author/preview") in calls


def test_trainers_who_are_not_editors_get_404_for_the_course(app, world, signed_in):
    browser, _ = signed_in("trainer")
    token = browser.token()
    failures = []
    for method, path in author_calls(app, world["ids"]):
        if path in {"/author", "/author/courses/new", "/author/preview"}:
            continue
        response = browser.client.request(method, path, headers={"X-CSRF-Token": token})
        if response.status_code != 404:
            failures.append(f"{method} {path} -> {response.status_code}")
    assert not failures, failures
    assert "Draft" not in browser.get("/author").text


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_editors_and_admins_may_use_every_route(app, world, signed_in, client, who):
    if who == "editor":
        from tests.conftest import Browser, sign_in

        assert sign_in(client, world["owner"].email).status_code == 303
        browser = Browser(client)
    else:
        browser, _ = signed_in("admin")
    token = browser.token()
    failures = []
    for method, path in author_calls(app, world["ids"]):
        response = browser.client.request(method, path, headers={"X-CSRF-Token": token})
        expected = {200} if method == "GET" else {200, 303, 400, 422}
        if response.status_code not in expected:
            failures.append(f"{method} {path} -> {response.status_code}")
    assert not failures, failures
