"""Images inside Moodle XML questions, read and written without the database (tests/assessments/fixtures/moodle/media.xml)."""

import base64
import re
import struct
import zlib
from pathlib import Path

import pytest

from assessments.interchange.common import ExportRefused, Section
from assessments.interchange.gift_write import export_gift_sections
from assessments.interchange.media import check_image, file_name
from assessments.interchange.moodle_xml import parse_moodle_xml
from assessments.interchange.moodle_xml_write import export_moodle_xml, export_moodle_xml_sections

FIXTURES = Path(__file__).parent.parent / "fixtures" / "moodle"


def png(width: int = 1, height: int = 1, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG, written here so the test needs no image library."""
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def media():
    return parse_moodle_xml((FIXTURES / "media.xml").read_bytes())


def by_name(result):
    return {q.name: (q, files) for q, files in zip(result.questions, result.files, strict=True)}


def reasons(result, title):
    return [w.reason for w in result.warnings if w.title == title]


def test_embedded_files_become_the_questions_files_with_their_alt_text():
    result = media()
    assert result.problems == []
    padlock, files = by_name(result)["Padlock"]
    fixture = (FIXTURES / "media.xml").read_text()
    embedded = dict(re.findall(r'<file name="([^"]+)" path="/" encoding="base64">([^<]+)</file>', fixture))
    # Each file kept byte for byte, its type read from its content; the name as Moodle had it.
    assert {name: (f.content_type, f.data) for name, f in files.items()} == {
        "padlock icon.png": ("image/png", base64.b64decode(embedded["padlock icon.png"])),
        "tick.gif": ("image/gif", base64.b64decode(embedded["tick.gif"])),
        "line.png": ("image/png", base64.b64decode(embedded["line.png"])),
    }
    # References stay Moodle's until the import saves the files; the alt text stays alt text.
    assert padlock.stem_markdown == "What does this sign mean?\n\n![A closed padlock](@@PLUGINFILE@@/padlock%20icon.png)"
    assert padlock.choices[0].text == "The connection is encrypted ![A green tick](@@PLUGINFILE@@/tick.gif)"
    assert padlock.choices[0].feedback == "Right. ![](@@PLUGINFILE@@/line.png)"


def test_a_reference_without_its_file_is_removed_and_reported_with_its_alt_text_kept():
    result = media()
    padlock, _ = by_name(result)["Padlock"]
    assert padlock.general_feedback == "Look for it before typing a password. A lost picture"
    assert "@@PLUGINFILE@@" not in padlock.general_feedback
    assert (
        "The image missing.png was left out (the Moodle file embeds no file of that name); its alt text stays in its place."
        in reasons(result, "Padlock")
    )
    # Missing alt text is a warning, not a reason to drop the image.
    assert "The image line.png has no alt text: add a description of it for people who cannot see it." in reasons(result, "Padlock")


def test_old_image_tags_become_an_image_at_the_end_of_the_text():
    result = media()
    old, files = by_name(result)["Old picture"]
    assert old.stem_markdown == "This cable carries a network.\n\n![](@@PLUGINFILE@@/cable.png)"
    assert list(files) == ["cable.png"] and files["cable.png"].data.startswith(b"\x89PNG")
    assert any("cable.png has no alt text" in r for r in reasons(result, "Old picture"))


def test_refused_files_are_listed_with_their_reason_and_never_left_as_links():
    result = media()
    refused, files = by_name(result)["Refused files"]
    assert files == {}
    assert refused.stem_markdown == "Name the company. The company logo A fake the notes"
    why = reasons(result, "Refused files")
    assert any(r.startswith("The image logo.svg was left out (SVG images can carry script") for r in why)
    assert any(r.startswith("The image fake.png was left out (this type of file is not accepted") for r in why)
    assert "A link to the file notes.pdf was left out; its words stay." in why


def test_a_file_over_the_cap_is_refused_with_the_cap():
    result = parse_moodle_xml((FIXTURES / "media.xml").read_bytes(), max_file_bytes=71)
    padlock, files = by_name(result)["Padlock"]
    assert "padlock icon.png" not in files and "tick.gif" in files  # 72 bytes: over; 43 bytes: kept
    assert padlock.stem_markdown == "What does this sign mean?\n\nA closed padlock"
    assert any("padlock icon.png was left out (the file is larger than 0 MB)" in r for r in reasons(result, "Padlock"))


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("empty.png", b"", "the file is empty"),
        ("photo.gif", png(), "the file's name does not match its content, which is PNG"),
        ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "this type of file is not accepted: only PNG, JPEG, GIF or WebP images"),
    ],
)
def test_checks_as_course_files_images_only(name, data, why):
    assert check_image(name, data) == (None, why)


def test_bad_base64_and_other_encodings_are_reported():
    xml = f"""<quiz><question type="truefalse"><name><text>Broken</text></name>
      <questiontext format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/a.png" alt="A"><img src="@@PLUGINFILE@@/b.png" alt="B">
      <img src="@@PLUGINFILE@@/sub/c.png" alt="C">]]></text>
      <file name="a.png" path="/" encoding="base64">!!not base64!!</file>
      <file name="b.png" path="/" encoding="uuencode">xyz</file>
      <file name="c.png" path="/sub/" encoding="base64">{base64.b64encode(png()).decode()}</file></questiontext>
      <generalfeedback format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/sub/c.png" alt="C again">]]></text>
      <file name="c.png" path="/sub/" encoding="base64">{base64.b64encode(png()).decode()}</file></generalfeedback>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"""
    result = parse_moodle_xml(xml)
    q, files = by_name(result)["Broken"]
    assert list(files) == ["sub-c.png"]  # a folder inside the file area joins the name
    assert q.stem_markdown == "AB ![C](@@PLUGINFILE@@/sub-c.png)"
    assert q.general_feedback == "![C again](@@PLUGINFILE@@/sub-c.png)"  # the same file, once
    why = reasons(result, "Broken")
    assert any("a.png was left out (its content is not valid base64)" in r for r in why)
    assert any("b.png was left out (its encoding 'uuencode' is not base64)" in r for r in why)
    assert file_name("../../etc/passwd") == "passwd"


def test_moodle_xml_round_trip_keeps_every_file_byte_for_byte_and_its_alt_text():
    original = media()
    xml = export_moodle_xml(original.questions, category="Media", files=original.files)
    # Moodle's form: a <file> beside each text that shows it, referred to as @@PLUGINFILE@@/name.
    assert '<file name="padlock icon.png" path="/" encoding="base64">' in xml
    assert "![A closed padlock](@@PLUGINFILE@@/padlock%20icon.png)" in xml
    again = parse_moodle_xml(xml)
    assert again.problems == [] and again.questions == original.questions
    assert [{n: (f.content_type, f.data) for n, f in files.items()} for files in again.files] == [
        {n: (f.content_type, f.data) for n, f in files.items()} for files in original.files
    ]
    # Nothing is missing any more, so only the missing-alt warnings remain.
    assert all("no alt text" in w.reason for w in again.warnings)


def test_an_export_without_the_files_does_not_invent_them():
    original = media()
    xml = export_moodle_xml_sections([Section("Media", original.questions)])
    assert "<file " not in xml


def test_gift_refuses_questions_that_show_files_and_names_them():
    original = media()
    with pytest.raises(ExportRefused) as refused:
        export_gift_sections([Section("Media", original.questions, files=original.files)])
    problems = {p.title: p.reason for p in refused.value.problems}
    assert set(problems) == {"Padlock", "Old picture"}
    assert problems["Old picture"] == (
        "GIFT cannot carry files, and this question shows cable.png. Export it as Moodle XML, which keeps its images."
    )
