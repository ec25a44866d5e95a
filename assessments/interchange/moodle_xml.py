"""Moodle XML question files: parse safely into ``QuestionData`` and write them back.

Parsing goes through defusedxml with DTDs, entity declarations and external references all
forbidden, after a size check, so billion-laughs, XXE and oversized files end as one clean problem.
Supported types: multichoice (``<single>`` picks single or multiple), multichoiceset (the
all-or-nothing plugin), truefalse, shortanswer, numerical and matching, plus ``category``
pseudo-questions. Other types are listed as problems. HTML text is cleaned with nh3 and rewritten as
Markdown. Export writes ``format="markdown"`` texts in CDATA, which Moodle imports as Markdown.
"""

from __future__ import annotations

import math
import re
from typing import Any
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import defusedxml
import defusedxml.ElementTree as DET

from assessments.interchange.common import (
    CategoryInfo,
    ParseResult,
    Problem,
    TextTooLong,
    foreign_text,
    name_from_stem,
    normalise_category,
    number,
    percent,
    Section,
    too_big,
)
from assessments.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    PARTIAL,
    SHORT_TEXT,
    SINGLE_CHOICE,
    TRUE_FALSE,
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    true_false,
)

_UNSUPPORTED = {
    "essay": "Essay questions are not supported.",
    "description": "Descriptions are not questions; they are not imported.",
    "cloze": "Embedded answers (Cloze) questions are not supported.",
    "multianswer": "Embedded answers (Cloze) questions are not supported.",
    "calculated": "Calculated questions are not supported.",
    "calculatedsimple": "Calculated questions are not supported.",
    "calculatedmulti": "Calculated questions are not supported.",
    "ddwtos": "Drag-and-drop questions are not supported.",
    "gapselect": "Select-missing-words questions are not supported.",
    "randomsamatch": "Random short-answer matching questions are not supported.",
}


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


def parse_moodle_xml(data: str | bytes) -> ParseResult:
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    if (problem := too_big(size)) is not None:
        return ParseResult(problems=[problem])
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        return _fail("The file declares a DTD; Moodle XML needs none, so it is refused for safety.")
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        return _fail("The file declares entities or external references; they are refused for safety.")
    except (ET.ParseError, ValueError, LookupError, UnicodeError, RecursionError) as error:
        # A ParseError's message holds only line and column, never the file's content.
        where = getattr(error, "position", None)
        at = f" (line {where[0]}, column {where[1]})" if where else ""
        return _fail(f"This is not well-formed XML{at}.")
    if root.tag != "quiz":
        return _fail("This is not a Moodle XML question file: the root element must be <quiz>.")
    result = ParseResult()
    category = ""
    index = 0  # questions are numbered as a trainer counts them: category entries are not questions
    for element in root.findall("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = normalise_category(_text(element.find("category")))
            info = element.find("info")
            described = foreign_text(_text(info), info.get("format", "html"))[0] if info is not None else ""
            idnumber = _text(element.find("idnumber")).strip()[:100]
            if described or idnumber:
                result.category_info[category] = CategoryInfo(idnumber, described)
            continue
        index += 1
        name = _text(element.find("name")).strip()[:255]
        try:
            question, warnings = _question(qtype, element, name)
        except (_Skip, TextTooLong) as skip:
            result.problems.append(Problem(index, name or f"Question {index}", str(skip)))
            continue
        result.warnings += [Problem(index, question.name, w) for w in warnings]
        result.add(question, category, index)
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, "File", "No questions were found in this file."))
    return result


def _fail(reason: str) -> ParseResult:
    return ParseResult(problems=[Problem(0, "File", reason)])


def _text(element: ET.Element | None) -> str:
    """The <text> child of ``element`` (or ``element``'s own text), "" if absent."""
    if element is None:
        return ""
    child = element.find("text")
    return (child.text if child is not None else element.text) or ""


_IMG_SRC = re.compile(r"""<img\b[^>]{0,2000}?\bsrc\s*=\s*["']([^"']{1,2000})["']""", re.I)


class _Reader:
    """Reads formatted texts of one question, remembering whether anything had to be dropped."""

    def __init__(self) -> None:
        self.dropped = False
        self.media: list[str] = []  # what was dropped, by file name or address, for the report

    def md(self, element: ET.Element | None, default_format: str = "moodle_auto_format") -> str:
        if element is None:
            return ""
        self.media += [(f.get("name") or "a file")[:100] for f in element.findall("file")]
        raw = _text(element)
        self.media += [src.removeprefix("@@PLUGINFILE@@/")[:100] for src in _IMG_SRC.findall(raw)]
        text, lost = foreign_text(raw, element.get("format", default_format))
        self.dropped = self.dropped or lost or bool(self.media)
        return text


