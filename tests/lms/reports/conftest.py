"""Fixtures shared by the report tests."""

import pytest

from tests.lms.reports.factories import benefits_and_digital


@pytest.fixture
def lead(signed_in):
    """A signed-in skills lead's browser."""
    browser, _user = signed_in("skills_lead")
    return browser


@pytest.fixture
def benefits(db, make_user):
    """The Benefits (Claims 8 + Appeals 3) and Digital organisation the export tests share."""
    return benefits_and_digital(db, make_user)
