"""Static files as a first visit needs them: few, compressed once, and cached for a year when versioned.

Pages link to `static_url("css/app.css")`, which adds `?v=` and the first 12 hex digits of the content's
SHA-256. A request carrying the current version is answered `Cache-Control: public, max-age=31536000,
immutable`, so a repeat visit fetches only the HTML; a request without it (or with an old version) must
revalidate (`no-cache`, answered 304 from the ETag). Changed content gets a new address, so nobody keeps a
stale copy. Fonts and icons that the stylesheet names by relative `url()` are kept a week.

BUNDLES join files into one response (the USWDS build and our stylesheet; htmx and the USWDS script), so
a page needs one stylesheet and one script. Text (CSS, JavaScript, SVG, JSON) is compressed with Brotli or
gzip, whichever the browser accepts (Brotli first), once per content and process, and kept in memory.
HTML pages are not compressed here on purpose: they carry the session's CSRF token next to text a visitor
can reflect, which is what BREACH needs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
from dataclasses import dataclass
from email.utils import formatdate
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import quote

import brotli
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from lms.config import PROJECT_ROOT

STATIC_DIR = Path(PROJECT_ROOT) / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Fonts and icons the vendored stylesheet names by relative url(): pinned packages, so a week is safe.
VENDOR = "public, max-age=604800"
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt"}
# One address for several files; each part keeps its own file (and licence) under static/.
BUNDLES: dict[str, tuple[str, ...]] = {
    "css/proficio.css": ("css/uswds-proficio.min.css", "css/app.css"),
    "js/proficio.js": ("vendor/htmx/htmx.min.js", "vendor/uswds/js/uswds.min.js"),
}

Stamp = tuple[tuple[str, int, int], ...]


@dataclass
class Asset:
    body: bytes
    version: str
    media_type: str
    last_modified: str

    # Compressed on first request, not when a page first links the file (Brotli at its best setting
    # takes a good part of a second for the stylesheet: no page render should wait for it).
    @cached_property
    def br(self) -> bytes:
        return brotli.compress(self.body, quality=11)

    @cached_property
    def gzip(self) -> bytes:
        return gzip.compress(self.body, compresslevel=9, mtime=0)


def _stamp(name: str) -> Stamp:
    parts = BUNDLES.get(name, (name,))
    stamps = []
    for part in parts:
        st = (STATIC_DIR / part).stat()
        stamps.append((str(STATIC_DIR / part), st.st_mtime_ns, st.st_size))
    return tuple(stamps)


@lru_cache(maxsize=64)
def _asset(name: str, stamp: Stamp) -> Asset:
    # Keyed by mtime and size too, so an edited file (development) gets a new version without a restart.
    body = b"\n".join(Path(path).read_bytes() for path, _, _ in stamp)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith("javascript"):
        media_type += "; charset=utf-8"
    return Asset(
        body=body,
        version=hashlib.sha256(body).hexdigest()[:12],
        media_type=media_type,
        last_modified=formatdate(max(m for _, m, _ in stamp) / 1e9, usegmt=True),
    )


@lru_cache(maxsize=512)
def _file_version(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


# Whether files may change while the process runs (development): then each link looks at the file again.
# create_app() sets it; in production a file's version is worked out once.
watch_files = True
_versions: dict[str, str] = {}


def version(name: str) -> str:
    if not watch_files and name in _versions:
        return _versions[name]
    _versions[name] = found = _version_now(name)
    return found


def _version_now(name: str) -> str:
    if name in BUNDLES or Path(name).suffix in COMPRESSIBLE:
        return _asset(name, _stamp(name)).version
    ((path, mtime, size),) = _stamp(name)
    return _file_version(path, mtime, size)


def static_url(name: str) -> str:
    """`/static/NAME?v=VERSION` for a file (or bundle) under static/; a missing file fails the render."""
    return f"/static/{name}?v={version(name)}"


def data_uri(name: str) -> str:
    """A small SVG under static/ as a `data:` address (the CSP allows data: images)."""
    return "data:image/svg+xml," + quote((STATIC_DIR / name).read_text().strip(), safe=" =:/;,'")


def _accepted(request_headers: Headers) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in request_headers.get("accept-encoding", "").split(",")}
    return "br" if "br" in offered else "gzip" if "gzip" in offered else None


def _cache_control(name: str, current: str, scope: Scope) -> str:
    if f"v={current}" in scope.get("query_string", b"").decode("latin-1").split("&"):
        return IMMUTABLE
    return VENDOR if name.startswith("vendor/") else REVALIDATE


class CompressedStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        name = path.replace(os.sep, "/")
        if scope["method"] in ("GET", "HEAD") and name in BUNDLES:
            return self._text_response(name, scope)
        return await super().get_response(path, scope)

    def file_response(
        self, full_path: os.PathLike[str] | str, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        name = Path(full_path).resolve().relative_to(STATIC_DIR.resolve()).as_posix()
        if Path(name).suffix in COMPRESSIBLE and "range" not in Headers(scope=scope):
            return self._text_response(name, scope)
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = _cache_control(name, version(name), scope)
        return response

    def _text_response(self, name: str, scope: Scope) -> Response:
        request_headers = Headers(scope=scope)
        asset = _asset(name, _stamp(name))
        encoding = _accepted(request_headers)
        # One ETag per encoding: a cache must not hand a gzip body to a client that asked for Brotli.
        etag = f'"{asset.version}{"-" + encoding if encoding else ""}"'
        headers = {
            "etag": etag,
            "last-modified": asset.last_modified,
            "cache-control": _cache_control(name, asset.version, scope),
            "vary": "Accept-Encoding",
        }
        if etag in [t.strip().removeprefix("W/") for t in request_headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        body = asset.body if encoding is None else getattr(asset, encoding)
        if encoding:
            headers["content-encoding"] = encoding
        return Response(body, media_type=asset.media_type, headers=headers)
