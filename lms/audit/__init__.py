"""The audit log. Importing the package registers the listener that seals new events into the chain."""

from lms.audit import chain as chain
