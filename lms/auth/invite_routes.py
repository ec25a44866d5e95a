"""The invitation link: a person created by an administrator chooses their password and is signed in."""

from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import Form, Path, Request
from fastapi.routing import APIRouter
from starlette.responses import Response

from lms.auth import service, throttle
from lms.auth.invitations import InvitationError, invitation_find, invitation_redeem
from lms.auth.service import AuthError
from lms.clock import utcnow
from lms.i18n import gettext
from lms.web.access import MaybeUser
from lms.web.cookies import DEVICE_COOKIE, SESSION_COOKIE, set_cookie
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.templating import redirect, render
from lms.sso.client import provider_label
from lms.sso.policy import password_sign_in_allowed

router = APIRouter(prefix="/invite")

Token = Annotated[str, Path(max_length=100)]
Secret = Annotated[str, Form(max_length=1024)]

_TOKEN_IN_PATH = re.compile(r"^/invite/[^/?#\s]+")


class RedactInvitationTokens(logging.Filter):
    """Keeps invitation tokens out of the server's access log: the path is the key to an account."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str):
            record.args = (*args[:2], _TOKEN_IN_PATH.sub("/invite/[redacted]", args[2]), *args[3:])
        return True


_access_log = logging.getLogger("uvicorn.access")
if not any(isinstance(f, RedactInvitationTokens) for f in _access_log.filters):
    _access_log.addFilter(RedactInvitationTokens())


def _invalid(request: Request, status_code: int = 404) -> Response:
    return render(request, "auth/invite_invalid.html", {}, status_code=status_code)


@router.get("/{token}")
def invite_page(request: Request, db: DbSession, user: MaybeUser, token: Token) -> Response:
    found = invitation_find(db, token=token)
    if found is None:
        return _invalid(request)
    return render(request, "auth/invite.html", {"person": found[1], "token": token, "errors": {}})


@router.post("")
def invite_accept(
    request: Request,
    db: DbSession,
    user: MaybeUser,
    token: Annotated[str, Form(max_length=100)] = "",
    password: Secret = "",
    confirm_password: Secret = "",
) -> Response:
    # The token travels in the form, not the address, so the POST's access-log line cannot show it.
    settings = request.app.state.settings
    ip = client_ip(request)
    # Counted against the address as failed sign-ins are: 256-bit tokens cannot be guessed, but a
    # stream of bad tokens is someone trying, and they wait as a password guesser would.
    keys = [throttle.Key(f"ip:{ip}", "ip", None, ip)] if ip else []
    now = utcnow()
    if keys and throttle.blocked_for(db, keys, now):
        return _invalid(request, status_code=429)
    found = invitation_find(db, token=token, now=now)
    if found is None:
        throttle.failure_record(db, keys=keys, settings=settings, now=now)
        db.commit()
        return _invalid(request)
    person = found[1]
    errors: dict[str, str] = {}
    if not password:
        errors["password"] = gettext("Choose a password.")
    elif password != confirm_password:
        errors["confirm_password"] = gettext("The two passwords do not match.")
    else:
        try:
            invitation_redeem(db, token=token, password=password, now=now, client_ip=ip)
            db.commit()
        except InvitationError as exc:
            db.rollback()
            errors = field_errors(exc)
    if errors:
        context = {"person": person, "token": token, "errors": errors}
        return render(request, "auth/invite.html", context, status_code=422)
    if not password_sign_in_allowed(db, settings, person.email):
        # AUTH_LOCAL_PASSWORDS: an invitation sets a password, but it does not open a way round single sign-on.
        flash(
            request,
            gettext("Your password has been set, but this site signs people in with %(provider)s: use that button.")
            % {"provider": provider_label(settings)},
        )
        return redirect(request, "/login")
    try:
        signed_in = service.login(db, email=person.email, password=password, client_ip=ip, settings=settings)
    except AuthError:
        # Only a throttled address gets here: the password is set, the sign-in can wait.
        flash(request, gettext("Your password has been set. Sign in with it when you are ready."))
        return redirect(request, "/login")
    flash(
        request,
        gettext("Welcome to %(org)s, %(name)s. Your password is set and you are signed in.")
        % {"org": settings.org_name, "name": person.name},
    )
    response = redirect(request, "/")
    set_cookie(response, request, SESSION_COOKIE, signed_in.token)
    account = service.normalise_email(person.email)
    set_cookie(
        response,
        request,
        DEVICE_COOKIE,
        throttle.device_cookie(request.app.state.secret_key, account=account, device=signed_in.device),
        max_age=settings.login_device_days * 86400,
    )
    return response
