"""Each refusal of an uploaded package, checked before anything is unpacked, and the manifest read."""

from __future__ import annotations

import io
import zipfile

import pytest

from courses.packages.manifest import parse_manifest
from courses.packages.models import ScormVersion
from courses.packages.zip_check import Limits, PackageError, check_zip, safe_name
from tests.courses.packages.factories import MANIFEST_2004, scorm12, zip_of

LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_unpacked_bytes=50 * 1024 * 1024)


def refusal(data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(PackageError) as caught:
        check_zip(data, limits)
    assert caught.value.field == "file"
    return str(caught.value)


@pytest.mark.parametrize("name", ["../evil.html", "a/../../evil.html", "/etc/passwd", "C:/x.html", "a\\..\\b.html", ".."])
def test_names_that_leave_the_package_are_refused(name):
    assert safe_name(name) is None
    # zipfile writes such names as given, so the slip reaches the check as an attacker would send it.
    assert "points outside the package" in refusal(zip_of({"imsmanifest.xml": "<manifest/>", name: "x"}))


def test_a_name_with_a_nul_is_refused():
    assert safe_name("a\x00.html") is None


def test_names_inside_the_package_are_kept():
    assert safe_name("content/a b/page.html") == "content/a b/page.html"
    assert safe_name("content/./page.html") == "content/page.html"


def test_a_zip_bomb_is_refused_by_ratio_before_unpacking():
    bomb = zip_of({"imsmanifest.xml": "<manifest/>", "zeros.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    assert "zip bomb" in refusal(bomb)


def test_too_much_unpacked_in_total_is_refused():
    stored = zip_of({"a.bin": b"x" * 2048}, compression=zipfile.ZIP_STORED)
    assert "zip bomb" in refusal(stored, Limits(max_bytes=10_000, max_unpacked_bytes=1024))


def test_too_many_entries_are_refused():
    many = zip_of({f"f{i}.txt": "" for i in range(30)})
    assert "more than 20 files" in refusal(many, Limits(max_bytes=10**6, max_entries=20))


def test_size_cap_not_a_zip_and_empty():
    assert "larger than 1 MB" in refusal(b"x" * (1024 * 1024 + 1), Limits(max_bytes=1024 * 1024))
    assert "not a zip archive" in refusal(b"<html>not a zip</html>")
    assert "empty" in refusal(b"")


def test_the_1_2_manifest_gives_version_launch_mastery_and_title():
    with zipfile.ZipFile(io.BytesIO(scorm12(mastery=80, launch="sco/start page.html"))) as archive:
        manifest = parse_manifest(archive.read("imsmanifest.xml"))
    assert manifest.scorm_version == ScormVersion.V12
    assert manifest.launch_path == "sco/start page.html"
    assert manifest.mastery_score == 80
    assert manifest.title == "Phishing awareness"


def test_the_2004_manifest_gives_its_passing_score():
    manifest = parse_manifest(MANIFEST_2004.encode())
    assert manifest.scorm_version == ScormVersion.V2004
    assert manifest.launch_path == "content/start.html"
    assert manifest.mastery_score == pytest.approx(80)


def manifest_refusal(xml: str) -> str:
    with pytest.raises(PackageError) as caught:
        parse_manifest(xml.encode())
    return str(caught.value)


def test_bad_xml_is_refused_with_the_parser_message():
    assert "not well-formed XML" in manifest_refusal("<manifest><organizations>")


def test_an_external_entity_xxe_is_refused_without_reading_the_file():
    xxe = """<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest><organizations><organization><title>&secret;</title></organization></organizations></manifest>"""
    message = manifest_refusal(xxe)
    assert "declares entities" in message and "root:" not in message


def test_billion_laughs_is_refused():
    laughs = """<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>"""
    assert "declares entities" in manifest_refusal(laughs)


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        ("<other/>", "is not a manifest"),
        ("<manifest><resources/></manifest>", "no organisation or no resources"),
        ("<manifest><organizations><organization/></organizations><resources/></manifest>", "no item to launch"),
        (
            '<manifest><organizations><organization><item identifierref="r"/></organization></organizations>'
            '<resources><resource identifier="r"/></resources></manifest>',
            "no launch file",
        ),
        (
            '<manifest><organizations><organization><item identifierref="r"/></organization></organizations>'
            '<resources><resource identifier="r" href="https://example.org/x.html"/></resources></manifest>',
            "another site",
        ),
        (
            '<manifest><organizations><organization><item identifierref="r"/></organization></organizations>'
            '<resources><resource identifier="r" href="../x.html"/></resources></manifest>',
            "outside the package",
        ),
        (
            '<manifest xmlns:adlcp="a"><organizations><organization><item identifierref="r">'
            "<adlcp:masteryscore>high</adlcp:masteryscore>"
            '</item></organization></organizations><resources><resource identifier="r" href="x.html"/></resources></manifest>',
            "mastery score",
        ),
    ],
)
def test_manifests_that_cannot_be_played_are_refused(xml, says):
    assert says in manifest_refusal(xml)


def test_the_default_organisation_is_the_one_launched():
    xml = """<manifest><organizations default="two">
      <organization identifier="one"><item identifierref="r1"/></organization>
      <organization identifier="two"><item identifier="parent"><item identifierref="r2"/></item></organization>
    </organizations><resources><resource identifier="r1" href="one.html"/>
    <resource identifier="r2" xml:base="b/" href="two.html?x=1"/></resources></manifest>"""
    manifest = parse_manifest(xml.encode())
    assert manifest.launch_path == "b/two.html" and manifest.launch_query == "x=1"
