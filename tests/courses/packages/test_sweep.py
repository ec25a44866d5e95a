"""Unpacked packages nothing points at any more (a deleted lesson's, a failed upload's) are removed by
a daily job, once they are old enough not to be an upload still being committed."""

from __future__ import annotations

import os
import time

from sqlmodel import select

from courses.models import Lesson, LessonKind
from courses.packages.jobs import JOB_KIND, package_folders_sweep
from courses.packages.storage import package_dir, packages_root
from lms.jobs.registry import registry
from tests.courses.factories import make_course
from tests.courses.packages.factories import package_for, scorm12, upload_package


def test_folders_no_package_names_are_removed_once_old(app, db, signed_in):
    settings = app.state.settings
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer])
    module_id = db.exec(select(Lesson.module_id).where(Lesson.course_id == course.id)).first()
    assert upload_package(browser, course.id, module_id, scorm12()).status_code == 303
    lesson = db.exec(select(Lesson).where(Lesson.kind == LessonKind.PACKAGE.value)).one()
    live = package_dir(settings, package_for(db, lesson.id).storage_key)
    old_orphan, young_orphan, stale_upload = (packages_root(settings) / name for name in ("deadbeef", "cafe", ".incoming-x"))
    for folder in (old_orphan, young_orphan, stale_upload):
        (folder / "sub").mkdir(parents=True)
    day_ago = time.time() - 2 * 24 * 3600
    for folder in (old_orphan, stale_upload, live):
        os.utime(folder, (day_ago, day_ago))

    removed = package_folders_sweep(db, settings=settings)

    assert removed == [".incoming-x", "deadbeef"]
    assert live.is_dir() and young_orphan.is_dir() and not old_orphan.exists()
    assert registry.periodic[JOB_KIND].days == 1 and JOB_KIND in registry.handlers
