"""Demo course: working with shared spreadsheets."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="spreadsheets",
    title="Working with shared spreadsheets",
    summary=(
        "Build spreadsheets that a whole team can edit without breaking them. Learn how to lay out data "
        "so it can be sorted, filtered and reused, how to co-edit safely with comments and version history, "
        "and how to check formulas and permissions before you share."
    ),
    audience="Staff who keep trackers, registers or returns in spreadsheets shared with colleagues.",
    competences={"1.3": 3, "2.4": 3},
    modules=(
        ModuleSpec(
            "Structuring data",
            (
                LessonSpec(
                    "Tidy tables",
                    8,
                    """\
## One table, one job

Most spreadsheet problems start with layout. A "tidy" table is easy to sort, filter, total and turn into a
chart. It follows three rules:

1. **Each column is one variable** — *Date received*, *Team*, *Status*.
2. **Each row is one record** — one request, one case, one invoice.
3. **Each cell holds one value** — not "3 (2 late)" or "Leeds / Bradford".

## Before and after

A typical untidy tracker:

| Team | Jan | Feb | Notes |
|---|---|---|---|
| North | 12 (3 late) | 9 | see email |
| South | 7 | – | |

The same data, tidy:

| Team | Month | Requests | Late |
|---|---|---|---|
| North | 2025-01 | 12 | 3 |
| North | 2025-02 | 9 | 0 |
| South | 2025-01 | 7 | 0 |

The tidy version is longer, but a pivot table or chart can now answer any question about it.

## Layout habits

- Put the header in **row 1**, with short, unique column names.
- **No merged cells** in the data area — they break sorting and filtering.
- **No blank rows or columns** to "space things out"; use formatting instead.
- Keep **calculations and summaries on a separate sheet** from the raw data.
- Use a **Read me** sheet to explain what the file is for, who owns it and what each column means.
- Turn the range into a formatted **table** (`Ctrl + T` in most tools) so new rows pick up formulas
  and filters automatically.

## Colour is not data

Highlighting a row red to mean "overdue" is invisible to filters, formulas and screen-reader users. Add a
*Status* column instead, and use conditional formatting to colour it if you like.
""",
                ),
                LessonSpec(
                    "Consistent values and validation",
                    7,
                    """\
## Why consistency matters

"Complete", "complete ", "Done" and "C" look similar to a person and completely different to a filter or
a formula. Inconsistent values are the main reason shared trackers give wrong totals.

## Dates

- Store dates as **real dates**, not text. A real date aligns right by default and can be sorted.
- Prefer the unambiguous **ISO format** `2025-03-04` for anything exported or shared across countries —
  `04/03/2025` means April in some places.
- Keep the date and the time in one column, or the date alone; avoid "Mon 4th" style text.

## Numbers

- One unit per column, stated in the header: *Cost (£)*, *Duration (days)*.
- Don't type `n/a`, `-` or `tbc` in number columns; leave blank and explain in a notes column.

## Data validation

Data validation stops bad values at the door. Use it for any column that should hold a fixed set of values.

| Column | Validation |
|---|---|
| Status | Drop-down list: *Not started, In progress, Complete* |
| Team | Drop-down list from a *Lists* sheet |
| Date received | Date between 2020-01-01 and today |
| Hours | Whole number from 0 to 100 |

Keep the allowed values on a separate, protected *Lists* sheet so they can be updated in one place.

## Quick clean-up tools

