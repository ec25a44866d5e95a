"""The demo's job profiles read in French too."""

import pytest
from sqlmodel import select

from lms.competences.models import JobProfile, JobProfileTranslation


@pytest.mark.demo
def test_every_demo_profile_has_a_french_name_and_description(db):
    rows = db.exec(
        select(JobProfile.name, JobProfileTranslation.name, JobProfileTranslation.description).join(
            JobProfileTranslation, JobProfileTranslation.job_profile_id == JobProfile.id
        )
    ).all()
    french = {name: (fr_name, fr_description) for name, fr_name, fr_description in rows}
    assert set(french) == set(db.exec(select(JobProfile.name)).all())
    assert french["Caseworker"][0] == "Gestionnaire de dossiers"
    assert all(fr_description for _n, fr_description in french.values())
