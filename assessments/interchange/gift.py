"""GIFT, Moodle's plain-text question format: parse into ``QuestionData`` and write it back.

Supported: ``::title::``, ``//`` comment lines, ``$CATEGORY:``, ``[html|moodle|plain|markdown]``
formats, single and multiple choice with ``%weights%`` and ``#feedback``, ``####general feedback``,
true/false, short answer, numeric (``{#3.5:0.1}``, ``{#1..5}``, several ``=`` answers), matching,
missing word (text after the answers; the gap becomes ``_____``) and the escapes ``\\: \\~ \\= \\# \\{ \\}
\\\\ \\n``. Essays, descriptions and anything unreadable are reported as problems, never raised.

Export writes ``[markdown]`` texts, so an exported file imports back to equal questions (GIFT does
not carry points or the all-or-nothing rule: those come back as 1 point and "partial").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from assessments.interchange.common import (
    ParseResult,
    Problem,
    TextTooLong,
    foreign_text,
    name_from_stem,
    normalise_category,
    number,
    percent,
    too_big,
)
from assessments.questions import (
    EPSILON,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
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

# Escaped control characters become private-use placeholders while the structure is parsed.
_PLACEHOLDER = {":": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", "\\": "\ue006"}
_LITERAL = {v: k for k, v in _PLACEHOLDER.items()}
_FORMATS = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text", "markdown": "markdown"}
_WEIGHT = re.compile(r"\s*%(-?[0-9]{1,3}(?:\.[0-9]+)?)%")
_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?"
_TF = re.compile(r"(T|F|TRUE|FALSE)\s*(#.*)?", re.S | re.I)


class GiftError(ValueError):
    pass


def _protect(text: str) -> str:
    text = re.sub("[\ue000-\ue006]", "", text)
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else _PLACEHOLDER.get(m.group(1), m.group(0)), text)


_UNPROTECT = str.maketrans(_LITERAL)


def _plain(text: str) -> str:
    return text.translate(_UNPROTECT).strip()


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, block text) for each blank-line separated block, comment lines dropped."""
    start, lines = 0, []
    for number_, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if line.strip():
            start = start or number_
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            start, lines = 0, []
    if lines:
        yield start, "\n".join(lines)


def parse_gift(text: str | bytes) -> ParseResult:
    result = ParseResult()
    if (problem := too_big(len(text))) is not None:
        return ParseResult(problems=[problem])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ParseResult(problems=[Problem(0, "File", "This is not a UTF-8 text file; save it as UTF-8.")])
    if "\x00" in text:
        return ParseResult(problems=[Problem(0, "File", "This looks like a binary file, not GIFT text.")])
    category = ""
    for line, block in _blocks(text):
        if block.lstrip().startswith("$CATEGORY:"):
            head, _, block = block.lstrip().partition("\n")
            category = normalise_category(head.split(":", 1)[1])
            if not block.strip():
                continue
        title = ""
        try:
            protected = _protect(block.strip())
            title = _title(protected)
            question, dropped = _question(protected)
        except (GiftError, TextTooLong) as error:
            result.problems.append(Problem(line, title or _snippet(block), str(error)))
            continue
        if dropped:
            result.warnings.append(Problem(line, question.name, "Images or embedded media were removed."))
        result.add(question, category, line)
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, "File", "No questions were found in this file."))
    return result


def _snippet(block: str) -> str:
    first = block.strip().splitlines()[0] if block.strip() else ""
    return first if len(first) <= 60 else first[:57] + "..."


def _title(block: str) -> str:
    if not block.startswith("::"):
        return ""
    end = block.find("::", 2)
    if end < 0:
        raise GiftError("The title is not closed with '::'.")
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
        raise GiftError("There is no answer block {...}; descriptions are not imported.")
    if block.count("{") > 1 and block.count("}") > 1:
        raise GiftError("There is more than one answer block {...}: separate questions with a blank line.")
    if block.count("{") != 1 or block.count("}") != 1 or closing < opening:
        raise GiftError("The braces { } are unbalanced; write a literal brace as \\{ or \\}.")
    before, after = block[:opening].strip(), block[closing + 1 :].strip()
    answers = block[opening + 1 : closing].strip()
    dropped = False

    def md(raw: str) -> str:
        nonlocal dropped
        text, lost = foreign_text(_plain(raw), fmt)
        dropped = dropped or lost
        return text

    stem = md(f"{before} _____ {after}" if after else before)
    answers, _, general = answers.partition("####")
    name = name or name_from_stem(stem)
    common = {"name": name, "stem_markdown": stem, "general_feedback": md(general)}
    answers = answers.strip()
    if not answers:
        raise GiftError("Essay questions are not supported.")
    if answers.startswith("#"):
        return QuestionData(NUMERIC, numeric=_numeric(answers[1:], md), **common), dropped
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
        raise GiftError("Each answer must start with = (right) or ~ (wrong).")
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
            pairs.append(MatchPair(f"p{i}", md(prompt), _plain(answer)))
        return QuestionData(MATCHING, pairs=pairs, **common), dropped
    if any(with_arrow):
        raise GiftError("Some answers are matching pairs (->) and some are not.")
    accepted = []
    for part in parts:
        fraction, body = _weight(part[1:], 1.0)
        text, _, feedback = body.partition("#")
        accepted.append(AcceptedAnswer(_plain(text), fraction, md(feedback)))
    return QuestionData(SHORT_TEXT, accepted=accepted, **common), dropped


