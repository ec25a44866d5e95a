"""Competence administration under /admin (frameworks and job profiles), and the public CASE
endpoints of published frameworks."""

from fastapi import APIRouter

from lms.competences import framework_routes, profile_routes, translation_routes

router = APIRouter()
router.include_router(framework_routes.router, prefix="/admin")
router.include_router(profile_routes.router, prefix="/admin")
router.include_router(translation_routes.router, prefix="/admin")
router.include_router(framework_routes.case_router)
