"""Static files as a first visit needs them: compressed once per file, and cached for a year when versioned.

Pages link to `static_url("css/app.css")`, which adds `?v=` and the first 12 hex digits of the file's
SHA-256. A request carrying the file's current version is answered `Cache-Control: public,
max-age=31536000, immutable`, so a repeat visit fetches only the HTML; a request without it (or with an
old version) must revalidate (`no-cache`, answered 304 from the ETag). A changed file gets a new address,
so nobody keeps a stale copy.

Text files (CSS, JavaScript, SVG, JSON) are compressed with Brotli or gzip, whichever the browser accepts
(Brotli first), once per file and process, and kept in memory: the whole of static/ compresses to under
200 KB. HTML pages are not compressed here on purpose: they carry the session's CSRF token next to text a
visitor can reflect, which is what BREACH needs.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import brotli
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from lms.config import PROJECT_ROOT

STATIC_DIR = Path(PROJECT_ROOT) / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Fonts and icons that the vendored stylesheet names by relative url(): pinned packages, so a week is safe
# (a refresh of static/vendor changes the stylesheet's own version at once; its fonts within a week).
VENDOR = "public, max-age=604800"
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".map"}
# Below this, compression saves less than the header costs.
MIN_COMPRESS_BYTES = 512


@dataclass(frozen=True)
class _Encoded:
    br: bytes
    gzip: bytes


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=512)
def _version(stamp: tuple[str, int, int]) -> str:
    # Keyed by mtime and size too, so an edited file (development) gets a new version without a restart.
    return hashlib.sha256(Path(stamp[0]).read_bytes()).hexdigest()[:12]


def file_version(path: Path) -> str:
    return _version(_stamp(path))


def static_url(name: str) -> str:
    """`/static/NAME?v=VERSION` for a file under static/; a missing file is an error at render time."""
    path = STATIC_DIR / name
    return f"/static/{name}?v={file_version(path)}"


@lru_cache(maxsize=128)
def _encoded(stamp: tuple[str, int, int]) -> _Encoded:
    raw = Path(stamp[0]).read_bytes()
    return _Encoded(br=brotli.compress(raw, quality=11), gzip=gzip.compress(raw, compresslevel=9, mtime=0))


def _accepted(request_headers: Headers) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in request_headers.get("accept-encoding", "").split(",")}
    if "br" in offered:
        return "br"
    if "gzip" in offered:
        return "gzip"
    return None


class CompressedStaticFiles(StaticFiles):
    def file_response(
        self, full_path: os.PathLike[str] | str, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        request_headers = Headers(scope=scope)
        path = Path(full_path)
        query = scope.get("query_string", b"").decode("latin-1")
        versioned = f"v={file_version(path)}" in query.split("&")
        vendored = Path(STATIC_DIR / "vendor") in path.parents
        cache_control = IMMUTABLE if versioned else VENDOR if vendored else REVALIDATE
        encoding = _accepted(request_headers)
        compress = (
            encoding is not None
            and path.suffix.lower() in COMPRESSIBLE
            and stat_result.st_size >= MIN_COMPRESS_BYTES
            and "range" not in request_headers
        )
        if not compress:
            response = super().file_response(full_path, stat_result, scope, status_code)
            response.headers["cache-control"] = cache_control
            return response
        assert encoding is not None
        body = getattr(_encoded(_stamp(path)), encoding)
        plain = FileResponse(full_path, stat_result=stat_result)  # for its ETag, dates and type; not sent
        # One ETag per encoding: a cache must not hand a gzip body to a client that asked for Brotli.
        etag = plain.headers["etag"].rstrip('"') + f'-{encoding}"'
        headers = {
            "etag": etag,
            "last-modified": plain.headers["last-modified"],
            "cache-control": cache_control,
            "vary": "Accept-Encoding",
        }
        if etag in [t.strip().removeprefix("W/") for t in request_headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(
            body,
            status_code=status_code,
            media_type=plain.media_type,
            headers={**headers, "content-encoding": encoding},
        )
