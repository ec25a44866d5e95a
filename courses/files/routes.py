"""Course files: authors upload and delete them; anyone who may see the course downloads them.

Files are served from outside the web root through this route only, so the course's visibility
rules apply to every download; a file of a course someone may not see is a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from starlette.responses import FileResponse, Response

from lms.i18n import gettext
from lms.web.access import AuthorUser, SignedInUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.limits import body_limit
from lms.web.templating import redirect

from courses.authoring.deps import EditableCourse
from courses.authoring.pages import course_page_response
from courses.files.deps import AttachmentOf, VisibleAttachment
from courses.files.service import attachment_delete, attachment_path, attachment_store, content_disposition, max_bytes
from courses.errors import CourseError

router = APIRouter()


@router.post("/author/courses/{course_id}/attachments")
@body_limit(max_bytes)
async def attachment_upload(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, file: UploadFile | None = File(None)
) -> Response:
    settings = request.app.state.settings
    limit = max_bytes(settings)
    data = await file.read(limit + 1) if file is not None else b""
    name = (file.filename or "") if file is not None else ""
    if file is None or not name:
        errors = {"file": "Choose a file to upload."}
    else:
        try:
            attachment = attachment_store(db, settings=settings, course=course, by=user, filename=name, data=data)
            db.commit()
        except CourseError as exc:
            db.rollback()
            errors = {"file": str(exc)}
        else:
            flash(request, gettext("“%(name)s” uploaded. Copy its Markdown into a lesson to use it.") % {"name": attachment.filename})
            return redirect(request, f"/author/courses/{course.id}#files")
    status = 413 if len(data) > limit else 422
    return course_page_response(request, db, user, course, errors=errors, status_code=status)


@router.post("/author/courses/{course_id}/attachments/{attachment_id}/delete")
def attachment_delete_post(
    request: Request, db: DbSession, user: AuthorUser, course: EditableCourse, attachment: AttachmentOf
) -> Response:
    attachment_delete(db, settings=request.app.state.settings, attachment=attachment, by=user)
    db.commit()
    flash(request, gettext("“%(name)s” deleted. Lessons that link to it will show a broken link.") % {"name": attachment.filename})
    return redirect(request, f"/author/courses/{course.id}#files")


@router.get("/courses/{course_id}/files/{attachment_id}")
def attachment_download(request: Request, user: SignedInUser, attachment: VisibleAttachment) -> Response:
    path = attachment_path(request.app.state.settings, attachment)
    if path is None:
        raise HTTPException(status_code=404, detail="This file is missing. Tell the course's trainer.")
    return FileResponse(
        path,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment),
            "X-Content-Type-Options": "nosniff",
            # Private to the signed-in person: shared caches must not keep it.
            "Cache-Control": "private, max-age=300",
        },
    )
