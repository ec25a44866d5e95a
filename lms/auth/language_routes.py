"""Choosing the interface language: the header's switch and the setting on /account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from lms.auth.service import LanguageError, account_language_set
from lms.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, SUPPORTED_LANGUAGES, gettext, negotiate, set_language
from lms.web.access import MaybeUser
from lms.web.cookies import clear_cookie, set_cookie
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.redirects import safe_next
from lms.web.templating import redirect

router = APIRouter()

ONE_YEAR = 365 * 24 * 60 * 60


@router.post("/language")
def language_choose(
    request: Request,
    db: DbSession,
    user: MaybeUser,
    language: Annotated[str, Form(max_length=8)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Signed in: saved on the account (audited). Signed out: kept in a cookie for this browser. Empty: follow the browser."""
    if user is not None:
        try:
            account_language_set(db, user=user, language=language, client_ip=client_ip(request))
        except LanguageError as exc:
            flash(request, str(exc), "error")
            return redirect(request, safe_next(next))
    elif language and language not in SUPPORTED_LANGUAGES:
        flash(request, gettext("Choose one of the languages offered."), "error")
        return redirect(request, safe_next(next))
    # The confirmation is in the language just chosen.
    settings = request.app.state.settings
    set_language(language or negotiate(request.headers.get("accept-language"), settings.default_language))
    if language:
        flash(request, gettext("Pages are now shown in %(language)s.") % {"language": LANGUAGE_NAMES[language]})
    else:
        flash(request, gettext("Pages now follow your browser’s language."))
    response = redirect(request, safe_next(next))
    if user is None and language:
        set_cookie(response, request, LANGUAGE_COOKIE, language, max_age=ONE_YEAR)
    elif user is None:
        clear_cookie(response, request, LANGUAGE_COOKIE)
    return response