def _fraction(answer: ET.Element) -> float:
    try:
        value = float(answer.get("fraction", "0")) / 100
    except ValueError:
        raise _Skip("An answer has a grade that is not a number.") from None
    if not math.isfinite(value):
        raise _Skip("An answer has a grade that is not a number.")
    return value


def _float(element: ET.Element | None, what: str, default: float | None = None) -> float:
    raw = (element.text or "").strip() if element is not None else ""
    if not raw and default is not None:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise _Skip(f"The {what} {raw[:40]!r} is not a number.") from None
    if not math.isfinite(value):
        raise _Skip(f"The {what} is not a finite number.")
    return value


def _flag(element: ET.Element | None) -> bool:
    return element is not None and (element.text or "").strip().lower() in ("1", "true")


def _question(qtype: str, el: ET.Element, name: str) -> tuple[QuestionData, list[str]]:
    if qtype in _UNSUPPORTED:
        raise _Skip(_UNSUPPORTED[qtype])
    if qtype not in ("multichoice", "multichoiceset", "truefalse", "shortanswer", "numerical", "matching"):
        raise _Skip(f"Question type {qtype[:40]!r} is not supported.")
    read, warnings = _Reader(), []
    stem = read.md(el.find("questiontext"), "html")
    points = _float(el.find("defaultgrade"), "default grade", 1.0)
    common: dict[str, Any] = {
        "name": name or name_from_stem(stem),
        "stem_markdown": stem,
        "points": points,
        "general_feedback": read.md(el.find("generalfeedback"), "html"),
    }
    penalty = el.find("penalty")
    common |= {
        "idnumber": _text(el.find("idnumber")).strip()[:100],
        "tags": tuple(t for t in (_text(tag).strip()[:255] for tag in el.findall("tags/tag")) if t),
        "hints": tuple(h for h in (read.md(hint, "html") for hint in el.findall("hint")) if h),
        "penalty": _float(penalty, "penalty") if penalty is not None and (penalty.text or "").strip() else None,
        "correct_feedback": read.md(el.find("correctfeedback"), "html"),
        "partial_feedback": read.md(el.find("partiallycorrectfeedback"), "html"),
        "incorrect_feedback": read.md(el.find("incorrectfeedback"), "html"),
    }
    if common["hints"]:
        warnings.append(
            f"{len(common['hints'])} hint(s) and the penalty per try are kept for export to Moodle but not shown: "
            "quizzes here give one try."
        )
    answers = el.findall("answer")
    if qtype in ("multichoice", "multichoiceset"):
        choices = [Choice(f"c{i}", read.md(a), _fraction(a), read.md(a.find("feedback"))) for i, a in enumerate(answers, start=1)]
        if qtype == "multichoiceset":
            question = QuestionData(MULTIPLE_CHOICE, choices=choices, multiple_rule=ALL_OR_NOTHING, **common)
        else:
            kind = SINGLE_CHOICE if _flag(el.find("single")) else MULTIPLE_CHOICE
            question = QuestionData(kind, choices=choices, multiple_rule=PARTIAL, **common)
    elif qtype == "truefalse":
        by_text = {_text(a).strip().lower(): a for a in answers}
        if set(by_text) != {"true", "false"}:
            raise _Skip("A true/false question needs one 'true' and one 'false' answer.")
        correct = _fraction(by_text["true"]) > 0
        feedback = {k: read.md(a.find("feedback")) for k, a in by_text.items()}
        question = true_false(
            str(common.pop("name")),
            str(common.pop("stem_markdown")),
            correct,
            feedback_true=feedback["true"],
            feedback_false=feedback["false"],
            **common,
        )
    elif qtype == "shortanswer":
        if _flag(el.find("usecase")):
            warnings.append("Answers were case-sensitive in Moodle; here they are compared ignoring case.")
        accepted = [AcceptedAnswer(_text(a).strip(), _fraction(a), read.md(a.find("feedback"))) for a in answers if _fraction(a) > 0]
        if any("*" in a.text for a in accepted):
            warnings.append("The wildcard * is not supported; it now matches only a literal *.")
        if len(accepted) < len(answers):
            warnings.append("Answers worth 0% were left out; any other answer already scores 0.")
        question = QuestionData(SHORT_TEXT, accepted=accepted, **common)
    elif qtype == "numerical":
        if el.find("units/unit") is not None:
            warnings.append("Units were ignored; learners answer with the number only.")
        # Moodle's "*" answer matches any other number: its feedback is kept, and it must be worth 0.
        others = [a for a in answers if _text(a).strip() == "*"]
        if any(abs(_fraction(a)) > 1e-9 for a in others):
            raise _Skip("A catch-all answer (*) worth more than 0% is not supported: any number would score.")
        common["other_feedback"] = next((read.md(a.find("feedback")) for a in others), "")
        numeric = [
            NumericAnswer(
                _float(a.find("text"), "answer"),
                abs(_float(a.find("tolerance"), "tolerance", 0.0)),
                _fraction(a),
                read.md(a.find("feedback")),
            )
            for a in answers
            if _text(a).strip() != "*"
        ]
        question = QuestionData(NUMERIC, numeric=numeric, **common)
    else:
        pairs = [
            MatchPair(f"p{i}", read.md(sub, "html"), _text(sub.find("answer")).strip())
            for i, sub in enumerate(el.findall("subquestion"), start=1)
        ]
        question = QuestionData(MATCHING, pairs=pairs, **common)
    # Moodle 1.x wrote a question's picture as <image> (and <image_base64>) beside the text.
    read.media += [(_text(image) or "an image").strip()[:100] for image in el.findall("image") if (_text(image) or "").strip()]
    if read.dropped or read.media:
        names = ", ".join(dict.fromkeys(read.media)) or "embedded media"
        warnings.append(f"Images and media are not imported, so these were left out (alt text stays as text): {names}.")
    return question, warnings


