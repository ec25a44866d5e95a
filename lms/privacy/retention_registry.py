"""The retention registry: every table, what personal data it holds, why, for how long, and what
happens at the end. One table in code, read by the worker's nightly retention job (retention.py),
the admin page /admin/retention and docs/privacy.md; tests/lms/privacy/test_retention_registry.py
fails when a table or column exists that this file does not classify.

An entry's `rule` names a period the job applies (RULES, overridable by the RETENTION setting);
entries without one are kept as long as the account exists and go, or lose what identifies the
person, when the person is erased (lms/privacy/erasure.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class End(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class Rule:
    """A period the retention job applies, with its default; an organisation overrides `days`."""

    key: str
    label: str
    days: int  # 0 switches the rule off
    end: End
    what: str


@dataclass(frozen=True)
class Entry:
    table: str
    holds: str  # what personal data, in a phrase
    why: str
    keep: str  # for how long, in words
    end: End
    personal: dict[str, str]  # column -> what it says about a person
    other: str = ""  # the table's remaining columns, space-separated: no personal data in them
    rule: str | None = None  # the Rule applied by the retention job, if any

    @property
    def other_columns(self) -> set[str]:
        return set(self.other.split())


YEAR = 365

RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule("sessions", "Sign-in sessions", 30, End.DELETE, "sessions not used for this long"),
        Rule("sign_in_throttling", "Failed sign-in counters", 30, End.DELETE, "counters with no failure for this long"),
        Rule("audit_events", "Audit events", 6 * YEAR, End.DELETE, "audit events older than this (the chain keeps verifying)"),
        Rule("record_views", "Who viewed whom", 2 * YEAR, End.DELETE, "records of who viewed whose data, older than this"),
        Rule("exports", "Data export records", 30, End.DELETE, "export records this long after their link expired"),
        Rule("xapi_statements", "Statements sent to the LRS", 30, End.DELETE, "xAPI statements this long after the LRS took them"),
        Rule("deactivated_people", "Deactivated people", 6 * YEAR, End.ANONYMISE, "people deactivated longer ago than this, erased"),
    )
}

ACCOUNT = "while the account exists"
ERASED = "anonymised or removed when the person is erased"
STATS = "kept for reports; attached to the anonymous row after erasure"

_ENTRIES: tuple[Entry, ...] = (
    Entry(
        "user_account",
        "name, e-mail, external id, password hash, manager, last sign-in",
        "to run the account",
        ACCOUNT,
        End.ANONYMISE,
        {
            "email": "e-mail",
            "name": "name",
            "search_text": "name and e-mail, folded for search",
            "password_hash": "password hash",
            "manager_id": "line manager",
            "external_id": "HR identifier",
            "last_login_at": "last sign-in",
            "language": "interface language they chose",
        },
        "id is_active org_unit_id job_profile_id created_at created_via updated_at erased_at",
        "deactivated_people",
    ),
    Entry(
        "user_session",
        "sessions and the address they came from",
        "to keep people signed in and find misuse",
        "30 days after last use (shorter timeouts end them first)",
        End.DELETE,
        {
            "user_id": "person",
            "client_ip": "network address",
            "created_at": "when they signed in",
            "last_seen_at": "when they were last active",
        },
        "id token_hash",
        "sessions",
    ),
    Entry(
        "login_throttle",
        "failed sign-in counts by account, address and device",
        "to slow down password guessing",
        "30 days after the last failure",
        End.DELETE,
        {"key": "account, address or device", "account": "e-mail tried", "client_ip": "network address", "last_failure_at": "when"},
        "kind failures blocked_until",
        "sign_in_throttling",
    ),
    Entry(
        "audit_event",
        "who did what, from which address",
        "accountability and security (the audit log)",
        "6 years, then purged oldest first",
        End.DELETE,
        {
            "actor_id": "who acted",
            "actor_email": "their e-mail",
            "client_ip": "network address",
            "target_id": "who or what was acted on",
            "detail": "what changed, may name people",
        },
        "id at action target_type seq prev_hash hash salt content_digest",
        "audit_events",
    ),
    Entry(
        "record_view",
        "who viewed other people's personal data",
        "so people can see who looked at their records",
        "2 years",
        End.DELETE,
        {"viewer_id": "who looked", "viewer_label": "their name and e-mail", "at": "when", "path": "which page"},
        "id what",
        "record_views",
    ),
    Entry(
        "record_view_subject",
        "whose data a view showed",
        "as record_view",
        "as record_view",
        End.DELETE,
        {"user_id": "person viewed"},
        "view_id",
        "record_views",
    ),
    Entry(
        "data_export",
        "who asked for whose data export",
        "subject access requests",
        "the file until its link expires (7 days), the record 30 days more",
        End.DELETE,
        {"subject_id": "person", "requested_by_id": "who asked"},
        "id status file_name size_bytes error created_at ready_at expires_at downloaded_at",
        "exports",
    ),
    Entry(
        "invitation",
        "set-your-password links",
        "to let a new person in",
        "until used or erased",
        End.DELETE,
        {"user_id": "person", "created_by_id": "admin who invited"},
        "id token_hash created_at expires_at used_at",
    ),
    Entry(
        "user_identity",
        "single sign-on identity",
        "to sign in with the organisation's provider",
        ACCOUNT,
        End.DELETE,
        {"user_id": "person", "issuer": "provider", "subject": "their id at the provider", "last_login_at": "last sign-in"},
        "id linked_at",
    ),
    Entry("role_grant", "roles", "access control", ACCOUNT, End.DELETE, {"user_id": "person", "role": "role"}, "granted_at"),
    Entry(
        "api_token",
        "who made an API token",
        "accountability",
        ACCOUNT,
        End.KEEP,
        {"created_by_id": "admin"},
        "id name prefix token_hash scopes org_unit_id created_at expires_at last_used_at revoked_at",
    ),
    Entry(
        "scim_group_member",
        "directory group membership",
        "roles from the directory",
        ACCOUNT,
        End.DELETE,
        {"user_id": "person"},
        "group_id",
    ),
    Entry(
        "notification_preference",
        "mail choices",
        "to send mail as asked",
        ACCOUNT,
        End.DELETE,
        {"user_id": "person", "kind": "kind", "delivery": "choice"},
        "updated_at",
    ),
    Entry(
        "outbox",
        "mail sent to a person",
        "to deliver and show notifications",
        ACCOUNT,
        End.DELETE,
        {"user_id": "recipient", "subject": "subject", "body_text": "message", "body_html": "message", "read_at": "when read"},
        "id kind object_ref period idempotency_key link delivery state digest_id attempts next_attempt_at "
        "last_error created_at sent_at",
    ),
    Entry(
        "xapi_statement",
        "learning activity sent to the organisation's learning record store",
        "to deliver it (xAPI) and retry until the LRS has it",
        "until sent, then 30 days",
        End.DELETE,
        {"user_id": "person", "statement": "what they did, with their id (or e-mail with XAPI_ACTOR_MBOX)"},
        "id statement_id verb state attempts next_attempt_at last_error created_at sent_at",
        rule="xapi_statements",
    ),
    Entry(
        "evidence",
        "competence evidence and who recorded it",
        "every verified level rests on it",
        STATS,
        End.ANONYMISE,
        {
            "user_id": "person",
            "recorded_by_id": "who recorded it",
            "note": "free text (manager's comment)",
            "level": "level",
            "reference": "what proves it",
        },
        "id competence_id source recorded_at expires_at",
    ),
    Entry(
        "competence_status",
        "levels held",
        "reports and skill gaps",
        STATS,
        End.ANONYMISE,
        {"user_id": "person", "verified_level": "level", "self_level": "self-assessed level"},
        "competence_id verified_source verified_until self_assessed_at updated_at",
    ),
    Entry(
        "enrolment",
        "courses taken",
        "learning records",
        STATS,
        End.ANONYMISE,
        {"user_id": "person", "status": "progress", "progress_percent": "progress"},
        "id course_id source due_at enrolled_at started_at completed_at last_lesson_id",
    ),
    Entry(
        "lesson_progress",
        "lessons viewed",
        "learning records",
        STATS,
        End.ANONYMISE,
        {"user_id": "person"},
        "lesson_id course_id first_viewed_at completed_at",
    ),
    Entry(
        "scorm_runtime",
        "what a SCORM package saved for a learner",
        "learning records: so the learner resumes where they left, and the lesson's completion",
        STATS,
        End.ANONYMISE,
        {
            "user_id": "person",
            "lesson_status": "progress",
            "success_status": "result",
            "score_raw": "score",
            "score_scaled": "score",
            "location": "where they are in the package",
            "suspend_data": "the package's saved state (may hold answers they typed)",
        },
        "lesson_id exit total_seconds session_seconds session_key commits first_opened_at updated_at",
    ),
    Entry(
        "scorm_package",
        "who uploaded a SCORM package",
        "accountability",
        "while the lesson exists",
        End.KEEP,
        {"uploaded_by_id": "trainer"},
        "id lesson_id version scorm_version launch_path storage_key filename size mastery_score complete_when_opened uploaded_at",
    ),
    Entry(
        "assignment",
        "who assigned a course",
        "learning records",
        STATS,
        End.ANONYMISE,
        {"assigned_by_id": "manager or admin", "message": "free text"},
        "id enrolment_id rule_id due_at assigned_at",
    ),
    Entry(
        "assignment_rule",
        "who made a rule",
        "accountability",
        "while the rule exists",
        End.KEEP,
        {"created_by_id": "admin"},
        "id course_id org_unit_id job_profile_id due_days message created_at active",
    ),
    Entry(
        "course_feedback",
        "course ratings and comments",
        "course quality",
        STATS,
        End.ANONYMISE,
        {"user_id": "person", "rating": "rating", "comment": "free text"},
        "course_id created_at",
    ),
    Entry("course_editor", "who may edit a course", "authoring", "while they edit it", End.DELETE, {"user_id": "person"}, "course_id"),
    Entry(
        "course",
        "who made a course",
        "authoring",
        "while the course exists",
        End.KEEP,
        {"created_by_id": "trainer"},
        "id title summary audience search_text estimated_minutes status created_at updated_at published_at default_language",
    ),
    Entry(
        "attachment",
        "who uploaded a file",
        "authoring",
        "while the file exists",
        End.KEEP,
        {"uploaded_by_id": "trainer"},
        "id course_id lesson_id filename content_type size storage_key uploaded_at",
    ),
    Entry(
        "attempt",
        "quiz attempts and grades",
        "learning records and evidence",
        STATS,
        End.ANONYMISE,
        {"user_id": "person", "score": "score", "percent": "result", "passed": "result"},
        "id quiz_id number state started_at deadline_at submitted_at layout settings max_score",
    ),
    Entry(
        "attempt_response",
        "answers to quiz questions",
        "grading and review",
        STATS,
        End.ANONYMISE,
        {"answer": "what they answered", "feedback": "grader's comment", "points": "grade", "fraction": "grade"},
        "attempt_id slot flagged sequence saved_at",
    ),
    Entry(
        "question",
        "who wrote a question",
        "authoring",
        "while the question exists",
        End.KEEP,
        {"created_by_id": "trainer"},
        "id category_id kind name data search_text competence_id level version archived created_at updated_at",
    ),
    Entry(
        "question_category",
        "who made a category",
        "authoring",
        "while it exists",
        End.KEEP,
        {"created_by_id": "trainer"},
        "id name description created_at idnumber parent_id",
    ),
    Entry(
        "certificate",
        "certificates and revocations",
        "proof of completion, checked by others",
        STATS,
        End.KEEP,
        {"user_id": "person", "revoked_by_id": "admin", "revoked_reason": "free text"},
        "id code course_id cycle_id completed_at issued_at valid_until revoked_at",
    ),
    Entry(
        "requirement",
        "who set a mandatory requirement",
        "accountability",
        "while it exists",
        End.KEEP,
        {"created_by_id": "admin"},
        "id name search_text description everyone due_days recurrence every_months annual_month annual_day "
        "renew_window_days grace_days created_at updated_at archived_at",
    ),
    Entry(
        "requirement_audience",
        "people named in a requirement's audience",
        "mandatory training",
        "while it exists",
        End.DELETE,
        {"user_id": "person"},
        "id requirement_id kind org_unit_id job_profile_id role",
    ),
    Entry(
        "requirement_cycle",
        "mandatory-training completions",
        "kept by law for the period the rule sets",
        STATS,
        End.KEEP,
        {"user_id": "person", "outcome": "result"},
        "id requirement_id number opened_at due_at grace_until completed_at course_id valid_until ended_at",
    ),
    Entry(
        "requirement_exemption",
        "exemptions and who approved them",
        "mandatory training",
        STATS,
        End.ANONYMISE,
        {"user_id": "person", "approved_by_id": "admin", "reason": "reason", "note": "free text"},
        "id requirement_id created_at ends_at revoked_at",
    ),
    Entry(
        "requirement_extension",
        "extensions and who granted them",
        "mandatory training",
        STATS,
        End.ANONYMISE,
        {"granted_by_id": "manager or admin", "reason": "free text"},
        "id cycle_id old_due_at new_due_at created_at",
    ),
    Entry(
        "badge_credential",
        "digital badges (Open Badges credentials) issued to a person, and revocations",
        "a credential the person carries elsewhere must stay checkable (valid or revoked)",
        STATS,
        End.ANONYMISE,
        {
            "user_id": "person",
            "jwt": "the signed credential: a salted hash of their e-mail, the competence and level",
            "revoked_by_id": "admin or the holder",
            "revoked_reason": "free text",
        },
        "id uuid competence_id course_id level achievement_name key_id status_index issued_at valid_until revoked_at",
    ),
    Entry(
        "job",
        "background jobs (a payload may name a person)",
        "to run work outside requests",
        "14 days after finishing (the worker's own clean-up)",
        End.DELETE,
        {"payload": "ids of people an export is for"},
        "id kind state dedupe_key run_after attempts max_attempts locked_by locked_at last_error created_at finished_at",
    ),
)

# Tables with no personal data at all, and why; a new table must be added here or above.
NO_PERSONAL_DATA: dict[str, str] = {
    "badge_key": "the organisation's public signing keys for digital badges",
    "audit_guard": "a flag that exists only inside a retention purge or erasure",
    "competence": "the competence framework",
    "competence_area": "the competence framework",
    "framework": "the competence framework",
    "proficiency_level": "the competence framework",
    "framework_translation": "the competence framework (its names in other languages)",
    "competence_area_translation": "the competence framework (its names in other languages)",
    "competence_translation": "the competence framework (its names in other languages)",
    "job_profile": "roles the organisation defines",
    "job_profile_requirement": "roles the organisation defines",
    "org_unit": "the organisation's structure",
    "course_competence": "course content",
    "course_module": "course content",
    "lesson": "course content",
    "course_translation": "course content (a course's title and summary in another language)",
    "course_module_translation": "course content (in another language)",
    "lesson_translation": "course content (in another language)",
    "quiz": "course content",
    "quiz_slot": "course content",
    "question_file": "course content (the images a question shows)",
    "requirement_course": "course content",
    "scim_group": "directory groups (names of groups, not people)",
    "report_snapshot": "counts of at least REPORT_MIN_GROUP people, never one person",
    "report_snapshot_cell": "counts of at least REPORT_MIN_GROUP people, never one person",
    "compliance_snapshot_cell": "counts per unit, suppressed like the reports when shown",
    "data_version": "change counters",
}

REGISTRY: dict[str, Entry] = {entry.table: entry for entry in _ENTRIES}


@dataclass
class Overrides:
    days: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def parse_overrides(raw: str) -> Overrides:
    """RETENTION="sessions=60d, audit_events=10y, deactivated_people=0": a rule key, then days (d) or
    years (y, 365 days); 0 switches the rule off."""
    found = Overrides()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        key, _, value = part.partition("=")
        key, value = key.strip(), value.strip().lower()
        if key not in RULES:
            found.problems.append(f"{key!r} is not a retention rule (one of: {', '.join(RULES)})")
            continue
        unit = value[-1:] if value[-1:] in ("d", "y") else "d"
        number = value[:-1] if value[-1:] in ("d", "y") else value
        if not number.isdigit():
            found.problems.append(f"{key}: {value!r} is not a period such as 30d or 6y")
            continue
        found.days[key] = int(number) * (YEAR if unit == "y" else 1)
    return found


def rule_days(raw_overrides: str) -> dict[str, int]:
    """Each rule's period in days: the default, or the organisation's override."""
    overrides = parse_overrides(raw_overrides)
    if overrides.problems:
        raise ValueError("; ".join(overrides.problems))
    return {key: overrides.days.get(key, rule.days) for key, rule in RULES.items()}
