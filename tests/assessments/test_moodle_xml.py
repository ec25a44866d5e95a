"""Moodle XML import and export: a realistic file, hostile XML, export validity and round trip."""

from pathlib import Path

import defusedxml.ElementTree as DET
import pytest

from assessments.grading import grade
from assessments.interchange.common import MAX_IMPORT_BYTES, comparable
from assessments.interchange.moodle_xml import parse_moodle_xml
from assessments.interchange.moodle_xml_write import export_moodle_xml
from assessments.questions import MATCHING, MULTIPLE_CHOICE, SINGLE_CHOICE, TRUE_FALSE
from tests.assessments import every_kind

DATA = Path(__file__).parent / "data"


def wrap(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>{body}</quiz>'


def only_problem(data) -> str:
    result = parse_moodle_xml(data)
    assert result.questions == [] and len(result.problems) == 1, result.problems
    return result.problems[0].reason


def test_sample_file_imports_eight_and_explains_three():
    result = parse_moodle_xml((DATA / "digcomp_safety.xml").read_bytes())
    names = [q.name for q in result.questions]
    assert names == [
        "Strong password",
        "Phishing signs",
        "MFA",
        "Lock screen key",
        "Backup copies",
        "Screen distance",
        "Protective measures",
        "Hostile text",
    ]
    assert result.category == "Default for Digital safety/Safety"
    assert [(p.where, p.title) for p in result.problems] == [(9, "Reflection"), (10, "Storage maths"), (11, "No right answer")]
    assert "Essay" in result.problems[0].reason and "Calculated" in result.problems[1].reason
    assert "100%" in result.problems[2].reason
    warned = {w.title: w.reason for w in result.warnings}
    assert "case" in warned["Lock screen key"] and "Phishing signs" not in warned  # its image is carried in (media.py)
    assert list(result.files[names.index("Phishing signs")]) == ["mail.png"]
    assert "Units" in warned["Backup copies"]

    by_name = dict(zip(names, result.questions, strict=True))
    strong = by_name["Strong password"]
    assert strong.kind == SINGLE_CHOICE and strong.points == 2.0
    assert strong.stem_markdown == "Which of these passwords is the **strongest**?"
    assert strong.general_feedback == "Length matters more than symbols."
    assert grade(strong, {"choice": "c2"}).points == 2.0
    phishing = by_name["Phishing signs"]
    assert phishing.kind == MULTIPLE_CHOICE and grade(phishing, {"choices": ["c1", "c2", "c3"]}).fraction == 0
    assert phishing.stem_markdown.endswith(
        "![a suspicious mail](@@PLUGINFILE@@/mail.png)"
    )  # the import saves it as the question's file
    mfa = by_name["MFA"]
    assert mfa.kind == TRUE_FALSE and grade(mfa, {"choice": "true"}).feedback == ["Right: a second factor is still needed."]
    assert grade(by_name["Lock screen key"], {"text": "the l KEY"}).fraction == 0.5
    assert grade(by_name["Screen distance"], {"value": "70"}).correct is True
    matching = by_name["Protective measures"]
    assert matching.kind == MATCHING and len(matching.real_pairs) == 3 and matching.pairs[3].answer.startswith("Anti")
    assert by_name["Hostile text"].stem_markdown == "Is this safe?"


def test_html_is_cleaned_and_rewritten_as_markdown():
    xml = wrap("""<question type="shortanswer"><name><text>Q</text></name>
      <questiontext format="html"><text><![CDATA[<h2>Title</h2><p>Read <a href="https://x.org/a b">this</a>
      <em>first</em>:</p><ul><li>one</li><li>two</li></ul><p>a * b &amp; c<br>next</p>
      <style>p{}</style><svg onload="alert(1)"></svg>]]></text></questiontext>
      <answer fraction="100"><text>ok</text></answer></question>""")
    stem = parse_moodle_xml(xml).questions[0].stem_markdown
    assert stem == ("## Title\n\nRead [this](https://x.org/a%20b) *first*:\n\n- one\n- two\n\na \\* b & c  \nnext")


@pytest.mark.parametrize(
    "data,reason",
    [
        (
            """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">
       <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><quiz><question type="shortanswer"><name><text>&lol3;</text>
       </name></question></quiz>""",
            "DTD",
        ),
        (
            """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
       <quiz><question type="shortanswer"><name><text>&e;</text></name></question></quiz>""",
            "DTD",
        ),
        ("""<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://127.0.0.1:1/evil.dtd"><quiz/>""", "DTD"),
        ("""<quiz><question type="multichoice"><name><text>x</text></name>""", "not well-formed"),
        ("""<quiz><name>&undefined;</name></quiz>""", "not well-formed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", "not well-formed"),
        (bytes(range(256)) * 20, "not well-formed"),
        ("", "not well-formed"),
        ("just some text", "not well-formed"),
        (b'<?xml version="1.0" encoding="klingon"?><quiz/>', "not well-formed"),
        ('<?xml version="1.0" encoding="klingon"?><quiz/>', "No questions"),  # str: already decoded
        ("<html><body>hello</body></html>", "root element must be <quiz>"),
        ("<quiz></quiz>", "No questions"),
        ("<a>" * 100_000 + "</a>" * 100_000, "root element"),
    ],
)
def test_hostile_and_malformed_files_are_one_clean_problem(data, reason):
    message = only_problem(data)
    assert reason in message
    assert "root:" not in message and "lollol" not in message  # nothing of the file leaks into messages


def test_oversized_file_is_refused_before_parsing():
    huge = wrap("<!-- " + "x" * MAX_IMPORT_BYTES + " -->")
    assert "larger than 5 MB" in only_problem(huge)
    assert "larger than 5 MB" in only_problem(huge.encode())


@pytest.mark.parametrize(
    "body,reason",
    [
        ('<question type="essay"><name><text>E</text></name></question>', "Essay"),
        ('<question type="ddwtos"><name><text>D</text></name></question>', "Drag-and-drop"),
        ('<question type="mystery"><name><text>M</text></name></question>', "'mystery' is not supported"),
        ("<question><name><text>M</text></name></question>", "'' is not supported"),
        (
            '<question type="truefalse"><name><text>T</text></name><questiontext><text>x</text></questiontext>'
            '<answer fraction="100"><text>yes</text></answer></question>',
            "one 'true'",
        ),
        (
            '<question type="numerical"><name><text>N</text></name><questiontext><text>x</text></questiontext>'
            '<answer fraction="100"><text>three</text></answer></question>',
            "not a number",
        ),
        (
            '<question type="multichoice"><name><text>F</text></name><questiontext><text>x</text></questiontext>'
            '<answer fraction="lots"><text>a</text></answer></question>',
            "grade that is not a number",
        ),
        (
            '<question type="multichoice"><name><text>F</text></name><questiontext><text>x</text></questiontext>'
            '<defaultgrade>inf</defaultgrade><answer fraction="100"><text>a</text></answer></question>',
            "finite",
        ),
        (
            '<question type="matching"><name><text>M</text></name><questiontext><text>x</text></questiontext>'
            "<subquestion><text>a</text><answer><text>b</text></answer></subquestion></question>",
            "two pairs",
        ),
    ],
)
def test_unsupported_and_invalid_questions_are_listed(body, reason):
    assert reason in only_problem(wrap(body))


def test_one_bad_question_does_not_spoil_the_others():
    good = (
        '<question type="shortanswer"><name><text>Good</text></name><questiontext><text>Q?</text>'
        '</questiontext><answer fraction="100"><text>yes</text></answer></question>'
    )
    result = parse_moodle_xml(wrap(good + '<question type="essay"><name><text>E</text></name></question>' + good))
    assert [q.name for q in result.questions] == ["Good", "Good"] and [p.where for p in result.problems] == [2]


def test_export_is_valid_moodle_xml():
    xml = export_moodle_xml(every_kind(), category="Safety")
    root = DET.fromstring(xml.encode(), forbid_dtd=True)
    assert root.tag == "quiz"
    types = [q.get("type") for q in root.findall("question")]
    assert types == [
        "category",
        "multichoice",
        "multichoice",
        "multichoiceset",
        "truefalse",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
    ]
    assert root.find("question/category/text").text == "$course$/top/Safety"
    assert "<![CDATA[" in xml and "]]]]><![CDATA[>" in xml  # "]]>" in a text cannot end the CDATA early
    assert export_moodle_xml([]).strip().endswith("<quiz>\n</quiz>")


def test_export_drops_characters_xml_cannot_hold():
    q = every_kind()[5]
    odd = type(q)(**{**q.to_dict(), "stem_markdown": "bell\x07 and \x00 nul"})
    again = parse_moodle_xml(export_moodle_xml([odd])).questions[0]
    assert again.stem_markdown == "bell and  nul"


def test_export_then_import_gives_equal_questions():
    questions = every_kind()
    result = parse_moodle_xml(export_moodle_xml(questions, category="Safety/Passwords"))
    assert result.problems == [] and result.warnings == []
    assert result.categories == ["Safety/Passwords"] * len(questions)
    for original, imported in zip(questions, result.questions, strict=True):
        assert comparable(imported) == comparable(original)
