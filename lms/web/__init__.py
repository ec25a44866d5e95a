"""Web plumbing shared by every feature package."""

# Registers the `{name:id}` path converter before any router compiles its paths.
from lms.web import params as _params  # noqa: F401
