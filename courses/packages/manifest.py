"""Reading a package's imsmanifest.xml: which SCORM version, which file to launch, the mastery score.

Parsed with defusedxml, which refuses entity declarations (billion laughs, external entities: XXE)
and DTD fetches, so a manifest can neither read the server's files nor exhaust its memory. Tags are
matched on their local name, since packages written by different tools bind namespaces differently.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from lms.i18n import gettext

from courses.packages.models import ScormVersion
from courses.packages.zip_check import PackageError, safe_name

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Manifest:
    scorm_version: str
    launch_path: str  # inside the package, without query or fragment
    launch_query: str  # kept for the launch address: some packages pass parameters this way
    mastery_score: float | None
    title: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(parent: Element, name: str) -> list[Element]:
    return [child for child in parent if _local(child.tag) == name]


def _first(parent: Element, name: str) -> Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _attr(element: Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return ""


def _refuse(message: str) -> PackageError:
    return PackageError(message, "file")


def _version(root: Element) -> str:
    metadata = _first(root, "metadata")
    schemaversion = _first(metadata, "schemaversion") if metadata is not None else None
    text = (schemaversion.text or "").strip().lower() if schemaversion is not None else ""
    if "2004" in text or text.startswith("cam 1.3"):
        return ScormVersion.V2004
    return ScormVersion.V12  # "1.2", or missing: SCORM 1.2 packages often leave it out


def _item_with_resource(organisation: Element) -> Element | None:
    """The first item, depth first, that points at a resource: the one a learner starts with."""
    for item in organisation.iter():
        if _local(item.tag) == "item" and _attr(item, "identifierref"):
            return item
    return None


def _mastery(item: Element, version: str) -> float | None:
    for element in item.iter():
        name = _local(element.tag)
        text = (element.text or "").strip()
        if version == ScormVersion.V12 and name == "masteryscore" and text:
            return _number(text, lo=0, hi=100)
        if version == ScormVersion.V2004 and name == "primaryObjective" and _attr(element, "satisfiedByMeasure") == "true":
            minimum = _first(element, "minNormalizedMeasure")
            if minimum is not None and (minimum.text or "").strip():
                return _number((minimum.text or "").strip(), lo=-1, hi=1) * 100
    return None


def _number(text: str, *, lo: float, hi: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not lo <= value <= hi:
        raise _refuse(
            gettext("The manifest's mastery score “%(value)s” is not a number from %(lo)s to %(hi)s.")
            % {"value": text[:20], "lo": lo, "hi": hi}
        )
    return value


def parse_manifest(data: bytes) -> Manifest:
    """The package's manifest, or PackageError saying what is wrong with it."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _refuse(gettext("The package's imsmanifest.xml is too large to be a manifest."))
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise _refuse(gettext("The package's imsmanifest.xml declares entities, which are not allowed. Rebuild the package.")) from exc
    except ParseError as exc:
        raise _refuse(gettext("The package's imsmanifest.xml is not well-formed XML: %(error)s.") % {"error": str(exc)}) from exc
    if _local(root.tag) != "manifest":
        raise _refuse(gettext("The package's imsmanifest.xml is not a manifest."))
    version = _version(root)
    organisations = _first(root, "organizations")
    resources = _first(root, "resources")
    if organisations is None or resources is None:
        raise _refuse(gettext("The package's manifest has no organisation or no resources, so there is nothing to launch."))
    default = _attr(organisations, "default")
    candidates = _children(organisations, "organization")
    organisation = next((org for org in candidates if _attr(org, "identifier") == default), candidates[0] if candidates else None)
    item = _item_with_resource(organisation) if organisation is not None else None
    if item is None:
        raise _refuse(gettext("The package's manifest has no item to launch."))
    ref = _attr(item, "identifierref")
    resource = next((res for res in _children(resources, "resource") if _attr(res, "identifier") == ref), None)
    href = _attr(resource, "href") if resource is not None else ""
    if not href:
        raise _refuse(gettext("The manifest's first item points at a resource with no launch file."))
    base = "".join(_attr(el, "base") for el in (root, resources, resource) if el is not None)
    parts = urlsplit(base + href)
    if parts.scheme or parts.netloc:
        raise _refuse(
            gettext("The package launches an address on another site; only packages that play from their own files are accepted.")
        )
    path = safe_name(posixpath.normpath(unquote(parts.path)))
    if path is None:
        raise _refuse(gettext("The manifest's launch file points outside the package."))
    title_element = _first(organisation, "title") if organisation is not None else None
    title = (title_element.text or "").strip() if title_element is not None else ""
    return Manifest(
        scorm_version=version,
        launch_path=path,
        launch_query="&".join(part for part in (parts.query, _attr(item, "parameters").lstrip("?&")) if part),
        mastery_score=_mastery(item, version),
        title=title[:200],
    )
