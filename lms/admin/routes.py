"""Administration pages: users, roles and org units (filled in by the admin work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/admin")
