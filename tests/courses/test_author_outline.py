"""The outline editor: modules and lessons added, reordered (with and without htmx), hidden, deleted."""

from __future__ import annotations

from sqlmodel import select

from courses.models import Attachment, Lesson, LessonProgress, Module
from tests.courses.factories import lessons_of, make_course

HX = {"HX-Request": "true"}


def titles(db, course):
    db.expire_all()
    return [lesson.title for lesson in lessons_of(db, course)]


def test_add_module_and_lesson_then_edit_them(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], status="draft", modules=[])
    page = browser.get(f"/author/courses/{course.id}")
    assert "no modules yet" in page.text
    assert browser.post(f"/author/courses/{course.id}/modules", data={"title": " "}).status_code == 422
    assert browser.post(f"/author/courses/{course.id}/modules", data={"title": "Basics"}).status_code == 303
    module = db.exec(select(Module)).one()
    form = browser.get(f"/author/courses/{course.id}/modules/{module.id}/lessons/new")
    assert form.status_code == 200 and 'hx-post="/author/preview"' in form.text and 'aria-live="polite"' in form.text
    bad = browser.post(
        f"/author/courses/{course.id}/modules/{module.id}/lessons/new",
        data={"title": "", "estimated_minutes": "0", "body_markdown": "x"},
    )
    assert bad.status_code == 422 and "Enter a title for the lesson." in bad.text
    saved = browser.post(
        f"/author/courses/{course.id}/modules/{module.id}/lessons/new",
        data={"title": "What phishing is", "estimated_minutes": "8", "body_markdown": "# Phishing\n\n| a | b |\n|---|---|\n| 1 | 2 |"},
    )
    assert saved.status_code == 303
    lesson = db.exec(select(Lesson)).one()
    assert lesson.position == 0 and "<table>" in lesson.body_html and "<h1>Phishing</h1>" in lesson.body_html
    assert "What phishing is" in browser.get(f"/author/courses/{course.id}").text
    rename = browser.post(f"/author/courses/{course.id}/modules/{module.id}/edit", data={"title": "Foundations"})
    assert rename.status_code == 303
    db.expire_all()
    assert db.get(Module, module.id).title == "Foundations"


def test_preview_without_javascript_does_not_save(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["One"]])
    lesson = lessons_of(db, course)[0]
    response = browser.post(
        f"/author/courses/{course.id}/lessons/{lesson.id}/edit",
        data={"title": "One", "estimated_minutes": "5", "body_markdown": "**Bold** idea", "action": "preview"},
    )
    assert response.status_code == 200 and "<strong>Bold</strong> idea" in response.text
    db.expire_all()
    assert "Bold" not in db.get(Lesson, lesson.id).body_markdown


def test_live_preview_returns_sanitised_html(signed_in):
    browser, _ = signed_in("trainer")
    response = browser.post("/author/preview", data={"body_markdown": "*hi* <script>alert(1)</script>"}, headers=HX)
    assert response.status_code == 200
    assert "<em>hi</em>" in response.text and "<script" not in response.text and "<html" not in response.text


def test_reorder_lessons_and_modules_without_javascript(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["A", "B", "C"], ["D"]])
    a, b, c, d = lessons_of(db, course)
    response = browser.post(f"/author/courses/{course.id}/lessons/{c.id}/move", data={"direction": "up"})
    assert response.status_code == 303 and response.headers["location"].endswith(f"#lesson-{c.id}")
    assert titles(db, course) == ["A", "C", "B", "D"]
    browser.post(f"/author/courses/{course.id}/lessons/{a.id}/move", data={"direction": "up"})  # already first
    assert titles(db, course) == ["A", "C", "B", "D"]
    second = db.get(Module, d.module_id)
    browser.post(f"/author/courses/{course.id}/modules/{second.id}/move", data={"direction": "up"})
    assert titles(db, course) == ["D", "A", "C", "B"]


