"""The demo question bank: a category per demo course (the DigComp Safety diagnostic is in diagnostic.py).

Plain data, written for public servants; `assessments.demo` turns it into bank questions and quizzes.
Each question is tagged with a DigComp code (the course's main competence unless given).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.questions import (
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


def single(name: str, stem: str, right: str, *wrong: str, feedback: str = "") -> QuestionData:
    choices = [Choice("a", right, 1.0)] + [Choice(chr(ord("b") + i), w, 0.0) for i, w in enumerate(wrong)]
    return QuestionData(SINGLE_CHOICE, name, stem, choices=choices, general_feedback=feedback)


def several(name: str, stem: str, right: list[str], wrong: list[str], feedback: str = "") -> QuestionData:
    """Partial credit: each right choice earns its share, each wrong one takes a share away."""
    share = 1.0 / len(right)
    texts = [(t, share) for t in right] + [(t, -share) for t in wrong]
    choices = [Choice(chr(ord("a") + i), t, f) for i, (t, f) in enumerate(texts)]
    return QuestionData(MULTIPLE_CHOICE, name, stem, choices=choices, general_feedback=feedback)


def short(name: str, stem: str, *accepted: str, feedback: str = "") -> QuestionData:
    return QuestionData(SHORT_TEXT, name, stem, accepted=[AcceptedAnswer(a) for a in accepted], general_feedback=feedback)


def number(name: str, stem: str, value: float, tolerance: float = 0.0, feedback: str = "") -> QuestionData:
    return QuestionData(NUMERIC, name, stem, numeric=[NumericAnswer(value, tolerance)], general_feedback=feedback)


def matching(name: str, stem: str, pairs: list[tuple[str, str]], extra: tuple[str, ...] = (), feedback: str = "") -> QuestionData:
    items = [MatchPair(f"p{i + 1}", p, a) for i, (p, a) in enumerate(pairs)]
    items += [MatchPair(f"x{i + 1}", "", a) for i, a in enumerate(extra)]
    return QuestionData(MATCHING, name, stem, pairs=items, general_feedback=feedback)


def tf(name: str, stem: str, correct: bool, feedback: str = "") -> QuestionData:
    return true_false(name, stem, correct, general_feedback=feedback)


@dataclass(frozen=True)
class DemoQuiz:
    course_key: str
    title: str
    category: str
    questions: tuple[tuple[str, QuestionData], ...]  # (DigComp code, question)
    pass_percent: int = 70
    review_policy: str = "after_submit"
    time_limit_minutes: int | None = None


PHISHING = DemoQuiz(
    "phishing",
    "Check your understanding: phishing",
    "Phishing and social engineering",
    (
        (
            "4.1",
            single(
                "Urgent payment request",
                "An email from your director asks you to pay a new supplier today "
                "and says not to phone because they are in meetings. What do you do first?",
                "Check the request with the director through a channel you already know",
                "Pay it: the director's name is on the email",
                "Reply to the email to ask if it is genuine",
                feedback="Urgency plus a request not to check is the classic sign of invoice fraud.",
            ),
        ),
        (
            "4.1",
            several(
                "Signs of phishing",
                "Which of these are warning signs in an email? Choose all that apply.",
                [
                    "The sender's address does not match the organisation's domain",
                    "It pressures you to act within the hour",
                    "A link's real address differs from the text shown",
                ],
                ["It is addressed to you by name"],
            ),
        ),
        (
            "4.1",
            tf(
                "Padlock means safe",
                "A padlock in the browser's address bar means the website is run by a trustworthy organisation.",
                False,
                feedback="The padlock only means the connection is encrypted; phishing sites use it too.",
            ),
        ),
        (
            "4.1",
            short(
                "Where to report",
                "Which team do you forward a suspicious email to? (two words)",
                "service desk",
                "the service desk",
                "it service desk",
            ),
        ),
        (
            "4.1",
            matching(
                "Attack names",
                "Match each attack to its description.",
                [
                    ("Phishing", "Bulk emails that imitate a trusted sender"),
                    ("Vishing", "A phone call that pretends to be from your bank or IT"),
                    ("Smishing", "A text message with a link to a fake login page"),
                ],
                extra=("A USB stick left in the car park",),
            ),
        ),
    ),
    pass_percent=75,
    time_limit_minutes=20,
)

DATA_PROTECTION = DemoQuiz(
    "data_protection",
    "Check your understanding: personal data",
    "Personal data and data protection",
    (
        (
            "4.2",
            single(
                "Lawful basis",
                "Your team processes benefit claims. Which lawful basis usually applies?",
                "Public task",
                "Consent",
                "Legitimate interests",
                feedback="Public authorities rely on public task for their core functions.",
            ),
        ),
        (
            "4.2",
            several(
                "Personal data",
                "Which of these are personal data? Choose all that apply.",
                [
                    "A case reference that can be linked to a claimant",
                    "An email address like j.smith@example.com",
                    "A photo of a visitor at reception",
                ],
                ["The department's annual budget total"],
            ),
        ),
        (
            "4.2",
            tf(
                "Breach deadline",
                "A reportable personal data breach must be reported to the regulator within 72 hours of becoming aware of it.",
                True,
            ),
        ),
        ("4.2", number("Breach hours", "How many hours do you have to report a notifiable breach to the regulator?", 72)),
        (
            "4.2",
            short(
                "Subject access",
                "What is a request from someone for a copy of their own personal data called? (three words, or its initials)",
                "subject access request",
                "SAR",
                "data subject access request",
            ),
        ),
        (
            "4.2",
            matching(
                "Principles",
                "Match each data-protection principle to what it means in practice.",
                [
                    ("Data minimisation", "Collect only what you need for the purpose"),
                    ("Storage limitation", "Delete it when you no longer need it"),
                    ("Accuracy", "Correct records that are wrong"),
                ],
                extra=("Publish it on the intranet",),
            ),
        ),
    ),
    pass_percent=75,
)

SPREADSHEETS = DemoQuiz(
    "spreadsheets",
    "Check your understanding: shared spreadsheets",
    "Shared spreadsheets",
    (
        (
            "1.3",
            single(
                "Tidy data",
                "In a tidy table, what should each row hold?",
                "One record, such as one case",
                "A subtotal",
                "A heading for the next section",
            ),
        ),
        (
            "1.3",
            several(
                "Safer sharing",
                "Which habits keep a shared spreadsheet reliable? Choose all that apply.",
                ["Keep one header row", "Use data validation for fixed lists"],
                ["Merge cells to group rows", "Colour-code cells as the only record of status"],
            ),
        ),
        ("1.3", tf("Version history", "Most shared spreadsheet tools let you restore an earlier version.", True)),
        ("1.3", number("Average", "Cases closed by four officers this week: 12, 8, 10 and 14. What is the average per officer?", 11)),
        ("2.4", short("Function name", "Which function adds up a range of cells? (its name only)", "SUM", "SUM()")),
    ),
)

ACCESSIBLE_DOCUMENTS = DemoQuiz(
    "accessible_documents",
    "Check your understanding: accessible documents",
    "Accessible documents",
    (
        (
            "3.1",
            single(
                "Headings",
                "How should you make a heading in a document?",
                "Apply the built-in heading style",
                "Make the text bold and larger",
                "Underline it",
                feedback="Screen readers navigate by real heading styles.",
            ),
        ),
        (
            "3.1",
            several(
                "Alt text",
                "Which are good practice for images? Choose all that apply.",
                ["Describe what the image shows that matters for the reader", "Mark purely decorative images as decorative"],
                ["Start alt text with 'Image of'", "Put the chart's data only in the image"],
            ),
        ),
        ("3.1", tf("Colour alone", "It is fine to show that a deadline is missed only by making the cell red.", False)),
        (
            "3.1",
            short(
                "Standard",
                "Which guidelines, known by four letters, set the accessibility standard for public-sector websites and documents?",
                "WCAG",
            ),
        ),
        (
            "2.5",
            matching(
                "Fixes",
                "Match each problem to its fix.",
                [
                    ("Link text says 'click here'", "Describe where the link goes"),
                    ("Scanned letter as an image", "Publish the text, or run OCR and check it"),
                    ("Table with no header row", "Mark the first row as a header"),
                ],
            ),
        ),
    ),
    pass_percent=80,
    review_policy="after_passing",
)

WEB_WRITING = DemoQuiz(
    "web_writing",
    "Check your understanding: writing for the web",
    "Writing for the web",
    (
        (
            "3.1",
            single(
                "Front-loading",
                "What should come first on a guidance page?",
                "What the user needs to do or know",
                "The history of the policy",
                "Who wrote the page",
            ),
        ),
        (
            "3.1",
            several(
                "Plain English",
                "Which make a sentence easier to read? Choose all that apply.",
                ["Use the active voice", "Keep sentences under about 25 words"],
                ["Use Latin abbreviations like 'e.g.' and 'i.e.'"],
            ),
        ),
        ("3.1", tf("Reading age", "Public-service content should aim for a reading age of about 9 for most users.", True)),
        (
            "2.5",
            short(
                "Page title",
                "What do search engines show as the clickable headline of a page? (two words)",
                "page title",
                "title tag",
                "the page title",
            ),
        ),
    ),
)

DATA_FOR_POLICY = DemoQuiz(
    "data_for_policy",
    "Check your understanding: data for policy",
    "Data for policy",
    (
        (
            "1.2",
            single(
                "Source",
                "Which source is usually the most reliable for national population figures?",
                "Official statistics with published methods",
                "A newspaper infographic",
                "A blog post that cites no source",
            ),
        ),
        (
            "1.2",
            several(
                "Quality checks",
                "What should you check before using a dataset in a briefing? Choose all that apply.",
                ["When it was collected", "How it was collected", "What it covers"],
                ["How many times it was downloaded"],
            ),
        ),
        ("1.3", number("Percentage change", "Applications rose from 400 to 500. What is the percentage increase?", 25, 0.5)),
        ("1.2", tf("Correlation", "If two measures rise together, one must cause the other.", False)),
        (
            "1.3",
            matching(
                "Averages",
                "Match each measure to when it is most useful.",
                [
                    ("Median", "Incomes, where a few very high values skew the mean"),
                    ("Mean", "Evenly spread values such as daily temperatures"),
                    ("Mode", "The most common category, such as the usual contact channel"),
                ],
            ),
        ),
    ),
)

COLLABORATING = DemoQuiz(
    "collaborating",
    "Check your understanding: collaborating online",
    "Collaborating online",
    (
        (
            "2.4",
            single(
                "One source of truth",
                "Two colleagues email each other copies of a document. What is better?",
                "Edit one shared copy with version history",
                "Add initials to each file name",
                "Print it and mark it up",
            ),
        ),
        ("2.4", tf("Guest access", "You should remove guests from a shared workspace when the project ends.", True)),
        (
            "2.4",
            several(
                "Good meeting habits",
                "Which help an online meeting work? Choose all that apply.",
                ["Share the agenda beforehand", "Record decisions where everyone can find them"],
                ["Keep cameras on as a rule for everyone"],
            ),
        ),
        ("2.4", short("Permission", "Which permission lets someone comment but not edit? (one word)", "commenter", "comment")),
    ),
)

COURSE_QUIZZES = (PHISHING, DATA_PROTECTION, SPREADSHEETS, ACCESSIBLE_DOCUMENTS, WEB_WRITING, DATA_FOR_POLICY, COLLABORATING)
