"""Web plumbing shared by every feature package."""

from lms.web import params as _params  # noqa: F401 - registers the {name:id} path converter before any router compiles
