"""No GET changes state: every GET route, for every persona, with real ids, writes nothing.

A page can be requested by an <img> in authored content, a link from another site (SameSite=Lax
cookies go along) or a prefetch, none of which carry the CSRF token; so only POST may write. The
demo department (plus a course file and an API token) gives real ids; every GET route is called by
each persona (and the API routes with a token), and a listener on the app's engine records every
INSERT, UPDATE and DELETE sent while the GET runs.

Two writes are allowed, both bookkeeping of the caller's own credential rather than a change anyone
asked for, and both rate-limited to once a minute: ``user_session.last_seen_at`` (the idle timeout,
lms.auth.service.resolve_session) and ``api_token.last_used_at`` (lms.api, shown on the tokens page).
And one record: a page or API answer that shows other people's personal data inserts who viewed whom
(``record_view`` and ``record_view_subject``, lms/privacy/views.py) in a short transaction of its own
after the page's reads. Only inserts, only there: seeing someone's records is the event recorded.

One route is exempt, by design and narrowly: GET /login/sso/callback. An OpenID provider can only send
the browser back with a GET (a redirect), and that GET signs the person in, which must write. It does
so only with the attempt cookie whose signed ``state`` matches (lms/sso/cookies.py), which another site
can neither forge nor read; without it (as here) it refuses and writes nothing but the audit event of
the refusal, which is all this test lets it write. Single sign-on is on here, with a real provider on
loopback, so /login/sso (a redirect to the provider, no write) is called for real too; the callback's
signing in is covered by tests/lms/sso.
"""

from __future__ import annotations

import itertools
import re

import pytest
from oidc_provider_mock import run_server_in_thread
from sqlalchemy import event, func, select as sa_select
from sqlmodel import select
from starlette.testclient import TestClient

from assessments.bank.file_service import question_files_store
from assessments.interchange.media import MediaFile
from assessments.models import Attempt, AttemptState, Question, QuestionCategory, Quiz
from courses.files.service import attachment_store
from courses.models import Course, CourseStatus, Lesson, LessonKind, Module
from courses.packages.service import package_lesson_create
from courses.requirements.service import RequirementSpec, requirement_create
from lms.api.service import api_token_create
from lms.badges.service import IssuerSettings, credential_claim
from lms.competences.service import evidence_record
from lms.auth.invitations import invitation_create
from lms.competences.framework_service import framework_set_published
from lms.competences.models import Competence, Framework, JobProfileRequirement
from lms.demo_accounts import DEMO_PASSWORD
from lms.notifications.tokens import unsubscribe_token
from lms.scim.group_service import scim_group_create
from lms.people.models import OrgUnit, User
from lms.privacy.service import export_request
from tests.conftest import sign_in
from tests.courses.certificates.factories import make_certificate
from tests.courses.packages.factories import scorm12
from tests.lms.routes_util import api_routes

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PERSONAS = ["anonymous", "employee", "trainer", "manager", "lead", "admin"]
ALLOWED_UPDATES = {("user_session", frozenset({"last_seen_at"})), ("api_token", frozenset({"last_used_at"}))}
DML = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
UPDATE = re.compile(r"^\s*UPDATE\s+\"?(\w+)\"?\s+SET\s+(.*?)\s+WHERE\b", re.IGNORECASE | re.DOTALL)
VIEW_TABLES = {"record_view", "record_view_subject"}
INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)\"?", re.IGNORECASE)
AUDIT_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?audit_event\"?\s", re.IGNORECASE)
# The single sign-on callback, called without its attempt cookie: refused (400), with its audit event.
SSO_CALLBACK = "/login/sso/callback"


@pytest.fixture(scope="module")
def oidc_provider():
    with run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def settings(settings, oidc_provider):
    return settings.model_copy(update={"oidc_issuer": oidc_provider, "oidc_client_id": "get-safety"})


def allowed(statement: str) -> bool:
    inserted = INSERT.match(statement)
    if inserted:
        return inserted.group(1) in VIEW_TABLES
    match = UPDATE.match(statement)
    if not match:
        return False
    columns = frozenset(part.split("=")[0].strip().strip('"') for part in match.group(2).split(","))
    return (match.group(1), columns) in ALLOWED_UPDATES


