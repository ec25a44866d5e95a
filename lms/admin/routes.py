"""Administration pages under /admin: one router, composed of the users, import, org unit and jobs routers."""

from fastapi import APIRouter

from lms.admin import import_routes, index_routes, org_routes, review_routes, throttle_routes, user_routes
from lms.jobs import routes as job_routes

router = APIRouter(prefix="/admin")
# A path of "" is only allowed on a router that has a prefix, so the landing page is added here.
router.add_api_route("", index_routes.admin_index, methods=["GET"])
router.include_router(import_routes.router)
router.include_router(review_routes.router)
router.include_router(user_routes.router)
router.include_router(org_routes.router)
router.include_router(job_routes.router)
router.include_router(throttle_routes.router)
