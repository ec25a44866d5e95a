"""Reading a CASE 1.0 package into a framework document (framework_doc's shape), checked item by item.

What the package says that has no column here is kept in the metadata, so framework_case writes it
back and a package read and written again is the package that came in.
"""

from __future__ import annotations

from typing import Any

from lms.competences.framework_languages import language_problem
from lms.competences.framework_doc import UUID_RE, FrameworkFileError, check_document
from lms.competences.framework_json import load_json
from lms.competences.models import MAX_CODE
from lms.i18n import gettext


def _statements(item: dict) -> tuple[str, str]:
    """Name and description from an item's statements: the abbreviated one names it when given;
    a full statement too long for a name is cut for the name and kept whole as the description."""
    full = item["fullStatement"]
    if item.get("abbreviatedStatement"):
        return str(item["abbreviatedStatement"])[:300], full
    if len(full) <= 300:
        return full, ""
    return full[:299] + "…", full


def _ident(node: object) -> str | None:
    return node.get("identifier") if isinstance(node, dict) and isinstance(node.get("identifier"), str) else None


def parse_case(text: str) -> dict:
    pkg = load_json(text)
    if isinstance(pkg, dict) and isinstance(pkg.get("CFPackage"), dict):
        pkg = pkg["CFPackage"]  # CASE 1.1 services wrap the package
    if not isinstance(pkg, dict) or not isinstance(pkg.get("CFDocument"), dict):
        raise FrameworkFileError([gettext("The file must hold a CASE package: a JSON object with a CFDocument.")])
    errors: list[str] = []
    document = pkg["CFDocument"]
    doc_id = _ident(document)
    if not doc_id or not UUID_RE.match(doc_id):
        errors.append(gettext("%(where)s: '%(key)s' must be a UUID.") % {"where": "CFDocument", "key": "identifier"})
    if not isinstance(document.get("title"), str) or not document["title"].strip():
        errors.append(gettext("%(where)s: '%(key)s' is required.") % {"where": "CFDocument", "key": "title"})
    items: dict[str, tuple[int, dict]] = {}
    raw_items = pkg["CFItems"] if pkg.get("CFItems") is not None else []
    raw_links = pkg["CFAssociations"] if pkg.get("CFAssociations") is not None else []
    for key, value in (("CFItems", raw_items), ("CFAssociations", raw_links)):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            errors.append(gettext("%(where)s: must be a list of objects.") % {"where": key})
    if errors:
        raise FrameworkFileError(errors)
    for i, item in enumerate(raw_items):
        ident = _ident(item)
        if not ident or not UUID_RE.match(ident):
            errors.append(gettext("%(where)s: '%(key)s' must be a UUID.") % {"where": f"CFItems[{i}]", "key": "identifier"})
        elif ident in items:
            errors.append(
                gettext("%(where)s: identifier %(identifier)s appears twice.") % {"where": f"CFItems[{i}]", "identifier": ident}
            )
        elif not isinstance(item.get("fullStatement"), str) or not item["fullStatement"].strip():
            errors.append(gettext("%(where)s: '%(key)s' is required.") % {"where": f"CFItems[{i}]", "key": "fullStatement"})
        else:
            items[ident] = (i, item)
    parent: dict[str, tuple[str, dict]] = {}
    others: list[dict] = []
    for link in raw_links:
        origin, dest = _ident(link.get("originNodeURI")), _ident(link.get("destinationNodeURI"))
        if (
            link.get("associationType") == "isChildOf"
            and origin in items
            and origin not in parent
            and (dest == doc_id or dest in items)
        ):
            parent[origin] = (str(dest), link)
        else:
            others.append(link)
    children: dict[str, list[str]] = {}
    for ident in items:
        # An item no association places sits at the top, so nothing in the package is dropped.
        dest, link = parent.get(ident, (str(doc_id), {}))
        children.setdefault(dest, []).append(ident)
    for kids in children.values():
        kids.sort(key=lambda k: (parent.get(k, ("", {}))[1].get("sequenceNumber") or 0, items[k][0]))
    reached = {str(doc_id)}
    queue = [str(doc_id)]
    while queue:
        for kid in children.get(queue.pop(0), []):
            reached.add(kid)
            queue.append(kid)
    for ident, (i, _item) in items.items():
        if ident not in reached:
            errors.append(
                gettext("%(where)s: item %(identifier)s is part of a loop of isChildOf associations.")
                % {"where": f"CFItems[{i}]", "identifier": ident}
            )
    if errors:
        raise FrameworkFileError(errors)
    return _case_document(document, pkg, items, parent, children, others)


def _case_document(document: dict, pkg: dict, items: dict, parent: dict, children: dict, others: list[dict]) -> dict:
    used: set[str] = set()

    def code_of(ident: str, item: dict) -> str:
        code = item.get("humanCodingScheme")
        if isinstance(code, str) and code and len(code) <= MAX_CODE and code.isprintable() and code not in used:
            used.add(code)
            return code
        return ident

    def raw(ident: str) -> dict:
        link = parent.get(ident, ("", None))[1]
        return {**items[ident][1], **({"association": link} if link else {})}

    def node(ident: str) -> dict[str, Any]:
        item = items[ident][1]
        name, description = _statements(item)
        return {"code": code_of(ident, item), "name": name, "description": description, "case_id": ident}

    licence = document.get("licenseURI")
    doc: dict[str, Any] = {
        "code": " ".join(str(document["title"]).split())[:MAX_CODE],
        "name": str(document["title"]),
        "case_id": document["identifier"],
        "meta": {"case": {"document": document, "definitions": pkg.get("CFDefinitions") or {}, "associations": others}},
        "areas": [],
    }
    if pkg.get("CFRubrics"):
        doc["meta"]["case"]["rubrics"] = pkg["CFRubrics"]
    for key in ("publisher", "version", "description"):
        if isinstance(document.get(key), str):
            doc[key] = document[key]
    if isinstance(licence, dict) and isinstance(licence.get("title"), str):
        doc["licence"] = licence["title"]
    if language_problem(document.get("language")) is None:
        doc["language"] = document["language"]
    for area_id in children.get(document["identifier"], []):
        area = node(area_id)
        area["meta"] = {"case": raw(area_id)}
        area["competences"] = []
        for comp_id in children.get(area_id, []):
            comp = node(comp_id)
            comp["summary"] = comp.pop("description")
            comp["meta"] = {"case": raw(comp_id)}
            indicators: list[dict] = []
            stack = [(comp_id, kid) for kid in reversed(children.get(comp_id, []))]
            while stack:
                owner, kid = stack.pop()
                ind = node(kid)
                indicators.append({**ind, "parent": None, "case": raw(kid), "_owner": owner})
                stack += [(kid, k) for k in reversed(children.get(kid, []))]
            codes = {comp_id: comp["code"], **{i["case_id"]: i["code"] for i in indicators}}
            for ind in indicators:
                ind["parent"] = codes[ind.pop("_owner")]
            if indicators:
                comp["meta"]["indicators"] = indicators
            area["competences"].append(comp)
        doc["areas"].append(area)
    errors: list[str] = []
    check_document(doc, errors, where=lambda path: path)
    if errors:
        raise FrameworkFileError(errors)
    return doc
