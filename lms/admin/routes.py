"""Administration pages under /admin: one router, composed of the users, import and org unit routers."""

from fastapi import APIRouter

from lms.admin import import_routes, org_routes, user_routes

router = APIRouter(prefix="/admin")
router.include_router(import_routes.router)
router.include_router(user_routes.router)
router.include_router(org_routes.router)
