"""GIFT, Moodle's plain-text question format: parse into ``QuestionData`` and write it back.

Supported: ``::title::``, ``//`` comment lines, ``$CATEGORY:``, ``[html|moodle|plain|markdown]``
formats on the question text and, as in Moodle, on each answer, feedback and the ``####general
feedback``; single and multiple choice with ``%weights%`` and ``#feedback``, true/false, short
answer, numeric (``{#3.5:0.1}``, ``{#1..5}``, several ``=`` answers, and the catch-all ``~#feedback``
or ``=%0%*#feedback`` Moodle's exporter writes for "any other answer"), matching, missing word (text
after the answers; the gap becomes ``_____``) and the escapes ``\\: \\~ \\= \\# \\{ \\} \\\\ \\n``.
Comment lines may carry ``[id:...]`` and ``[tag:...]`` (Moodle's own convention) and ``[points:...]``
(ours; Moodle ignores it); before ``$CATEGORY:`` they carry the category's ``[id:...]`` and
``[info:...]``. See docs/question-interchange.md. Essays, descriptions and anything unreadable are
reported as problems with their line, never raised.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable, Iterator

from lms.i18n import gettext

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
from assessments.interchange.gift_write import export_gift, export_gift_sections
from assessments.questions import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    true_false,
)

# Escaped control characters become private-use placeholders while the structure is parsed.
_PLACEHOLDER = {":": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", "\\": "\ue006"}
_LITERAL = {v: k for k, v in _PLACEHOLDER.items()}
_FORMATS = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text", "markdown": "markdown"}
_WEIGHT = re.compile(r"\s*%(-?[0-9]{1,3}(?:\.[0-9]+)?)%")
_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?"
_TF = re.compile(r"(T|F|TRUE|FALSE)\s*(#.*)?", re.S | re.I)
_MARKER = re.compile(r"\[(html|moodle|plain|markdown)\]", re.I)
_META = re.compile(r"\[(id|tag|points|info):((?:\\\]|[^\]])*)\]", re.I)

__all__ = ["GiftError", "export_gift", "export_gift_sections", "parse_gift"]


class GiftError(ValueError):
    pass


def _protect(text: str) -> str:
    text = re.sub("[\ue000-\ue006]", "", text)
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else _PLACEHOLDER.get(m.group(1), m.group(0)), text)


_UNPROTECT = str.maketrans(_LITERAL)


def _plain(text: str) -> str:
    return text.translate(_UNPROTECT).strip()


def _blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """(first line number, block text, its comment lines) for each blank-line separated block."""
    start, lines, comments = 0, [], []
    for number_, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            comments.append(line)
            continue
        if line.strip():
            start = start or number_
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines), "\n".join(comments)
            start, lines, comments = 0, [], []
    if lines:
        yield start, "\n".join(lines), "\n".join(comments)


def _meta(comments: str) -> dict[str, list[str]]:
    """``[id:x] [tag:y] [points:2] [info:...]`` in comment lines, values unescaped."""
    found: dict[str, list[str]] = {}
    for m in _META.finditer(comments):
        found.setdefault(m.group(1).lower(), []).append(m.group(2).replace("\\]", "]").strip())
    return found


def parse_gift(text: str | bytes) -> ParseResult:
    result = ParseResult()
    if (problem := too_big(len(text))) is not None:
        return ParseResult(problems=[problem])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ParseResult(problems=[Problem(0, gettext("File"), gettext("This is not a UTF-8 text file; save it as UTF-8."))])
    if "\x00" in text:
        return ParseResult(problems=[Problem(0, gettext("File"), gettext("This looks like a binary file, not GIFT text."))])
    category = ""
    for line, block, comments in _blocks(text):
        meta = _meta(comments)
        if block.lstrip().startswith("$CATEGORY:"):
            head, _, block = block.lstrip().partition("\n")
            category = normalise_category(head.split(":", 1)[1])
            if meta.get("id") or meta.get("info"):
                result.category_info[category] = CategoryInfo(meta.get("id", [""])[0][:100], "\n".join(meta.get("info", [])))
            if not block.strip():
                continue
            meta = {}  # the comments were the category's
        title = ""
        try:
            protected = _protect(block.strip())
            title = _title(protected)
            question, dropped = _question(protected)
            question = _with_meta(question, meta)
        except (GiftError, TextTooLong) as error:
            result.problems.append(Problem(line, title or _snippet(block), str(error)))
            continue
        if dropped:
            result.warnings.append(Problem(line, question.name, gettext("Images or embedded media were removed.")))
        result.add(question, category, line)
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, gettext("File"), gettext("No questions were found in this file.")))
    return result


def _with_meta(question: QuestionData, meta: dict[str, list[str]]) -> QuestionData:
    points = question.points
    if meta.get("points"):
        try:
            points = float(meta["points"][0])
        except ValueError:
            raise GiftError(gettext("%(points)s is not a number.") % {"points": f"[points:{meta['points'][0][:20]}]"}) from None
    return replace(question, idnumber=meta.get("id", [""])[0][:100], tags=tuple(t for t in meta.get("tag", []) if t), points=points)


def _snippet(block: str) -> str:
    first = block.strip().splitlines()[0] if block.strip() else ""
    return first if len(first) <= 60 else first[:57] + "..."


def _title(block: str) -> str:
    if not block.startswith("::"):
        return ""
    end = block.find("::", 2)
    if end < 0:
        raise GiftError(gettext("The title is not closed with '::'."))
    return _plain(block[2:end])[:255]


def _question(block: str) -> tuple[QuestionData, bool]:
    name = _title(block)
    if name or block.startswith("::"):
        block = block[block.find("::", 2) + 2 :]
    block = block.lstrip()
    fmt = "moodle_auto_format"
    if m := re.match(r"\[(html|moodle|plain|markdown)\]", block, re.I):
        fmt, block = _FORMATS[m.group(1).lower()], block[m.end() :]
    opening, closing = block.find("{"), block.find("}")
    if opening < 0 and closing < 0:
        raise GiftError(gettext("There is no answer block {...}; descriptions are not imported."))
    if block.count("{") > 1 and block.count("}") > 1:
        raise GiftError(gettext("There is more than one answer block {...}: separate questions with a blank line."))
    if block.count("{") != 1 or block.count("}") != 1 or closing < opening:
        raise GiftError(gettext("The braces { } are unbalanced; write a literal brace as \\{ or \\}."))
    before, after = block[:opening].strip(), block[closing + 1 :].strip()
    answers = block[opening + 1 : closing].strip()
    dropped = False

    def md(raw: str) -> str:
        # As Moodle: any text may start with its own [format]; otherwise it has the question's.
        nonlocal dropped
        raw, own = _marker(raw)
        text, lost = foreign_text(_plain(raw), own or fmt)
        dropped = dropped or lost
        return text

    stem = md(f"{before} _____ {after}" if after else before)
    answers, _, general = answers.partition("####")
    name = name or name_from_stem(stem)
    common = {"name": name, "stem_markdown": stem, "general_feedback": md(general)}
    answers = answers.strip()
    if not answers:
        raise GiftError(gettext("Essay questions are not supported."))
    if answers.startswith("#"):
        numeric, other = _numeric(answers[1:], md)
        return QuestionData(NUMERIC, numeric=numeric, other_feedback=other, **common), dropped
    if m := _TF.fullmatch(answers):
        wrong, _, right = (m.group(2) or "#")[1:].partition("#")
        right, wrong = md(right), md(wrong)
        correct = m.group(1).upper().startswith("T")
        question = true_false(
            name,
            stem,
            correct,
            feedback_true=right if correct else wrong,
            feedback_false=wrong if correct else right,
            general_feedback=common["general_feedback"],
        )
        return question, dropped
    parts = re.split(r"(?=[=~])", answers)
    if parts[0].strip():
        raise GiftError(gettext("Each answer must start with = (right) or ~ (wrong)."))
    parts = parts[1:]
    markers = [p[0] for p in parts]
    if "~" in markers:
        choices = []
        for i, part in enumerate(parts, start=1):
            fraction, body = _weight(part[1:], 1.0 if part[0] == "=" else 0.0)
            text, _, feedback = body.partition("#")
            choices.append(Choice(f"c{i}", md(text), fraction, md(feedback)))
        kind = SINGLE_CHOICE if "=" in markers else MULTIPLE_CHOICE
        return QuestionData(kind, choices=choices, **common), dropped
    with_arrow = ["->" in p for p in parts]
    if all(with_arrow):
        pairs = []
        for i, part in enumerate(parts, start=1):
            prompt, _, answer = part[1:].partition("->")
            pairs.append(MatchPair(f"p{i}", md(prompt), _plain(_marker(answer)[0])))
        return QuestionData(MATCHING, pairs=pairs, **common), dropped
    if any(with_arrow):
        raise GiftError(gettext("Some answers are matching pairs (->) and some are not."))
    accepted = []
    for part in parts:
        fraction, body = _weight(part[1:], 1.0)
        text, _, feedback = body.partition("#")
        accepted.append(AcceptedAnswer(_plain(_marker(text)[0]), fraction, md(feedback)))
    return QuestionData(SHORT_TEXT, accepted=accepted, **common), dropped


def _marker(raw: str) -> tuple[str, str]:
    """(text without a leading [format] marker, the format or "")."""
    raw = raw.strip()
    if m := _MARKER.match(raw):
        return raw[m.end() :], _FORMATS[m.group(1).lower()]
    return raw, ""


def _weight(body: str, default: float) -> tuple[float, str]:
    if m := _WEIGHT.match(body):
        return float(m.group(1)) / 100, body[m.end() :]
    return default, body


def _numeric(spec: str, md: Callable[[str], str]) -> tuple[list[NumericAnswer], str]:
    """The answers, and the feedback for any other number (Moodle's "*" answer)."""
    spec = spec.strip()
    parts = re.split(r"(?=[=~])", spec) if spec[:1] in "=~" else ["=" + spec]
    answers, other = [], ""
    for part in parts:
        if not part.strip():
            continue
        fraction, body = _weight(part[1:], 1.0 if part[0] == "=" else 0.0)
        value, _, feedback = body.partition("#")
        value = value.strip()
        if value == "*" or not value and (part[0] == "~" or _WEIGHT.match(part[1:])):
            if abs(fraction) > 1e-9:
                raise GiftError(gettext("A catch-all answer (* or ~) for any other number must be worth 0%."))
            other = md(feedback)
            continue
        if m := re.fullmatch(rf"({_NUM})\s*\.\.\s*({_NUM})", value):
            low, high = sorted((float(m.group(1)), float(m.group(2))))
            mid, tol = (low + high) / 2, (high - low) / 2
        elif m := re.fullmatch(rf"({_NUM})(?:\s*:\s*({_NUM}))?", value):
            mid, tol = float(m.group(1)), abs(float(m.group(2) or 0))
        else:
            raise GiftError(
                gettext("%(value)r is not a number, a number:tolerance or a range low..high.") % {"value": _plain(value)[:40]}
            )
        answers.append(NumericAnswer(mid, tol, fraction, md(feedback)))
    return answers, other
