"""The platform's kinds of personal data in a subject access export (features add their own).

Each kind is one JSON file; `covers` names the user-id columns it exports, and EXCLUDED the ones left
out on purpose, so tests/lms/privacy/test_export_coverage.py can fail on a new table nobody thought of.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import literal, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from lms.api.models import ApiToken
from lms.audit.models import AuditEvent, RecordView, RecordViewSubject
from lms.auth.models import Invitation, UserIdentity, UserSession
from lms.competences.models import Competence, CompetenceStatus, Evidence, EvidenceSource, JobProfile
from lms.hooks import PersonalData
from lms.notifications.models import NotificationPreference, Outbox
from lms.people.models import OrgUnit, RoleGrant, User
from lms.privacy.models import DataExport
from lms.privacy.rows import columns, stream
from lms.scim.models import ScimGroup, ScimGroupMember

# Audit actions that change where a person sits in the organisation.
ORG_ACTIONS = ("user.create", "user.update", "user.job_profile", "users.import", "sso.profile_kept")
SIGN_IN_ACTIONS = ("login.success", "login.failure", "login.refused", "login.throttled", "logout", "sso.link")

EXCLUDED: dict[str, str] = {
    "invitation.created_by_id": "an invitation an admin created is about the invited person (in their export); "
    "the admin's act is in their audit events",
    "person_version.user_id": "a counter that moves when the person's data does, for kept pages; it holds nothing about them",
}


def _profile(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    manager = aliased(User)
    yield from stream(
        session,
        select(
            *columns(User.__table__, without=("password_hash",)),
            OrgUnit.name.label("org_unit_name"),
            JobProfile.name.label("job_profile_name"),
            manager.name.label("manager_name"),
        )
        .select_from(User)
        .outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
        .outerjoin(JobProfile, JobProfile.id == User.job_profile_id)
        .outerjoin(manager, manager.id == User.manager_id)
        .where(User.id == user_id),
    )
    roles = select(literal("role").label("record"), RoleGrant.role.label("name"), RoleGrant.granted_at.label("since")).where(
        RoleGrant.user_id == user_id
    )
    groups = (
        select(literal("directory_group").label("record"), ScimGroup.display_name.label("name"), ScimGroup.created_at.label("since"))
        .join(ScimGroupMember, ScimGroupMember.group_id == ScimGroup.id)
        .where(ScimGroupMember.user_id == user_id)
    )
    yield from stream(session, union_all(roles, groups).subquery().select())


def _audit_about(user_id: int, actions: tuple[str, ...] | None = None) -> Any:
    about = (AuditEvent.target_type == "user") & (AuditEvent.target_id == str(user_id))
    statement = select(
        AuditEvent.at, AuditEvent.action, AuditEvent.actor_id, AuditEvent.target_type, AuditEvent.target_id, AuditEvent.detail
    )
    if actions is None:
        return statement.where(or_(about, AuditEvent.actor_id == user_id)).order_by(AuditEvent.id)
    return statement.where(about, AuditEvent.action.in_(actions)).order_by(AuditEvent.id)


def _org_history(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(session, _audit_about(user_id, ORG_ACTIONS))


def _evidence(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(Evidence.__table__), Competence.code.label("competence_code"), Competence.name.label("competence_name"))
        .join(Competence, Competence.id == Evidence.competence_id)
        .where(Evidence.user_id == user_id)
        .order_by(Evidence.id),
    )


def _statuses(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(
            *columns(CompetenceStatus.__table__), Competence.code.label("competence_code"), Competence.name.label("competence_name")
        )
        .join(Competence, Competence.id == CompetenceStatus.competence_id)
        .where(CompetenceStatus.user_id == user_id)
        .order_by(Competence.code),
    )


def _ratings_received(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(
            Evidence.id,
            Evidence.recorded_at,
            Evidence.recorded_by_id,
            Competence.code.label("competence_code"),
            Evidence.level,
            Evidence.note,
        )
        .join(Competence, Competence.id == Evidence.competence_id)
        .where(Evidence.user_id == user_id, Evidence.source == EvidenceSource.MANAGER.value)
        .order_by(Evidence.id),
    )


def _ratings_given(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    # The rated person appears by id only: their name is their data, not the rater's.
    return stream(
        session,
        select(
            Evidence.id,
            Evidence.recorded_at,
            Evidence.user_id.label("about_person_id"),
            Evidence.source,
            Competence.code.label("competence_code"),
            Evidence.level,
            Evidence.note,
        )
        .join(Competence, Competence.id == Evidence.competence_id)
        .where(Evidence.recorded_by_id == user_id, Evidence.user_id != user_id)
        .order_by(Evidence.id),
    )


def _notifications(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session, select(*columns(Outbox.__table__, without=("body_html",))).where(Outbox.user_id == user_id).order_by(Outbox.id)
    )


def _notification_choices(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(session, select(*columns(NotificationPreference.__table__)).where(NotificationPreference.user_id == user_id))


def _sessions(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    live = select(
        literal("session").label("record"),
        UserSession.created_at.label("at"),
        UserSession.last_seen_at,
        UserSession.client_ip,
        literal("").label("detail"),
    ).where(UserSession.user_id == user_id)
    identities = select(
        literal("single_sign_on_identity").label("record"),
        UserIdentity.linked_at.label("at"),
        UserIdentity.last_login_at.label("last_seen_at"),
        literal(None).label("client_ip"),
        UserIdentity.issuer.label("detail"),
    ).where(UserIdentity.user_id == user_id)
    invitations = select(
        literal("invitation").label("record"),
        Invitation.created_at.label("at"),
        Invitation.used_at.label("last_seen_at"),
        literal(None),
        literal(""),
    ).where(Invitation.user_id == user_id)
    yield from stream(session, union_all(live, identities, invitations).subquery().select())
    yield from stream(
        session,
        select(literal("sign_in_event").label("record"), AuditEvent.at, AuditEvent.action, AuditEvent.client_ip)
        .where(AuditEvent.actor_id == user_id, AuditEvent.action.in_(SIGN_IN_ACTIONS))
        .order_by(AuditEvent.id),
    )


def _audit(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(session, _audit_about(user_id))


def _exports(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(
            DataExport.id,
            DataExport.subject_id,
            DataExport.requested_by_id,
            DataExport.status,
            DataExport.created_at,
            DataExport.downloaded_at,
        )
        .where(or_(DataExport.subject_id == user_id, DataExport.requested_by_id == user_id))
        .order_by(DataExport.id),
    )


def _viewed_by(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(RecordView.at, RecordView.viewer_id, RecordView.viewer_label, RecordView.what)
        .join(RecordViewSubject, RecordViewSubject.view_id == RecordView.id)
        .where(RecordViewSubject.user_id == user_id)
        .order_by(RecordView.id),
    )


def _viewed(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session, select(RecordView.at, RecordView.what, RecordView.path).where(RecordView.viewer_id == user_id).order_by(RecordView.id)
    )


def _tokens(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(session, select(*columns(ApiToken.__table__, without=("token_hash",))).where(ApiToken.created_by_id == user_id))


PLATFORM_KINDS = (
    PersonalData(
        "profile",
        "Profile, roles and directory groups",
        ("user_account.manager_id", "role_grant.user_id", "scim_group_member.user_id"),
        _profile,
        1,
    ),
    PersonalData("org_history", "Changes to your place in the organisation", (), _org_history, 2),
    PersonalData("evidence", "Competence evidence", ("evidence.user_id",), _evidence, 10),
    PersonalData("competence_statuses", "Competence levels", ("competence_status.user_id",), _statuses, 11),
    PersonalData("ratings_received", "Ratings your managers recorded about you", (), _ratings_received, 12),
    PersonalData("ratings_given", "Ratings you recorded about other people", ("evidence.recorded_by_id",), _ratings_given, 13),
    PersonalData("notifications", "Notifications and e-mail", ("outbox.user_id",), _notifications, 60),
    PersonalData("notification_choices", "Your notification choices", ("notification_preference.user_id",), _notification_choices, 61),
    PersonalData(
        "sessions_and_sign_ins",
        "Sessions, sign-ins and single sign-on",
        ("user_session.user_id", "user_identity.user_id", "invitation.user_id"),
        _sessions,
        70,
    ),
    PersonalData("record_views", "Who looked at your records", ("record_view_subject.user_id",), _viewed_by, 78),
    PersonalData("records_viewed", "Other people's records you looked at", ("record_view.viewer_id",), _viewed, 79),
    PersonalData("audit_events", "Audit events by you or about you", ("audit_event.actor_id",), _audit, 80),
    PersonalData("data_exports", "Exports of your data", ("data_export.subject_id", "data_export.requested_by_id"), _exports, 81),
    PersonalData("api_tokens_created", "API tokens you created", ("api_token.created_by_id",), _tokens, 82),
)
