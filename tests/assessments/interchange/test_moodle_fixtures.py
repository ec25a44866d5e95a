"""Moodle-style GIFT and XML files (tests/assessments/fixtures/moodle), read field by field."""

from pathlib import Path

from assessments.grading import grade
from assessments.interchange.common import CategoryInfo, ExportRefused, split_path
from assessments.interchange.gift import parse_gift
from assessments.interchange.gift_write import export_gift
from assessments.interchange.moodle_xml import parse_moodle_xml
from assessments.interchange.moodle_xml_write import export_moodle_xml
from assessments.questions import ALL_OR_NOTHING, MATCHING, MULTIPLE_CHOICE, NUMERIC, SHORT_TEXT, SINGLE_CHOICE, TRUE_FALSE

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "moodle"


def by_name(result):
    return {q.name: q for q in result.questions}


def test_gift_formats_on_answers_and_feedback_are_read_as_formats():
    result = parse_gift((FIXTURES / "every_kind.gift").read_bytes())
    assert result.problems == [] and result.warnings == []
    q = by_name(result)["Strong password"]
    assert q.kind == SINGLE_CHOICE and q.stem_markdown == "Which password is the **strongest**?"
    # [html] answer and feedback, [plain] feedback shown literally, [moodle] answer, [markdown] feedback.
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("password123", 0.0, "Common words are guessed *first*."),
        ("correct-horse-battery-staple", 1.0, "Length beats symbols: 4 \\* 6 \\> 8"),
        ("P@ss1", 0.0, "Short, however **clever**."),
    ]
    assert q.general_feedback == "Use a **password manager**."  # ####[html]
    assert "[html]" not in str(result.questions) and "<p>" not in str(result.questions)
    short = by_name(result)["Capital"]
    assert [(a.text, a.fraction, a.feedback) for a in short.accepted] == [
        ("Paris", 1.0, "Oui."),
        ("Ville de Paris", 0.5, "Close enough."),
    ]
    tf = by_name(result)["MFA"]
    assert (
        tf.kind == TRUE_FALSE
        and tf.choices[0].feedback == "Right \\<as written\\>."
        and tf.choices[1].feedback == "It does stop them."
    )
    matching = by_name(result)["Matching"]
    assert matching.kind == MATCHING and [(p.prompt, p.answer) for p in matching.pairs] == [
        ("HTTPS", "443"),
        ("SSH", "22"),
        ("", "25"),
    ]
    assert matching.general_feedback == "Ports are numbers."


def test_gift_numerical_catch_alls_import_as_moodle_writes_them():
    result = parse_gift((FIXTURES / "every_kind.gift").read_bytes())
    moodle = by_name(result)["Moodle numerical"]
    assert moodle.kind == NUMERIC and [(n.value, n.tolerance, n.fraction) for n in moodle.numeric] == [(3.0, 2.0, 1.0)]
    assert moodle.other_feedback == "Completely wrong"
    wrong = grade(moodle, {"value": "9"})
    assert wrong.fraction == 0 and wrong.feedback == ["Completely wrong"]
    assert grade(moodle, {"value": "4.5"}).fraction == 1.0
    zero = by_name(result)["Numerical zero catch-all"]
    assert zero.other_feedback == "Count them *again*." and len(zero.numeric) == 2
    assert grade(zero, {"value": "7"}).fraction == 0.5 and grade(zero, {"value": "100"}).feedback == ["Count them *again*."]


def test_gift_ids_tags_category_id_and_description_come_from_comments():
    result = parse_gift((FIXTURES / "every_kind.gift").read_bytes())
    q = by_name(result)["Strong password"]
    assert q.idnumber == "pw-1" and q.tags == ("passwords", "competence:4.1", "competence-level:2")
    assert set(result.categories) == {"Default for Digital skills/Safety"}
    assert result.category_info == {
        "Default for Digital skills/Safety": CategoryInfo("safety", "Questions about staying safe online.")
    }
    assert by_name(result)["Safe habits"].idnumber == "" and by_name(result)["Safe habits"].tags == ()


def test_gift_refuses_what_moodle_refuses_with_the_line():
    result = parse_gift((FIXTURES / "invalid_grades.gift").read_bytes())
    assert [q.name for q in result.questions] == ["Good one"]
    problems = {p.title: p for p in result.problems}
    assert problems["Odd grade"].where == 5 and "Moodle's list" in problems["Odd grade"].reason
    assert problems["Short sum"].where == 11 and "exactly 100% (they add up to 90%)" in problems["Short sum"].reason
    assert problems["Catch-all worth something"].where == 17 and "worth 0%" in problems["Catch-all worth something"].reason


