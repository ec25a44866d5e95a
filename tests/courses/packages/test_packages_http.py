"""A trainer uploads a package as a lesson; learners get its files from their own path, with their own
policy, only if they may see the lesson; the runtime keeps each learner's data and completes the lesson."""

from __future__ import annotations

import json
from zipfile import ZIP_STORED

from sqlmodel import select

from courses.models import Enrolment, Lesson, LessonKind, LessonProgress, Module
from courses.packages.models import PackageRuntime
from courses.packages.storage import package_dir
from lms.audit.models import AuditEvent
from lms.competences.models import Evidence
from tests.courses.factories import make_course
from tests.lms.competences.factories import make_competences
from tests.courses.packages.factories import MANIFEST_12, package_for, scorm12, scorm2004, upload_package, zip_of


def course_with_package(db, browser, trainer, data=None, **fields):
    course = make_course(db, editors=[trainer], modules=[["Welcome"]])
    lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id)).one()
    response = upload_package(browser, course.id, lesson.module_id, data if data is not None else scorm12(), **fields)
    assert response.status_code == 303, response.text
    package_lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id, Lesson.kind == LessonKind.PACKAGE.value)).one()
    return course, package_lesson


def test_upload_unpacks_outside_the_web_root_and_adds_a_lesson(app, db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer, title="")
    package = package_for(db, lesson.id)
    assert lesson.title == "Phishing awareness"  # the package's own title when none is given
    assert (package.scorm_version, package.launch_path, package.version) == ("1.2", "index.html", 1)
    folder = package_dir(app.state.settings, package.storage_key)
    assert (folder / "imsmanifest.xml").is_file() and "static" not in folder.parts
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "course.package_upload")).one()
    assert event.target_id == str(course.id)
    outline = browser.get(f"/author/courses/{course.id}").text
    assert f"/author/courses/{course.id}/lessons/{lesson.id}/package" in outline and "SCORM package" in outline
    page = browser.get(f"/author/courses/{course.id}/lessons/{lesson.id}/package").text
    assert "phishing.zip" in page and "SCORM 1.2" in page