def _issuer(app) -> IssuerSettings:
    settings = app.state.settings
    return IssuerSettings("http://testserver", settings.org_name, settings.badge_keys_path, app.state.secret_key)


def candidates(db, app) -> dict[str, list]:
    """Real values for every path parameter, chosen so that the ids in one path belong together."""

    def email(who: str) -> User:
        return db.exec(select(User).where(User.email == f"{who}@example.gov")).one()

    employee, trainer, admin = email("employee"), email("trainer"), email("admin")
    attempts = db.exec(select(Attempt).where(Attempt.user_id == employee.id).order_by(Attempt.id)).all()
    assert attempts, "the demo gives the employee quiz attempts"
    quiz = db.get(Quiz, attempts[0].quiz_id)
    quiz_lesson = db.get(Lesson, quiz.lesson_id)
    course = db.get(Course, quiz_lesson.course_id)
    assert course.status == CourseStatus.PUBLISHED.value
    page_lesson = db.exec(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.kind == LessonKind.PAGE.value, Lesson.hidden.is_(False))
        .order_by(Lesson.id)
    ).first()
    attachment = attachment_store(db, settings=app.state.settings, course=course, by=trainer, filename="chart.png", data=PNG)
    certificate = make_certificate(db, employee, course)  # the employee downloads their own
    token, secret = api_token_create(
        db,
        name="GET safety",
        scopes=["frameworks:read", "profiles:read", "reports:read", "people:read", "compliance:read", "scim:write"],
        org_unit_id=None,
        expires_at=None,
        by=admin,
    )
    framework = db.exec(select(Framework)).first()
    framework_set_published(db, framework=framework, published=True, by=admin)  # its CASE package is public
    requirement = db.exec(select(JobProfileRequirement).where(JobProfileRequirement.job_profile_id == employee.job_profile_id)).first()
    category = db.exec(select(QuestionCategory).order_by(QuestionCategory.id)).first()
    question = db.exec(select(Question).where(Question.category_id == category.id)).first()
    image = MediaFile("sign.png", "image/png", PNG)
    question_file = question_files_store(db, settings=app.state.settings, question=question, files={image.name: image})[0]
    root = db.exec(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)).first()
    mandatory = requirement_create(db, spec=RequirementSpec(name="GET safety", course_ids=[course.id], everyone=True), by=admin)
    invitation = invitation_create(db, user=employee, by=admin)
    scim_group = scim_group_create(
        db, name="GET safety", external_id=None, members=[str(employee.id)], settings=app.state.settings, via="test"
    )
    export = export_request(db, subject=employee, by=employee)  # queued: its page says it is being prepared
    package = package_lesson_create(
        db,
        settings=app.state.settings,
        module=db.get(Module, page_lesson.module_id),
        title="GET safety package",
        filename="package.zip",
        data=scorm12(),
        complete_when_opened=False,
        by=trainer,
    )
    # A digital badge the employee claimed (which also makes the signing key the status list needs).
    evidence_record(db, user=employee, competence=db.get(Competence, requirement.competence_id), level=2, source="course", by=None)
    badge = credential_claim(db, user=employee, competence_id=requirement.competence_id, issuer=_issuer(app))
    db.commit()
    submitted = [a.id for a in attempts if a.state == AttemptState.SUBMITTED.value][:1]
    in_progress = [a.id for a in attempts if a.state == AttemptState.IN_PROGRESS.value][:1]
    return {
        "secret": secret,
        "course_id": [course.id],
        "lesson_id": [page_lesson.id],
        "quiz_lesson_id": [quiz_lesson.id],
        "package_lesson_id": [package.lesson_id],
        "version": [package.version],
        "path": ["index.html", "imsmanifest.xml"],
        "module_id": [page_lesson.module_id],
        "attachment_id": [attachment.id],
        "certificate_id": [certificate.id],
        "quiz_id": [quiz.id],
        "attempt_id": submitted + in_progress,
        "user_id": [employee.id],
        "person_id": [employee.id],
        "unit_id": sorted({employee.org_unit_id, root.id}),
        "framework_id": [framework.id],
        "code": [framework.code],
        "identifier": [framework.case_id, "00000000-0000-4000-8000-000000000000"],
        "profile_id": [employee.job_profile_id],
        "competence_id": [requirement.competence_id],
        "area_id": [db.get(Competence, requirement.competence_id).area_id],  # a framework's versions, one area's form
        "category_id": [category.id],
        "question_id": [question.id],
        "file_id": [question_file.id],
        "token_id": [token.id],
        "requirement_id": [mandatory.id],
        "fmt": ["csv", "xlsx", "json"],
        "language": ["fr"],  # a course version in another language than the default (en)
        "token": [invitation, "no-such-invitation"],
        "unsubscribe_token": [unsubscribe_token(app.state.secret_key, user_id=employee.id, kind="due_soon")],
        "group_id": [scim_group.id],
        "export_id": [export.id],
        "credential_id": [badge.id],
        "resource_type_id": ["User", "Group"],
        "schema_id": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    }


