"""The catalogues' upkeep: extract the interface strings, bring French up to date, and refuse a gap.

``python -m lms.i18n_check check`` (``make translations-check``, run by ``make test``) extracts every
marked string into a temporary template, merges it into a copy of each committed catalogue and fails
when a language has a message that is untranslated or fuzzy; it changes no file. ``update`` writes
the merge into lms/locale/<lang>/LC_MESSAGES/messages.po for translators (``make translations-update``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from lms.config import PROJECT_ROOT
from lms.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES

# lazy_gettext and lazy_pgettext mark strings defined at import time; Babel's defaults cover _, gettext, ngettext,
# pgettext and npgettext (the context is the first argument).
KEYWORDS = ("lazy_gettext", "lazy_pgettext:1c,2")


def extract(pot: Path, root: Path = PROJECT_ROOT) -> Path:
    """Every marked string under ``root`` (as babel.cfg maps it) into the template ``pot``."""
    args = ["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-o", str(pot), "--sort-by-file", "--no-wrap"]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(root)])
    return pot


def template(pot: Path, root: Path = PROJECT_ROOT) -> Catalog:
    """The extracted template, its locations relative to the project so catalogues do not name a checkout."""
    with pot.open("rb") as fp:
        catalog = read_po(fp)
    for message in catalog:
        message.locations = [(os.path.relpath(name, root), line) for name, line in message.locations]
    return catalog


def merged(po: Path, template: Catalog) -> Catalog:
    """The catalogue at ``po`` brought up to ``template``: new and changed strings empty (never guessed)."""
    with po.open("rb") as fp:
        catalog = read_po(fp)
    # No fuzzy matching: a guessed translation of a similar message, merely flagged, is worse than none here.
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def problems(catalog: Catalog) -> list[str]:
    """One line per message a translator still has to do: untranslated, partly translated plurals, or fuzzy."""
    found = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if message.fuzzy:
            found.append(f"fuzzy: {msgid!r} ({where})")
        elif not all(strings):
            found.append(f"untranslated: {msgid!r} ({where})")
    return found


def _languages(locale_dir: Path) -> list[str]:
    return [code for code in SUPPORTED_LANGUAGES if code != SOURCE_LANGUAGE and (locale_dir / code).is_dir()]


def _po(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def check(locale_dir: Path = LOCALE_DIR, root: Path = PROJECT_ROOT) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        extracted = template(extract(Path(tmp) / f"{DOMAIN}.pot", root), root)
    return [
        f"{language}: {line}" for language in _languages(locale_dir) for line in problems(merged(_po(locale_dir, language), extracted))
    ]


def update(locale_dir: Path = LOCALE_DIR, root: Path = PROJECT_ROOT) -> None:
    extracted = template(extract(locale_dir / f"{DOMAIN}.pot", root), root)
    for language in _languages(locale_dir):
        catalog = merged(_po(locale_dir, language), extracted)
        with _po(locale_dir, language).open("wb") as fp:
            write_po(fp, catalog, sort_by_file=True, width=0, include_previous=True)


def main(argv: list[str] | None = None, *, locale_dir: Path = LOCALE_DIR, root: Path = PROJECT_ROOT) -> int:
    command = (argv if argv is not None else sys.argv[1:] or ["check"])[0]
    if command == "update":
        update(locale_dir, root)
        return 0
    if command != "check":
        print("usage: python -m lms.i18n_check [check|update]", file=sys.stderr)
        return 2
    found = check(locale_dir, root)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            f"{len(found)} message(s) to translate: run `make translations-update`, translate, then `make translations`",
            file=sys.stderr,
        )
        return 1
    print("Every interface string is translated.")
    return 0


if __name__ == "__main__":  # pragma: no cover - `make translations-check`
    sys.exit(main())
