"""Sign-in, sign-out and the user's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from lms.auth import service, throttle
from lms.auth.service import AuthError, ThrottledError
from lms.demo_accounts import demo_accounts_shown
from lms.i18n import gettext
from lms.notifications.pages import preferences_context
from lms.people.models import User
from lms.privacy.selectors import account_data_context
from lms.privacy.views import views_context
from lms.auth.passwords import verify_password_async
from lms.sso.cookies import SSO_SESSION_COOKIE, end_session_url
from lms.sso.policy import login_options, password_refused_message, password_sign_in_check, password_usable
from lms.web.access import Access, MaybeUser, SignedInUser, policy
from lms.web.cookies import DEVICE_COOKIE, SESSION_COOKIE, clear_cookie, set_cookie
from lms.web.deps import DbSession, client_ip, in_database
from lms.web.flash import flash
from lms.web.redirects import safe_next
from lms.web.templating import redirect, render

router = APIRouter()


@router.get("/login")
def login_page(request: Request, db: DbSession, user: MaybeUser, next: str | None = None) -> Response:
    if user is not None:
        return redirect(request, safe_next(next))
    options = login_options(request.app.state.settings)
    return render(request, "auth/login.html", {"next": safe_next(next), "demo": demo_accounts_shown(db), **options})


@router.post("/login", dependencies=[policy(Access.OPEN)])
async def login_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    # Async, with the database only before and after the password check: argon2 takes a tenth of
    # a second of CPU, and a burst of sign-ins must not hold the pool's connections meanwhile.
    errors = {}
    headers = {}
    status = 422
    settings = request.app.state.settings
    if settings.auth_local_passwords != "all" and not await in_database(
        request, lambda db: password_sign_in_check(db, settings, email=email, client_ip=client_ip(request))
    ):
        errors["form"] = password_refused_message(settings)
        status = 403
    else:
        if not email.strip():
            errors["email"] = gettext("Enter your email address.")
        if not password:
            errors["password"] = gettext("Enter your password.")
    if not errors:
        secret = request.app.state.secret_key
        account = service.normalise_email(email)[:320]
        device = throttle.device_from_cookie(secret, request.cookies.get(DEVICE_COOKIE), account=account)
        try:
            attempt = await in_database(
                request, lambda db: service.login_begin(db, email=email, client_ip=client_ip(request), device=device)
            )
            ok, new_hash = await verify_password_async(password, attempt.password_hash)
            signed_in = await in_database(
                request, lambda db: service.login_finish(db, attempt=attempt, ok=ok, new_hash=new_hash, settings=settings)
            )
        except ThrottledError as exc:
            errors["form"] = str(exc)
            headers["Retry-After"] = str(exc.retry_after)
            status = 429
        except AuthError as exc:
            errors["form"] = str(exc)
            status = 422
        else:
            response = redirect(request, safe_next(next))
            set_cookie(response, request, SESSION_COOKIE, signed_in.token)
            set_cookie(
                response,
                request,
                DEVICE_COOKIE,
                throttle.device_cookie(secret, account=account, device=signed_in.device),
                max_age=settings.login_device_days * 86400,
            )
            return response
    demo = await in_database(request, demo_accounts_shown)
    response = render(
        request,
        "auth/login.html",
        {"next": safe_next(next), "errors": errors, "email": email, "demo": demo, **login_options(settings)},
        status_code=status,
    )
    response.headers.update(headers)
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, user: MaybeUser) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.logout(db, token=token, user=user, client_ip=client_ip(request))
    request.state.user = None
    flash(request, gettext("You have signed out."))
    # A session that came through the provider also ends there, which then sends the person back here.
    response = redirect(request, end_session_url(request, token=token) or "/login")
    clear_cookie(response, request, SESSION_COOKIE)
    clear_cookie(response, request, SSO_SESSION_COOKIE)
    return response


@router.get("/account")
def account_page(request: Request, db: DbSession, user: SignedInUser) -> Response:
    options = login_options(request.app.state.settings)
    ctx = {"password_usable": _password_usable(request, user), **options, **preferences_context(db, user=user)}
    assert user.id is not None
    ctx.update(account_data_context(db, user_id=user.id))
    ctx.update(views_context(db, user_id=user.id))
    return render(request, "account/account.html", ctx)


def _password_usable(request: Request, user: User) -> bool:
    return password_usable(request.app.state.settings, email=user.email, roles=request.state.roles)


@router.post("/account/password")
def account_password(
    request: Request,
    db: DbSession,
    user: SignedInUser,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    confirm_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    if not _password_usable(request, user):
        raise HTTPException(status_code=403, detail=password_refused_message(request.app.state.settings))
    errors = {}
    if new_password != confirm_password:
        errors["confirm_password"] = gettext("The two new passwords do not match.")
    else:
        try:
            service.password_change(
                db,
                user=user,
                current=current_password,
                new=new_password,
                keep_token_hash=request.state.session_token_hash,
                client_ip=client_ip(request),
            )
        except AuthError as exc:
            field = "current_password" if str(exc) == str(service.CURRENT_PASSWORD_WRONG) else "new_password"
            errors[field] = str(exc)
    if errors:
        ctx = {"errors": errors, "password_usable": True, **preferences_context(db, user=user)}
        return render(request, "account/account.html", ctx, block="password", status_code=422)
    flash(request, gettext("Your password has been changed. Other sessions have been signed out."))
    return redirect(request, "/account")
