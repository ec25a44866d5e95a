"""The files a route works on, loaded from its path.

An author reaches only the files of a course they may edit (courses.authoring.deps); a download only
the files of a course the person may see (courses.access.can_view). Anything else is a 404, the same as
a file that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.params import Id

from courses.access import can_view
from courses.authoring.deps import EditableCourse
from courses.models import Attachment, Course


def attachment_of(db: DbSession, course: EditableCourse, attachment_id: Id) -> Attachment:
    attachment = db.get(Attachment, attachment_id)
    if attachment is None or attachment.course_id != course.id:
        raise HTTPException(status_code=404)
    return attachment


AttachmentOf = Annotated[Attachment, Depends(attachment_of)]


def visible_attachment(request: Request, db: DbSession, user: SignedInUser, course_id: Id, attachment_id: Id) -> Attachment:
    course = db.get(Course, course_id)
    attachment = db.get(Attachment, attachment_id)
    if (
        course is None
        or attachment is None
        or attachment.course_id != course.id
        or not can_view(db, user, course, request.state.roles)
    ):
        raise HTTPException(status_code=404)
    return attachment


VisibleAttachment = Annotated[Attachment, Depends(visible_attachment)]
