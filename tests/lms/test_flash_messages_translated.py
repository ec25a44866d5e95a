"""Every flash message a route queues is marked for translation.

The pseudo-locale walk (tests/e2e/test_pseudo_locale.py) only opens pages, so a message that appears
after a form is sent ("The unit X has been saved.") would stay English in French unseen. Reading the code
catches it for every route at once: a flash whose text is a literal or an f-string cannot have passed
through gettext.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lms", "courses", "assessments")


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(node.value.strip())  # a space joining two translated sentences has nothing to translate
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "..." % {...} or "a" + "b"
        return _literal(node.left) or _literal(node.right)
    if isinstance(node, ast.IfExp):
        return _literal(node.body) or _literal(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal(node.func.value)
    return False


def untranslated_flashes(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "flash"):
            continue
        message = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "message"), None)
        if message is not None and _literal(message):
            found.append(f"{name}:{node.lineno}")
    return found


def test_every_flash_message_goes_through_gettext() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found += untranslated_flashes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "flash messages not marked for translation (wrap them in gettext):\n" + "\n".join(found)


def test_the_check_sees_literals_and_f_strings_but_not_gettext() -> None:
    source = (
        "flash(request, 'Saved.')\n"
        "flash(request, f'{name} saved.')\n"
        "flash(request, 'Hello %s' % name)\n"
        "flash(request, gettext('Saved.'))\n"
        "flash(request, gettext('%(name)s saved.') % {'name': name})\n"
        "flash(request, str(exc), 'error')\n"
        "flash(request, gettext('On.') if on else 'Off.')\n"
    )
    assert untranslated_flashes(source, "x.py") == ["x.py:1", "x.py:2", "x.py:3", "x.py:7"]
