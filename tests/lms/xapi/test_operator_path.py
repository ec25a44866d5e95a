"""The path an operator runs: a learner works through the web (HTTP through the app), and `lms worker
--once`, configured only by the environment, delivers what that queued to the real LRS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from lms.xapi.models import StatementState, XapiStatement
from lms.xapi.statements import VERBS
from tests.courses.factories import lessons_of, make_course
from tests.lms.xapi.lrs import PASSWORD, USERNAME

LMS = str(Path(sys.executable).parent / "lms")


def test_a_learners_clicks_reach_the_lrs_through_lms_worker(db, signed_in, settings, xapi, lrs, tmp_path):
    course = make_course(db, "Locking your screen", modules=(("Why", "How"),))
    why, how = lessons_of(db, course)
    browser, learner = signed_in()
    assert browser.post(f"/courses/{course.id}/enrol").status_code == 303
    for lesson in (why, how):
        url = f"/courses/{course.id}/lessons/{lesson.id}"
        assert browser.post(f"{url}/view", headers={"HX-Request": "true"}).status_code == 200
        assert browser.post(f"{url}/complete").status_code == 303
    assert browser.post(f"/courses/{course.id}/feedback", data={"rating": "5"}).status_code == 303
    db.expire_all()
    queued = list(db.exec(select(XapiStatement).order_by(XapiStatement.id)))
    verbs = [row.statement["verb"]["id"] for row in queued]
    assert verbs == [VERBS[v] for v in ("experienced", "completed", "experienced", "completed", "completed", "rated")]

    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "XAPI_ENDPOINT": lrs.endpoint,
        "XAPI_USERNAME": USERNAME,
        "XAPI_PASSWORD": PASSWORD,
    }
    done = subprocess.run([LMS, "worker", "--once"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    db.expire_all()
    assert {row.state for row in db.exec(select(XapiStatement))} == {StatementState.SENT.value}
    held = {s["id"]: s for s in lrs.statements() if s["actor"].get("account", {}).get("homePage") == xapi}
    assert sorted(held) == sorted(row.statement_id for row in queued)
    assert all(s["actor"]["account"]["name"] == str(learner.id) for s in held.values())