def test_reorder_with_htmx_answers_with_the_outline_only(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["A", "B"]])
    a, b = lessons_of(db, course)
    response = browser.post(f"/author/courses/{course.id}/lessons/{a.id}/move", data={"direction": "down"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="outline"') and "<html" not in response.text
    assert response.text.index(">B</a>") < response.text.index(">A</a>")
    assert titles(db, course) == ["B", "A"]


def test_hide_and_show_a_lesson_and_a_module(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["A", "B"]])
    a, _b = lessons_of(db, course)
    browser.post(f"/author/courses/{course.id}/lessons/{a.id}/visibility", data={"hidden": "1"})
    db.expire_all()
    assert db.get(Lesson, a.id).hidden
    fragment = browser.post(f"/author/courses/{course.id}/lessons/{a.id}/visibility", data={"hidden": "0"}, headers=HX)
    assert "now shown to learners" in fragment.text
    db.expire_all()
    assert not db.get(Lesson, a.id).hidden
    browser.post(f"/author/courses/{course.id}/modules/{a.module_id}/visibility", data={"hidden": "1"})
    db.expire_all()
    assert db.get(Module, a.module_id).hidden


def test_delete_is_refused_once_a_learner_has_progress(signed_in, db, make_user):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["Taken", "Untouched"], ["Other"]])
    taken, untouched, other = lessons_of(db, course)
    learner = make_user()
    db.add(LessonProgress(user_id=learner.id, lesson_id=taken.id, course_id=course.id))
    db.commit()
    page = browser.get(f"/author/courses/{course.id}").text
    assert "hide rather than delete" in page

    refused = browser.post(f"/author/courses/{course.id}/lessons/{taken.id}/delete", headers=HX)
    assert refused.status_code == 200 and "cannot be deleted. Hide it instead." in refused.text
    browser.post(f"/author/courses/{course.id}/modules/{taken.module_id}/delete")
    assert "Hide it instead" in browser.get(f"/author/courses/{course.id}").text
    db.expire_all()
    assert db.get(Lesson, taken.id) is not None and db.get(Module, taken.module_id) is not None

    assert browser.post(f"/author/courses/{course.id}/lessons/{untouched.id}/delete").status_code == 303
    assert browser.post(f"/author/courses/{course.id}/modules/{other.module_id}/delete").status_code == 303
    assert titles(db, course) == ["Taken"]


def test_lesson_can_move_to_another_module_of_the_same_course_only(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["A"], ["B"]])
    foreign = make_course(db, editors=[trainer], modules=[["X"]])
    a, b = lessons_of(db, course)
    foreign_module = lessons_of(db, foreign)[0].module_id
    data = {"title": "A", "estimated_minutes": "5", "body_markdown": "a"}
    refused = browser.post(f"/author/courses/{course.id}/lessons/{a.id}/edit", data={**data, "module_id": str(foreign_module)})
    assert refused.status_code == 422
    moved = browser.post(f"/author/courses/{course.id}/lessons/{a.id}/edit", data={**data, "module_id": str(b.module_id)})
    assert moved.status_code == 303
    db.expire_all()
    assert db.get(Lesson, a.id).module_id == b.module_id and titles(db, course) == ["B", "A"]


def test_lessons_that_point_at_the_apps_own_pages_are_refused_when_saved(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["One"]])
    other = make_course(db, title="Another course", editors=[trainer], modules=[["Elsewhere"]])
    lesson, elsewhere = lessons_of(db, course)[0], lessons_of(db, other)[0]
    edit = f"/author/courses/{course.id}/lessons/{lesson.id}/edit"
    # An image that is really a lesson page would enrol everyone who opens this lesson in the other course.
    bad = browser.post(
        edit, data={"title": "One", "estimated_minutes": "5", "body_markdown": f"![x](/courses/{other.id}/lessons/{elsewhere.id})"}
    )
    assert bad.status_code == 422
    assert "Images can only come from this course&#39;s files" in bad.text
    link = browser.post(
        edit, data={"title": "One", "estimated_minutes": "5", "body_markdown": "[Sign out](/logout) and [see](https://gov.example)"}
    )
    assert link.status_code == 422 and "not to pages of Proficio itself" in link.text
    db.expire_all()
    assert "logout" not in db.get(Lesson, lesson.id).body_markdown
    # Its own files are fine, as are other sites.
    upload = browser.post(
        f"/author/courses/{course.id}/attachments",
        files={"file": ("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "image/png")},
    )
    assert upload.status_code == 303
    attachment = db.exec(select(Attachment)).one()
    good = browser.post(
        edit,
        data={
            "title": "One",
            "estimated_minutes": "5",
            "body_markdown": f"![chart](/courses/{course.id}/files/{attachment.id}) [a guide](https://gov.example)",
        },
    )
    assert good.status_code == 303
