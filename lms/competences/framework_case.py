"""CASE 1.0 (1EdTech Competencies and Academic Standards Exchange) packages, in and out.

A framework is a CFDocument; its areas, competences and indicators are CFItems, each tied to its
parent by an `isChildOf` CFAssociation; CFDefinitions lists the item types. Identifiers are UUIDs:
stored when a package brought them, otherwise derived from the codes (version 5 UUIDs in our own
namespace), so a framework published twice keeps them. What a package says that has no column here
(its URIs, dates, item types, other associations, definitions) is kept in the metadata and written
back, so a package read and written again is the package that came in.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, select

from lms.competences.framework_doc import FrameworkRows, framework_rows
from lms.competences.models import Competence, Framework

NAMESPACE = uuid.UUID("6f1d7c3e-5b0a-4c57-9d55-2f5a8f0c9e41")
API = "/ims/case/v1p0"
TYPES = ("Competence area", "Competence", "Indicator")
# lastChangeDateTime of a framework imported before frameworks recorded when they changed.
EPOCH = "1970-01-01T00:00:00+00:00"


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def uri_for(base_url: str, identifier: str) -> str:
    return f"{base_url.rstrip('/')}{API}/uri/{identifier}"


def package_url(base_url: str, identifier: str) -> str:
    return f"{base_url.rstrip('/')}{API}/CFPackages/{identifier}"


def framework_case_id(framework: Framework) -> str:
    return framework.case_id or derived_id("framework", framework.code)


def framework_case_uri(base_url: str, framework: Framework) -> str:
    """The framework's CASE document URI: the one its package brought, else the one Proficio publishes."""
    document = (framework.meta.get("case") or {}).get("document") or {}
    return str(document.get("uri") or uri_for(base_url, framework_case_id(framework)))


def competence_case_uri(base_url: str, framework: Framework, competence: Competence) -> str:
    """The competence's CASE item URI, as case_package writes its CFItem (xAPI and badges name it so)."""
    kept = competence.meta.get("case") or {}
    identifier = competence.case_id or kept.get("identifier") or derived_id("framework", framework.code, "competence", competence.code)
    return str(kept.get("uri") or uri_for(base_url, identifier))


def _when(framework: Framework) -> str:
    return framework.updated_at.strftime("%Y-%m-%dT%H:%M:%S+00:00") if framework.updated_at else EPOCH


def _link(title: str, identifier: str, uri: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri}


def _same(kept: dict | None, link: dict[str, str]) -> dict:
    """The link a package brought, while it still points at the same node; else ours."""
    return kept if isinstance(kept, dict) and kept.get("identifier") == link["identifier"] else link


