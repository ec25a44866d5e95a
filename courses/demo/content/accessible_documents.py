"""Demo course: writing accessible documents."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="accessible_documents",
    title="Writing accessible documents",
    summary=(
        "Make documents that everyone can read, including people who use screen readers, magnifiers or "
        "keyboard navigation. Learn the structure, formatting and checking habits that make Word documents, "
        "slides and PDFs accessible, and when to publish as a web page instead."
    ),
    audience="Anyone who writes documents, letters, slides or forms that others will read or fill in.",
    competences={"3.1": 4, "2.5": 3},
    modules=(
        ModuleSpec(
            "Why accessibility matters",
            (
                LessonSpec(
                    "Who we write for",
                    7,
                    """\
## Accessibility is about people

More than one in five people in the UK report a disability, and many more have a temporary or situational
impairment: a broken arm, a migraine, a small phone screen in bright sunlight. Public services are for
everyone, so the documents behind them must be too.

## How people read your documents

| Person | How they read | What helps them |
|---|---|---|
| Blind, uses a screen reader | Hears the text; jumps between headings and links | Real headings, alt text, descriptive links |
| Low vision, uses magnification | Sees a small part of the page at a time | Simple layout, good contrast, no text in images |
| Dyslexic | Reads slowly; may use text-to-speech | Plain language, left-aligned text, clear fonts |
| Motor impairment, uses a keyboard | Moves with Tab and arrow keys | Logical order, forms that work without a mouse |
| Colour-blind | Can't tell some colours apart | Meaning that doesn't rely on colour alone |
| Reading in a second language | Reads carefully, may translate | Short sentences, common words |

## The business case

Accessible documents are also better documents for everyone:

- structured headings make long documents easier to navigate and produce automatic contents pages;
- plain language reduces calls and complaints;
- good structure converts cleanly to web pages and other formats.

## The mindset

Accessibility is much cheaper to build in than to fix later. Use the tool's built-in **styles** from the
first line you type, and check as you go rather than at the end.
""",
                ),
                LessonSpec(
                    "The legal baseline",
                    6,
                    """\
## What the law expects

In the UK, the **Equality Act 2010** requires organisations to make reasonable adjustments so that disabled
people are not put at a disadvantage. For public bodies there is also the **public sector equality duty**.

The **Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018**, which
implement an EU directive, require public sector websites and apps to meet the *Web Content Accessibility
Guidelines* (WCAG) at level **AA**, and to publish an **accessibility statement**. Documents published on
those websites — PDFs, Word files, spreadsheets — are generally covered too, with some exemptions for
older documents that are not needed for using a service.

## WCAG in four words

WCAG is organised around four principles. Content must be:

1. **Perceivable** — people can see or hear it (alt text, captions, contrast).
2. **Operable** — people can use it with different inputs (keyboard, voice).
3. **Understandable** — clear language, predictable layout, helpful error messages.
4. **Robust** — it works with assistive technologies (real structure, not visual tricks).

## What this means for you

- You are responsible for the accessibility of the documents you create, not just the web team.
- If you publish a document that is not accessible, someone will need to provide an alternative on
  request — which is slower for them and more work for you.
- When in doubt, publish the content as an **HTML page** rather than an attached file.

