"""The SCORM data model ("cmi") as a package reports it, read into what Proficio keeps, and back.

Pure functions: what a commit says (status, score, where the learner is, time), whether it completes
the lesson, and the data a package is given to resume with. SCORM 1.2 and 2004 name things differently;
both are read into the same fields.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from courses.packages.models import PackageRuntime, ScormVersion

# SCORM 2004's smallest permitted maximum for suspend_data (64,000 characters); 1.2's is 4,096.
MAX_SUSPEND = 64_000
MAX_LOCATION = 1_000
STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETIONS_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESSES_2004 = {"passed", "failed", "unknown"}
_HMS = re.compile(r"^(\d{1,4}):([0-5]?\d):([0-5]?\d(?:\.\d{1,2})?)$")
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


class CmiError(ValueError):
    """A commit that cannot be what a package sent: the runtime answers 422."""


@dataclass(frozen=True)
class Report:
    lesson_status: str
    success_status: str
    score_raw: float | None
    score_scaled: float | None
    location: str
    suspend_data: str
    exit: str
    session_seconds: float


def seconds(text: str) -> float:
    """A SCORM time span in seconds: 1.2's HHHH:MM:SS.SS or 2004's ISO 8601 duration; 0 if unreadable."""
    text = (text or "").strip()
    if match := _HMS.match(text):
        hours, minutes, secs = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(secs)
    if (match := _ISO.match(text)) and text not in ("P", "PT"):
        years, months, days, hours, minutes, secs = (float(part) if part else 0.0 for part in match.groups())
        return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + secs
    return 0.0


def hms(total: float) -> str:
    """Seconds as SCORM 1.2's CMITimespan."""
    whole = int(total)
    return f"{whole // 3600:04d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def iso_duration(total: float) -> str:
    """Seconds as SCORM 2004's timeinterval."""
    whole = int(total)
    return f"PT{whole // 3600}H{whole % 3600 // 60}M{whole % 60}S"


def _text(node: Any, *keys: str) -> str:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node.strip() if isinstance(node, str) else ("" if node is None else str(node))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read(cmi: Any, version: str) -> Report:
    """What a commit's cmi object reports. Unknown statuses read as nothing reported."""
    if not isinstance(cmi, dict):
        raise CmiError("cmi must be an object")
    suspend = _text(cmi, "suspend_data")
    if len(suspend) > MAX_SUSPEND:
        raise CmiError("suspend_data is too long")
    if version == ScormVersion.V12:
        status = _text(cmi, "core", "lesson_status")
        return Report(
            lesson_status=status if status in STATUSES_12 else "not attempted",
            success_status="unknown",
            score_raw=_number(_text(cmi, "core", "score", "raw")),
            score_scaled=None,
            location=_text(cmi, "core", "lesson_location")[:MAX_LOCATION],
            suspend_data=suspend,
            exit=_text(cmi, "core", "exit")[:16],
            session_seconds=seconds(_text(cmi, "core", "session_time")),
        )
    completion, success = _text(cmi, "completion_status"), _text(cmi, "success_status")
    return Report(
        lesson_status=completion if completion in COMPLETIONS_2004 else "unknown",
        success_status=success if success in SUCCESSES_2004 else "unknown",
        score_raw=_number(_text(cmi, "score", "raw")),
        score_scaled=_number(_text(cmi, "score", "scaled")),
        location=_text(cmi, "location")[:MAX_LOCATION],
        suspend_data=suspend,
        exit=_text(cmi, "exit")[:16],
        session_seconds=seconds(_text(cmi, "session_time")),
    )


def judged(report: Report, *, version: str, mastery_score: float | None) -> Report:
    """The report with the mastery score applied, as the LMS's side of SCORM asks: a 1.2 package
    that reports a raw score against a manifest's masteryscore passes or fails by it; a 2004 one
    by its scaled score against the passing score (kept x 100)."""
    if mastery_score is None:
        return report
    if version == ScormVersion.V12 and report.score_raw is not None and report.lesson_status in {"completed", "passed", "failed"}:
        status = "passed" if report.score_raw >= mastery_score else "failed"
        return Report(**{**report.__dict__, "lesson_status": status})
    if version == ScormVersion.V2004 and report.score_scaled is not None:
        success = "passed" if report.score_scaled * 100 >= mastery_score else "failed"
        return Report(**{**report.__dict__, "success_status": success})
    return report


def completes(report: Report) -> bool:
    """SCORM 1.2's "completed" or "passed" (passed counts as complete), or 2004's completed or passed;
    "failed" never completes, whatever the completion status says."""
    if report.success_status == "failed" or report.lesson_status == "failed":
        return False
    return report.lesson_status in {"completed", "passed"} or report.success_status == "passed"


def resume_data(runtime: PackageRuntime | None, version: str) -> dict[str, Any]:
    """The cmi a package starts with: what it left last time, so the learner resumes there."""
    if runtime is None:
        return {}
    total = runtime.total_seconds + runtime.session_seconds
    entry = "resume" if runtime.exit == "suspend" else ""
    if version == ScormVersion.V12:
        core: dict[str, Any] = {"lesson_location": runtime.location, "total_time": hms(total), "entry": entry}
        if runtime.lesson_status != "not attempted":
            core["lesson_status"] = runtime.lesson_status
        if runtime.score_raw is not None:
            core["score"] = {"raw": _plain(runtime.score_raw)}
        return {"core": core, "suspend_data": runtime.suspend_data}
    data: dict[str, Any] = {
        "location": runtime.location,
        "suspend_data": runtime.suspend_data,
        "total_time": iso_duration(total),
        "entry": entry,
    }
    if runtime.lesson_status != "unknown":
        data["completion_status"] = runtime.lesson_status
    if runtime.success_status != "unknown":
        data["success_status"] = runtime.success_status
    score = {key: _plain(value) for key, value in (("raw", runtime.score_raw), ("scaled", runtime.score_scaled)) if value is not None}
    if score:
        data["score"] = score
    return data


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
