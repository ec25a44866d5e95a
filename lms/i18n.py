"""Interface languages: the catalogues, the request's locale and the gettext functions features mark strings with.

British English is the source language: its strings are the msgids, so English needs no catalogue, and
any language whose compiled catalogue (lms/locale/<lang>/LC_MESSAGES/messages.mo, built by
`make translations`) or message is missing shows the English text rather than failing.

The locale is per request (a context variable set by ``LocaleMiddleware``); outside a request (the CLI,
the worker, tests calling services) it is the default language.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, negotiate_locale, numbers
from babel.support import LazyProxy
from starlette.types import ASGIApp, Receive, Scope, Send

# Codes of the languages the interface ships in; adding one is a catalogue plus its code here (docs/languages.md).
SUPPORTED_LANGUAGES = ("en", "fr")
# Each language named in itself, as a language switch shows it.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
SOURCE_LANGUAGE = "en"
FORMAT_LOCALES = {"en": "en_GB"}
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# A signed-out visitor's choice from the language switch; a signed-in person's is on their account.
LANGUAGE_COOKIE = "proficio_lang"


@lru_cache(maxsize=32)
def _load(locale_dir: str, language: str, mtime_ns: int) -> _gettext.NullTranslations:
    # Keyed on the file's modification time, so `make translations` while the server runs is picked up.
    if mtime_ns < 0:
        return _gettext.NullTranslations()
    with open(Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as fp:
        return _gettext.GNUTranslations(fp)


def catalogue(language: str, locale_dir: Path | None = None) -> _gettext.NullTranslations:
    """The compiled catalogue for a language; English, or a language whose file is missing, translates nothing."""
    directory = locale_dir or LOCALE_DIR
    if language == SOURCE_LANGUAGE:
        return _load(str(directory), language, -1)
    try:
        mtime = os.stat(directory / language / "LC_MESSAGES" / f"{DOMAIN}.mo").st_mtime_ns
    except OSError:
        mtime = -1
    return _load(str(directory), language, mtime)


@dataclass
class _Current:
    """The request's language, mutable so a later step (the signed-in person's setting) can change it.

    A context variable holds this object rather than the code itself: sync dependencies run on worker
    threads with a copy of the context, and a value set there would not reach the handler.
    """

    language: str = SOURCE_LANGUAGE
    time_zone: tzinfo = timezone.utc
    translations: _gettext.NullTranslations = field(default_factory=_gettext.NullTranslations)


_current: ContextVar[_Current | None] = ContextVar("proficio_locale", default=None)
_DEFAULT = _Current()


def _state() -> _Current:
    return _current.get() or _DEFAULT


def current_language() -> str:
    return _state().language


def current_locale() -> Locale:
    """The locale dates and numbers are formatted in: British for English (Babel's plain "en" is American)."""
    return _locale(_state().language)


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(language, language))


def current_time_zone() -> tzinfo:
    return _state().time_zone


def time_zone_name() -> str:
    """The display time zone's name (UTC, Europe/Brussels), for column headings that say which one."""
    zone = _state().time_zone
    return str(getattr(zone, "key", None) or zone)


def set_language(language: str | None) -> None:
    """Switch the current request (or, outside one, this context) to a supported language; others are ignored."""
    if not language or language not in SUPPORTED_LANGUAGES:
        return
    state = _current.get()
    if state is None:
        state = _Current()
        _current.set(state)
    state.language = language
    state.translations = catalogue(language)


def begin(language: str, time_zone: tzinfo | None = None) -> None:
    """Start a fresh locale for this context (a request, a test, a job writing in someone's language)."""
    _current.set(_Current(time_zone=time_zone or timezone.utc))
    set_language(language if language in SUPPORTED_LANGUAGES else SOURCE_LANGUAGE)


def gettext(message: str) -> str:
    return _state().translations.gettext(message)


def ngettext(singular: str, plural: str, n: float) -> str:
    # gettext's plural rules take whole numbers only (a float is deprecated); a fraction (1.5 levels) reads as plural.
    count = int(n) if float(n).is_integer() else 2
    return _state().translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message whose English is shared with others but whose translation depends on what it is said of:
    ``pgettext("course", "Archived")`` is « Archivé », ``pgettext("requirement", "Archived")`` « Archivée »."""
    return _state().translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: float) -> str:
    count = int(n) if float(n).is_integer() else 2
    return _state().translations.npgettext(context, singular, plural, count)


def lazy_pgettext(context: str, message: str) -> Any:
    """``pgettext`` for strings defined at import time, translated each time it is shown."""
    return LazyProxy(pgettext, context, message, enable_cache=False)


def lazy_gettext(message: str, **params: Any) -> Any:
    """For strings defined at import time (labels, choices), or written now for someone else to read (a mail's
    subject): translated, and its ``%(name)s`` placeholders filled, each time it is shown, in the language then
    current. A parameter may itself be lazy (``lazy_date``), so a date in it follows the reader's language too."""
    if not params:
        return LazyProxy(gettext, message, enable_cache=False)
    return LazyProxy(lambda: gettext(message) % {k: str(v) for k, v in params.items()}, enable_cache=False)