def _weight(body: str, default: float) -> tuple[float, str]:
    if m := _WEIGHT.match(body):
        return float(m.group(1)) / 100, body[m.end() :]
    return default, body


def _numeric(spec: str, md: Callable[[str], str]) -> list[NumericAnswer]:
    spec = spec.strip()
    parts = re.split(r"(?=[=~])", spec) if spec[:1] in "=~" else ["=" + spec]
    answers = []
    for part in parts:
        if not part.strip():
            continue
        fraction, body = _weight(part[1:], 1.0 if part[0] == "=" else 0.0)
        value, _, feedback = body.partition("#")
        value = value.strip()
        if m := re.fullmatch(rf"({_NUM})\s*\.\.\s*({_NUM})", value):
            low, high = sorted((float(m.group(1)), float(m.group(2))))
            mid, tol = (low + high) / 2, (high - low) / 2
        elif m := re.fullmatch(rf"({_NUM})(?:\s*:\s*({_NUM}))?", value):
            mid, tol = float(m.group(1)), abs(float(m.group(2) or 0))
        else:
            raise GiftError(f"{_plain(value)[:40]!r} is not a number, a number:tolerance or a range low..high.")
        answers.append(NumericAnswer(mid, tol, fraction, md(feedback)))
    return answers


# Export ------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in ":~=#{}":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _w(fraction: float, text: str, always: bool = False) -> str:
    """A weight prefix, written when needed or when the text itself starts with '%'."""
    return f"%{percent(fraction)}%" if always or text.lstrip().startswith("%") else ""


def _fb(feedback: str) -> str:
    return f"#{_esc(feedback)}" if feedback.strip() else ""


def _answers(q: QuestionData) -> str:
    if q.kind == TRUE_FALSE:
        correct = next((c for c in q.choices if c.fraction > 0), q.choices[0])
        other = next((c for c in q.choices if c is not correct), correct)
        head = "TRUE" if correct.id == "true" else "FALSE"
        if not (correct.feedback.strip() or other.feedback.strip()):
            return head
        return f"{head}#{_esc(other.feedback)}#{_esc(correct.feedback)}"
    if q.kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        out = []
        for c in q.choices:
            if q.kind == SINGLE_CHOICE and abs(c.fraction - 1.0) < EPSILON:
                out.append(f"={_w(1.0, c.text)}{_esc(c.text)}{_fb(c.feedback)}")
            else:
                out.append(f"~{_w(c.fraction, c.text, c.fraction != 0)}{_esc(c.text)}{_fb(c.feedback)}")
        return "\n\t" + "\n\t".join(out) + "\n"
    if q.kind == SHORT_TEXT:
        return " ".join(f"={_w(a.fraction, a.text, a.fraction != 1)}{_esc(a.text)}{_fb(a.feedback)}" for a in q.accepted)
    if q.kind == NUMERIC:
        return "#" + " ".join(
            f"={_w(n.fraction, '', n.fraction != 1)}{number(n.value)}:{number(n.tolerance)}{_fb(n.feedback)}" for n in q.numeric
        )
    if q.kind == MATCHING:
        return "\n\t" + "\n\t".join(f"={_esc(p.prompt)} -> {_esc(p.answer)}" for p in q.pairs) + "\n"
    raise ValueError(f"Cannot export question kind {q.kind!r} to GIFT.")


def export_gift(questions: Iterable[QuestionData], category: str | None = None) -> str:
    """GIFT text for ``questions``; with ``category``, a ``$CATEGORY:`` line first."""
    out = ["// Exported from Proficio", ""]
    if category:
        out += [f"$CATEGORY: $course$/top/{category}", ""]
    for q in questions:
        general = f"####{_esc(q.general_feedback)}" if q.general_feedback.strip() else ""
        out += [f"::{_esc(q.name)}::[markdown]{_esc(q.stem_markdown)} {{{_answers(q)}{general}}}", ""]
    return "\n".join(out)