# Export ------------------------------------------------------------------------------------------


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot hold most control characters, even in CDATA; drop them rather than emit a broken file.
    return "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))


def _cdata(text: str) -> str:
    return "<![CDATA[" + _xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _md(tag: str, text: str, indent: str = "    ") -> str:
    return f'{indent}<{tag} format="markdown">\n{indent}  <text>{_cdata(text)}</text>\n{indent}</{tag}>'


def _answer(fraction: float, text: str, feedback: str, fmt: str = "markdown", extra: str = "") -> str:
    body = f"<text>{_cdata(text)}</text>" if fmt == "markdown" else f"<text>{escape(_xml_safe(text))}</text>"
    return (
        f'    <answer fraction="{percent(fraction)}" format="{fmt}">\n      {body}\n'
        f"{_md('feedback', feedback, '      ')}{extra}\n    </answer>"
    )


def _body(q: QuestionData) -> tuple[str, list[str]]:
    if q.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        all_or_nothing = q.kind == MULTIPLE_CHOICE and q.multiple_rule == ALL_OR_NOTHING
        qtype = "multichoiceset" if all_or_nothing else "multichoice"
        single = "true" if q.kind == SINGLE_CHOICE else "false"
        lines = [
            f"    <single>{single}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        return qtype, lines + [_answer(c.fraction, c.text, c.feedback) for c in q.choices]
    if q.kind == TRUE_FALSE:
        by_id = {c.id: c for c in q.choices}
        return "truefalse", [
            _answer(by_id[k].fraction, k, by_id[k].feedback, "moodle_auto_format") for k in ("true", "false") if k in by_id
        ]
    if q.kind == SHORT_TEXT:
        return "shortanswer", ["    <usecase>0</usecase>"] + [
            _answer(a.fraction, a.text, a.feedback, "moodle_auto_format") for a in q.accepted
        ]
    if q.kind == NUMERIC:
        tolerance = "\n      <tolerance>{}</tolerance>"
        answers = [
            _answer(n.fraction, number(n.value), n.feedback, "moodle_auto_format", tolerance.format(number(n.tolerance)))
            for n in q.numeric
        ]
        if q.other_feedback.strip():
            answers.append(_answer(0.0, "*", q.other_feedback, "moodle_auto_format", tolerance.format(0)))
        return "numerical", answers
    if q.kind == MATCHING:
        return "matching", ["    <shuffleanswers>true</shuffleanswers>"] + [
            f'    <subquestion format="markdown">\n      <text>{_cdata(p.prompt)}</text>\n'
            f"      <answer><text>{escape(_xml_safe(p.answer))}</text></answer>\n    </subquestion>"
            for p in q.pairs
        ]
    raise ValueError(f"Cannot export question kind {q.kind!r} to Moodle XML.")


def _extras(q: QuestionData) -> list[str]:
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
            lines.append(_md(tag, text))
    lines += [_md("hint", hint) for hint in q.hints]
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
        for q in section.questions:
            qtype, lines = _body(q)
            out += [
                f"  <question type={quoteattr(qtype)}>",
                f"    <name><text>{escape(_xml_safe(q.name))}</text></name>",
                _md("questiontext", q.stem_markdown),
                _md("generalfeedback", q.general_feedback),
                f"    <defaultgrade>{number(q.points)}</defaultgrade>",
                *_extras(q),
                *lines,
                "  </question>",
            ]
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def export_moodle_xml(questions: Iterable[QuestionData], category: str | None = None) -> str:
    """A Moodle XML document; with ``category`` (a path), a category entry first."""
    return export_moodle_xml_sections([Section(category or "", list(questions))])
