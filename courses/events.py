"""What happens elsewhere when a learner completes a course (mandatory-training cycles, certificates).

Listeners run in the completing transaction, in the order they were added by `courses.plugin.register()`
(requirements first, so a certificate can carry the validity of the cycle the completion satisfied).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from courses.models import Enrolment
from lms.people.models import User

CourseCompleted = Callable[[Session, Enrolment, User], None]

course_completed: list[CourseCompleted] = []
