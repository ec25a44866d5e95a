"""What an import reports: counts, or every bad line."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.i18n import gettext, ngettext


@dataclass(frozen=True)
class ImportLineError:
    """One reason a file was rejected; ``line`` is the line in the file (0: the file as a whole)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ImportResult:
    ok: bool
    errors: list[ImportLineError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    # Existing accounts whose status the ``active`` column changes (also counted in ``updated``).
    deactivated: int = 0
    reactivated: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        """One paragraph for people: what happened (or would), and that new users need a password. Whole
        sentences, each a message of its own, so every language can word and order them."""
        if not self.ok:
            problems = len(self.errors)
            return ngettext(
                "The file was rejected: %(count)s problem found. Nothing was imported.",
                "The file was rejected: %(count)s problems found. Nothing was imported.",
                problems,
            ) % {"count": problems}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            sentences = [gettext("Would create %(created)s, update %(updated)s and leave %(unchanged)s user(s) unchanged.") % counts]
        else:
            sentences = [gettext("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s user(s).") % counts]
        if units := self.units_created:
            if self.dry_run:
                sentence = ngettext(
                    "%(count)s new organisation unit would be created.", "%(count)s new organisation units would be created.", units
                )
            else:
                sentence = ngettext(
                    "%(count)s new organisation unit was created.", "%(count)s new organisation units were created.", units
                )
            sentences.append(sentence % {"count": units})
        if self.deactivated or self.reactivated:
            moves = {"deactivated": self.deactivated, "reactivated": self.reactivated}
            if self.dry_run:
                sentences.append(
                    gettext("%(deactivated)s would be deactivated and signed out everywhere, %(reactivated)s would be reactivated.")
                    % moves
                )
            else:
                sentences.append(
                    gettext("%(deactivated)s deactivated and signed out everywhere, %(reactivated)s reactivated.") % moves
                )
        if self.dry_run:
            sentences.append(gettext("Dry run: nothing was saved."))
        if self.created:
            if self.dry_run:
                sentences.append(gettext("New users get no password: they choose their own through an invitation link."))
            else:
                sentences.append(
                    ngettext(
                        "New users get no password: the %(count)s person created chooses their own through an invitation link.",
                        "New users get no password: the %(count)s people created choose their own through an invitation link.",
                        self.created,
                    )
                    % {"count": self.created}
                )
        return " ".join(sentences)