- **Trim** removes stray spaces; **Find and replace** fixes spelling variants.
- **Remove duplicates** — but copy the sheet first and check what was removed.
- **Filter each column** and scan the distinct values: typos stand out immediately.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Working together",
            (
                LessonSpec(
                    "Co-editing, comments and version history",
                    8,
                    """\
## Editing at the same time

Cloud spreadsheets let several people edit at once. That is powerful and also risky: one person sorting
only part of a table can scramble everyone's rows.

## Team rules that work

1. **One owner** for the file, named on the Read me sheet.
2. **Don't restructure live.** Adding or deleting columns, renaming sheets and changing formulas are
   owner jobs; agree them first.
3. **Use filter views** (or personal views) rather than filters that change what everyone sees.
4. **Protect** header rows, formula columns and the *Lists* sheet so they can't be overwritten.
5. **Never keep a local copy** as "the real one" — there should only ever be one version.

## Comments instead of cell notes

Use comments and @mentions to ask questions or hand over work. They keep a record, notify the right
person and can be resolved when done. Don't write questions into data cells ("is this right??").

## Version history

Every change is recorded. If something goes wrong:

- open **version history** to see who changed what and when;
- **name important versions** (for example *"Submitted to finance, March"*) so you can find them later;
- restore an earlier version, or copy the lost cells back, rather than retyping.

## When to use something else

| Sign | Consider instead |
|---|---|
| More than a handful of people update it daily | A form feeding the sheet, or a proper system |
| It holds sensitive personal data | The case or HR system, or ask information governance |
| Rows must be approved or audited | A workflow or list tool with permissions per item |
""",
                ),
                LessonSpec(
                    "Permissions and sharing links",
                    7,
                    """\
## Who can see your spreadsheet?

Sharing settings are the most common cause of data leaks from cloud spreadsheets. Check them every time
you share, and again whenever the content changes.

## Access levels

| Level | Use for |
|---|---|
| Viewer | People who only need to read the figures |
| Commenter | Reviewers who suggest changes |
| Editor | The small group who maintain the data |
| Owner | One person (or a team account) responsible for the file |

Give **the least access that does the job**, and prefer sharing with named people or groups rather than
"anyone with the link".

## Link sharing

- "Anyone in the organisation with the link" means anyone who is forwarded it, including people in other
  teams who have no reason to see the data.
- "Anyone with the link" on the internet should never be used for non-public data.
- Links outlive their purpose: check and remove old ones.

## Guests and external partners

Sharing with people outside the organisation should follow your organisation's rules and, for personal
data, an agreed data-sharing arrangement. Set an **expiry date** on external access where the tool allows.

## Monthly sharing check

1. Open the sharing settings of each file you own.
2. Remove people who have left the team or finished the project.
3. Downgrade editors who now only read.
4. Replace any open links with named access.
5. Check that hidden sheets don't contain data the viewers shouldn't see — hiding is not protection.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Checking your work",
            (
                LessonSpec(
                    "Formulas you can trust",
                    8,
                    """\
## Spreadsheet errors are common

Studies of real spreadsheets repeatedly find errors in a large share of them. Most come from a few simple
causes, which makes them preventable.

## Write formulas that are easy to check

- **Reference tables and named ranges** instead of cell addresses:
  `=SUM(Requests[Late])` explains itself; `=SUM(D2:D418)` silently misses row 419.
- **No hard-coded numbers** inside formulas. Put a rate such as VAT in its own labelled cell and refer to it.
- **One formula per column**: the same formula all the way down. A single overwritten cell is a classic error.
- **Break long formulas** into helper columns with clear names.
- Prefer `XLOOKUP` or `INDEX/MATCH` over `VLOOKUP` with a column number that breaks when columns move.

## Common traps

| Trap | How to spot it |
|---|---|
| Numbers stored as text | Left-aligned numbers; `SUM` ignores them |
| Range that doesn't include new rows | Total doesn't change when you add a row |
| Hidden rows in totals | `SUBTOTAL` vs `SUM` give different answers |
| Copied values instead of formulas | Cell shows a number where a formula should be |
| Rounding shown, not stored | Totals that are out by a penny |

## Check like a reviewer

1. Show formulas (in most tools, `Ctrl` plus the backtick key) and scan for cells that differ from their neighbours.
2. Recalculate a total another way — a pivot table, or a quick manual sum of a sample.
3. Try an extreme value (zero, a very large number) and see if results still make sense.
4. Ask a colleague to review anything that feeds a decision, a payment or a publication.
""",
                ),
                LessonSpec(
                    "Before you share: a checklist",
                    6,
                    """\
## Five minutes that save embarrassment

Run through this checklist before sending a spreadsheet, publishing figures from it or giving someone
new access.

### Content

- Totals reconcile with the source system or last month's figures.
- No `#REF!`, `#N/A` or `#DIV/0!` errors left in view.
- Units and dates are clear in headers.
- The Read me sheet says what the data is, where it came from and when it was last updated.

### Hidden things

- No hidden sheets, rows or columns with data the recipient shouldn't see.
- No personal data in comments, notes or file properties.
- Pivot tables don't carry a cached copy of detail data you have removed.
- External links to other files have been removed or are intended.

### Sharing

- Recipients are the right people, with the right level of access.
- If the data is sensitive, it goes through an approved route.
- For publication, small numbers that could identify people have been suppressed or grouped.

### Handover

- The owner is named, and someone else knows how the file works.
- Version history has a named version for anything you submitted.

| If you find… | Do this |
|---|---|
| Errors in a shared file | Fix, and tell the people who used the figures |
| Personal data that shouldn't be there | Remove it and tell your information governance team |
| You can't explain a formula | Don't publish until someone can |
""",
                ),
            ),
        ),
    ),
)
