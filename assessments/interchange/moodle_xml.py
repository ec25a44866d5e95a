"""Reading Moodle XML question files: parse safely into ``QuestionData`` (moodle_xml_write.py writes them).

Parsing goes through defusedxml with DTDs, entity declarations and external references all
forbidden, after a size check, so billion-laughs, XXE and oversized files end as one clean problem.
Supported types: multichoice (``<single>`` picks single or multiple), multichoiceset (the
all-or-nothing plugin), truefalse, shortanswer, numerical and matching, plus ``category``
pseudo-questions. Other types are listed as problems. HTML text is cleaned with nh3 and rewritten as
Markdown; embedded images are checked and kept with their question (media.py).
"""

from __future__ import annotations

import math
from typing import Any
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as DET

from lms.i18n import format_percent, gettext, lazy_gettext, ngettext

from assessments.interchange.media import DEFAULT_MAX_BYTES, Media, MediaFile, file_name, pluginfile, reference_name, texts_of
from assessments.interchange.common import (
    CategoryInfo,
    ParseResult,
    Problem,
    TextTooLong,
    foreign_text,
    name_from_stem,
    normalise_category,
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
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    true_false,
)

_CLOZE = lazy_gettext("Embedded answers (Cloze) questions are not supported.")
_CALCULATED = lazy_gettext("Calculated questions are not supported.")
_UNSUPPORTED = {
    "essay": lazy_gettext("Essay questions are not supported."),
    "description": lazy_gettext("Descriptions are not questions; they are not imported."),
    "cloze": _CLOZE,
    "multianswer": _CLOZE,
    "calculated": _CALCULATED,
    "calculatedsimple": _CALCULATED,
    "calculatedmulti": _CALCULATED,
    "ddwtos": lazy_gettext("Drag-and-drop questions are not supported."),
    "gapselect": lazy_gettext("Select-missing-words questions are not supported."),
    "randomsamatch": lazy_gettext("Random short-answer matching questions are not supported."),
}
# One whole sentence per number a question holds, since languages word "the <element> is not a number" differently.
_NOT_A_NUMBER = {
    "default grade": lazy_gettext("The default grade %(value)s is not a number."),
    "penalty": lazy_gettext("The penalty %(value)s is not a number."),
    "answer": lazy_gettext("The answer %(value)s is not a number."),
    "tolerance": lazy_gettext("The tolerance %(value)s is not a number."),
}
_NOT_FINITE = {
    "default grade": lazy_gettext("The default grade is not a finite number."),
    "penalty": lazy_gettext("The penalty is not a finite number."),
    "answer": lazy_gettext("The answer is not a finite number."),
    "tolerance": lazy_gettext("The tolerance is not a finite number."),
}


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


def parse_moodle_xml(data: str | bytes, max_file_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Questions, categories and problems of a Moodle XML file; embedded images up to ``max_file_bytes`` each."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    if (problem := too_big(size)) is not None:
        return ParseResult(problems=[problem])
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        return _fail(gettext("The file declares a DTD; Moodle XML needs none, so it is refused for safety."))
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        return _fail(gettext("The file declares entities or external references; they are refused for safety."))
    except (ET.ParseError, ValueError, LookupError, UnicodeError, RecursionError) as error:
        # A ParseError's message holds only line and column, never the file's content.
        where = getattr(error, "position", None)
        if where:
            return _fail(
                gettext("This is not well-formed XML (line %(line)s, column %(column)s).") % {"line": where[0], "column": where[1]}
            )
        return _fail(gettext("This is not well-formed XML."))
    if root.tag != "quiz":
        return _fail(gettext("This is not a Moodle XML question file: the root element must be <quiz>."))
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
            question, warnings, files = _question(qtype, element, name, max_file_bytes)
        except (_Skip, TextTooLong) as skip:
            result.problems.append(Problem(index, name or gettext("Question %(number)s") % {"number": index}, str(skip)))
            continue
        result.warnings += [Problem(index, question.name, w) for w in warnings]
        result.add(question, category, index, files)
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, gettext("File"), gettext("No questions were found in this file.")))
    return result


def _fail(reason: str) -> ParseResult:
    return ParseResult(problems=[Problem(0, gettext("File"), reason)])


def _text(element: ET.Element | None) -> str:
    """The <text> child of ``element`` (or ``element``'s own text), "" if absent."""
    if element is None:
        return ""
    child = element.find("text")
    return (child.text if child is not None else element.text) or ""