def lazy_date(value: date | datetime, format: str = "long") -> Any:
    """A date formatted when shown, in the reader's locale (3 December 2026, 3 décembre 2026)."""
    return LazyProxy(format_date, value, format, enable_cache=False)


def language_for(preferred: str | None, default: str) -> str:
    """The language to write to a person in: their own setting, else the organisation's default."""
    return preferred if preferred in SUPPORTED_LANGUAGES else default if default in SUPPORTED_LANGUAGES else SOURCE_LANGUAGE


@contextmanager
def speaking(language: str, time_zone: tzinfo | None = None) -> Iterator[None]:
    """Everything translated or formatted inside the block is in ``language``; the caller's locale returns after.

    For text written to someone other than whoever caused it (a reminder an English administrator sends
    to a French learner, a certificate PDF). A context variable rather than installing a catalogue into the
    Jinja environment for each render: the environment is shared by every request and worker thread, so
    installing one person's language there would leak into whatever another thread renders at that moment;
    the context variable is private to this thread or task.
    """
    token = _current.set(_Current(time_zone=time_zone or _state().time_zone))
    try:
        set_language(language if language in SUPPORTED_LANGUAGES else SOURCE_LANGUAGE)
        yield
    finally:
        _current.reset(token)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is defined; whoever shows it translates it then."""
    return message


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, most preferred first (q=0 dropped)."""
    tags: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            tags.append((-quality, index, tag))
    return [tag for _q, _i, tag in sorted(tags)[:20]]


def negotiate(header: str | None, default: str = SOURCE_LANGUAGE) -> str:
    """The supported language the browser prefers, else ``default``."""
    if header:
        found = negotiate_locale(parse_accept_language(header), list(SUPPORTED_LANGUAGES), sep="-")
        if found:
            return found.lower()
    return default


class LocaleMiddleware:
    """Sets each request's language and the display time zone.

    The language: a signed-out visitor's choice (the language cookie), else Accept-Language, else
    DEFAULT_LANGUAGE. Pure ASGI and cheap: two header reads. The signed-in person's own setting, once
    their account is loaded, replaces it (lms/web/deps.py).
    """

    def __init__(self, app: ASGIApp, *, default_language: str = SOURCE_LANGUAGE, time_zone: str = "UTC") -> None:
        self.app = app
        self.default_language = default_language
        self.time_zone = dates.get_timezone(time_zone)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept, cookie = None, None
        for key, value in scope.get("headers", ()):
            if key == b"accept-language":
                accept = value.decode("latin-1")
            elif key == b"cookie":
                cookie = _cookie_language(value.decode("latin-1"))
        token = _current.set(None)
        try:
            begin(cookie or negotiate(accept, self.default_language), self.time_zone)
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def _cookie_language(header: str) -> str | None:
    for part in header.split(";"):
        name, _eq, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE and value in SUPPORTED_LANGUAGES:
            return value
    return None


# Formatting for templates (filters in lms/web/templating.py): the current locale and time zone.


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return dates.format_date(value, format=format, locale=current_locale())


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return dates.format_datetime(_local(value), format=format, locale=current_locale())


def format_time(value: datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    return dates.format_time(_local(value), format=format, locale=current_locale())


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if decimals is None:
        return numbers.format_decimal(value, locale=current_locale())
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=pattern, locale=current_locale())


def format_percent(value: float | None, decimals: int = 0, *, trim: bool = False) -> str:
    """A ratio (0.25) as a percentage in the locale's form: 25 % in English, 25 % (narrow space) in French.

    ``trim`` writes the decimals only as far as they are needed (Moodle's grades: 50 %, 83.33333 %)."""
    if value is None:
        return ""
    locale = current_locale()
    pattern = locale.percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + ("#" if trim else "0") * decimals, 1)
    return numbers.format_percent(value, format=pattern, locale=locale)


def _local(value: datetime) -> datetime:
    # Stored times are UTC, naive in SQLite; shown in the organisation's TIME_ZONE.
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(current_time_zone())
