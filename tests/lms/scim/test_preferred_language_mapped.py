"""An organisation that maps preferredLanguage to job profiles keeps that meaning: it is not read as
the person's interface language."""

from __future__ import annotations

import pytest

from lms.competences.models import JobProfile
from lms.people.models import User

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"scim_job_profile_attribute": "preferredLanguage"})


def test_preferred_language_mapped_to_job_profiles_sets_the_profile_only(scim, db):
    db.add(JobProfile(name="fr"))
    db.commit()
    model = scim.get_resource_model("User")
    created = scim.create(model.model_validate({"schemas": [USER], "userName": "mapped@example.gov", "preferredLanguage": "fr"}))
    db.expire_all()
    person = db.get(User, int(created.id))
    assert person.language is None
    assert db.get(JobProfile, person.job_profile_id).name == "fr"
    assert created.preferred_language == "fr"  # the profile's name, as the mapping says
