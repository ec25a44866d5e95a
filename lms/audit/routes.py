"""The audit log page for admins (filled in by the admin work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/admin/audit")