This lesson is a summary, not legal advice; your digital or accessibility team can tell you which
standard your organisation tests against.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Structure and formatting",
            (
                LessonSpec(
                    "Headings, lists and styles",
                    8,
                    """\
## Structure you can't see

A screen reader user can't glance at a page to see which text is a heading. They can only find headings
that are marked as headings in the document's structure. Bold, large text is not a heading.

## Use the built-in styles

- Apply **Heading 1** once, for the document title.
- Use **Heading 2** for main sections and **Heading 3** for sub-sections. Don't skip levels.
- Use the **list buttons** for bullets and numbers, not typed dashes or "1)".
- Use **Normal** (or Body) style for paragraphs; change the style, not individual text, to adjust the look.

Most word processors then let you open a **navigation pane** that shows the headings — a quick way to check
your structure is what you intended.

## Formatting that helps

| Do | Avoid |
|---|---|
| Left-aligned text | Justified text (uneven gaps are hard for dyslexic readers) |
| A sans-serif font, 12 point or larger | Decorative or condensed fonts |
| Bold for emphasis, sparingly | Italics and underlining for emphasis; BLOCK CAPITALS |
| Space after paragraphs set in the style | Empty paragraphs to create space |
| Page breaks | Many returns to push text onto the next page |

## Lists

Lists make steps and options scannable. Use numbered lists when order matters and bullets when it doesn't.
Keep list items parallel: all start with a verb, or all are nouns.

## Quick test

Turn on the navigation pane. Can you understand what the document covers from the headings alone? If not,
your readers using screen readers won't either.
""",
                ),
                LessonSpec(
                    "Links, images and alternative text",
                    8,
                    """\
## Descriptive links

Screen reader users often list all the links on a page. "Click here", "read more" and bare web addresses
tell them nothing.

- Write link text that makes sense out of context: *"Apply for a parking permit"*, not *"click here"*.
- Put the key words at the start of the link.
- If a link opens a file, say so: *"Annual report 2024 (PDF, 2 MB)"*.

## Alternative text for images

Alternative text (alt text) is read out in place of an image. It should convey the image's **purpose**,
not describe every pixel.

| Image | Good alt text |
|---|---|
| Photo of a team at a workshop, decorative | Mark as decorative (no alt text) |
| Chart showing applications rising from 200 to 450 | "Applications more than doubled from 200 in 2021 to 450 in 2024" |
| Logo used as a link to the home page | "Home page" or the organisation's name |
| Screenshot of a settings screen in a guide | "The Privacy settings screen with 'Share location' switched off" |

For complex images such as detailed charts, give a short alt text and put the full data in a table or in
the text nearby.

## Avoid text in images

Text in an image can't be resized, searched, translated or read by many tools. Type it as real text.

## Colour and contrast

- Don't use colour as the only way to show meaning ("items in red are overdue"). Add a word or symbol.
- Make sure text has enough contrast with its background: WCAG AA asks for at least **4.5:1** for normal
  text and 3:1 for large text. Pale grey text on white usually fails.
""",
                ),
                LessonSpec(
                    "Tables and forms",
                    7,
                    """\
## Tables are for data

Use tables only to present data in rows and columns — never to lay out a page. Screen readers announce
tables cell by cell, so layout tables are confusing.

## Making data tables accessible

1. Keep tables **simple**: one header row, no merged or split cells, no blank rows.
2. Mark the first row as a **header row** that repeats on each page.
3. Give the table a **caption** or a heading just above it saying what it shows.
4. Put totals at the bottom, in a clearly labelled row.
5. If a table is very complex, split it into several simpler tables.

| Good table | Problem table |
|---|---|
| One header row | Two or three stacked header rows |
| One value per cell | "See note" or several values in one cell |
| Real header cells | Bold text in the first row only |

## Forms in documents

Fillable forms in Word or PDF are hard to make accessible and hard to use on a phone. Where possible, use
an online form instead. If you must use a document form:

- give every field a clear label placed before it;
- explain the format you need (*"Date of birth, for example 27 3 1985"*);
- make sure the reading and tab order follow the visual order;
- don't rely on colour or position alone for instructions.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Checking and publishing",
            (
                LessonSpec(
                    "Checking your document",
                    7,
                    """\
## Use the built-in checker

Most office tools include an **accessibility checker**. It catches missing alt text, missing table
headers, low contrast and skipped heading levels. Run it before you share, and fix every error it reports.

The checker can't judge meaning, so also check by hand.

## Manual checks

1. **Headings**: open the navigation pane — is the structure complete and logical?
2. **Reading order**: on slides especially, check the order in which items are read (the selection pane
   or reading order tool shows it).
3. **Links**: read each link on its own — does it make sense?
4. **Images**: is the alt text meaningful, or correctly marked decorative?
5. **Language**: is it plain? Are abbreviations explained on first use?
6. **Zoom**: view at 200% — does anything become unreadable or overlap?
7. **Keyboard**: in a form, can you reach and fill every field with the Tab key?

## Test with a screen reader (if you can)

Free screen readers come with most systems (Narrator on Windows, VoiceOver on Mac and iPhone,
TalkBack on Android). Listening to the first page of your document for two minutes teaches more than
any checklist.

## Document properties

Set the document **title** in its properties — screen readers and browsers announce it — and set the
document language so text is pronounced correctly.
""",
                ),
                LessonSpec(
                    "HTML first, PDF last",
                    6,
                    """\
## Why web pages beat attachments

For content people need to read online, a web page is almost always more accessible than a PDF:

| | HTML page | PDF |
|---|---|---|
| Works on a phone | Reflows to fit | Often needs zooming and scrolling |
| Screen readers | Reliable | Only if carefully tagged |
| Keeping up to date | Edit in place | Re-export, re-upload, old copies linger |
| Search engines | Fully indexed | Partly |
| User's own settings | Respected (fonts, colours) | Mostly ignored |

## When a document is still right

- A form or letter that must be printed, signed or kept as a record.
- A document people will download and edit, such as a template.
- A formal publication that must be preserved exactly as issued — alongside an HTML version.

## If you must publish a PDF

1. Start from an accessible source document (styles, alt text, table headers).
2. Export using **"Save as PDF"** with the option to keep document structure tags, not "Print to PDF".
3. Check the PDF with an accessibility checker.
4. Give the link a clear description with file type and size.
5. Offer an alternative format and say how to request it.

## Final checklist

- Content published as HTML where possible.
- Accessibility checker run with no errors.
- Headings, links, images and tables checked by hand.
- Alternative formats available on request.
""",
                ),
            ),
        ),
    ),
)
