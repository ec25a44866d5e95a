"""Which writes move which data version (lms.data_versions): decided from the SQL the database runs."""

from __future__ import annotations

import pytest

from lms.data_versions import scopes_written, watch


@pytest.mark.parametrize(
    ("statement", "scopes"),
    [
        ("INSERT INTO competence_status (user_id, competence_id) VALUES (?, ?)", {"reports"}),
        ('INSERT INTO "competence_status" (user_id) VALUES (%(user_id)s)', {"reports"}),
        ("INSERT OR REPLACE INTO org_unit (id, name) VALUES (?, ?)", {"reports", "compliance", "content"}),
        ("DELETE FROM job_profile_requirement WHERE job_profile_id = ?", {"reports", "content"}),
        ("UPDATE user_account SET is_active=?, updated_at=? WHERE user_account.id = ?", {"reports", "compliance", "manager_line"}),
        ("UPDATE user_account SET job_profile_id=%(job_profile_id)s WHERE user_account.id = %(id)s", {"reports"}),
        ("UPDATE user_account SET last_login_at=?, updated_at=? WHERE user_account.id = ?", set()),
        ("UPDATE user_account SET name=? WHERE user_account.id = ?", {"reports", "content", "manager_line"}),  # shown to others
        ("UPDATE enrolment SET started_at=? WHERE enrolment.id = ?", {"compliance"}),
        ("UPDATE enrolment SET completed_at=? WHERE enrolment.id = ?", {"manager_line"}),  # no longer overdue
        ("INSERT INTO lesson_progress (user_id, first_viewed_at) VALUES (?, ?)", {"compliance"}),
        ("UPDATE requirement_cycle SET completed_at=? RETURNING id", {"compliance", "manager_line"}),
        ("SELECT * FROM competence_status", set()),
        ("INSERT INTO audit_event (action) VALUES (?)", set()),
        ("  update competence_status set verified_level = 5", {"reports"}),
        # Shared content (cached learner pages): every table but the per-person and unshown ones.
        ("UPDATE course SET title=? WHERE course.id = ?", {"content"}),
        ("INSERT INTO lesson_translation (lesson_id, language) VALUES (?, ?)", {"content"}),
        ("INSERT INTO course_feedback (course_id, user_id, rating) VALUES (?, ?, ?)", {"content"}),  # averages show to all
        ("UPDATE user_session SET last_seen_at=? WHERE user_session.id = ?", set()),
        ("INSERT INTO job (kind) VALUES (?)", set()),
    ],
)
def test_a_write_moves_the_versions_of_what_it_changes(statement, scopes):
    assert scopes_written(statement) == scopes


def test_a_scope_name_must_be_safe_to_put_in_sql():
    with pytest.raises(ValueError, match="scope"):
        watch("reports'; DROP TABLE user_account; --", {"org_unit": None})
