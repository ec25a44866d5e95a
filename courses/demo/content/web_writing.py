"""Demo course: writing for the web."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="web_writing",
    title="Writing for the web",
    summary=(
        "Write online content that people can find, understand and act on the first time they read it. "
        "Covers how people really read on screens, plain English, structuring pages with headings and "
        "lists, and writing titles, summaries and links that work for search and for screen readers."
    ),
    audience="Staff who write or update web pages, intranet articles, service guidance or newsletters.",
    competences={"3.1": 3, "2.5": 3},
    modules=(
        ModuleSpec(
            "How people read online",
            (
                LessonSpec(
                    "People scan, they don't read",
                    7,
                    """\
## Reading behaviour on screens

People visiting a public service page usually want to *do* something: check if they are eligible, find a
deadline, apply, pay. They rarely read from top to bottom. Eye-tracking research has shown the same
pattern for years: people **scan** the first lines and the left-hand side of the page, looking for words
that match what they came for.

## What this means for your writing

- **Start with what matters most** to the reader: the answer, the action, the deadline.
- **Use the words your users use.** They search for "bin collection", not "waste management services".
- **Make the page scannable**: meaningful headings, short paragraphs, lists for steps and options.
- **Cut what doesn't help the user act.** History, mission statements and internal structure rarely do.

## Reading age

Many people, including highly educated specialists, prefer plain language when they are busy or stressed.
A good target for general public content is text that most people can read easily — short words and
sentences that someone with a reading age of about nine could follow. Specialist audiences still benefit
from plain language; they just share more technical terms.

## Read it like a user

Before writing, find out:

1. **Who** is this for? (Residents? Businesses? Colleagues?)
2. **What do they need to do** after reading?
3. **What words do they use?** Check search terms, call logs and feedback.
4. **What must they know first?** Eligibility, costs and deadlines come before detail.

| Writing for the organisation | Writing for the user |
|---|---|
| "The Department is committed to delivering…" | "You can apply online. It takes about 15 minutes." |
| "Applications will be processed in due course" | "We'll reply within 10 working days." |
""",
                ),
                LessonSpec(
                    "Front-loading and the inverted pyramid",
                    6,
                    """\
## Put the point first

Journalists write in an **inverted pyramid**: the most important information first, then supporting
detail, then background. Do the same on the web, at every level:

- the **page** starts with what the reader most needs;
- each **section** starts with its key point;
- each **sentence and heading** starts with its most meaningful words.

## Front-loading in practice

| Before | After |
|---|---|
| "Information about how to apply for a blue badge" | "Apply for a blue badge" |
| "If you would like to make a complaint, you should…" | "Complain about a service: …" |
| "Following a review, the deadline has changed to 30 June" | "The deadline is now 30 June" |

Front-loaded headings and links are easier to scan and work much better for screen reader users, who
often hear only the first few words before moving on.

## A structure for most pages

1. **Title**: the task or topic in the user's words.
2. **Summary**: one or two sentences saying what the page covers and who it is for.
3. **The main answer or action**, with a clear call to action (a button or link).
4. **Details**: eligibility, what you need, what happens next.
5. **Help**: who to contact if something goes wrong.

## Check it

