"""Proficio's own framework JSON: the document as it is, every problem reported with its path."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session

from lms.competences.framework_doc import FrameworkFileError, check_document, framework_document
from lms.competences.framework_languages import at_line
from lms.competences.models import Framework
from lms.i18n import gettext
from lms.web.params import MAX_DIGITS


def _json_int(digits: str) -> int | float:
    """JSON integers too long for any id or level become floats (which every check refuses), so a
    5,000-digit number is a bad value, not a ValueError from int()."""
    return int(digits) if len(digits) <= MAX_DIGITS + 1 else float(digits)


def load_json(text: str) -> object:
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            [gettext("%(where)s: not valid JSON (%(reason)s).") % {"where": at_line(exc.lineno), "reason": exc.msg}]
        ) from None
    except RecursionError:
        raise FrameworkFileError([gettext("The JSON is nested too deeply to be a framework.")]) from None


def parse_json(text: str) -> dict:
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise FrameworkFileError([gettext("The file must hold one JSON object describing a framework.")])
    # The shape is checked first so the later checks (and the import) can rely on it.
    errors = _check_shapes(doc)
    if errors:
        raise FrameworkFileError(errors)
    check_document(doc, errors, where=lambda path: path)
    if errors:
        raise FrameworkFileError(errors)
    return doc


def _check_text(obj: dict, keys: Iterable[str], path: str, errors: list[str]) -> None:
    for key in keys:
        value = obj.get(key)
        if value is None or (key == "version" and isinstance(value, (int, float)) and not isinstance(value, bool)):
            continue
        if not isinstance(value, str):
            errors.append(
                gettext("%(where)s: '%(key)s' must be text, not %(type)s.") % {"where": path, "key": key, "type": type(value).__name__}
            )
    if obj.get("meta") is not None and not isinstance(obj["meta"], dict):
        errors.append(
            gettext("%(where)s: 'meta' must be an object, not %(type)s.") % {"where": path, "type": type(obj["meta"]).__name__}
        )


def _check_list(obj: dict, key: str, path: str, errors: list[str]) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(
            gettext("%(where)s: '%(key)s' must be a list, not %(type)s.") % {"where": path, "key": key, "type": type(value).__name__}
        )
        return []
    good = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            good.append((i, item))
        else:
            where = f"{key}[{i}]" if path == "framework" else f"{path}.{key}[{i}]"
            errors.append(gettext("%(where)s: must be an object, not %(type)s.") % {"where": where, "type": type(item).__name__})
    return good


def _check_shapes(doc: dict) -> list[str]:
    errors: list[str] = []
    _check_text(doc, ("code", "language", "name", "version", "publisher", "licence", "description", "case_id"), "framework", errors)
    for i, lv in _check_list(doc, "levels", "framework", errors):
        _check_text(lv, ("band", "summary"), f"levels[{i}]", errors)
    for i, area in _check_list(doc, "areas", "framework", errors):
        _check_text(area, ("code", "name", "description", "case_id"), f"areas[{i}]", errors)
        for j, comp in _check_list(area, "competences", f"areas[{i}]", errors):
            _check_text(comp, ("code", "name", "summary", "case_id"), f"areas[{i}].competences[{j}]", errors)
    return errors


def export_json(session: Session, framework: Framework) -> str:
    return json.dumps(framework_document(session, framework), indent=2, ensure_ascii=False) + "\n"