class _Reader:
    """Reads formatted texts of one question, with its embedded files, remembering what had to be dropped."""

    def __init__(self, question: ET.Element, max_file_bytes: int) -> None:
        self.dropped = False
        self.media = Media(max_file_bytes)
        # Every file of the question first: Moodle keeps a file beside the text that shows it, but a
        # hand-made file may put it beside another text of the same question.
        for f in question.iter("file"):
            encoding = (f.get("encoding") or "base64").lower()
            if encoding == "base64":
                self.media.add(f.get("name") or "", f.get("path") or "/", f.text or "")
            else:
                why = gettext("its encoding %(encoding)r is not base64") % {"encoding": encoding[:20]}
                self.media.refused[file_name(f.get("name") or "", f.get("path") or "/")] = why

    def md(self, element: ET.Element | None, default_format: str = "moodle_auto_format") -> str:
        if element is None:
            return ""
        text, lost = foreign_text(_text(element), element.get("format", default_format), keep_images=True)
        self.dropped = self.dropped or lost
        return self.media.note_links(self.media.resolve(text))

    def old_images(self, question: ET.Element) -> str:
        """Moodle 1.x's picture beside the text (<image>, with <image_base64>), as an image at the end."""
        out = []
        encoded = _text(question.find("image_base64")).strip()
        for image in question.findall("image"):
            src = (_text(image) or "").strip()
            if not src:
                continue
            name = reference_name(src.rsplit("/", 1)[-1])
            if encoded:
                self.media.add(name, "/", encoded)
            out.append(self.media.resolve(f"![]({pluginfile(name)})"))
        return "\n\n".join(o for o in out if o)


def _fraction(answer: ET.Element) -> float:
    try:
        value = float(answer.get("fraction", "0")) / 100
    except ValueError:
        raise _Skip(gettext("An answer has a grade that is not a number.")) from None
    if not math.isfinite(value):
        raise _Skip(gettext("An answer has a grade that is not a number."))
    return value


def _float(element: ET.Element | None, what: str, default: float | None = None) -> float:
    raw = (element.text or "").strip() if element is not None else ""
    if not raw and default is not None:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise _Skip(str(_NOT_A_NUMBER[what]) % {"value": repr(raw[:40])}) from None
    if not math.isfinite(value):
        raise _Skip(str(_NOT_FINITE[what]))
    return value


def _flag(element: ET.Element | None) -> bool:
    return element is not None and (element.text or "").strip().lower() in ("1", "true")


def _question(qtype: str, el: ET.Element, name: str, max_file_bytes: int) -> tuple[QuestionData, list[str], dict[str, MediaFile]]:
    if qtype in _UNSUPPORTED:
        raise _Skip(str(_UNSUPPORTED[qtype]))
    if qtype not in ("multichoice", "multichoiceset", "truefalse", "shortanswer", "numerical", "matching"):
        raise _Skip(gettext("Question type %(type)r is not supported.") % {"type": qtype[:40]})
    read, warnings = _Reader(el, max_file_bytes), []
    stem = "\n\n".join(t for t in (read.md(el.find("questiontext"), "html"), read.old_images(el)) if t)
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
            ngettext(
                "%(num)s hint and the penalty per try are kept for export to Moodle but not shown: quizzes here give one try.",
                "%(num)s hints and the penalty per try are kept for export to Moodle but not shown: quizzes here give one try.",
                len(common["hints"]),
            )
            % {"num": len(common["hints"])}
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
            raise _Skip(gettext("A true/false question needs one 'true' and one 'false' answer."))
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
            warnings.append(gettext("Answers were case-sensitive in Moodle; here they are compared ignoring case."))
        accepted = [AcceptedAnswer(_text(a).strip(), _fraction(a), read.md(a.find("feedback"))) for a in answers if _fraction(a) > 0]
        if any("*" in a.text for a in accepted):
            warnings.append(gettext("The wildcard * is not supported; it now matches only a literal *."))
        if len(accepted) < len(answers):
            warnings.append(
                gettext("Answers worth %(zero)s were left out; any other answer already scores 0.") % {"zero": format_percent(0)}
            )
        question = QuestionData(SHORT_TEXT, accepted=accepted, **common)
    elif qtype == "numerical":
        if el.find("units/unit") is not None:
            warnings.append(gettext("Units were ignored; learners answer with the number only."))
        # Moodle's "*" answer matches any other number: its feedback is kept, and it must be worth 0.
        others = [a for a in answers if _text(a).strip() == "*"]
        if any(abs(_fraction(a)) > 1e-9 for a in others):
            raise _Skip(
                gettext("A catch-all answer (*) worth more than %(zero)s is not supported: any number would score.")
                % {"zero": format_percent(0)}
            )
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
    warnings += list(dict.fromkeys(read.media.notes))
    if read.dropped:
        warnings.append(
            gettext("Embedded media (video, audio, frames or images without an address) cannot be carried over and were left out.")
        )
    return question, warnings, read.media.used(texts_of(question.to_dict()))
