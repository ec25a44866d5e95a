"""What GIFT and Moodle XML import/export share: results, problems, and turning foreign text into safe Markdown.

Imported text never keeps raw HTML. HTML is first cleaned by nh3 to a small allow-list, then rewritten
as Markdown; Markdown has its tags removed. Plain text has Markdown's special characters escaped so it
shows literally. The result is still rendered through the sanitising Markdown renderer when shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from collections.abc import Iterable
from typing import NamedTuple

import nh3

from lms.i18n import format_number, gettext

from assessments.interchange.media import MediaFile
from assessments.questions import QuestionData, question_problems

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Per text field (as lesson Markdown): bounds the cost of cleaning, which grows faster than linearly
# on some hostile HTML, and no real question needs more.
MAX_TEXT = 100_000
MAX_TAGS = 1_000  # opening tags; cleaning deeply nested HTML takes time quadratic in its depth


class TextTooLong(ValueError):
    pass


class Problem(NamedTuple):
    """A question that could not be imported: where (1-based line or question number), title, why."""

    where: int | str
    title: str
    reason: str


@dataclass(frozen=True)
class CategoryInfo:
    """What a file says about a category besides its path: Moodle's id number and description."""

    idnumber: str = ""
    description: str = ""


@dataclass
class Section:
    """What an export writes for one category: its path from the top (``join_path``), and its questions."""

    path: str
    questions: list[QuestionData] = field(default_factory=list)
    info: CategoryInfo = CategoryInfo()
    # The files each question shows, by name, parallel to ``questions`` (may be shorter: none).
    files: list[dict[str, MediaFile]] = field(default_factory=list)

    def files_of(self, index: int) -> dict[str, MediaFile]:
        return self.files[index] if index < len(self.files) else {}


class ExportRefused(ValueError):
    """Some questions cannot be written in this format without changing what they mean."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.title}: {p.reason}" for p in problems))
        self.problems = problems


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The category path of each imported question ("" if none), parallel to ``questions``.
    categories: list[str] = field(default_factory=list)
    # Imported, but something was dropped or changed (e.g. images, case-sensitive matching).
    warnings: list[Problem] = field(default_factory=list)
    # Id numbers and descriptions of the categories the file names, by path.
    category_info: dict[str, CategoryInfo] = field(default_factory=dict)
    # Where each imported question starts (line or question number), parallel to ``questions``.
    places: list[int | str] = field(default_factory=list)
    # The files each imported question shows, by name (assessments.interchange.media), parallel to ``questions``.
    files: list[dict[str, MediaFile]] = field(default_factory=list)

    @property
    def category(self) -> str:
        """The first category named in the file, "" if none."""
        return next((c for c in self.categories if c), "")

    def add(self, question: QuestionData, category: str, where: int | str, files: dict[str, MediaFile] | None = None) -> None:
        """Keep ``question`` if it is valid; otherwise record why not."""
        issues = question_problems(question)
        if issues:
            self.problems.append(
                Problem(where, question.name or gettext("Question at %(where)s") % {"where": where}, " ".join(issues))
            )
        else:
            self.questions.append(question)
            self.categories.append(category)
            self.places.append(where)
            self.files.append(files or {})


def too_big(size: int) -> Problem | None:
    if size > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // (1024 * 1024)
        return Problem(
            0,
            gettext("File"),
            gettext("The file is larger than %(size)s MB; split it into smaller files.") % {"size": format_number(limit)},
        )
    return None


def normalise_category(path: str) -> str:
    """``$course$/top/Safety/Passwords`` -> ``Safety/Passwords``: Moodle's context prefixes mean nothing here."""
    parts = [p.strip() for p in re.split(r"(?<!/)/(?!/)", path.strip()) if p.strip()]
    if parts and re.fullmatch(r"\$\w+\$", parts[0]):
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return "/".join(parts)


def split_path(path: str) -> tuple[str, ...]:
    """A category path as names from the top; Moodle writes a "/" inside a name as "//"."""
    return tuple(p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path) if p.strip())


def join_path(names: Iterable[str]) -> str:
    return "/".join(n.replace("/", "//") for n in names)


def name_from_stem(stem: str) -> str:
    """Moodle names an untitled question after the start of its text; so do we."""
    words = " ".join(re.sub(r"[\\*_`#>\[\]]", "", stem).split())
    return words if len(words) <= 60 else words[:57].rstrip() + "..."


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def text_to_markdown(text: str) -> str:
    """Plain text that must show literally."""
    return escape_markdown(text.strip())


_SCRIPTY = re.compile(r"<(script|style|iframe|object|template)\b.*?(</\1\s*>|\Z)", re.I | re.S)
# Bounded repetition: an unclosed "<a " repeated a million times must not take quadratic time.
_TAG = re.compile(r"<!--.*?(-->|\Z)|</?[A-Za-z][A-Za-z0-9-]{0,30}(\s[^<>]{0,2000})?/?>", re.S)


# A "<" escaped as "\<" is Markdown for a literal "<", not a tag (an escaped backslash before it is not).
_RAW_TAG = re.compile(r"(?<!(?<!\\)\\)(?:" + _TAG.pattern + ")", re.S)


def strip_html(markdown: str) -> str:
    """Markdown from outside with any raw HTML tags removed (autolinks like <https://x> stay)."""
    text = _SCRIPTY.sub("", markdown)
    for _ in range(5):  # removing "<b>" from "<<b>i>" makes a new tag, so strip until nothing changes
        stripped = _RAW_TAG.sub("", text)
        if stripped == text:
            break
        text = stripped
    else:
        text = _RAW_TAG.sub(lambda m: "\\" + m.group(0), text)  # still nested deeper: show it literally
    return text.strip()


