"""Competence administration under /admin: frameworks and job profiles."""

from fastapi import APIRouter

from lms.competences import framework_routes, profile_routes

router = APIRouter(prefix="/admin")
router.include_router(framework_routes.router)
router.include_router(profile_routes.router)
