"""A package's files, played in the lesson page's sandboxed iframe.

Served from /packages/<lesson>/<version>/content/<path> only to people who may see the lesson (404
otherwise), from the unpacked folder outside the web root; a path that leaves the package is a 404.
The version in the address is the current upload's: a replaced package's old address answers 404.
Media can be sought into: Starlette's FileResponse answers Range requests with 206.
"""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import FileResponse, Response

from lms.web.access import SignedInUser
from lms.web.params import Id
from lms.web.security import own_csp

from courses.packages.deps import PlayedPackage
from courses.packages.storage import content_file

router = APIRouter()

# Packages exported by authoring tools (Articulate, Captivate, iSpring...) put their scripts and styles
# inline and some evaluate strings as code, so they cannot run under the app's policy. They get this
# one, on this path only: still nothing from other sites (default-src 'self'), no plugins, no <base>
# tricks; and the lesson page frames them with sandbox="allow-scripts allow-same-origin allow-forms", so
# no pop-ups, top-level navigation or downloads. Same origin is what SCORM needs: a package finds the
# runtime API as a property of its parent window, which a cross-origin frame cannot read.
PACKAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".vtt": "text/vtt", ".svg": "image/svg+xml"}


def media_type(path: str) -> str:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    found = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    if found.startswith("text/") or found in {"application/json", "application/xml"}:
        found += "; charset=utf-8"
    return found


@router.get("/packages/{lesson_id}/{version}/content/{path:path}")
@own_csp(PACKAGE_CSP)
def package_content(request: Request, user: SignedInUser, played: PlayedPackage, lesson_id: Id, version: Id, path: str) -> Response:
    if version != played.package.version:
        raise HTTPException(status_code=404)
    found = content_file(request.app.state.settings, played.package.storage_key, path)
    if found is None:
        raise HTTPException(status_code=404)
    return FileResponse(
        found,
        media_type=media_type(found.name),
        # The version is in the address, so the answer never changes; private: it is behind sign-in.
        headers={"Cache-Control": "private, max-age=3600"},
    )
