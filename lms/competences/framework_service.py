"""Administering frameworks: loading DigComp, importing files, and how long evidence stays valid.

The web page and the `lms frameworks` command share these, so both audit-log the same way.
Callers commit.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.competences.framework_case import framework_case_id
from lms.competences.framework_doc import FrameworkFileError, ImportCounts, framework_import
from lms.competences.framework_io import FORMATS, parse
from lms.competences.framework_moodle_csv import looks_like_moodle
from lms.competences.models import Competence, Framework
from lms.competences.service import CompetenceError
from lms.i18n import gettext
from lms.people.models import User
from lms.web.params import parse_int

DIGCOMP_PATH = Path(__file__).parent / "data" / "digcomp-2.2.json"
DIGCOMP_CODE = "DigComp"
MAX_SNIFF = 4096
MAX_VALID_MONTHS = 120


def detect_format(filename: str | None, data: bytes) -> str:
    """json, csv, moodle or case: JSON or CSV from the file's extension, else from its first
    non-blank character; then a CASE package by its CFDocument, a Moodle file by its header."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    fmt = suffix if suffix in ("json", "csv") else "json" if head[:1] in (b"{", b"[") else "csv"
    if fmt == "json":
        # Anywhere in the file: a package may list its items before its document.
        return "case" if b'"CFDocument"' in data else "json"
    return "moodle" if looks_like_moodle(data[:MAX_SNIFF].decode("utf-8", "replace")) else "csv"


def _case_code(session: Session, doc: dict) -> None:
    """A CASE package names its framework by identifier, not code: the framework that already has
    the identifier keeps its code; a new one takes its title as code unless that is taken."""
    known = session.exec(select(Framework).where(Framework.case_id == doc["case_id"])).first()
    if known is not None:
        doc["code"] = known.code
        return
    taken = session.exec(select(Framework).where(Framework.code == doc["code"])).first()
    if taken is not None:
        raise FrameworkFileError(
            [
                gettext(
                    "%(where)s: a framework with code '%(code)s' already exists and this package's identifier "
                    "%(identifier)s is not its identifier, so it is not imported over it. Rename that framework's code first."
                )
                % {"where": "CFDocument", "code": taken.code, "identifier": doc["case_id"]}
            ]
        )


def framework_file_import(
    session: Session,
    *,
    data: bytes,
    fmt: str,
    by: User | None,
    source: str = "",
    client_ip: str | None = None,
) -> ImportCounts:
    """Validate the whole file (FrameworkFileError lists every problem), then import it."""
    doc = parse(data, fmt)
    if fmt == "case":
        _case_code(session, doc)
    counts = framework_import(session, doc=doc)
    _audit_import(session, counts, by=by, source=source, client_ip=client_ip)
    return counts


def digcomp_loaded(session: Session) -> bool:
    return session.exec(select(Framework.id).where(Framework.code == DIGCOMP_CODE)).first() is not None


def digcomp_load(session: Session, *, by: User | None = None, client_ip: str | None = None) -> ImportCounts:
    """Load the shipped DigComp 2.2, or refresh it; loading it twice changes nothing.

    The shipped file says nothing about how long evidence stays valid, so validity periods an
    administrator has set are kept rather than reset.
    """
    doc = parse(DIGCOMP_PATH.read_bytes(), "json")
    framework = session.exec(select(Framework).where(Framework.code == doc["code"])).first()
    if framework is not None:
        months = dict(
            session.exec(
                select(Competence.code, Competence.evidence_valid_months).where(Competence.framework_id == framework.id)
            ).all()
        )
        for area in doc["areas"]:
            for comp in area.get("competences") or []:
                if comp.get("evidence_valid_months") is None:
                    comp["evidence_valid_months"] = months.get(comp["code"])
    counts = framework_import(session, doc=doc)
    _audit_import(session, counts, by=by, source=DIGCOMP_PATH.name, client_ip=client_ip)
    return counts


def _audit_import(session: Session, counts: ImportCounts, *, by: User | None, source: str, client_ip: str | None) -> None:
    # The log records changes; re-importing an identical file is not one.
    if counts.created or counts.updated:
        audit_record(
            session,
            action="framework.import",
            actor=by,
            target_type="framework",
            target_id=counts.framework.id,
            client_ip=client_ip,
            detail={
                "code": counts.framework.code,
                "source": source,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            },
        )


def framework_set_published(
    session: Session, *, framework: Framework, published: bool, by: User | None, client_ip: str | None = None
) -> bool:
    """Publish the framework as a CASE package anyone may read, or withdraw it. Returns whether
    anything changed. Publishing stores its identifier, so it never changes afterwards."""
    if framework.case_published == published:
        return False
    framework.case_published = published
    if framework.case_id is None:
        framework.case_id = framework_case_id(framework)
    session.add(framework)
    audit_record(
        session,
        action="framework.publish" if published else "framework.unpublish",
        actor=by,
        target_type="framework",
        target_id=framework.id,
        client_ip=client_ip,
        detail={"code": framework.code, "case_id": framework.case_id},
    )
    return True


def parse_months(raw: str) -> int | None:
    """The form's text as a validity period: blank is None (never expires), else 1–120 months."""
    raw = (raw or "").strip()
    if not raw:
        return None
    months = parse_int(raw, 1, MAX_VALID_MONTHS)
    if months is None:
        raise CompetenceError(
            gettext("Enter a whole number of months from 1 to %(max)s, or leave it blank if evidence never expires.")
            % {"max": MAX_VALID_MONTHS},
            "evidence_valid_months",
        )
    return months


def competence_set_validity(
    session: Session,
    *,
    competence: Competence,
    months: int | None,
    by: User | None,
    client_ip: str | None = None,
) -> bool:
    """Set how long new evidence stays valid. Evidence already recorded keeps its expiry (it is
    append-only). Returns whether anything changed."""
    if months is not None and not 1 <= months <= MAX_VALID_MONTHS:
        raise CompetenceError(
            gettext("Enter a whole number of months from 1 to %(max)s.") % {"max": MAX_VALID_MONTHS}, "evidence_valid_months"
        )
    before = competence.evidence_valid_months
    if before == months:
        return False
    competence.evidence_valid_months = months
    session.add(competence)
    audit_record(
        session,
        action="competence.validity",
        actor=by,
        target_type="competence",
        target_id=competence.id,
        client_ip=client_ip,
        detail={"code": competence.code, "from": before, "to": months},
    )
    return True


__all__ = [
    "FORMATS",
    "FrameworkFileError",
    "DIGCOMP_CODE",
    "competence_set_validity",
    "detect_format",
    "digcomp_load",
    "digcomp_loaded",
    "framework_file_import",
    "framework_set_published",
    "parse_months",
]
