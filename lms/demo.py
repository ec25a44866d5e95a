"""Demo data: a believable department of about 120 people, with the four demo accounts.

Deterministic (a fixed random seed), so screenshots, browser tests and docs can rely on it.
The caller commits; everything is added in a handful of bulk flushes.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from sqlmodel import Session, select

from lms.xapi.service import xapi_paused
from lms.audit.service import audit_record
from lms.auth.passwords import hash_password
from lms.competences.demo import competences_demo_load
from lms.db import known
from lms.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from lms.hooks import hooks
from lms.people.models import OrgUnit, Role, RoleGrant, User

ORGANISATION = "Department for Digital Public Services"
# (directorate, team, parent team or None, number of staff below the team leader)
TEAMS = [
    ("Digital Services Directorate", "Service Design", None, 14),
    ("Digital Services Directorate", "Platform Engineering", None, 7),
    ("Digital Services Directorate", "Cloud Operations", "Platform Engineering", 5),
    ("Digital Services Directorate", "User Research", None, 11),
    ("Data and Analytics Directorate", "Data Engineering", None, 15),
    ("Data and Analytics Directorate", "Analytics and Insight", None, 16),
    ("Corporate Services Directorate", "People and Learning", None, 12),
    ("Corporate Services Directorate", "Finance and Procurement", None, 13),
    ("Corporate Services Directorate", "Information Governance", None, 11),
]
MANAGER_TEAM = "Platform Engineering"
TRAINER_TEAMS = {"People and Learning": 3, "Service Design": 1, "Data Engineering": 1}
# The named accounts: email -> (name, team, roles). The manager leads MANAGER_TEAM.
NAMED = {
    "admin@example.gov": ("Morgan Ellis", "People and Learning", {Role.ADMIN.value}),
    "trainer@example.gov": ("Tomasz Nowak", "People and Learning", {Role.TRAINER.value}),
    "manager@example.gov": ("Priya Raman", MANAGER_TEAM, set()),
    "lead@example.gov": ("Grace Adeyemi", "Analytics and Insight", {Role.SKILLS_LEAD.value}),
    "employee@example.gov": ("Sam Okafor", MANAGER_TEAM, set()),
}

FIRST_NAMES = """Aaliyah Abdul Ade Aisha Alan Alice Amara Amelia Anil Anna Aoife Arjun Ayesha Barbara Ben Bethan
Bogdan Callum Carmen Catherine Chen Chloe Ciaran Claire Daniel Deepa Dmitri Eilidh Elena Emeka Emily Erin Farah
Fatima Fiona Gareth Grace Hamza Hannah Hiroshi Ifeoma Imran Isla Jack James Jasmine Javier Joanna Jonathan Kemi
Kwame Laura Leila Liam Lucy Mahmoud Malik Maria Mark Mei Michael Mohammed Nadia Naomi Nia Niamh Olu Omar Paul
Rachel Rajesh Rhys Ruth Sakura Samira Sean Simon Sinead Sofia Stephen Sunita Tariq Thomas Una Victoria Wei
Yusuf Zainab Zoe""".split()
LAST_NAMES = """Abbott Adeyemi Ahmed Ali Anderson Bailey Banerjee Begum Bennett Brennan Campbell Chowdhury Clarke
Costa Davies Desai Doherty Edwards Evans Fernandes Fitzgerald Fraser Gallagher Green Gupta Hall Hughes Hussain Iqbal
Jackson James Jones Kaur Kelly Khan Kowalski Lewis Li Lim MacDonald Mensah Mitchell Moreno Murphy Nguyen Novak
O'Brien O'Connor Okonkwo Owusu Patel Phillips Price Quinn Rahman Reid Roberts Robinson Santos Scott Shah Sharma
Singh Smith Stewart Sullivan Taylor Thompson Turner Walsh Wang Watson Williams Wilson Wood Wright Yilmaz Young
Zhang""".split()


class DemoError(ValueError):
    """Demo data can only go into an empty database."""


@dataclass
class DemoSummary:
    users: int
    org_units: int
    managers: int
    trainers: int
    admins: int
    accounts: list[tuple[str, str]] = field(default_factory=lambda: list(DEMO_ACCOUNTS))
    password: str = DEMO_PASSWORD


@dataclass(eq=False)
class _Person:
    name: str
    email: str
    unit: OrgUnit
    manager: _Person | None
    roles: set[str] = field(default_factory=set)
    user: User | None = None

    @property
    def depth(self) -> int:
        return 0 if self.manager is None else self.manager.depth + 1


def demo_load(session: Session) -> DemoSummary:
    """Build the demo department in the session (the caller commits). Refuses a database with users.

    Its invented learning history is never queued for the learning record store (lms.xapi).
    """
    with xapi_paused():
        return _demo_load(session)


def _demo_load(session: Session) -> DemoSummary:
    if session.exec(select(User.id).limit(1)).first() is not None:
        raise DemoError("The database already has users; demo data only goes into an empty database.")
    units = _units(session)
    people = _people(units)
    # Hashed once and shared: argon2 is deliberately slow (~0.1 s a hash), and every demo user
    # has the same, publicly documented password anyway.
    password_hash = hash_password(DEMO_PASSWORD)
    for depth in sorted({p.depth for p in people}):
        level = [p for p in people if p.depth == depth]
        for person in level:
            person.user = User(
                name=person.name,
                email=person.email,
                org_unit_id=person.unit.id,
                manager_id=person.manager.user.id if person.manager else None,
                password_hash=password_hash,
            )
        session.add_all([p.user for p in level])
        session.flush()
    for person in people:
        if person.manager is not None:
            person.manager.roles.add(Role.MANAGER.value)
    session.add_all([RoleGrant(user_id=p.user.id, role=r) for p in people for r in sorted(p.roles)])
    summary = DemoSummary(
        users=len(people),
        org_units=len(units),
        managers=sum(Role.MANAGER.value in p.roles for p in people),
        trainers=sum(Role.TRAINER.value in p.roles for p in people),
        admins=sum(Role.ADMIN.value in p.roles for p in people),
    )
    competences_demo_load(session, [(known(p.user), p.unit.name, Role.MANAGER.value in p.roles) for p in people])
    for loader in hooks.demo_loaders:  # courses and the rest, which lms may not import
        loader(session)
    audit_record(session, action="demo.load", detail={"users": summary.users, "org_units": summary.org_units})
    session.flush()
    return summary


def _units(session: Session) -> dict[str, OrgUnit]:
    root = OrgUnit(name=ORGANISATION)
    session.add(root)
    session.flush()
    units = {ORGANISATION: root}
    for directorate in dict.fromkeys(d for d, *_ in TEAMS):
        units[directorate] = OrgUnit(name=directorate, parent_id=root.id)
    session.add_all(units.values())
    session.flush()
    # Teams first, then sub-teams, so every parent has its id before its children are added.
    for with_parent in (False, True):
        batch = {
            team: OrgUnit(name=team, parent_id=units[parent or directorate].id)
            for directorate, team, parent, _ in TEAMS
            if (parent is not None) == with_parent
        }
        units.update(batch)
        session.add_all(batch.values())
        session.flush()
    return units


def _people(units: dict[str, OrgUnit]) -> list[_Person]:
    rng = random.Random(2026)
    taken = {email for email in NAMED}
    names = _NameSource(rng, taken)
    people: list[_Person] = []

    def add(unit: str, manager: _Person | None, email: str | None = None) -> _Person:
        if email:
            name, _, roles = NAMED[email]
            person = _Person(name, email, units[unit], manager, set(roles))
        else:
            person = _Person(*names.next(), units[unit], manager)
        people.append(person)
        return person

    head = add(ORGANISATION, None)
    directors = {d: add(d, head) for d in dict.fromkeys(d for d, *_ in TEAMS)}
    for director in directors.values():
        add(director.unit.name, director)  # the directorate's business manager
    leaders: dict[str, _Person] = {}
    for directorate, team, parent, _ in TEAMS:
        boss = leaders[parent] if parent else directors[directorate]
        leaders[team] = add(team, boss, "manager@example.gov" if team == MANAGER_TEAM else None)
    for _, team, _, staff in TEAMS:
        named = [e for e, (_, t, _) in NAMED.items() if t == team and e != "manager@example.gov"]
        members = [add(team, leaders[team], email) for email in named]
        members += [add(team, leaders[team]) for _ in range(staff - len(named))]
        for member in [m for m in members if m.email not in NAMED][: TRAINER_TEAMS.get(team, 0)]:
            member.roles.add(Role.TRAINER.value)
    return people


class _NameSource:
    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = taken

    def next(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{_ascii(first)}.{_ascii(last)}@example.gov"
            if email not in self.taken:
                self.taken.add(email)
                return f"{first} {last}", email


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
