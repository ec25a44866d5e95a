"""Demo course: spotting phishing and social engineering."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="phishing",
    title="Spotting phishing and social engineering",
    summary=(
        "Learn to recognise phishing emails, scam texts and calls that try to trick you into giving away "
        "passwords, money or personal data. Practise the quick checks that catch most attacks, and know "
        "exactly what to do if you think you have clicked on something you shouldn't have."
    ),
    audience="Everyone who uses a work email account or phone; no technical knowledge needed.",
    competences={"4.1": 3, "4.2": 3},
    modules=(
        ModuleSpec(
            "Recognising phishing",
            (
                LessonSpec(
                    "What phishing looks like",
                    8,
                    """\
## What phishing is

Phishing is a message that pretends to come from someone you trust so that you do something
that helps the attacker: click a link, open an attachment, type in your password, or pay an invoice.
Public bodies are attractive targets because they hold personal data and pay suppliers.

Most phishing is sent in bulk, but **spear phishing** is written for one person or team. It may mention
a real project, a colleague's name or a supplier you work with — details easily found on social media
or in published documents.

## The usual warning signs

| Sign | What it looks like |
|---|---|
| Urgency | "Your account will be closed in 2 hours" |
| Authority | A message "from" a director, HMRC-style agency or IT support |
| Unusual request | Change bank details, buy gift cards, send a file to a personal address |
| Mismatched sender | Display name says *IT Service Desk*, address is `it-desk@mail-secure.example.net` |
| Generic greeting | "Dear user" or "Dear customer" from a service that knows your name |
| Too good to be true | A refund, a prize, an unexpected bonus |

Spelling mistakes used to be a reliable clue. They are much less so now: attackers use text tools
that write fluent, polite English. Judge the **request**, not the grammar.

## A simple habit

Before you act on any message that asks you to click, pay, log in or share, ask three questions:

1. **Was I expecting this?**
2. **Does the request make sense for this sender?**
3. **Can I check it another way** — by phone, in person or by going to the service directly?

If any answer makes you hesitate, stop and check. A genuine sender will not mind waiting.
""",
                ),
                LessonSpec(
                    "Checking links and attachments",
                    8,
                    """\
## Links: look before you click

The text of a link can say anything. What matters is where it really goes.

- On a computer, **hover** over the link and read the address shown at the bottom of the window.
- On a phone, **press and hold** the link to preview the address without opening it.
- Read the domain from right to left: in `login.example.gov.evil-site.com` the real domain is
  `evil-site.com`, not `example.gov`.
- Watch for look-alikes: `examp1e.gov`, `example-gov.com`, `example.gov.uk-login.net`.

If you need to sign in to a service, **type its address yourself** or use a bookmark you saved earlier,
rather than following a link in an email.

## Attachments

Attachments are a common way to deliver malware. Be especially careful with:

- files you did not ask for, even from people you know (their account may have been taken over);
- Office documents that ask you to **"Enable editing"** or **"Enable content"** to see the text;
- compressed files (`.zip`, `.7z`) and files protected by a password given in the same email;
- links to "shared documents" that then ask you to sign in again.

## QR codes

A QR code is just a link you cannot read. Treat QR codes in emails, letters and posters in public places
with the same suspicion: check the address your phone shows before opening it.

## Quick checklist

- I know who sent this and I was expecting it
- The link goes to the organisation's real domain
- The attachment is a file type I expected
- Nothing asks me to enable macros or sign in again

