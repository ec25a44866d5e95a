"""The runtime's JSON endpoint: the lesson page's script (static/js/package-runtime.js) reads the
learner's saved data before the package starts, and commits what the package reports.

Commits come two ways. fetch() sends JSON with the X-CSRF-Token header (LMSCommit, LMSFinish,
Terminate). When the page goes away, navigator.sendBeacon() sends the last state: a beacon cannot set
headers, so it sends a form body (application/x-www-form-urlencoded) whose `csrf_token` field the
app-wide CSRF check reads like any form's, and the data in its `payload` field. Either way the same
session-bound token is required; nothing here is exempt.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.packages.cmi import CmiError, resume_data
from courses.packages.deps import PlayedPackage
from courses.packages.selectors import runtime_of
from courses.packages.service import runtime_commit

router = APIRouter()

MAX_SESSION_KEY = 64


@router.get("/packages/{lesson_id}/runtime")
def runtime_read(db: DbSession, user: SignedInUser, played: PlayedPackage, lesson_id: Id) -> Response:
    runtime = runtime_of(db, user_id=user.id, lesson_id=played.lesson.id)
    return JSONResponse({"version": played.package.scorm_version, "cmi": resume_data(runtime, played.package.scorm_version)})


async def _payload(request: Request) -> Any:
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        field = (await request.form()).get("payload")
        return json.loads(field) if isinstance(field, str) else None
    return json.loads(await request.body())


@router.post("/packages/{lesson_id}/runtime")
async def runtime_commit_post(request: Request, db: DbSession, user: SignedInUser, played: PlayedPackage, lesson_id: Id) -> Response:
    try:
        payload = await _payload(request)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("session"), str) or len(payload["session"]) > MAX_SESSION_KEY:
        return JSONResponse({"result": False, "error": "Send a JSON object with session and cmi."}, status_code=422)
    try:
        result = runtime_commit(
            db,
            user=user,
            lesson=played.lesson,
            package=played.package,
            cmi=payload.get("cmi") or {},
            session_key=payload["session"],
            opened=payload.get("opened") is True,
        )
    except CmiError as exc:
        db.rollback()
        return JSONResponse({"result": False, "error": str(exc)}, status_code=422)
    db.commit()
    return JSONResponse({"result": True, "recorded": result.recorded, "completed": result.lesson_completed})
