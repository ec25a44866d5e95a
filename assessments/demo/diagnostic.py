"""The demo's DigComp Safety diagnostic: one question per Safety competence, scored into levels by band.

Plain data like questions.py; a diagnostic quiz places a person on a level instead of passing or failing.
"""

from __future__ import annotations

from assessments.demo.questions import DemoQuiz, single, several, number, tf

DIAGNOSTIC = DemoQuiz(
    "phishing",
    "DigComp Safety diagnostic",
    "DigComp Safety diagnostic",
    (
        (
            "4.1",
            single(
                "Updates",
                "Your laptop asks to install a security update. When should you install it?",
                "As soon as you can",
                "Only when IT emails you",
                "Never during the financial year",
            ),
        ),
        (
            "4.1",
            tf(
                "Shared passwords",
                "Sharing your password with a trusted colleague while you are on leave is acceptable if your manager agrees.",
                False,
            ),
        ),
        (
            "4.2",
            single(
                "Sending a spreadsheet",
                "You need to send a spreadsheet of claimants to another department. What do you do?",
                "Share it through the approved secure channel, with only the columns needed",
                "Email the full file to their personal address",
                "Upload it to a free file-sharing site",
            ),
        ),
        ("4.2", tf("Anonymised data", "Removing names is always enough to make data anonymous.", False)),
        (
            "4.3",
            several(
                "Healthy working",
                "Which help protect your health when working on screens? Choose all that apply.",
                ["Take short breaks away from the screen", "Set the screen at eye level"],
                ["Turn the brightness to maximum"],
            ),
        ),
        ("4.3", tf("Out of hours", "Turning off work notifications outside working hours can reduce stress.", True)),
        (
            "4.4",
            single(
                "Old equipment",
                "What is the greenest sensible option for a working but old monitor?",
                "Pass it on for reuse through the IT asset process",
                "Put it in the general waste",
                "Keep it in a cupboard just in case",
            ),
        ),
        ("4.4", number("Printing", "A 40-page report is printed double-sided. How many sheets of paper does it use?", 20)),
    ),
    pass_percent=0,
    review_policy="after_submit",
)
DIAGNOSTIC_BANDS = [[0, 1], [40, 2], [60, 3], [80, 4]]
