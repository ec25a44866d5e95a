"""Writing a subject access export: a ZIP with one JSON file per kind and a readable HTML summary.

Rows go from the database cursor straight into the ZIP entry (JSON) and into a temporary HTML file
beside it, one at a time, so a long history never sits in memory; the summary is added to the ZIP
last, copied from disk in blocks.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from markupsafe import escape
from sqlmodel import Session

from lms.hooks import PersonalData
from lms.web.templating import templates


def _json_default(value: object) -> object:
    # Times are the only values the database hands back that JSON has no type for.
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, dict | list):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    return str(value)


def _write_kind(entry: IO[bytes], html: IO[str], kind: PersonalData, rows: Iterable[dict[str, Any]]) -> int:
    """One kind's rows as a JSON array in the ZIP and a table in the summary; returns the count."""
    html.write(f'<section id="{escape(kind.kind)}"><h2>{escape(kind.title)}</h2>\n')
    entry.write(b"[")
    count = 0
    header: list[str] | None = None
    for row in rows:
        entry.write((b",\n" if count else b"\n") + json.dumps(row, default=_json_default, ensure_ascii=False).encode())
        if header != list(row):
            if header is not None:
                html.write("</tbody></table>\n")
            header = list(row)
            html.write('<table class="usa-table usa-table--compact"><thead><tr>')
            html.write("".join(f'<th scope="col">{escape(name)}</th>' for name in header))
            html.write("</tr></thead><tbody>\n")
        html.write("<tr>" + "".join(f"<td>{escape(_cell(value))}</td>" for value in row.values()) + "</tr>\n")
        count += 1
    entry.write(b"\n]\n")
    html.write("</tbody></table>\n" if header is not None else "<p>Nothing recorded.</p>\n")
    html.write(f"<p>{count} record{'' if count == 1 else 's'} (file <code>{escape(kind.kind)}.json</code>).</p></section>\n")
    return count


def export_write(
    session: Session, *, subject_id: int, subject_name: str, kinds: list[PersonalData], target: Path, org_name: str, now: datetime
) -> dict[str, int]:
    """Write the ZIP to `target` (through a temporary name, so a half-written file is never served)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    partial = target.with_suffix(".partial")
    try:
        _write(
            session,
            subject_id=subject_id,
            subject_name=subject_name,
            kinds=kinds,
            partial=partial,
            org_name=org_name,
            now=now,
            counts=counts,
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)  # only left behind when writing failed
    return counts


def _write(
    session: Session,
    *,
    subject_id: int,
    subject_name: str,
    kinds: list[PersonalData],
    partial: Path,
    org_name: str,
    now: datetime,
    counts: dict[str, int],
) -> None:
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=partial.parent) as body:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for kind in kinds:
                with archive.open(f"{kind.kind}.json", "w", force_zip64=True) as entry:
                    counts[kind.kind] = _write_kind(entry, body, kind, kind.rows(session, subject_id))
            head, tail = (
                templates.get_template("privacy/export_summary.html")
                .render(org_name=org_name, subject_name=subject_name, now=now, counts=counts, kinds=kinds)
                .split("<!-- sections -->")
            )
            body.seek(0)
            with archive.open("summary.html", "w", force_zip64=True) as entry:
                entry.write(head.encode())
                while block := body.read(64 * 1024):
                    entry.write(block.encode())
                entry.write(tail.encode())
