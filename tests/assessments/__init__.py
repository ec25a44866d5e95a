"""Shared samples for the assessments tests."""

from assessments.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    AcceptedAnswer,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionData,
    true_false,
)

# Text that exercises both formats' escapes, Markdown and non-ASCII, in every field a format carries.
TRICKY = "Pick {one}: a ~ b = c # d \\ e -> f ]]> <https://example.org> **bold** café\nsecond line"


def every_kind() -> list[QuestionData]:
    return [
        QuestionData(
            SINGLE_CHOICE,
            "Single: {1}",
            TRICKY,
            points=2,
            general_feedback="General # note",
            choices=[
                Choice("c1", "Right = yes", 1.0, "Well done: #1"),
                Choice("c2", "%50% half", 0.5, ""),
                Choice("c3", "Wrong ~ no", 0.0, "No {way}"),
            ],
        ),
        QuestionData(
            MULTIPLE_CHOICE,
            "Multiple partial",
            "Which are prime?",
            choices=[Choice("c1", "2", 0.5), Choice("c2", "3", 0.5, "Yes"), Choice("c3", "4", -1.0, "No"), Choice("c4", "9", -1 / 3)],
        ),
        QuestionData(
            MULTIPLE_CHOICE,
            "Multiple all or nothing",
            "Pick both",
            multiple_rule=ALL_OR_NOTHING,
            choices=[Choice("c1", "A", 0.5), Choice("c2", "B", 0.5), Choice("c3", "C", 0.0)],
        ),
        true_false("True/false", "The sun is a star.", True, feedback_true="Right", feedback_false="It is."),
        true_false("False one", "The moon is a star.", False, feedback_false="Right"),
        QuestionData(
            SHORT_TEXT,
            "Short",
            "Capital of France?",
            general_feedback="Paris.",
            accepted=[AcceptedAnswer("Paris", 1.0, "Yes"), AcceptedAnswer("Ville de Paris {}", 0.5, "")],
        ),
        QuestionData(
            NUMERIC,
            "Numeric",
            "Pi to two places?",
            numeric=[NumericAnswer(3.14, 0.005, 1.0, "Good"), NumericAnswer(-3.0, 1.5, 0.25), NumericAnswer(1e-7, 0.0, 1.0)],
        ),
        QuestionData(
            MATCHING,
            "Matching",
            "Match the sounds",
            pairs=[MatchPair("p1", "cat", "meow"), MatchPair("p2", "dog: big", "woof = bark"), MatchPair("p3", "", "quack")],
        ),
    ]