Read only your title, summary and headings. If a user stopped there, would they know whether this page is
for them and what to do next? If not, move the important information up.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Plain English",
            (
                LessonSpec(
                    "Short sentences, common words",
                    8,
                    """\
## Plain English is not dumbing down

Plain English is clear, direct writing that readers understand the first time. Specialists prefer it too:
it is quicker to read and harder to misunderstand.

## Sentences

- Aim for an **average of 15 to 20 words** per sentence, and keep most under 25.
- One idea per sentence. If you need "and" twice, split it.
- Put the subject and the verb close to the start.

## Words

Prefer short, common words. Avoid jargon and "officialese" that readers have to translate.

| Instead of | Write |
|---|---|
| utilise | use |
| in order to | to |
| facilitate | help, make possible |
| commence | start |
| in the event that | if |
| prior to | before |
| going forward | (delete) |
| stakeholders | the specific people you mean: residents, schools, suppliers |

## Abbreviations and acronyms

Spell out abbreviations the first time you use them, unless they are better known than the full form
(like *UK* or *NHS*). Better still, avoid acronyms the reader will only meet once.

## Numbers and dates

- Use numerals: *5 days*, not *five days*; *£1,200*, not *£1.2k*.
- Write dates in full: *30 June 2025*, not *30/06/25*.
- Use *to* in ranges (*9am to 5pm*), not a dash, so screen readers read it clearly.

## Try it

Take a paragraph you wrote recently. Count the words in each sentence, circle every word you wouldn't say
out loud to a friend, and rewrite it. Most paragraphs shrink by a third.
""",
                ),
                LessonSpec(
                    "Active voice and talking to the user",
                    7,
                    """\
## Say who does what

In the **active voice**, the subject does the action: *"We will send you a letter."*
In the **passive voice**, it's hidden: *"A letter will be sent."* The passive makes readers work out who is
responsible — and often leaves them unsure whether they need to act.

| Passive | Active |
|---|---|
| Applications must be submitted by 5pm. | You must apply by 5pm. |
| A decision will be made within 8 weeks. | We'll decide within 8 weeks. |
| It is recommended that evidence is provided. | Send us evidence if you can. |

The passive is fine when the actor really doesn't matter (*"The office was built in 1960"*).

## Talk to the reader

- Address the reader as **you**, and the organisation as **we**.
- Use contractions such as *you'll* and *we'll*; they sound human and are easy to read.
  Some style guides advise against negative ones such as *can't*, because readers can miss the "not",
  and most advise against forms like *should've*.
- Give **instructions as instructions**: *"Bring your passport"*, not *"Customers are advised to bring
  a form of photographic identification"*.

## Tone

Be polite, calm and direct. Avoid:

- blame (*"You failed to provide…"*) — say what is missing and how to fix it;
- false friendliness and exclamation marks on serious topics;
- metaphors and idioms (*"touch base"*, *"in the pipeline"*) that don't translate.

## Inclusive language

Write about people respectfully and specifically: *"disabled people"*, *"people with a learning
disability"*, *"older people"* rather than labels. When unsure, ask the people concerned or follow
your organisation's style guide.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Structuring pages",
            (
                LessonSpec(
                    "Titles, summaries and search",
                    6,
                    """\
## Most visits start with a search

Whether on a search engine or the site's own search box, users decide whether to click from the title and
summary alone. Write them first, and write them for the user.

## Titles

- Use the **words users search for**, front-loaded.
- Keep titles **under about 65 characters** so they aren't cut off in search results.
- Make them **unique**: two pages called *"Guidance"* are impossible to tell apart.
- Use a verb for tasks: *"Register a birth"*, *"Pay a parking fine"*.

## Summaries

A summary (or meta description) expands the title in one or two sentences: who the page is for and what it
helps them do. Keep it under about 160 characters and end with a full stop.

| Weak | Strong |
|---|---|
| Title: "Parking" | Title: "Apply for a resident parking permit" |
| Summary: "Information about parking." | Summary: "How to apply for a resident parking permit, what it costs and how long it takes." |

## Search within your site

- Check your site's search logs monthly; the top searches tell you what users need and the words they use.
- If people search for a term your pages don't use, add it to the page naturally.
- Remove or redirect out-of-date pages so they don't compete with current ones.
""",
                ),
                LessonSpec(
                    "Headings, lists and links",
                    7,
                    """\
## Headings

Headings are signposts. A good set of headings works as a table of contents.

- Make headings **informative**: *"What you need to apply"*, not *"Requirements"* or *"Section 2"*.
- Use heading levels **in order** (H2 inside H1, H3 inside H2); never choose a level for its size.
- Avoid questions as headings unless they are real questions users ask.

## Lists

Use a bulleted list when you have three or more parallel items; a numbered list when order matters.

1. Introduce the list with a lead-in line ending in a colon.
2. Keep items short and start each one the same way.
3. Don't put full stops at the end of short bullets; do use them in numbered steps that are full sentences.

## Links

- Link text should say **where the link goes**: *"check if you can get a discount"*.
- Never use *"click here"* or *"more"*; screen reader users hear links out of context.
- Don't link every mention of a topic; too many links dilute the important ones.
- Link to the **specific page**, not a home page the user must search again.

## Final page checklist

| Check | Done when |
|---|---|
| Purpose | The page helps a named user do one clear thing |
| Title and summary | Front-loaded, unique, in users' words |
| Structure | Headings tell the story on their own |
| Language | Short sentences, active voice, no unexplained jargon |
| Links | Descriptive and specific |
| Accuracy | Facts, dates and fees checked; owner and review date recorded |
""",
                ),
            ),
        ),
    ),
)
