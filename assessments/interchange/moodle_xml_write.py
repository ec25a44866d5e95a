"""Writing Moodle XML: ``format="markdown"`` texts in CDATA, which Moodle imports as Markdown, and each
question's images as ``<file encoding="base64">`` beside every text that shows them (``@@PLUGINFILE@@/name``),
so an exported file imports back to equal questions with the same files. See docs/question-interchange.md.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from assessments.interchange.common import Section, number, percent
from assessments.interchange.media import MediaFile
from assessments.interchange.media import used as media_used
from assessments.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    TRUE_FALSE,
    QuestionData,
)


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot hold most control characters, even in CDATA; drop them rather than emit a broken file.
    return "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))


def _cdata(text: str) -> str:
    return "<![CDATA[" + _xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


_NO_FILES: dict[str, MediaFile] = {}


def _files(text: str, files: dict[str, MediaFile], indent: str) -> str:
    """A ``<file>`` for each of ``files`` the text shows, as Moodle writes them beside the text."""
    shown = media_used(texts=[text], files=files)
    return "".join(
        f'\n{indent}  <file name={quoteattr(_xml_safe(f.name))} path="/" encoding="base64">{base64.b64encode(f.data).decode()}</file>'
        for f in shown.values()
    )


def _md(tag: str, text: str, indent: str = "    ", files: dict[str, MediaFile] = _NO_FILES) -> str:
    return f'{indent}<{tag} format="markdown">\n{indent}  <text>{_cdata(text)}</text>{_files(text, files, indent)}\n{indent}</{tag}>'


def _answer(
    fraction: float, text: str, feedback: str, fmt: str = "markdown", extra: str = "", files: dict[str, MediaFile] = _NO_FILES
) -> str:
    if fmt == "markdown":
        body = f"<text>{_cdata(text)}</text>{_files(text, files, '    ')}"
    else:
        body = f"<text>{escape(_xml_safe(text))}</text>"
    return (
        f'    <answer fraction="{percent(fraction)}" format="{fmt}">\n      {body}\n'
        f"{_md('feedback', feedback, '      ', files)}{extra}\n    </answer>"
    )


def _body(q: QuestionData, files: dict[str, MediaFile]) -> tuple[str, list[str]]:
    if q.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        all_or_nothing = q.kind == MULTIPLE_CHOICE and q.multiple_rule == ALL_OR_NOTHING
        qtype = "multichoiceset" if all_or_nothing else "multichoice"
        single = "true" if q.kind == SINGLE_CHOICE else "false"
        lines = [
            f"    <single>{single}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        return qtype, lines + [_answer(c.fraction, c.text, c.feedback, files=files) for c in q.choices]
    if q.kind == TRUE_FALSE:
        by_id = {c.id: c for c in q.choices}
        return "truefalse", [
            _answer(by_id[k].fraction, k, by_id[k].feedback, "moodle_auto_format", files=files)
            for k in ("true", "false")
            if k in by_id
        ]
    if q.kind == SHORT_TEXT:
        return "shortanswer", ["    <usecase>0</usecase>"] + [
            _answer(a.fraction, a.text, a.feedback, "moodle_auto_format", files=files) for a in q.accepted
        ]
    if q.kind == NUMERIC:
        tolerance = "\n      <tolerance>{}</tolerance>"
        answers = [
            _answer(n.fraction, number(n.value), n.feedback, "moodle_auto_format", tolerance.format(number(n.tolerance)), files)
            for n in q.numeric
        ]
        if q.other_feedback.strip():
            answers.append(_answer(0.0, "*", q.other_feedback, "moodle_auto_format", tolerance.format(0), files))
        return "numerical", answers
    if q.kind == MATCHING:
        return "matching", ["    <shuffleanswers>true</shuffleanswers>"] + [
            f'    <subquestion format="markdown">\n      <text>{_cdata(p.prompt)}</text>{_files(p.prompt, files, "    ")}\n'
            f"      <answer><text>{escape(_xml_safe(p.answer))}</text></answer>\n    </subquestion>"
            for p in q.pairs
        ]
    raise ValueError(f"Cannot export question kind {q.kind!r} to Moodle XML.")


def _extras(q: QuestionData, files: dict[str, MediaFile]) -> list[str]:
    """Id number, combined feedback, hints and tags: what Moodle keeps besides the answers."""
    lines = [f"    <idnumber>{escape(_xml_safe(q.idnumber))}</idnumber>"] if q.idnumber else []
    if q.penalty is not None:
        lines.append(f"    <penalty>{q.penalty:.7f}</penalty>")
    if q.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE, MATCHING):
        for tag, text in (
            ("correctfeedback", q.correct_feedback),
            ("partiallycorrectfeedback", q.partial_feedback),
            ("incorrectfeedback", q.incorrect_feedback),
        ):
            lines.append(_md(tag, text, files=files))
    lines += [_md("hint", hint, files=files) for hint in q.hints]
    if q.tags:
        tags = "".join(f"<tag><text>{escape(_xml_safe(t))}</text></tag>" for t in q.tags)
        lines.append(f"    <tags>{tags}</tags>")
    return lines


def _category(section: Section) -> list[str]:
    info = section.info
    lines = [
        '  <question type="category">',
        f"    <category><text>{escape(_xml_safe('$course$/top/' + section.path))}</text></category>",
        _md("info", info.description),
    ]
    if info.idnumber:
        lines.append(f"    <idnumber>{escape(_xml_safe(info.idnumber))}</idnumber>")
    return [*lines, "  </question>"]


def export_moodle_xml_sections(sections: Iterable[Section]) -> str:
    """One Moodle XML document for whole categories in order, each opened by its category entry."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for section in sections:
        if section.path:
            out += _category(section)
        for index, q in enumerate(section.questions):
            files = section.files_of(index)
            qtype, lines = _body(q, files)
            out += [
                f"  <question type={quoteattr(qtype)}>",
                f"    <name><text>{escape(_xml_safe(q.name))}</text></name>",
                _md("questiontext", q.stem_markdown, files=files),
                _md("generalfeedback", q.general_feedback, files=files),
                f"    <defaultgrade>{number(q.points)}</defaultgrade>",
                *_extras(q, files),
                *lines,
                "  </question>",
            ]
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def export_moodle_xml(
    questions: Iterable[QuestionData], category: str | None = None, files: list[dict[str, MediaFile]] | None = None
) -> str:
    """A Moodle XML document; with ``category`` (a path), a category entry first; ``files`` parallel to ``questions``."""
    return export_moodle_xml_sections([Section(category or "", list(questions), files=files or [])])
