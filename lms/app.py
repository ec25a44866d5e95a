"""The application factory: the one place that composes every package's routes."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI

from lms.config import Settings, get_settings
from lms.db import make_engine
from lms.i18n import LocaleMiddleware
from lms.reports.published import PublishedFigures
from lms.sso.client import provider_origin
from lms.web.csrf import csrf_protect
from lms.web.capacity import ConnectionGate
from lms.web.errors import ServerErrorPage, install_error_handlers
from lms.web.limits import BodyLimitMiddleware
from lms.web.page_cache import PageCache, PageCacheMiddleware
from lms.web.params import refuse_nul
from lms.web.security import SecurityHeadersMiddleware
from lms.web import static
from lms.web.static import STATIC_DIR, CompressedStaticFiles
from lms.web.templating import templates


def load_features() -> None:
    """Import the feature packages so their tables exist and their hooks are registered.

    Called by create_app, the CLI and Alembic; safe to call more than once.
    """
    import assessments.models  # noqa: F401 - registers the tables
    from assessments.plugin import register as register_assessments
    from courses.plugin import register as register_courses
    from lms.badges.plugin import register as register_badges
    from lms.notifications.plugin import register as register_notifications
    from lms.privacy.retention import register as register_retention
    from lms.privacy.plugin import register as register_privacy
    from lms.xapi.plugin import register as register_xapi
    from lms.reports.plugin import register as register_reports

    register_courses()
    register_assessments()
    register_reports()
    register_notifications()
    register_retention()
    register_privacy()
    register_badges()
    register_xapi()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    load_features()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = FastAPI(
        title="Proficio",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect), Depends(refuse_nul)],
    )
    app.state.settings = settings
    app.state.secret_key = settings.resolved_secret_key()
    # Checking every template's file for changes on each render is for people editing them.
    templates.env.auto_reload = static.watch_files = not settings.is_production
    app.state.engine = make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        pool_timeout=settings.db_pool_timeout,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    app.state.db_gate = ConnectionGate(settings.db_pool_size, settings.db_pool_timeout)
    app.state.report_figures = PublishedFigures("reports", settings.report_refresh)
    app.state.compliance_figures = PublishedFigures("compliance", settings.report_refresh)
    # A manager's home figures over their whole line: the reports' data, one entry per manager.
    app.state.line_figures = PublishedFigures("reports", settings.report_refresh, max_entries=2000)
    # Learner pages kept per session (lms/web/page_cache.py); off in development, where templates change.
    app.state.page_cache = PageCache(max_age=settings.page_cache)
    # The health check's own connections: it must answer while every pooled one is busy, and see
    # the database as a newly opened connection would.
    app.state.probe_engine = make_engine(settings.database_url, probe=True)

    from assessments.attempts.routes import router as attempt_router
    from assessments.bank.file_routes import router as question_file_router
    from assessments.bank.routes import router as bank_router
    from assessments.interchange.routes import router as bank_import_router
    from assessments.quizzes.routes import router as quiz_author_router
    from assessments.results.routes import router as quiz_results_router
    from courses.assignment.routes import admin_router as assignment_rules_router, router as assign_router
    from courses.compliance.routes import router as compliance_router
    from courses.files.routes import router as author_file_router
    from courses.authoring.outline_routes import router as author_lesson_router
    from courses.authoring.routes import router as author_router
    from courses.translations.routes import router as translations_router
    from courses.catalogue.routes import router as catalogue_router
    from courses.certificates.routes import router as certificates_router
    from courses.learning.routes import router as learn_router
    from courses.packages.author_routes import router as package_author_router
    from courses.packages.runtime_routes import router as package_runtime_router
    from courses.packages.serve_routes import router as package_content_router
    from courses.requirements.routes import router as requirements_router
    from courses.compliance.report_routes import router as compliance_report_router
    from courses.compliance.api_routes import router as compliance_api_router
    from courses.assignment.overview_routes import router as learning_router
    from lms.admin.routes import router as admin_router
    from lms.api.admin_routes import router as api_tokens_router
    from lms.api.routes import router as api_router
    from lms.audit.routes import router as audit_router
    from lms.badges.routes import router as badges_router
    from lms.auth.routes import router as auth_router
    from lms.auth.invite_routes import router as invite_router
    from lms.auth.language_routes import router as language_router
    from lms.competences.admin_routes import router as competences_admin_router
    from lms.competences.skills_routes import router as skills_router
    from lms.competences.team_routes import router as team_router
    from lms.home.routes import router as home_router
    from lms.notifications.routes import router as notifications_router
    from lms.privacy.retention_routes import router as retention_router
    from lms.privacy.routes import router as privacy_router
    from lms.reports.export_routes import router as report_exports_router
    from lms.reports.routes import router as reports_router
    from lms.scim.routes import router as scim_router
    from lms.sso.routes import router as sso_router
    from lms.web.theme_routes import router as theme_router

    platform = (
        home_router,
        auth_router,
        sso_router,
        invite_router,
        language_router,
        admin_router,
        audit_router,
        skills_router,
        team_router,
        competences_admin_router,
        api_router,
        api_tokens_router,
        scim_router,
        reports_router,
        report_exports_router,
        theme_router,
        notifications_router,
        retention_router,
        privacy_router,
        badges_router,
    )
    courses = (
        author_router,
        author_lesson_router,
        author_file_router,
        translations_router,
        catalogue_router,
        learn_router,
        learning_router,
        assign_router,
        assignment_rules_router,
        compliance_router,
        requirements_router,
        compliance_report_router,
        compliance_api_router,
        certificates_router,
        package_author_router,
        package_runtime_router,
        package_content_router,
    )
    # The bank's import pages first, so that /author/questions/import is not taken for a question id.
    assessments = (quiz_author_router, attempt_router, bank_import_router, bank_router, question_file_router, quiz_results_router)
    for router in (*platform, *courses, *assessments):
        app.include_router(router)

    app.mount("/static", CompressedStaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    # Innermost: the language is chosen and the security headers are added around a kept page too.
    app.add_middleware(PageCacheMiddleware)
    # Added first, so it sits inside the security headers and its 500 page carries them too.
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(ServerErrorPage)
    # Outside the error page, so a 500 page is in the request's language too.
    app.add_middleware(LocaleMiddleware, default_language=settings.default_language, time_zone=settings.time_zone)
    app.add_middleware(
        SecurityHeadersMiddleware,
        hsts=settings.cookie_secure,
        img_origin=settings.org_logo_origin,
        form_origin=provider_origin(settings.oidc_issuer),
    )
    return app
