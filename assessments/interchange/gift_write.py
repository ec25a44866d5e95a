"""Writing GIFT: ``[markdown]`` texts, so an exported file imports back to equal questions.

GIFT has no points, id numbers or tags of its own; they go in a comment line before the question
(``// [id:...] [tag:...] [points:...]``; Moodle reads the first two and ignores the third), and a
category's id number and description in comment lines before its ``$CATEGORY:``. GIFT cannot say
"all or nothing": such a question is refused with a reason rather than written as partial credit.
Combined feedback, hints and the penalty have no place in GIFT and are not written (Moodle XML keeps
them). See docs/question-interchange.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from lms.i18n import gettext

from assessments.interchange.common import ExportRefused, Problem, Section, number, percent
from assessments.questions import (
    ALL_OR_NOTHING,
    EPSILON,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    TRUE_FALSE,
    QuestionData,
)


def _esc(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in ":~=#{}":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _meta_value(text: str) -> str:
    return " ".join(text.split()).replace("]", "\\]")


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
        # As Moodle's own exporter: one answer a line, and "~#feedback" for any other number.
        lines = [f"={_w(n.fraction, '', True)}{number(n.value)}:{number(n.tolerance)}{_fb(n.feedback)}" for n in q.numeric]
        if q.other_feedback.strip():
            lines.append(f"~{_fb(q.other_feedback)}")
        return "#\n\t" + "\n\t".join(lines) + "\n"
    if q.kind == MATCHING:
        return "\n\t" + "\n\t".join(f"={_esc(p.prompt)} -> {_esc(p.answer)}" for p in q.pairs) + "\n"
    raise ValueError(f"Cannot export question kind {q.kind!r} to GIFT.")


def gift_refusal(q: QuestionData) -> str | None:
    """Why ``q`` cannot be written as GIFT without changing its meaning, or None."""
    if q.kind == MULTIPLE_CHOICE and q.multiple_rule == ALL_OR_NOTHING:
        return gettext(
            "GIFT has no all-or-nothing multiple choice: Moodle would give partial credit. "
            "Export it as Moodle XML, or change it to partial credit first."
        )
    return None


def _files_refusal(files: dict) -> str | None:
    if not files:
        return None
    names = ", ".join(sorted(files))
    return gettext("GIFT cannot carry files, and this question shows %(files)s. Export it as Moodle XML, which keeps its images.") % {
        "files": names
    }


def _question(q: QuestionData) -> list[str]:
    meta = ([f"[id:{_meta_value(q.idnumber)}]"] if q.idnumber.strip() else []) + [f"[tag:{_meta_value(t)}]" for t in q.tags]
    if abs(q.points - 1.0) > EPSILON:
        meta.append(f"[points:{number(q.points)}]")
    general = f"####[markdown]{_esc(q.general_feedback)}" if q.general_feedback.strip() else ""
    head = ["// " + " ".join(meta)] if meta else []
    return [*head, f"::{_esc(q.name)}::[markdown]{_esc(q.stem_markdown)} {{{_answers(q)}{general}}}", ""]


def export_gift_sections(sections: Iterable[Section]) -> str:
    """GIFT text for whole categories in order, each opened by its ``$CATEGORY:`` line.

    Raises ExportRefused, naming every question GIFT cannot carry, before writing anything.
    """
    sections = list(sections)
    refused = [
        Problem(i, q.name, why)
        for s in sections
        for i, q in enumerate(s.questions, 1)
        if (why := gift_refusal(q) or _files_refusal(s.files_of(i - 1)))
    ]
    if refused:
        raise ExportRefused(refused)
    out = ["// Exported from Proficio", ""]
    for section in sections:
        if section.path:
            if section.info.idnumber.strip():
                out.append(f"// [id:{_meta_value(section.info.idnumber)}]")
            out += [f"// [info:{_meta_value(line)}]" for line in section.info.description.splitlines() if line.strip()]
            out += [f"$CATEGORY: $course$/top/{section.path}", ""]
        for q in section.questions:
            out += _question(q)
    return "\n".join(out)


def export_gift(questions: Iterable[QuestionData], category: str | None = None) -> str:
    """GIFT text for ``questions``; with ``category`` (a path), a ``$CATEGORY:`` line first."""
    return export_gift_sections([Section(category or "", list(questions))])