def concrete_paths(path: str, values: dict[str, list]) -> list[str]:
    names = [name.split(":")[0] for name in re.findall(r"\{([^}]+)\}", path)]
    pools = []
    for name in names:
        key = "quiz_lesson_id" if name == "lesson_id" and "by-lesson" in path else name
        if name == "lesson_id" and (path.startswith("/packages/") or path.endswith("/package")):
            key = "package_lesson_id"
        assert key in values, f"no real value for {{{name}}} in {path}: add one to candidates()"
        pools.append(values[key])
    found = []
    for combo in itertools.product(*pools):
        filled = path
        for value in combo:
            filled = re.sub(r"\{[^}]+\}", str(value), filled, count=1)
        found.append(filled)
    return found


@pytest.mark.demo
def test_no_get_route_writes_for_any_persona(app, db):
    values = candidates(db, app)
    get_routes = sorted({r.path for r in api_routes(app) if "GET" in r.methods})

    writes: list[str] = []
    current: list[str] = ["", ""]  # what is being requested, and its route

    def record(conn, cursor, statement, parameters, context, executemany):
        exempt = current[1] == SSO_CALLBACK and AUDIT_INSERT.match(statement)
        if current[0] and DML.match(statement) and not allowed(statement) and not exempt:
            writes.append(f"{current[0]}: {' '.join(statement.split())[:160]}")

    reached: dict[str, set[int]] = {path: set() for path in get_routes}
    clients = []
    try:
        for persona in PERSONAS:
            client = TestClient(app, base_url="http://testserver", follow_redirects=False)
            client.__enter__()
            clients.append(client)
            if persona != "anonymous":
                assert sign_in(client, f"{persona}@example.gov", DEMO_PASSWORD).status_code == 303, persona
        event.listen(app.state.engine, "before_cursor_execute", record)
        try:
            for path in get_routes:
                for url in concrete_paths(path, values):
                    for persona, client in zip(PERSONAS, clients, strict=True):
                        headers = {"Authorization": f"Bearer {values['secret']}"} if path.startswith(("/api/", "/scim/")) else {}
                        current[:] = [f"GET {url} as {persona}", path]
                        response = client.get(url, headers=headers)
                        current[:] = ["", ""]
                        assert response.status_code < 500, f"GET {url} as {persona}: {response.status_code}"
                        reached[path].add(response.status_code)
        finally:
            event.remove(app.state.engine, "before_cursor_execute", record)
    finally:
        for client in clients:
            client.__exit__(None, None, None)

    assert not writes, "GET requests wrote to the database:\n" + "\n".join(writes)
    # The ids were real: every GET route answered someone with its page, file or redirect.
    unreached = {path: codes for path, codes in reached.items() if not codes & {200, 303, 307}}
    assert unreached.pop(SSO_CALLBACK) == {400}, "the callback without its attempt cookie is refused"
    assert not unreached, f"GET routes no persona reached (fix the ids in candidates()): {unreached}"
    # And the listener does see writes (so an empty list means something).
    seen: list[str] = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: seen.append(a[2]) if DML.match(a[2]) else None)
    db.exec(sa_select(func.count()).select_from(User))
    with TestClient(app) as probe:
        sign_in(probe, "employee@example.gov", DEMO_PASSWORD)
    assert any(s.lstrip().upper().startswith("INSERT") for s in seen)
