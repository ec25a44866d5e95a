"""What the courses package adds to the platform's extension points (see lms/hooks.py)."""

from __future__ import annotations

# Imported for their tables.
import courses.models
import courses.requirements.models
import courses.certificates.models
import courses.compliance.models
import courses.packages.models  # noqa: F401
from courses.demo import courses_demo_load
from courses.requirements.demo import requirements_demo_load
from courses.catalogue.recommend import suggestions
from courses.assignment.service import rules_apply_for_users
from courses.panels import course_home_panels
from courses.compliance.snapshot import compliance_snapshot_register
from courses.compliance.panels import compliance_home_panels
from courses.events import course_completed
from courses.requirements.cycles import cycle_complete_on_course, cycles_for_users_changed
from courses.requirements.sweep import sweep_register
from courses.certificates.service import certificate_issue_on_completion
from courses import privacy
from courses.packages import privacy as package_privacy
from courses.packages.jobs import packages_jobs_register
from courses.badges import completed_courses
from lms.hooks import hooks

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    hooks.users_changed.append(rules_apply_for_users)
    hooks.gap_suggestions.append(suggestions)
    hooks.demo_loaders.append(courses_demo_load)
    hooks.demo_loaders.append(requirements_demo_load)  # after the courses it requires
    hooks.home_panels.append(course_home_panels)
    compliance_snapshot_register()
    hooks.home_panels.append(compliance_home_panels)
    # Cycles first: a certificate takes the validity of the cycle the completion satisfied.
    course_completed.append(cycle_complete_on_course)
    hooks.users_changed.append(cycles_for_users_changed)
    sweep_register()
    course_completed.append(certificate_issue_on_completion)
    hooks.personal_data_exporters.extend(privacy.EXPORTERS)
    hooks.personal_data_excluded.update(privacy.EXCLUDED)
    hooks.personal_data_erasers.append(privacy.erase)
    # Digital badges for completed courses (lms/badges, when BADGES_FOR_COURSES is on).
    hooks.completed_courses.append(completed_courses)
    hooks.personal_data_exporters.extend(package_privacy.EXPORTERS)
    hooks.personal_data_excluded.update(package_privacy.EXCLUDED)
    hooks.personal_data_erasers.append(package_privacy.erase)
    packages_jobs_register()
