"""Names in the language an API client asks for: `Accept-Language` chooses among the languages the
interface ships in; the answer says which in `Content-Language`. Without the header (or naming none of
them) names are as written, in each framework's or profile's own language, so an integration that never
asks keeps getting what it always got."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from lms.competences.localised import Names, names_for
from lms.i18n import negotiate


def _asked(request: Request, response: Response) -> str | None:
    language = negotiate(request.headers.get("accept-language"), "") or None
    response.headers["Vary"] = "Accept-Language"  # a cache must not answer one language with another's names
    if language is not None:
        response.headers["Content-Language"] = language
    return language


ApiLanguage = Annotated[str | None, Depends(_asked)]


def api_names(session: Session, language: str | None) -> Names:
    """Every framework, area, competence, level and profile name in `language` (one statement), none
    when the client did not ask for one."""
    return names_for(session, language=language) if language is not None else Names("", {})


def area_name(names: Names, area_id: int, own: str) -> str:
    """An area's name in the language asked for, for answers that read only its name (not its row)."""
    found = names.found.get(("a", area_id))
    return found[0] if found and found[0] else own
