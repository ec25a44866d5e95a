"""The demo course catalogue, one module per course so each stays readable."""

from courses.demo.content import (
    accessible_documents,
    collaborating,
    data_for_policy,
    data_protection,
    phishing,
    spreadsheets,
    web_writing,
)
from courses.demo.spec import CourseSpec

COURSES: tuple[CourseSpec, ...] = (
    phishing.COURSE,
    data_protection.COURSE,
    spreadsheets.COURSE,
    accessible_documents.COURSE,
    web_writing.COURSE,
    data_for_policy.COURSE,
    collaborating.COURSE,
)
