"""Reads that turn the bank into import/export shapes: category paths, sections, competence tags.

A question's competence travels as free tags, in both formats (Moodle XML ``<tags>``, GIFT
``// [tag:...]``): ``competence:<code>``, ``competence-framework:<framework code>`` and
``competence-level:<n>``. Moodle keeps them as ordinary tags, so a bank that goes to Moodle and back
still knows what each question measures. See docs/question-interchange.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlmodel import Session, select

from lms.competences.models import MAX_LEVEL, Competence, Framework
from lms.config import Settings
from lms.i18n import gettext

from assessments.bank.file_selectors import files_for_export
from assessments.interchange.common import CategoryInfo, Section, join_path
from assessments.interchange.media import MediaFile, map_texts, pluginfile
from assessments.models import Question, QuestionCategory, QuestionFile
from assessments.questions import QuestionData

COMPETENCE, FRAMEWORK, LEVEL = "competence:", "competence-framework:", "competence-level:"


def category_paths(session: Session) -> dict[int, tuple[str, ...]]:
    """Every category's names from the top, by id (a parent loop, which the service prevents, stops the walk)."""
    rows = {c.id: c for c in session.exec(select(QuestionCategory)).all()}
    paths: dict[int, tuple[str, ...]] = {}
    for cid, category in rows.items():
        names, seen, node = [category.name], {cid}, category
        while node.parent_id is not None and node.parent_id in rows and node.parent_id not in seen:
            seen.add(node.parent_id)
            node = rows[node.parent_id]
            names.append(node.name)
        paths[cid] = tuple(reversed(names))  # type: ignore[index]
    return paths


def path_label(path: tuple[str, ...]) -> str:
    return " / ".join(path)


def _descendants(session: Session, root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for cid, parent in session.exec(select(QuestionCategory.id, QuestionCategory.parent_id)).all():
        children.setdefault(parent, []).append(cid)
    found, todo = set(), [root_id]
    while todo:
        cid = todo.pop()
        if cid not in found:
            found.add(cid)
            todo += children.get(cid, [])
    return found


def competence_tags(competence: Competence | None, framework: Framework | None, level: int | None) -> tuple[str, ...]:
    if competence is None:
        return ()
    tags = [COMPETENCE + competence.code]
    if framework is not None:
        tags.append(FRAMEWORK + framework.code)
    if level is not None:
        tags.append(LEVEL + str(level))
    return tuple(tags)


def _with_files(question: Question, files: list[tuple[QuestionFile, MediaFile]]) -> tuple[dict, dict[str, MediaFile]]:
    """The question's data with each file's address written as ``@@PLUGINFILE@@/name``, and the files by name."""
    if not files:
        return question.data, {}
    urls = {f"/questions/{row.question_id}/files/{row.id}": pluginfile(row.filename) for row, _ in files}
    pattern = re.compile("|".join(re.escape(u) + r"(?![0-9])" for u in urls))
    data = map_texts(question.data, lambda text: pattern.sub(lambda m: urls[m.group(0)], text))
    return data, {media.name: media for _, media in files}


def bank_sections(session: Session, *, root_id: int | None = None, settings: Settings | None = None) -> list[Section]:
    """Active questions by category, parents before children, each with its whole path.

    With ``root_id``, that category and every category below it; otherwise the whole bank. With
    ``settings``, each question's files too, its texts referring to them as ``@@PLUGINFILE@@/name``.
    """
    paths = category_paths(session)
    keep = _descendants(session, root_id) if root_id is not None else set(paths)
    categories = {c.id: c for c in session.exec(select(QuestionCategory)).all() if c.id in keep}
    competences = {c.id: c for c in session.exec(select(Competence)).all()}
    frameworks = {f.id: f for f in session.exec(select(Framework)).all()}
    questions = session.exec(
        select(Question).where(Question.archived.is_(False), Question.category_id.in_(keep)).order_by(Question.id)
    ).all()
    stored = files_for_export(session, settings, [q.id for q in questions if q.id]) if settings is not None else {}
    by_category: dict[int, list[QuestionData]] = {}
    files_by_category: dict[int, list[dict[str, MediaFile]]] = {}
    for q in questions:
        raw, files = _with_files(q, stored.get(q.id or 0, []))
        data = QuestionData.from_dict(raw)
        files_by_category.setdefault(q.category_id, []).append(files)
        comp = competences.get(q.competence_id) if q.competence_id else None
        tags = competence_tags(comp, frameworks.get(comp.framework_id) if comp else None, q.level)
        by_category.setdefault(q.category_id, []).append(replace(data, tags=data.tags + tags))
    order = sorted(categories, key=lambda cid: tuple(n.lower() for n in paths[cid]))
    return [
        Section(
            join_path(paths[cid]),
            by_category.get(cid, []),
            CategoryInfo(categories[cid].idnumber or "", categories[cid].description),
            files_by_category.get(cid, []),
        )
        for cid in order
    ]


@dataclass(frozen=True)
class Tagged:
    """An imported question with its competence tags turned back into a competence and level."""

    data: QuestionData
    competence_id: int | None = None
    level: int | None = None
    change: str = ""  # why a tag could not be kept, for the import report


def resolve_competence(session: Session, data: QuestionData) -> Tagged:
    ours = [t for t in data.tags if t.startswith((COMPETENCE, FRAMEWORK, LEVEL))]
    if not ours:
        return Tagged(data)
    rest = replace(data, tags=tuple(t for t in data.tags if t not in ours))
    value = {
        prefix: next((t[len(prefix) :].strip() for t in ours if t.startswith(prefix)), "") for prefix in (COMPETENCE, FRAMEWORK, LEVEL)
    }
    if not value[COMPETENCE]:
        return Tagged(rest, change=gettext("Competence tags without a competence code were left out."))
    query = select(Competence).where(Competence.code == value[COMPETENCE])
    if value[FRAMEWORK]:
        query = query.join(Framework, Framework.id == Competence.framework_id).where(Framework.code == value[FRAMEWORK])
    found = session.exec(query.order_by(Competence.id)).all()
    if len(found) != 1:
        missing = gettext("Competence %(code)r is not in this site's frameworks; the question was imported untagged.")
        ambiguous = gettext("Competence %(code)r is ambiguous in this site's frameworks; the question was imported untagged.")
        return Tagged(rest, change=(ambiguous if found else missing) % {"code": value[COMPETENCE]})
    level = int(value[LEVEL]) if value[LEVEL].isdigit() and 1 <= int(value[LEVEL]) <= MAX_LEVEL else None
    change = (
        ""
        if level is not None or not value[LEVEL]
        else gettext("Level %(level)r is not a level here; it was left out.") % {"level": value[LEVEL][:10]}
    )
    return Tagged(rest, found[0].id, level, change)
