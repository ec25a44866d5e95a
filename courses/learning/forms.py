"""The learner's course rating form: posted strings in, (errors, clean values) out."""

from __future__ import annotations

from dataclasses import dataclass

from lms.i18n import format_number, gettext
from lms.web.params import parse_int


COMMENT_MAX = 2000


@dataclass
class FeedbackForm:
    rating: str = ""
    comment: str = ""

    def check(self) -> tuple[dict[str, str], int | None, str]:
        """(errors, rating, comment); error keys are the ids of the fields they belong to."""
        errors: dict[str, str] = {}
        raw = self.rating.strip()
        rating = parse_int(raw, 1, 5)
        if rating is None:
            errors["rating"] = gettext("Choose a rating from 1 to 5.") if raw else gettext("Choose a rating.")
        comment = self.comment.strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = gettext("Keep your comment to %(max)s characters or fewer (it has %(num)s).") % {
                "max": format_number(COMMENT_MAX),
                "num": format_number(len(comment)),
            }
        return errors, rating, comment
