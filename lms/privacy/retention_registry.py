"""The retention registry: every table, what personal data it holds, why, for how long, and what
happens at the end. One registry in code (learning records' entries are in retention_learning.py),
read by the worker's nightly retention job (retention.py),
the admin page /admin/retention and docs/privacy.md; tests/lms/privacy/test_retention_registry.py
fails when a table or column exists that the registry does not classify.

An entry's `rule` names a period the job applies (RULES, overridable by the RETENTION setting);
entries without one are kept as long as the account exists and go, or lose what identifies the
person, when the person is erased (lms/privacy/erasure.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field


from lms.privacy.retention_learning import LEARNING_ENTRIES
from lms.privacy.retention_model import ACCOUNT, YEAR, End, Entry, Rule


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
    # A number that moves when any of the person's own rows change (lms/data_versions.py): it tells a
    # kept page it is out of date, and says nothing of what changed or when.
    Entry(
        "person_version",
        "a change counter",
        "knowing when a kept page is out of date",
        ACCOUNT,
        End.KEEP,
        {"user_id": "person"},
        "version",
    ),
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
    "job_profile_translation": "roles the organisation defines (in another language)",
    "proficiency_level_translation": "the competence framework (its levels in another language)",
    "question_translation": "course content (a question in another language)",
    "report_figure_set": "published report figures: counts of at least REPORT_MIN_GROUP people, never one person",
    "report_figure_row": "published report figures: counts of at least REPORT_MIN_GROUP people, never one person",
}

REGISTRY: dict[str, Entry] = {entry.table: entry for entry in (*_ENTRIES, *LEARNING_ENTRIES)}


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
