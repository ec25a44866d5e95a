"""Demo course, still a draft: collaborating online. Shows that drafts stay out of the catalogue."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="collaborating",
    title="Collaborating online",
    summary=(
        "Run online meetings, share documents and work across teams without drowning in messages. "
        "Practical habits for hybrid teams using video calls, chat and shared workspaces."
    ),
    audience="Anyone who works in a hybrid or distributed team.",
    competences={"2.4": 3},
    published=False,
    modules=(
        ModuleSpec(
            "Meetings that work",
            (
                LessonSpec(
                    "Before, during and after an online meeting",
                    7,
                    """\
## Does this need a meeting?

Many meetings could be a short message or a comment on a shared document. Meet when you need discussion,
a decision or a relationship — not to share information people could read.

## Before

- Send an **agenda** with the decision or outcome you need, and the papers, at least a day ahead.
- Invite only the people who need to contribute; share notes with everyone else.
- Check the meeting works for people joining by phone or with captions switched on.

## During

1. Start on time, and restate the purpose in one sentence.
2. Ask people to **use the raise-hand feature** so quieter voices and remote attendees get a turn.
3. In hybrid meetings, have everyone in the room join on their own device too, or use a room microphone,
   so remote people can hear and be heard.
4. Put links and key points in the meeting chat for anyone who drops out.
5. Summarise **decisions and actions** aloud before you close.

## After

Share a short note within a day:

| Decision or action | Owner | By when |
|---|---|---|
| Agree revised timetable | Chair | Friday |
| Update risk register | Project officer | Next meeting |

## Etiquette

- Mute when not speaking; use headphones to avoid echo.
- Camera on is a courtesy, not a rule — some people have good reasons not to.
- Don't record without telling everyone, and follow your organisation's rules on recordings.
""",
                ),
                LessonSpec(
                    "Chat without chaos",
                    6,
                    """\
## Chat is for quick, informal exchanges

Team chat is great for quick questions and coordination. It is poor for decisions, records and anything
people need to find later.

## House rules for a team channel

- Use **threads** so conversations don't interleave.
- Put the **ask first**: *"Can you approve the draft by 3pm? Link below."*
- Use **@mentions** sparingly, and @channel only for genuine team-wide news.
- Move decisions into the place of record (the document, the case, the tracker) and link to it.
- Respect **working hours** and status; scheduled send is kinder than a late-night ping.

## Choosing the channel

| Need | Use |
|---|---|
| Quick question, low stakes | Chat |
| Decision that others must find later | Document or tracker, with a chat link |
| Sensitive or personal topic | A call or a private conversation |
| Formal instruction or record | Email or the system of record |

## Personal data in chat

Chat messages are records too and can be disclosed in response to requests for information. Don't share
personal data in chat unless your organisation allows it for that purpose, and never in public channels.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Shared workspaces",
            (
                LessonSpec(
                    "One version of the truth",
                    7,
                    """\
## Stop emailing attachments

Every emailed copy of a document is a new version that can drift from the others. Share a **link to one
document** in a shared workspace instead, and edit it together.

## Organising a team space

- Agree a **simple folder structure** and a naming convention, such as `2025-03-04 Board paper v2 DRAFT`.
- Keep **working files** and **final, published versions** in separate folders.
- Give each folder an **owner** who reviews access regularly.
- Use the workspace's search and tags rather than deep folder trees.

## Co-authoring etiquette

1. Use **suggestions** (tracked changes) when editing someone else's text.
2. Use **comments** to ask questions, and resolve them when answered.
3. Agree who has the **final say** and when the document is frozen.
4. Name milestone versions so you can return to them.

## Access

Share with **groups**, not individuals, so access follows people as they join or leave the team. Check who
has access before adding sensitive content.
""",
                ),
                LessonSpec(
                    "Working across teams and organisations",
                    6,
                    """\
## Collaboration across boundaries

Cross-team and multi-agency work is where online collaboration pays off most, and where it goes wrong most.

## Setting up

- Agree **one shared space** and who hosts it; avoid running parallel copies in each organisation.
- Check whether guests from other organisations can be invited, and on what terms.
- Agree what information may be shared, especially **personal data**, and record the arrangement.
- Set an **end date** for external access when the project closes.

## Working habits

- Write for people who don't share your acronyms or your organisation chart.
- Keep a **decision log** in the shared space.
- Rotate meeting times if partners are in different time zones or work patterns.

| Risk | Mitigation |
|---|---|
| Lost documents when people move on | Team-owned spaces, not personal drives |
| Over-sharing with partners | Separate folders with their own permissions |
| Decisions made in private chats | A decision log everyone can see |

When the work ends, hold a short review: what helped the partnership, what got in the way, and what
you would set up differently next time. Archive the shared space according to the agreed retention rules.
""",
                ),
            ),
        ),
    ),
)