If any of these is not true, report the message instead of opening it.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Social engineering beyond email",
            (
                LessonSpec(
                    "Phone calls, texts and messaging apps",
                    7,
                    """\
## The same tricks, different channels

Social engineering is any attempt to manipulate people rather than computers. Email is only one route.

**Vishing** (voice phishing) is a phone call from someone posing as IT support, a bank, a supplier or a
senior colleague. Callers often already know some details about you, which makes them sound genuine.

**Smishing** is the same thing by text message, and increasingly by messaging apps: a parcel you missed,
a fine to pay, a "new number" message from a family member or manager.

## How to handle an unexpected call

1. Do not give passwords, one-time codes or personal data to anyone who called *you*.
   IT support will never ask for your password.
2. Take a name and say you will call back.
3. Call back on a number you find yourself — the staff directory, the supplier's contract,
   the back of your bank card — never the number the caller gives you.
4. If the caller pushes back, becomes angry or insists it cannot wait, treat that as a warning sign.

## One-time codes

A code sent to your phone proves that *you* are signing in. If someone asks you to read one out to them,
they are almost certainly trying to sign in as you. Never share it.

## Texts on personal phones

Many UK mobile networks let you forward suspicious texts to **7726** free of charge. At work, follow your
organisation's reporting route for anything that mentions work systems or colleagues.

| Channel | Typical lure | Safe response |
|---|---|---|
| Phone | "I'm from IT, we've seen a virus on your laptop" | Hang up, call the service desk |
| Text | "Your parcel is held, pay £1.99" | Delete; check the courier's site directly |
| Messaging app | "Hi, it's your manager on a new number" | Confirm on the old number or in person |
""",
                ),
                LessonSpec(
                    "Impersonation and invoice fraud",
                    8,
                    """\
## When the attacker pretends to be someone you know

Some of the costliest attacks involve no malware at all. The attacker simply asks, convincingly,
for money or information while pretending to be a senior leader or a trusted supplier.

### Common patterns

- **"CEO fraud"**: an email that looks like it comes from a director asks you to make an urgent,
  confidential payment, often late on a Friday or while they are "travelling".
- **Supplier bank-detail change**: a supplier's email (sometimes a genuine, compromised account) says
  their bank details have changed and the next invoice should be paid to a new account.
- **Data requests**: someone "from another department" or "from the auditors" asks for a list of staff,
  customer records or system details.

## Controls that stop it

Good processes protect you, so you never have to rely on instinct alone.

1. **Verify changes out of band.** Confirm any change of bank details by phone using contact details
   already on file, not those in the request.
2. **Two people for payments.** Changes to supplier details and unusual payments need a second approver.
3. **Secrecy is a red flag.** Genuine leaders do not ask you to bypass finance rules or keep a payment
   secret from your manager.
4. **Check the requester's need.** Before sharing personal data, confirm who is asking, why, and whether
   they are entitled to it.

## Physical social engineering

Tailgating through secure doors, "engineers" who turn up unannounced, and visitors asking to plug a
memory stick into your laptop are the offline versions of the same trick. It is polite — and expected —
to ask for ID and to check with reception.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Reporting and recovering",
            (
                LessonSpec(
                    "What to do if you think you clicked",
                    7,
                    """\
## Act quickly, and without embarrassment

Anyone can be caught out, including security professionals. What matters is how fast you report it.
The first minutes after a mistake are when damage can most easily be limited.

## Step by step

1. **Disconnect if something is running.** If a file you opened is doing something odd, unplug the
   network cable or turn off Wi-Fi. Do not switch the device off unless IT asks you to.
2. **Report it immediately** to your IT service desk or security team. Say what you clicked, when,
   and what happened next.
3. **Change your password** from a different, trusted device if you typed it into a suspicious page,
   and tell IT so they can end any active sessions.
4. **Tell your manager** if money, personal data or a supplier may be involved.
5. **Keep the evidence.** Do not delete the message; the security team may need its headers.

## Why reporting matters even when nothing happened

A single report can reveal a campaign aimed at the whole organisation. The security team can block the
sender, remove the message from other inboxes and warn colleagues — often within minutes.

| If you… | Then… |
|---|---|
| Only received a suspicious message | Use the report button or forward it as your organisation asks |
| Clicked a link but entered nothing | Report it; IT may scan your device |
| Entered your password | Report it and change your password now |
| Opened an attachment and enabled content | Disconnect, report it, follow IT's instructions |
| Made a payment | Report it to your manager and finance team immediately |

Personal devices and accounts: suspicious emails can also be forwarded to the UK's national reporting
service at `report@phishing.gov.uk`.
""",
                ),
                LessonSpec(
                    "Building habits that last",
                    6,
                    """\
## Security is a routine, not a test

Attacks change, but a small set of habits catches most of them. Aim to make these automatic.

### Daily habits

- **Pause on urgency.** The more a message hurries you, the slower you should go.
- **Check the sender's address**, not just the display name.
- **Verify by another channel** before you pay, share data or change details.
- **Use the report button** — it takes five seconds and helps everyone.

### Account habits

- Use a different, long passphrase for every service; a password manager makes this easy.
- Keep multi-factor authentication switched on and never share codes.
- Lock your screen whenever you step away (`Windows key + L`, or `Ctrl + Cmd + Q` on a Mac).

### Team habits

- Agree how your team confirms unusual requests — for example, a quick call for any payment change.
- Talk openly about messages that nearly caught you. Sharing near-misses helps colleagues spot
  the same trick.
- New starters are targeted often; show them how to report.

## Self-check

Take a minute to answer honestly:

1. Do I know where the report button is in my email client?
2. Could I find the IT service desk number without searching my inbox?
3. Have I reused my work password anywhere else?
4. Do I know who to tell if I make a payment by mistake?

If any answer is "no", fix it today. That is the most useful outcome of this course.
""",
                ),
            ),
        ),
    ),
)
