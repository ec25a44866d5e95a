"""Every message a service raises for a person to read goes through gettext, so it reaches them in their language.

A static check over lms/, courses/ and assessments/: a ``raise`` of a FieldError subclass (the errors forms
show, lms/errors.py) whose message is a plain or f-string literal was never marked, so no catalogue can
translate it. Messages built with ``gettext(...)``/``_(...)`` (and ``% {...}`` for values) pass.
"""

from __future__ import annotations

import ast
from pathlib import Path

from lms.config import PROJECT_ROOT

PACKAGES = ("lms", "courses", "assessments")
# Files whose literal messages are known and why; the test fails when one is clean, so the list stays true.
KNOWN_GAPS: dict[str, str] = {}


def _error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """Names of FieldError and every class that derives from it, however many steps away."""
    names = {"FieldError"}
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(b.id for b in node.bases if isinstance(b, ast.Name))
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in names and parents & names:
                names.add(name)
                grew = True
    return names


def _literal(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c.isalpha() for c in node.value):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Dict):
        return any(_literal(value) for value in node.values)
    return False


def unmarked_messages(root: Path = Path(PROJECT_ROOT)) -> dict[str, list[int]]:
    trees = {
        str(path.relative_to(root)): ast.parse(path.read_text(), str(path))
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    }
    errors = _error_classes(trees)
    found: dict[str, list[int]] = {}
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                if node.exc.func.id in errors and node.exc.args and _literal(node.exc.args[0]):
                    found.setdefault(name, []).append(node.lineno)
    return found


def test_no_service_raises_a_message_that_is_not_marked_for_translation() -> None:
    found = unmarked_messages()
    unexpected = {name: lines for name, lines in found.items() if name not in KNOWN_GAPS}
    assert unexpected == {}, "Messages raised without gettext (wrap them: gettext('…') % {...}): " + ", ".join(
        f"{name}:{line}" for name, lines in unexpected.items() for line in lines
    )
    assert [name for name in KNOWN_GAPS if name not in found] == [], "These files are clean now: take them off KNOWN_GAPS"


def test_the_check_catches_a_literal_and_an_f_string(tmp_path: Path) -> None:
    (tmp_path / "lms").mkdir()
    (tmp_path / "lms" / "thing.py").write_text(
        "from lms.errors import FieldError\n"
        "class ThingError(FieldError): ...\n"
        "class WidgetError(ThingError): ...\n"
        "def f(n):\n"
        "    raise WidgetError('Enter a name.', 'name')\n"
        "def g(n):\n"
        "    raise ThingError(f'At most {n}.')\n"
        "def h(n):\n"
        "    raise ThingError(gettext('At most %(n)s.') % {'n': n})\n"
        "def k():\n"
        "    raise ValueError('not for people')\n"
    )
    (tmp_path / "courses").mkdir()
    (tmp_path / "assessments").mkdir()
    assert unmarked_messages(tmp_path) == {"lms/thing.py": [5, 7]}
