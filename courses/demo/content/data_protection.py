"""Demo course: handling personal data under data-protection law (general GDPR principles only)."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="data_protection",
    title="Handling personal data under data-protection law",
    summary=(
        "A practical guide to the principles of the UK GDPR and EU GDPR for people who handle personal "
        "data at work. Covers what counts as personal data, sharing it safely, keeping it only as long as "
        "needed, answering requests from the public and what to do when something goes wrong."
    ),
    audience="Anyone who sees, stores or shares information about members of the public or colleagues.",
    competences={"4.2": 4},
    modules=(
        ModuleSpec(
            "The principles",
            (
                LessonSpec(
                    "What counts as personal data",
                    8,
                    """\
## Personal data

**Personal data** is any information relating to an identified or identifiable living person. That person
is the *data subject*. It covers far more than names and addresses:

- contact details, dates of birth, National Insurance or case reference numbers;
- photos, voice recordings and CCTV images;
- online identifiers such as IP addresses or device IDs;
- opinions *about* a person, such as notes in a case file or a performance review;
- information that identifies someone when combined with other data you hold ("the only 34-year-old
  caseworker in the Leeds office").

Information about organisations is not personal data, but information about a sole trader or a named
contact at a supplier usually is.

## Special category data

Some personal data needs extra protection because its misuse could cause serious harm:

| Special category data | Examples |
|---|---|
| Racial or ethnic origin | Equality monitoring forms |
| Political opinions, religious or philosophical beliefs | Notes of a complaint that mention faith |
| Trade union membership | Payroll deductions for union fees |
| Genetic and biometric data (used to identify someone) | Fingerprint entry systems |
| Health | Sickness absence records, occupational health reports |
| Sex life or sexual orientation | Information disclosed in a support case |

Personal data about criminal convictions and offences has its own, similar safeguards.

## Pseudonymised and anonymised data

**Pseudonymised** data (names replaced by codes, with the key kept elsewhere) is still personal data.
Only truly **anonymised** data, where nobody could reasonably re-identify a person, falls outside
data-protection law. Small numbers in a table can make anonymised data identifiable again — be careful
with counts below about ten.
""",
                ),
                LessonSpec(
                    "The seven principles",
                    9,
                    """\
## The principles behind every rule

The UK GDPR and the EU GDPR share the same seven principles. If you remember these, you can reason
about most everyday situations.

1. **Lawfulness, fairness and transparency** — have a lawful basis, use data in ways people would
   reasonably expect, and tell them what you do with it (usually in a privacy notice).
2. **Purpose limitation** — collect data for specified, explicit purposes and don't reuse it for
   something incompatible.
3. **Data minimisation** — collect and share only what is adequate, relevant and *necessary*.
4. **Accuracy** — keep data accurate and up to date; correct mistakes promptly.
5. **Storage limitation** — keep identifiable data no longer than you need it.
6. **Integrity and confidentiality (security)** — protect data against unauthorised access, loss or damage.
7. **Accountability** — be able to *show* that you comply: policies, records, training, decisions.

## Lawful bases at a glance

Every use of personal data needs one of six lawful bases: **consent**, **contract**, **legal obligation**,
**vital interests**, **public task** and **legitimate interests**. Public bodies mostly rely on *public
task* or *legal obligation* for their core work, and cannot rely on legitimate interests for tasks they
carry out as a public authority. Your information governance team decides the basis for each process;
your job is to stay within the purpose it was set up for.

## Applying the principles: a quick test

Before you collect, use or share personal data, ask:

- Do I **need** this, or would less do?
- Would the person be **surprised** by this use?
- Is it **accurate** and current?
- Who else will **see** it, and should they?
- When will it be **deleted**?

If you are unsure, ask your data protection officer or information governance team — that is what they
are there for, and asking early is always cheaper than fixing a breach.
""",
                ),
                LessonSpec(
                    "People's rights",
                    8,
                    """\
## Rights the public (and colleagues) have

Data-protection law gives people rights over their personal data. You don't need to know every detail,
but you must recognise a request when you see one and pass it on quickly.

| Right | In plain words |
|---|---|
| To be informed | Be told what happens to their data (privacy notices) |
| Of access | Get a copy of their data — a *subject access request* |
| To rectification | Have inaccurate data corrected |
| To erasure | Have data deleted in some circumstances |
| To restrict processing | Limit how data is used while a dispute is resolved |
| To data portability | Receive data in a reusable format, in some circumstances |
| To object | Object to some uses, including direct marketing |
| Automated decisions | Not be subject to some solely automated decisions with significant effects |

## Recognising a subject access request

A request does not need a special form, the words "subject access" or any mention of the law. It can
arrive by email, letter, social media or phone, and it can be made to *any* member of staff. For example:

> "Can you send me everything you've got on file about me and my benefits claim?"

The organisation must normally respond **without undue delay and within one month**, which can be
extended by up to two further months for complex or numerous requests. It is usually free of charge.

## What you should do

1. Log the date you received it — the clock starts then.
2. Forward it straight away to the team that handles requests, following local guidance.
3. Don't delete, edit or "tidy" records once a request has been made.
4. Be careful what you write in notes and emails: the person may one day read them.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Everyday handling",
            (
                LessonSpec(
                    "Sharing personal data safely",
                    8,
                    """\
## Most incidents are everyday mistakes

The most common data-protection incidents in public bodies are not hacks. They are emails sent to the
wrong person, spreadsheets with hidden tabs, and letters in the wrong envelope.

## Before you send

- **Check the recipient** — autocomplete is the biggest single cause of misdirected email.
- **Use BCC**, or better a mailing tool, when writing to several members of the public.
- **Check attachments**: hidden columns, other sheets, tracked changes and comments travel with the file.
- **Send a link, not a copy**, where a shared system with access controls exists.
- **Minimise**: send the three columns needed, not the whole extract.

## Choosing a channel

| Situation | Better choice |
|---|---|
| Sharing within the team | The team's shared drive or case system |
| Sending to a partner organisation | An agreed secure transfer route, under a data-sharing agreement |
| Sending to a member of the public | The channel they asked for, after confirming their identity |
| Large or sensitive extracts | Ask information governance first |

## Verbal and paper sharing

Data protection applies to conversations and paper too. Check who is listening on calls in open-plan
offices or on trains, confirm callers' identity before discussing their case, and use confidential waste
for printouts.

## Never

- forward work data to a personal email account or messaging app to "work on it at home";
- share your login so a colleague can look something up;
- put personal data into public online tools (including AI chat tools) unless your organisation has
  approved that tool for that use.
""",
                ),
                LessonSpec(
                    "Keeping and disposing of records",
                    7,
                    """\
## Storage limitation in practice

Keeping personal data "just in case" breaks the storage limitation principle and increases the harm if
something goes wrong. Every organisation should have a **retention schedule** that says how long each kind
of record is kept and what happens at the end.

## Where data should live

- In the **system of record** (case management, HR system, finance system), not in personal folders.
- Not on the desktop, in downloads, or on removable media unless encrypted and approved.
- Not in email inboxes as a long-term store — file what matters and delete the rest.

## Regular tidy-up checklist

Do this once a quarter for the places you control:

1. Search your personal drive and downloads for spreadsheets and exports; delete what you no longer need.
2. Check shared folders you own: are the people with access still the right people?
3. Remove old contact lists and event sign-up sheets once their purpose is over.
4. Empty the recycle bin and deleted items — deleted is not gone until then.
5. Shred or use confidential waste for paper, including notebooks.

## Disposal

| Format | How to dispose |
|---|---|
| Paper | Confidential waste bins or cross-cut shredder |
| Files on shared systems | Delete according to the retention schedule |
| Laptops, phones, USB drives | Return to IT for secure wiping — never bin or sell them |

## When you can't delete

A legal hold, an open complaint or a pending access request means records must be kept even if their
retention period has ended. If in doubt, ask before deleting.
""",
                ),
            ),
        ),
        ModuleSpec(
            "When things go wrong",
            (
                LessonSpec(
                    "Recognising and reporting a breach",
                    8,
                    """\
## What a personal data breach is

A **personal data breach** is a breach of security leading to the accidental or unlawful destruction,
loss, alteration, unauthorised disclosure of, or access to, personal data. It is not only about hackers:

- an email containing case details sent to the wrong person;
- a laptop or paper file left on a train;
- a colleague browsing records they have no work reason to see;
- records deleted by mistake with no backup;
- a ransomware attack that makes records unavailable.

## The 72-hour rule

Where a breach is likely to result in a risk to people's rights and freedoms, the organisation must report
it to the supervisory authority (in the UK, the Information Commissioner's Office) **within 72 hours of
becoming aware of it**. If the risk to individuals is high, they must be told too, without undue delay.

Those 72 hours start when the *organisation* becomes aware — which can be the moment *you* notice. That
is why internal reporting must be immediate.

## What to do

1. **Report it straight away** to your information governance team or data protection officer, using
   the local breach form or contact.
2. **Contain it if you safely can**: ask a wrong recipient to delete the email and confirm they have,
   recall a message, retrieve a document.
3. **Write down the facts**: what data, how many people, when, who received it.
4. **Don't investigate alone** or contact affected people yourself unless asked to.

## No-blame reporting

People who report their own mistakes quickly are helping the organisation meet its legal duties. Hiding a
breach is far more serious than making one.
""",
                ),
                LessonSpec(
                    "Case studies",
                    7,
                    """\
## Learning from realistic scenarios

These scenarios are invented but typical. For each, think about what went wrong and which principle applies.

### 1. The helpful export

A team leader exports a full caseload report (names, addresses, health notes) to build a staffing chart,
then emails it to a colleague in another team.

- **Principles:** data minimisation, integrity and confidentiality.
- **Better:** build the chart from case counts only; share through the case system.

### 2. The reply-all

An officer emails 40 residents about a consultation event, with all addresses in the *To* line.

- **Principle:** integrity and confidentiality — everyone's email address is now disclosed to the others.
- **What next:** report it; the information governance team decides on notification.
- **Better:** use BCC or the approved bulk-email tool.

### 3. The old spreadsheet

A shared drive holds a 2017 sign-up sheet for a closed scheme with phone numbers and dates of birth.

- **Principle:** storage limitation.
- **Better:** check the retention schedule; delete securely; add the drive to a quarterly review.

### 4. The phone call

A caller says they are a resident's daughter and asks for their mother's appointment times.

- **Principles:** lawfulness and confidentiality.
- **Better:** don't confirm anything until you have checked the caller is authorised (for example, a
  recorded consent or power of attorney), following local procedure.

## Your key takeaways

| Do | Don't |
|---|---|
| Share the minimum, through approved routes | Forward data to personal accounts |
| Report incidents immediately | Wait to see if anyone notices |
| Pass on requests for information quickly | Decide alone whether someone is entitled to their data |
| Delete on schedule | Keep data "just in case" |
""",
                ),
            ),
        ),
    ),
)
