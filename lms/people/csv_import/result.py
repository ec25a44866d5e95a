"""What an import reports: counts, or every bad line."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        """One paragraph for people: what happened (or would), and that new users need a password."""
        if not self.ok:
            return f"The file was rejected: {len(self.errors)} problem(s) found. Nothing was imported."
        if self.dry_run:
            text = f"Would create {self.created}, update {self.updated} and leave {self.unchanged} user(s) unchanged"
        else:
            text = f"Created {self.created}, updated {self.updated}, unchanged {self.unchanged} user(s)"
        if self.units_created:
            units = f"{self.units_created} new organisation unit(s)"
            text += f"; {'with ' if self.dry_run else ''}{units}"
        if self.deactivated or self.reactivated:
            would = "would be " if self.dry_run else ""
            text += f"; {self.deactivated} {would}deactivated and signed out everywhere, {self.reactivated} {would}reactivated"
        text += "."
        if self.dry_run:
            text += " Dry run: nothing was saved."
        if self.created:
            who = "they" if self.dry_run else f"the {self.created} created"
            text += f" New users get no password: {who} choose their own through an invitation link."
        return text
