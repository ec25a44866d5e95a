"""The error every course write raises for input it refuses: a message for the person, and the form field it belongs to."""

from __future__ import annotations

from lms.errors import FieldError


class CourseError(FieldError):
    pass


class PublishBlocked(CourseError):
    """Publishing refused: ``blockers`` says, one sentence each, what stops learners completing the course."""

    def __init__(self, blockers: list[str]):
        super().__init__("This course cannot be published yet: learners could not complete it.", "status")
        self.blockers = blockers
