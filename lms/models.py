"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from sqlmodel import SQLModel

from lms.api.models import ApiToken
from lms.audit.models import AuditEvent
from lms.auth.models import Invitation, LoginThrottle, UserIdentity, UserSession
from lms.data_versions import DataVersion
from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceStatus,
    Evidence,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyLevel,
)
from lms.jobs.models import Job
from lms.notifications.models import NotificationPreference, Outbox
from lms.people.models import OrgUnit, RoleGrant, User
from lms.privacy.models import DataExport
from lms.reports.models import ReportSnapshot, ReportSnapshotCell
from lms.scim.models import ScimGroup, ScimGroupMember
from lms.xapi.models import XapiStatement

metadata = SQLModel.metadata

__all__ = [
    "XapiStatement",
    "DataVersion",
    "DataExport",
    "ApiToken",
    "AuditEvent",
    "Invitation",
    "ScimGroup",
    "ScimGroupMember",
    "UserIdentity",
    "Job",
    "NotificationPreference",
    "Outbox",
    "ReportSnapshot",
    "ReportSnapshotCell",
    "Competence",
    "CompetenceArea",
    "CompetenceStatus",
    "Evidence",
    "Framework",
    "JobProfile",
    "JobProfileRequirement",
    "ProficiencyLevel",
    "LoginThrottle",
    "OrgUnit",
    "RoleGrant",
    "User",
    "UserSession",
    "metadata",
]
