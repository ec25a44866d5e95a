"""Every message a form or an import collects for a person to read goes through gettext.

The sibling of test_i18n_errors.py (which reads ``raise``): forms and importers gather their problems in a
dict or a list (``errors["title"] = "..."``, ``errors.setdefault(field, "...")``, ``problems.append("...")``,
``ImportLineError(line, "...")``) and show them all at once. A plain or f-string literal there was never
marked, so the page shows it in English whatever the person's language. The pseudo-locale walk submits
one empty form per persona only, so it cannot see the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

from lms.config import PROJECT_ROOT

PACKAGES = ("lms", "courses", "assessments")
COLLECTORS = ("error", "problem")  # a name holding either word collects messages for people
LINE_ERRORS = {"ImportLineError"}  # (line, message)
MARKERS = {"gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "_"}
# Messages left in English on purpose, and why (docs/languages.md lists what stays English).
ON_PURPOSE = {
    "lms/privacy/retention_registry.py": "the RETENTION setting's problems stop the server at start-up: operators read them",
}


def _literal(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value and node.value[:1].isupper():
        return True
    if isinstance(node, ast.JoinedStr):  # words around the values, not a key such as f"levels[{i}]"
        words = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
        return " " in words and any(c.isalpha() for c in words)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left) or _literal(node.right)
    return False


def _collector(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return any(word in name.lower() for word in COLLECTORS)


def _marking(call: ast.Call) -> bool:
    name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""
    return name in MARKERS


def _unmarked(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) and _collector(t.value) for t in node.targets):
            if _literal(node.value):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _collector(node.func.value):
            if node.func.attr == "append" and node.args and _literal(node.args[0]):
                lines.append(node.lineno)
            elif node.func.attr == "setdefault" and len(node.args) == 2 and _literal(node.args[1]):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LINE_ERRORS:
            if len(node.args) == 2 and _literal(node.args[1]):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and any(
            k.arg and any(w in k.arg for w in COLLECTORS) and isinstance(k.value, ast.Dict) and any(map(_literal, k.value.values))
            for k in node.keywords
        ):
            lines.append(node.lineno)  # page(..., errors={"file": "Choose a file."})
        elif isinstance(node, ast.Call) and not _marking(node) and any(isinstance(a, ast.Name) and _collector(a) for a in node.args):
            # A helper handed the errors and the message to file under a field: check_int(raw, errors, ...).
            if any(_literal(a) for a in node.args) or any(_literal(k.value) for k in node.keywords):
                lines.append(node.lineno)
    return lines


def unmarked_messages(root: Path = Path(PROJECT_ROOT)) -> dict[str, list[int]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if lines := _unmarked(ast.parse(path.read_text(), str(path))):
                found[str(path.relative_to(root))] = sorted(lines)
    return found


def test_no_form_or_import_collects_a_message_that_is_not_marked_for_translation() -> None:
    found = {name: lines for name, lines in unmarked_messages().items() if name not in ON_PURPOSE}
    assert found == {}, "Messages collected without gettext (wrap them: gettext('…') % {...}): " + ", ".join(
        f"{name}:{line}" for name, lines in found.items() for line in lines
    )


def test_the_check_catches_each_way_of_collecting_a_message(tmp_path: Path) -> None:
    (tmp_path / "lms").mkdir()
    (tmp_path / "lms" / "form.py").write_text(
        "def check(form, errors, problems, n):\n"
        "    errors['title'] = 'Enter a title.'\n"
        "    errors.setdefault('due', f'Choose a date before {n}.')\n"
        "    problems.append('The file is empty. ' + 'Add a line.')\n"
        "    ImportLineError(3, f'Line {n} has no name.')\n"
        "    errors['ok'] = gettext('Enter a title.')\n"
        "    _check_text(doc, ('code', 'name'), f'levels[{n}]', errors)\n"
        "    problems.append(gettext('Unknown role %(r)s.') % {'r': n})\n"
        "    errors['code'] = 'x'\n"
        "    check_int(n, errors, 'days', message=f'Enter {n} days.')\n"
        "    check_int(n, errors, 'days', message=gettext('Enter the days.'))\n"
        "    page(request, errors={'file': 'Choose a file to upload.'})\n"
        "    ngettext('%(n)s problem found.', '%(n)s problems found.', problems)\n"
    )
    assert unmarked_messages(tmp_path) == {"lms/form.py": [2, 3, 4, 5, 10, 12]}
