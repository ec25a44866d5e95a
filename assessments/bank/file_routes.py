"""Serving a question's files (the images it shows) to people who may see the question.

Served from outside the web root through this route only, with the headers of course files, so a
file never reaches someone who could not see its question (assessments.bank.deps).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import FileResponse, Response

from lms.web.access import SignedInUser

from courses.files.service import content_disposition
from courses.models import Attachment

from assessments.bank.deps import VisibleQuestionFile
from assessments.bank.file_selectors import question_file_path

router = APIRouter()


@router.get("/questions/{question_id}/files/{file_id}")
def question_file_download(request: Request, user: SignedInUser, file: VisibleQuestionFile) -> Response:
    path = question_file_path(request.app.state.settings, file)
    if path is None:
        raise HTTPException(status_code=404, detail="This file is missing. Tell a trainer.")
    # The same name rules as a course file's download (inline for images, an ASCII fallback name).
    named = Attachment(course_id=0, filename=file.filename, content_type=file.content_type, size=file.size, storage_key="")
    disposition = content_disposition(named)
    return FileResponse(
        path,
        media_type=file.content_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            # Private to the signed-in person: shared caches must not keep it.
            "Cache-Control": "private, max-age=300",
        },
    )
