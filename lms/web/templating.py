"""Rendering pages and htmx fragments from one template per view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from pathlib import Path

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup
from starlette.responses import RedirectResponse, Response

from lms import i18n
from lms.config import PROJECT_ROOT
from lms.people.models import ROLE_LABELS, role_label
from lms.web.cookies import ANON_COOKIE, set_cookie
from lms.web.csrf import csrf_token
from lms.web.flash import pop_flashes, write_flashes
from lms.web.static import data_uri, static_url
from lms.web.theme import theme_version

TEMPLATES_DIR = Path(PROJECT_ROOT) / "templates"
templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))
# Role codes are shown by their names from lms/people/models.py, never raw or capitalised.
templates.env.filters["role_label"] = lambda code: i18n.gettext(role_label(code))
templates.env.globals["role_labels"] = [(code, i18n.lazy_gettext(label)) for code, label in ROLE_LABELS.items()]
# Versioned addresses, so static files can be cached for a year (lms/web/static.py).
templates.env.globals["static_url"] = static_url
# Inline, so the browser's favicon fetch is not one more request on a first visit.
templates.env.globals["favicon"] = data_uri("favicon.svg")
# Interface strings in the request's language (lms/i18n.py): {{ _("Text") }}, {{ _("%(n)s people", n=n) }},
# {{ ngettext("%(num)s lesson", "%(num)s lessons", n) }}, {{ pgettext("course", "Archived") }} where one English word
# needs different translations; newstyle, so placeholders are escaped and checked.
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext)
templates.env.globals["current_language"] = i18n.current_language
templates.env.globals["language_names"] = i18n.LANGUAGE_NAMES
templates.env.globals["time_zone_name"] = i18n.time_zone_name
# Dates, times, numbers and percentages in the request's locale and the organisation's TIME_ZONE.
templates.env.filters["format_date"] = i18n.format_date
templates.env.filters["format_datetime"] = i18n.format_datetime
templates.env.filters["format_time"] = i18n.format_time
templates.env.filters["format_number"] = i18n.format_number
templates.env.filters["format_percent"] = i18n.format_percent


def mail_link(address: str) -> Markup:
    """A mailto link, for a translated sentence that holds one as a placeholder."""
    return Markup('<a href="mailto:{0}">{0}</a>').format(address)


templates.env.filters["mail_link"] = mail_link


def link(text: str, href: str) -> Markup:
    """A link, escaped, for a translated sentence that holds one as a placeholder: the whole sentence is one message,
    ``_("Read our %(policy)s.", policy=_("privacy policy")|link("/privacy"))``, so a translator can move the link."""
    return Markup('<a href="{}">{}</a>').format(href, text)


templates.env.filters["link"] = link
# A value shown as code inside a translated sentence (a demo password).
templates.env.filters["code"] = lambda value: Markup("<code>{}</code>").format(value)


def is_partial(request: Request) -> bool:
    """An htmx request that replaces part of a page (not boosted, not a history restore).

    ``render(..., block=...)`` asks this itself. A route asks only where htmx gets something other than a
    block of the page a plain request gets: after a POST (a plain form is redirected, Post/Redirect/Get),
    or a different template.
    """
    h = request.headers
    return h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true" and h.get("HX-History-Restore-Request") != "true"


def finish(request: Request, response: Response) -> Response:
    """Cookies every response may need: flashes and the anonymous CSRF binding."""
    write_flashes(request, response)
    if getattr(request.state, "set_anon_cookie", False):
        set_cookie(response, request, ANON_COOKIE, request.state.anon_id, max_age=60 * 60 * 24)
    return response


def render(
    request: Request,
    name: str,
    context: dict | None = None,
    *,
    block: str | Mapping[str, str] | None = None,
    status_code: int = 200,
    headers: dict | None = None,
) -> Response:
    """The whole page, or one named block of it for an htmx request that replaces part of the page.

    ``block`` says which fragment an htmx request (``is_partial``) gets:

    - a block name: every htmx request gets that block (a page with one fragment, such as a list's results);
    - a mapping of target element id to block name, for a page with several fragments: the block for the
      request's ``HX-Target``; a target not in the mapping gets the whole page.

    A normal request, a boosted link and a history restore always get the whole page. The block renders on
    its own, without the page's top-level imports, so it imports the macros it uses itself.
    """
    ctx: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "roles": getattr(request.state, "roles", frozenset()),
        "csrf_token": getattr(request.state, "csrf_override", None) or csrf_token(request),
        "flashes": pop_flashes(request),
        # The organisation's name, logo, colour and support contact (ORG_* settings) for the layout.
        "org": request.app.state.settings,
        "theme_version": theme_version(request.app.state.settings),
    }
    ctx.update(context or {})
    name_of_block = _block_for(request, block)
    kwargs = {"block_name": name_of_block} if name_of_block else {}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers, **kwargs)
    response.headers["Vary"] = "HX-Request" if block is None or isinstance(block, str) else "HX-Request, HX-Target"
    return finish(request, response)


def _block_for(request: Request, block: str | Mapping[str, str] | None) -> str | None:
    if not block or not is_partial(request):
        return None
    if isinstance(block, str):
        return block
    return block.get(request.headers.get("HX-Target", ""))


def redirect(request: Request, url: str) -> Response:
    """Redirect after POST: 303 for plain forms, HX-Redirect for htmx so the whole page changes."""
    if request.headers.get("HX-Request") == "true":
        response: Response = Response(status_code=200, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return finish(request, response)