class _Writer:
    def __init__(self, rows: FrameworkRows, base_url: str):
        self.rows = rows
        self.base = base_url
        fw = rows.framework
        self.case = fw.meta.get("case") or {}
        self.fw_id = framework_case_id(fw)
        self.doc_uri = self.case.get("document", {}).get("uri") or uri_for(base_url, self.fw_id)
        self.when = _when(fw)
        self.items: list[dict] = []
        self.associations: list[dict] = []
        self.known_types = {t.get("title"): t for t in self.case.get("definitions", {}).get("CFItemTypes", [])}
        self.types: dict[str, dict] = {}
        self.by_code: dict[str, dict] = {}
        self.related: list[tuple[str, str]] = []
        taxonomies = (fw.meta.get("moodle") or {}).get("taxonomies", "")
        self.depth_types = [t.strip().capitalize() for t in taxonomies.split(",")] if taxonomies else list(TYPES)

    def type_of(self, depth: int) -> str:
        return self.depth_types[min(depth, len(self.depth_types) - 1)] if self.depth_types else TYPES[min(depth, 2)]

    def item(self, *, kind: str, code: str, name: str, description: str, case_id: str | None, meta: dict, depth: int) -> dict:
        raw = dict(meta.get("case") or {})
        link = raw.pop("association", None) or {}
        identifier = case_id or raw.get("identifier") or derived_id("framework", self.rows.framework.code, kind, code)
        item_type = raw.get("CFItemType") or self.type_of(depth)
        item: dict[str, Any] = {**raw, "identifier": identifier}
        item["uri"] = raw.get("uri") or uri_for(self.base, identifier)
        item["fullStatement"] = description or name
        if "abbreviatedStatement" in raw or (not raw and description):
            item["abbreviatedStatement"] = name
        else:
            item.pop("abbreviatedStatement", None)
        if code != identifier or "humanCodingScheme" in raw:
            item["humanCodingScheme"] = code
        if not raw:
            item["CFItemType"] = item_type
            item["CFItemTypeURI"] = self.type_link(item_type)
            item["CFDocumentURI"] = _link(self.rows.framework.name, self.fw_id, self.doc_uri)
        item["lastChangeDateTime"] = raw.get("lastChangeDateTime") or self.when
        # CASE gives each item one language: the framework's own (its versions in others travel in JSON and CSV).
        if not raw or "language" in raw:  # an imported item goes out as it came
            item["language"] = raw.get("language") or self.rows.framework.language
        self.items.append(item)
        self.by_code[code] = item
        if related := (meta.get("moodle") or {}).get("relatedidnumbers"):
            self.related += [(code, other.replace("%2C", ",")) for other in related.split(",")]
        return {"item": item, "link": link}

    def type_link(self, title: str) -> dict[str, str]:
        if title in self.known_types:
            known = self.known_types[title]
            return _link(title, known["identifier"], known["uri"])
        if title not in self.types:
            ident = derived_id("item-type", title)
            self.types[title] = {
                "identifier": ident,
                "uri": uri_for(self.base, ident),
                "title": title,
                "description": title,
                "hierarchyCode": str(len(self.types) + 1),
                "lastChangeDateTime": self.when,
            }
        return _link(title, self.types[title]["identifier"], self.types[title]["uri"])

    def child_of(self, child: dict, parent: dict[str, str], sequence: int) -> None:
        item, link = child["item"], child["link"]
        identifier = link.get("identifier") or derived_id("isChildOf", item["identifier"], parent["identifier"])
        self.associations.append(
            {
                **link,
                "identifier": identifier,
                "associationType": "isChildOf",
                "sequenceNumber": link.get("sequenceNumber", sequence),
                "uri": link.get("uri") or uri_for(self.base, identifier),
                "originNodeURI": _same(link.get("originNodeURI"), _link(item["fullStatement"][:300], item["identifier"], item["uri"])),
                "destinationNodeURI": _same(link.get("destinationNodeURI"), parent),
                "lastChangeDateTime": link.get("lastChangeDateTime") or self.when,
            }
        )

    def related_to(self) -> None:
        """Moodle's cross-referenced competencies as isRelatedTo, once for each pair (Moodle lists
        a pair on both sides)."""
        pairs = {tuple(sorted(pair)) for pair in self.related if pair[1] in self.by_code and pair[0] != pair[1]}
        for first, second in sorted(pairs):
            origin, dest = self.by_code[first], self.by_code[second]
            identifier = derived_id("isRelatedTo", origin["identifier"], dest["identifier"])
            self.associations.append(
                {
                    "identifier": identifier,
                    "associationType": "isRelatedTo",
                    "uri": uri_for(self.base, identifier),
                    "originNodeURI": _link(origin["fullStatement"][:300], origin["identifier"], origin["uri"]),
                    "destinationNodeURI": _link(dest["fullStatement"][:300], dest["identifier"], dest["uri"]),
                    "lastChangeDateTime": self.when,
                }
            )