def test_each_refusal_shows_on_the_form(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    module_id = db.exec(select(Lesson.module_id).where(Lesson.course_id == course.id)).first()
    manifest = MANIFEST_12 % {"title": "t", "launch": "index.html", "mastery": ""}
    cases = {
        "no imsmanifest.xml": zip_of({"index.html": "x"}),
        "points outside the package": zip_of({"imsmanifest.xml": "<manifest/>", "../../evil.html": "x"}),
        "zip bomb": zip_of({"imsmanifest.xml": "<manifest/>", "zeros": b"\0" * (30 * 1024 * 1024)}),
        "not well-formed XML": zip_of({"imsmanifest.xml": "<manifest>"}),
        "which is not in the package": zip_of(
            {"imsmanifest.xml": MANIFEST_12 % {"title": "t", "launch": "start.html", "mastery": ""}}
        ),
        "is damaged": zip_of({"imsmanifest.xml": manifest, "index.html": "hello"}, compression=ZIP_STORED).replace(b"hello", b"hellO"),
        "not a zip archive": b"plain text",
    }
    for says, data in cases.items():
        response = upload_package(browser, course.id, module_id, data)
        assert response.status_code == 422, says
        assert says in response.text, says
        assert 'id="file-error"' in response.text
    missing = browser.post(f"/author/courses/{course.id}/modules/{module_id}/packages", data={"title": "x"})
    assert missing.status_code == 422 and "Choose the package" in missing.text
    assert db.exec(select(Lesson).where(Lesson.kind == LessonKind.PACKAGE.value)).first() is None


def test_replacing_bumps_the_version_and_removes_the_old_files(app, db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    old = package_for(db, lesson.id)
    old_folder = package_dir(app.state.settings, old.storage_key)
    response = browser.post(
        f"/author/courses/{course.id}/lessons/{lesson.id}/package", files={"file": ("v2.zip", scorm12(mastery=75), "application/zip")}
    )
    assert response.status_code == 303
    new = package_for(db, lesson.id)
    assert new.version == 2 and new.mastery_score == 75 and new.filename == "v2.zip"
    assert not old_folder.exists() and package_dir(app.state.settings, new.storage_key).is_dir()
    assert browser.get(f"/packages/{lesson.id}/1/content/index.html").status_code == 404
    assert browser.get(f"/packages/{lesson.id}/2/content/index.html").status_code == 200
    refused = browser.post(
        f"/author/courses/{course.id}/lessons/{lesson.id}/package", files={"file": ("bad.zip", b"nope", "application/zip")}
    )
    assert refused.status_code == 422 and "not a zip archive" in refused.text
    assert package_for(db, lesson.id).version == 2


def test_content_is_served_with_its_own_policy_types_and_ranges(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    video = bytes(range(256)) * 40
    course, lesson = course_with_package(db, browser, trainer, data=scorm12(extra={"media/clip.mp4": video, "app.js": "var x;"}))
    page = browser.get(f"/packages/{lesson.id}/1/content/index.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in csp and "frame-ancestors 'self'" in csp
    assert page.headers["x-frame-options"] == "SAMEORIGIN" and page.headers["x-content-type-options"] == "nosniff"
    assert browser.get(f"/packages/{lesson.id}/1/content/app.js").headers["content-type"].startswith("text/javascript")
    part = browser.get(f"/packages/{lesson.id}/1/content/media/clip.mp4", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == video[100:200]
    assert part.headers["content-type"] == "video/mp4" and part.headers["content-range"] == f"bytes 100-199/{len(video)}"
    # The rest of the app keeps its strict policy and may not be framed.
    lesson_page = browser.get(f"/courses/{course.id}/lessons/{lesson.id}")
    assert "unsafe-inline" not in lesson_page.headers["content-security-policy"]
    assert lesson_page.headers["x-frame-options"] == "DENY"


def test_traversal_and_other_lessons_are_404(db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    for path in ["../../../../etc/passwd", "..%2F..%2Fimsmanifest.xml", "%2e%2e/%2e%2e/x", "media", "missing.html"]:
        assert browser.get(f"/packages/{lesson.id}/1/content/{path}").status_code == 404, path
    page_lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id, Lesson.kind == LessonKind.PAGE.value)).one()
    assert browser.get(f"/packages/{page_lesson.id}/1/content/index.html").status_code == 404


def test_only_people_who_may_see_the_lesson_get_its_files(db, signed_in, client, make_user):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    course.status = "draft"
    db.add(course)
    db.commit()
    assert browser.get(f"/packages/{lesson.id}/1/content/index.html").status_code == 200  # the editor previews
    client.cookies.clear()
    learner_browser, _ = signed_in()
    assert learner_browser.get(f"/packages/{lesson.id}/1/content/index.html").status_code == 404
    assert learner_browser.get(f"/packages/{lesson.id}/runtime").status_code == 404
    course.status = "published"
    lesson.hidden = True
    db.add_all([course, lesson])
    db.commit()
    assert learner_browser.get(f"/packages/{lesson.id}/1/content/index.html").status_code == 404
    lesson.hidden = False
    db.add(lesson)
    db.commit()
    assert learner_browser.get(f"/packages/{lesson.id}/1/content/index.html").status_code == 200
    client.cookies.clear()
    assert client.get(f"/packages/{lesson.id}/1/content/index.html").status_code in (303, 401)


def commit(browser, lesson_id, cmi, *, session="s1", opened=False):
    return browser.client.post(
        f"/packages/{lesson_id}/runtime",
        content=json.dumps({"session": session, "cmi": cmi, "opened": opened}),
        headers={"Content-Type": "application/json", "X-CSRF-Token": browser.token()},
    )


def test_runtime_keeps_the_learners_place_and_completes_on_completed(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    client.cookies.clear()
    learner, user = signed_in()
    assert learner.get(f"/packages/{lesson.id}/runtime").json() == {"version": "1.2", "cmi": {}}
    half = {
        "core": {"lesson_status": "incomplete", "lesson_location": "page-2", "exit": "suspend", "session_time": "00:00:40"},
        "suspend_data": "p2",
    }
    assert commit(learner, lesson.id, half).json() == {"result": True, "recorded": True, "completed": False}
    saved = learner.get(f"/packages/{lesson.id}/runtime").json()["cmi"]
    assert saved["suspend_data"] == "p2" and saved["core"]["lesson_location"] == "page-2"
    assert saved["core"]["entry"] == "resume" and saved["core"]["total_time"] == "0000:00:40"
    # A second visit (another session) adds its time to the first.
    done = {"core": {"lesson_status": "completed", "session_time": "00:01:00", "score": {"raw": "70"}}, "suspend_data": "end"}
    assert commit(learner, lesson.id, done, session="s2").json()["completed"] is True
    runtime = db.get(PackageRuntime, (user.id, lesson.id))
    db.refresh(runtime)
    assert (runtime.total_seconds, runtime.session_seconds, runtime.score_raw) == (40, 60, 70)
    assert db.get(LessonProgress, (user.id, lesson.id)).completed_at is not None
    enrolment = db.exec(select(Enrolment).where(Enrolment.user_id == user.id)).one()
    assert enrolment.progress_percent == 50  # one of the course's two lessons
    # Mark complete is not the way for a package lesson.
    assert learner.post(f"/courses/{course.id}/lessons/{lesson.id}/complete").status_code == 403


def test_failed_never_completes_and_mastery_score_decides(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer, data=scorm12(mastery=80))
    client.cookies.clear()
    learner, user = signed_in()
    low = {"core": {"lesson_status": "completed", "score": {"raw": "60"}}}
    assert commit(learner, lesson.id, low).json()["completed"] is False
    assert db.get(PackageRuntime, (user.id, lesson.id)).lesson_status == "failed"
    assert commit(learner, lesson.id, {"core": {"lesson_status": "failed"}}).json()["completed"] is False
    high = {"core": {"lesson_status": "completed", "score": {"raw": "85"}}}
    assert commit(learner, lesson.id, high).json()["completed"] is True
    db.expire_all()
    assert db.get(PackageRuntime, (user.id, lesson.id)).lesson_status == "passed"


def test_complete_when_opened_for_packages_that_never_report(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer, complete_when_opened="1")
    assert package_for(db, lesson.id).complete_when_opened
    client.cookies.clear()
    learner, user = signed_in()
    assert commit(learner, lesson.id, None, opened=True).json()["completed"] is True
    assert db.get(LessonProgress, (user.id, lesson.id)).completed_at is not None


def test_the_trainer_changes_the_fallback_with_an_audit_event(db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    url = f"/author/courses/{course.id}/lessons/{lesson.id}/package/settings"
    assert browser.post(url, data={"complete_when_opened": "1"}).status_code == 303
    assert package_for(db, lesson.id).complete_when_opened
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "course.package_settings")).one()


def test_a_beacon_sends_the_token_in_its_form_body(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    client.cookies.clear()
    learner, user = signed_in()
    payload = json.dumps({"session": "b", "cmi": {"core": {"lesson_location": "slide-7"}, "suspend_data": "s7"}})
    without = client.post(f"/packages/{lesson.id}/runtime", data={"payload": payload})
    assert without.status_code == 403
    sent = client.post(f"/packages/{lesson.id}/runtime", data={"payload": payload, "csrf_token": learner.token()})
    assert sent.status_code == 200
    assert db.get(PackageRuntime, (user.id, lesson.id)).suspend_data == "s7"
    no_header = client.post(f"/packages/{lesson.id}/runtime", content=payload, headers={"Content-Type": "application/json"})
    assert no_header.status_code == 403


def test_commits_that_are_not_scorm_data_are_422(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    client.cookies.clear()
    learner, user = signed_in()
    headers = {"Content-Type": "application/json", "X-CSRF-Token": learner.token()}
    url = f"/packages/{lesson.id}/runtime"
    assert client.post(url, content=b"not json", headers=headers).status_code == 422
    assert client.post(url, content=b"[]", headers=headers).status_code == 422
    assert commit(learner, lesson.id, "text").status_code == 422
    assert commit(learner, lesson.id, {"suspend_data": "x" * 64_001}).status_code == 422
    assert db.get(PackageRuntime, (user.id, lesson.id)) is None


def test_a_draft_preview_records_nothing(db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    course.status = "draft"
    db.add(course)
    db.commit()
    answer = commit(browser, lesson.id, {"core": {"lesson_status": "completed"}}).json()
    assert answer == {"result": True, "recorded": False, "completed": False}
    assert db.get(PackageRuntime, (trainer.id, lesson.id)) is None


def test_scorm_2004_statuses_map_the_same_way(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer, data=scorm2004())
    package = package_for(db, lesson.id)
    assert package.scorm_version == "2004" and package.mastery_score == 80
    client.cookies.clear()
    learner, user = signed_in()
    assert commit(learner, lesson.id, {"completion_status": "completed", "score": {"scaled": "0.5"}}).json()["completed"] is False
    assert db.get(PackageRuntime, (user.id, lesson.id)).success_status == "failed"
    passed = {
        "completion_status": "completed",
        "score": {"scaled": "0.9"},
        "location": "end",
        "session_time": "PT2M5S",
        "exit": "suspend",
    }
    assert commit(learner, lesson.id, passed).json()["completed"] is True
    saved = learner.get(f"/packages/{lesson.id}/runtime").json()
    assert saved["version"] == "2004"
    assert (
        saved["cmi"]["success_status"] == "passed" and saved["cmi"]["total_time"] == "PT0H2M5S" and saved["cmi"]["entry"] == "resume"
    )


def test_the_lesson_page_frames_the_package_and_says_it_needs_javascript(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    client.cookies.clear()
    learner, user = signed_in()
    page = learner.get(f"/courses/{course.id}/lessons/{lesson.id}").text
    assert f'data-src="/packages/{lesson.id}/1/content/index.html"' in page
    assert 'sandbox="allow-scripts allow-same-origin allow-forms"' in page
    assert "<noscript>" in page and "This lesson needs JavaScript" in page
    assert "Mark complete" not in page and "working through the package" in page


def test_a_trainer_who_may_not_edit_the_course_gets_404(db, signed_in, client):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    module_id = lesson.module_id
    client.cookies.clear()
    other, _ = signed_in("trainer")
    assert other.get(f"/author/courses/{course.id}/lessons/{lesson.id}/package").status_code == 404
    assert other.get(f"/author/courses/{course.id}/modules/{module_id}/packages/new").status_code == 404
    assert upload_package(other, course.id, module_id, scorm12()).status_code == 404
    page_lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id, Lesson.kind == LessonKind.PAGE.value)).one()
    client.cookies.clear()
    again, _ = signed_in("trainer")
    assert again.get(f"/author/courses/{course.id}/lessons/{page_lesson.id}/package").status_code == 404


def test_the_new_package_form_and_a_missing_file_on_replace(db, signed_in):
    browser, trainer = signed_in("trainer")
    course, lesson = course_with_package(db, browser, trainer)
    form = browser.get(f"/author/courses/{course.id}/modules/{lesson.module_id}/packages/new")
    assert form.status_code == 200 and "up to 200 MB" in form.text
    missing = browser.post(f"/author/courses/{course.id}/lessons/{lesson.id}/package", data={})
    assert missing.status_code == 422 and "Choose the package" in missing.text


def test_a_course_of_one_package_completes_with_its_evidence(db, signed_in, client):
    (safety,) = make_competences(db, "4.1")
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[[]], competences={safety.id: 3})
    module_id = db.exec(select(Module.id).where(Module.course_id == course.id)).one()
    assert upload_package(browser, course.id, module_id, scorm12()).status_code == 303
    lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id)).one()
    client.cookies.clear()
    learner, user = signed_in()
    assert commit(learner, lesson.id, {"core": {"lesson_status": "passed"}}).json()["completed"] is True
    enrolment = db.exec(select(Enrolment).where(Enrolment.user_id == user.id)).one()
    assert enrolment.status == "completed" and enrolment.progress_percent == 100
    evidence = db.exec(select(Evidence).where(Evidence.user_id == user.id)).one()
    assert (evidence.source, evidence.level, evidence.reference) == ("course", 3, f"course:{course.id}")
