"""/theme.css: the organisation's colour (ORG_PRIMARY_COLOUR) for every page's layout."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from lms.web.access import Access, policy
from lms.web.theme import theme_css

router = APIRouter()


@router.get("/theme.css", dependencies=[policy(Access.OPEN)], include_in_schema=False)
def theme(request: Request) -> Response:
    # The same for everyone and versioned in its address (?v=), so browsers may keep it for a day.
    return Response(
        theme_css(request.app.state.settings),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=86400"},
    )