def case_package(session: Session, framework: Framework, *, base_url: str) -> dict:
    rows = framework_rows(session, framework)
    w = _Writer(rows, base_url)
    doc_link = _link(framework.name, w.fw_id, w.doc_uri)

    def parent_link(node: dict) -> dict[str, str]:
        item = node["item"]
        return _link(item["fullStatement"][:300], item["identifier"], item["uri"])

    for a_pos, area in enumerate(rows.areas, 1):
        a = w.item(
            kind="area", code=area.code, name=area.name, description=area.description, case_id=area.case_id, meta=area.meta, depth=0
        )
        w.child_of(a, doc_link, a_pos)
        for c_pos, comp in enumerate(rows.by_area.get(area.id, []), 1):
            c = w.item(
                kind="competence",
                code=comp.code,
                name=comp.name,
                description=comp.description,
                case_id=comp.case_id,
                meta=comp.meta,
                depth=1,
            )
            w.child_of(c, parent_link(a), c_pos)
            placed = {comp.code: (c, 1)}
            seq: dict[str, int] = {}
            for ind in comp.meta.get("indicators") or []:
                parent, depth = placed.get(ind.get("parent") or comp.code, (c, 1))
                node = w.item(
                    kind="indicator",
                    code=ind["code"],
                    name=ind.get("name", ""),
                    description=ind.get("description", ""),
                    case_id=ind.get("case_id"),
                    meta=ind,
                    depth=depth + 1,
                )
                placed[ind["code"]] = (node, depth + 1)
                key = parent["item"]["identifier"]
                seq[key] = seq.get(key, 0) + 1
                w.child_of(node, parent_link(parent), seq[key])
    w.related_to()
    document = {**w.case.get("document", {})}
    if not document or "language" in document:
        document["language"] = framework.language
    document.update(identifier=w.fw_id, uri=w.doc_uri, title=framework.name)
    document["lastChangeDateTime"] = document.get("lastChangeDateTime") or w.when
    document["creator"] = document.get("creator") or framework.publisher or "Proficio"
    for key, value in (("publisher", framework.publisher), ("version", framework.version), ("description", framework.description)):
        if value:
            document[key] = value
        else:
            document.pop(key, None)
    definitions = {k: list(v) for k, v in w.case.get("definitions", {}).items()}
    licence_link = document.get("licenseURI")
    if not framework.licence:
        document.pop("licenseURI", None)
    elif not (isinstance(licence_link, dict) and licence_link.get("title") == framework.licence):
        licence = _licence(framework, w, definitions)
        document["licenseURI"] = _link(licence["title"], licence["identifier"], licence["uri"])
    document.setdefault("CFPackageURI", _link(framework.name, w.fw_id, package_url(base_url, w.fw_id)))
    if w.types:
        definitions["CFItemTypes"] = definitions.get("CFItemTypes", []) + list(w.types.values())
    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": w.items,
        "CFAssociations": w.associations + list(w.case.get("associations", [])),
    }
    if definitions:
        package["CFDefinitions"] = definitions
    if w.case.get("rubrics"):
        package["CFRubrics"] = w.case["rubrics"]
    return package


def _licence(framework: Framework, w: _Writer, definitions: dict) -> dict:
    licences = definitions.setdefault("CFLicenses", [])
    for licence in licences:
        if licence.get("title") == framework.licence:
            return dict(licence)
    ident = derived_id("licence", framework.licence)
    licence = {
        "identifier": ident,
        "uri": uri_for(w.base, ident),
        "title": framework.licence,
        "licenseText": framework.licence,
        "lastChangeDateTime": w.when,
    }
    licences.append(licence)
    return licence


def published_package(session: Session, identifier: str, *, base_url: str) -> dict | None:
    """The CASE package of the published framework with this identifier, or None."""
    framework = session.exec(select(Framework).where(Framework.case_id == identifier, Framework.case_published)).first()
    return None if framework is None else case_package(session, framework, base_url=base_url)


def published_object(session: Session, identifier: str, *, base_url: str) -> dict | None:
    """What a URI of a published framework names: its document, an item, an association or a
    definition. Published frameworks are few, so each package is built and searched."""
    for framework in session.exec(select(Framework).where(Framework.case_published).order_by(Framework.id)).all():
        package = case_package(session, framework, base_url=base_url)
        if package["CFDocument"]["identifier"] == identifier:
            return {"CFDocument": package["CFDocument"]}
        for key, one in (("CFItems", "CFItem"), ("CFAssociations", "CFAssociation")):
            for obj in package[key]:
                if obj.get("identifier") == identifier:
                    return {one: obj}
        for key, objs in package.get("CFDefinitions", {}).items():
            for obj in objs:
                if obj.get("identifier") == identifier:
                    return {key[:-1]: obj}
    return None