_OPENING = re.compile(r"<[A-Za-z]")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text)) or "&" in text and bool(re.search(r"&#?\w+;", text))


_KEEP_TAGS = {
    "p",
    "br",
    "div",
    "strong",
    "b",
    "em",
    "i",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "sub",
    "sup",
    "img",
    "table",
    "tr",
    "td",
    "th",
}


def html_to_markdown(html: str, keep_images: bool = False) -> tuple[str, bool]:
    """Safe Markdown for an HTML fragment, and whether something (an image, an embed) was dropped.

    With ``keep_images``, an image with an address becomes a Markdown image for the caller to check
    (assessments.interchange.media); otherwise it is dropped and its alt text kept.
    """
    clean = nh3.clean(
        html,
        tags=_KEEP_TAGS,
        attributes={"a": {"href"}, "img": {"alt", "src"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    writer = _MarkdownWriter(keep_images)
    writer.feed(clean)
    writer.close()
    embeds = r"<(iframe|object|embed|video|audio|svg)\b" if keep_images else r"<(img|iframe|object|embed|video|audio|svg)\b"
    dropped = writer.dropped or bool(re.search(embeds, html, re.I))
    return writer.result(), dropped


class _MarkdownWriter(HTMLParser):
    _BLOCK = {"p", "div", "ul", "ol", "pre", "blockquote", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    _INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

    def __init__(self, keep_images: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_images = keep_images
        self.out: list[str] = []
        self.dropped = False
        self.lists: list[list[int]] = []  # counters; [-1] for bullets
        self.href: list[str | None] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCK:
            self.out.append("\n\n")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("#" * int(tag[1]) + " ")
        elif tag == "br":
            self.out.append("  \n" if not self.pre else "\n")
        elif tag in self._INLINE and not self.pre:
            self.out.append(self._INLINE[tag])
        elif tag == "pre":
            self.pre += 1
            self.out.append("```\n")
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
            indent = "   " * min(3, max(0, len(self.lists) - 1))
            self.out.append(f"\n{indent}{counter[0]}. " if counter[0] >= 0 else f"\n{indent}- ")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.href.append(href)
            if href:
                self.out.append("[")
        elif tag == "img":
            alt, src = dict(attrs).get("alt"), dict(attrs).get("src")
            if self.keep_images and src:
                alt_text = escape_markdown(" ".join((alt or "").split()))
                self.out.append(f"![{alt_text}]({src.replace(' ', '%20').replace('(', '%28').replace(')', '%29')})")
                return
            self.dropped = True
            if alt:
                self.out.append(escape_markdown(alt))
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._INLINE and not self.pre:
            self.out.append(self._INLINE[tag])
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a":
            href = self.href.pop() if self.href else None
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")
        if tag in self._BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.out.append(data.replace("```", "` ` `"))
        else:
            self.out.append(escape_markdown(re.sub(r"\s+", " ", data)))

    def result(self) -> str:
        text = "".join(self.out)
        # Trailing spaces go, except the two that make a Markdown hard line break.
        lines = [line.rstrip() + ("  " if line.endswith("  ") and line.strip() else "") for line in text.split("\n")]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def foreign_text(text: str, fmt: str, keep_images: bool = False) -> tuple[str, bool]:
    """Markdown for text in one of Moodle's formats (html, moodle_auto_format, plain_text, markdown)."""
    if len(text) > MAX_TEXT:
        raise TextTooLong(gettext("A text is longer than %(max)s characters.") % {"max": format_number(MAX_TEXT)})
    fmt = (fmt or "").lower()
    if fmt == "markdown":
        return strip_html(text), False
    if fmt in ("plain_text", "plain"):
        return text_to_markdown(text), False
    if fmt == "html" or looks_like_html(text):
        if len(_OPENING.findall(text)) > MAX_TAGS:
            raise TextTooLong(gettext("A text has more than %(max)s HTML tags.") % {"max": format_number(MAX_TAGS)})
        return html_to_markdown(text, keep_images)
    return text_to_markdown(text), False


def comparable(q: QuestionData, *, carries_points: bool = True, carries_rule: bool = True) -> dict:
    """The fields a format can carry, with ids replaced by position and fractions rounded.

    Formats do not carry our choice and pair ids (an importer numbers them), GIFT has no points and
    neither format knows partial versus all-or-nothing for every kind, so round trips compare this.
    """
    choices = tuple(replace(c, id=str(i), fraction=round(c.fraction, 5)) for i, c in enumerate(q.choices))
    pairs = tuple(replace(p, id=str(i)) for i, p in enumerate(q.pairs))
    accepted = tuple(replace(a, fraction=round(a.fraction, 5)) for a in q.accepted)
    numeric = tuple(replace(n, fraction=round(n.fraction, 5)) for n in q.numeric)
    data = replace(q, choices=choices, pairs=pairs, accepted=accepted, numeric=numeric).to_dict()
    if not carries_points:
        data.pop("points")
    if not carries_rule or q.kind != "multiple_choice":
        data.pop("multiple_rule")
    return data


def percent(fraction: float) -> str:
    """A fraction as Moodle writes percentages: 1 -> "100", 1/3 -> "33.33333"."""
    value = fraction * 100
    return str(round(value)) if abs(value - round(value)) < 1e-9 else f"{value:.7g}"


def number(value: float) -> str:
    return repr(float(value)).removesuffix(".0") if float(value).is_integer() else repr(float(value))