def test_xml_fixture_field_by_field():
    result = parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes())
    assert [(p.where, p.title) for p in result.problems] == [(7, "Reflection")]
    qs = by_name(result)
    phish = qs["Phishing signs"]
    assert (phish.kind, phish.points, phish.idnumber, phish.penalty) == (MULTIPLE_CHOICE, 2.0, "phish-1", 0.3333333)
    assert phish.tags == ("phishing", "competence:4.1", "competence-level:3")
    assert phish.hints == ("Think about **pressure**.", "Check the sender.")
    assert (phish.correct_feedback, phish.partial_feedback, phish.incorrect_feedback) == (
        "All of them, well spotted.",
        "Some of them.",
        "Look again at the *sender*.",
    )
    assert [c.fraction for c in phish.choices] == [0.5, 0.5, -1.0]
    assert phish.stem_markdown.endswith("![A fish hook](@@PLUGINFILE@@/hook.png)")  # the image and its alt text
    files = result.files[result.questions.index(phish)]
    assert list(files) == ["hook.png"] and files["hook.png"].content_type == "image/png"
    both = qs["Both factors"]
    assert both.kind == MULTIPLE_CHOICE and both.multiple_rule == ALL_OR_NOTHING and both.penalty == 0.5
    assert qs["Public wifi"].idnumber == "wifi" and qs["Public wifi"].choices[1].fraction == 1.0
    assert qs["Lock key"].kind == SHORT_TEXT and [a.text for a in qs["Lock key"].accepted] == ["Windows", "Win"]
    backup = qs["Backup copies"]
    assert backup.kind == NUMERIC and backup.other_feedback == "Count the **first** number." and len(backup.numeric) == 1
    assert grade(backup, {"value": "2"}).feedback == ["Count the **first** number."]
    assert qs["Ports"].points == 3.0 and len(qs["Ports"].real_pairs) == 2


def test_xml_category_tree_keeps_descriptions_idnumbers_and_slashes_in_names():
    result = parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes())
    assert result.category_info == {
        "Default for Digital skills": CategoryInfo("digital", "Everything for the **digital skills** course."),
        "Default for Digital skills/Safety": CategoryInfo("safety", "Staying safe online."),
    }
    assert split_path(result.categories[-1]) == ("Default for Digital skills", "Safety", "Old/new")


def test_xml_report_names_what_was_left_out_and_what_is_kept_unused():
    warnings = [(w.title, w.reason) for w in parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes()).warnings]
    assert not any(t == "Phishing signs" and "hook.png" in r for t, r in warnings)  # carried over, with its alt text
    assert (
        "Public wifi",
        "The image at https://example.org/wifi.png was left out (only images carried in the file can be shown); "
        "its alt text stays in its place.",
    ) in warnings
    assert any(t == "Phishing signs" and "2 hints and the penalty per try" in r for t, r in warnings)


def test_combined_feedback_follows_the_score():
    phish = by_name(parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes()))["Phishing signs"]
    assert "All of them, well spotted." in grade(phish, {"choices": ["c1", "c2"]}).feedback
    assert "Some of them." in grade(phish, {"choices": ["c1"]}).feedback
    assert "Look again at the *sender*." in grade(phish, {"choices": ["c3"]}).feedback
    assert grade(phish, {}).feedback == ["When in doubt, report it."]  # nothing answered: no combined feedback


def test_xml_round_trip_keeps_hints_combined_feedback_penalty_ids_tags_and_catch_all():
    original = parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes())
    again = parse_moodle_xml(export_moodle_xml(original.questions, category="Digital/Safety", files=original.files))
    assert again.problems == []
    assert again.questions == original.questions and again.files == original.files


def test_gift_round_trip_and_the_all_or_nothing_refusal():
    original = parse_moodle_xml((FIXTURES / "every_kind.xml").read_bytes()).questions
    with pytest.raises(ExportRefused) as refused:
        export_gift(original)
    assert [p.title for p in refused.value.problems] == ["Both factors"] and "all-or-nothing" in refused.value.problems[0].reason
    carried = [q for q in original if q.multiple_rule != ALL_OR_NOTHING or q.kind != MULTIPLE_CHOICE]
    back = parse_gift(export_gift(carried)).questions
    # GIFT keeps points, ids, tags and the numerical catch-all; it has no hints, combined feedback or penalty.
    for a, b in zip(carried, back, strict=True):
        assert (b.name, b.points, b.idnumber, b.tags, b.other_feedback) == (a.name, a.points, a.idnumber, a.tags, a.other_feedback)
        assert (b.choices, b.accepted, b.numeric, b.pairs) == (a.choices, a.accepted, a.numeric, a.pairs)
