"""The synthetic organisation: org tree, people with line managers, roles and job profiles.

Shape: organisation → directorates → divisions → teams of 6–14 (a leader and members). The chief
executive manages the directors, directors manage division heads, heads manage team leaders,
leaders manage their team. One division is built so that its head (manager@example.gov) has exactly
``HEATMAP_LINE`` people in their reporting line, for the team heatmap benchmark.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from lms.demo import FIRST_NAMES, LAST_NAMES
from lms.people.models import Role

HEATMAP_LINE = 50
# The known accounts (they share the demo password, like every generated person).
ADMIN, TRAINER, MANAGER, LEAD, EMPLOYEE = (f"{who}@example.gov" for who in ("admin", "trainer", "manager", "lead", "employee"))
FUNCTIONS = ["Casework", "Policy", "Data", "Digital", "Design", "Finance", "People", "Communications", "Projects", "Information"]
DIRECTORATES = [
    "Operations",
    "Policy and Strategy",
    "Digital and Data",
    "Corporate Services",
    "Regions",
    "Customer Services",
    "Finance",
    "Enforcement",
    "Research",
    "Legal",
    "Estates",
    "Commercial",
]


@dataclass(slots=True)
class Person:
    id: int
    name: str
    email: str
    unit_id: int
    manager_id: int | None
    function: str  # the team's line of work; chooses the job profile
    kind: str  # "chief", "director", "head", "leader" or "member"
    roles: set[str] = field(default_factory=set)


@dataclass
class Organisation:
    units: list[dict] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def unit(self, name: str, parent_id: int | None) -> int:
        unit_id = len(self.units) + 1
        self.units.append({"id": unit_id, "name": name, "parent_id": parent_id})
        return unit_id


def organisation_build(size: int, rng: random.Random) -> Organisation:
    """Exactly ``size`` people (at least 120, so the heatmap division fits beside the rest)."""
    if size < 120:
        raise ValueError("A synthetic organisation needs at least 120 people.")
    org = Organisation()
    names = _Names(rng)
    root = org.unit("Department for Public Services", None)
    chief = _add(org, names, root, None, "Projects", "chief")
    n_directorates = max(3, min(len(DIRECTORATES) * 2, size // 4000))
    directors = []
    for index in range(n_directorates):
        name = DIRECTORATES[index % len(DIRECTORATES)] + (f" {index // len(DIRECTORATES) + 1}" if index >= len(DIRECTORATES) else "")
        unit = org.unit(f"{name} Directorate", root)
        directors.append((unit, _add(org, names, unit, chief.id, rng.choice(FUNCTIONS), "director")))

    unit, director = directors[0]
    _division(org, names, rng, unit, director, number=1, teams=[HEATMAP_LINE // 5] * 5, head_email=MANAGER)
    remaining = size - len(org.people)
    number = 1
    while remaining > 0:
        number += 1
        unit, director = directors[number % n_directorates]
        if remaining < 8:  # too few for a division of their own: they join the last team
            last_team = org.people[-1]
            for _ in range(remaining):
                _add(org, names, last_team.unit_id, last_team.manager_id, last_team.function, "member")
            break
        budget = remaining - 1
        sizes = []
        for _ in range(rng.randint(4, 10)):
            if budget < 6:
                break
            team = rng.randint(6, 14)
            team = budget if budget - team < 6 else team
            sizes.append(team)
            budget -= team
        if budget and budget < 6:
            sizes[-1] += budget
        _division(org, names, rng, unit, director, number=number, teams=sizes)
        remaining = size - len(org.people)
    _grant_roles(org, rng)
    return org


def _division(
    org: Organisation,
    names: _Names,
    rng: random.Random,
    directorate: int,
    director: Person,
    *,
    number: int,
    teams: list[int],
    head_email: str | None = None,
) -> None:
    function = rng.choice(FUNCTIONS)
    unit = org.unit(f"{function} Division {number}", directorate)
    head = _add(org, names, unit, director.id, function, "head", email=head_email)
    for index, team_size in enumerate(teams):
        team_unit = org.unit(f"{function} Team {number}.{index + 1}", unit)
        leader = _add(org, names, team_unit, head.id, function, "leader")
        for _ in range(team_size - 1):
            _add(org, names, team_unit, leader.id, function, "member")


def _add(
    org: Organisation, names: _Names, unit_id: int, manager_id: int | None, function: str, kind: str, *, email: str | None = None
) -> Person:
    person_id = len(org.people) + 1
    name, generated = names.next(person_id)
    person = Person(person_id, name, email or generated, unit_id, manager_id, function, kind)
    org.people.append(person)
    return person


def _grant_roles(org: Organisation, rng: random.Random) -> None:
    managers = {p.manager_id for p in org.people if p.manager_id}
    for person in org.people:
        if person.id in managers:
            person.roles.add(Role.MANAGER.value)
    members = [p for p in org.people if p.kind == "member"]
    # The employee sits in the heatmap manager's line, so their page and that heatmap show the same person.
    employee = next(p for p in members if _manager_email(org, p) == MANAGER)
    others = [p for p in members if p is not employee]
    picked = rng.sample(others, 3 + len(members) // 800 + len(members) // 20_000 + len(members) // 50_000)
    admin, trainer, lead, *extra = picked
    for person, email, role in (
        (admin, ADMIN, Role.ADMIN),
        (trainer, TRAINER, Role.TRAINER),
        (lead, LEAD, Role.SKILLS_LEAD),
        (employee, EMPLOYEE, None),
    ):
        person.email = email
        if role:
            person.roles.add(role.value)
    n_admins, n_leads = len(members) // 20_000, len(members) // 50_000
    for index, person in enumerate(extra):
        role = Role.ADMIN if index < n_admins else Role.SKILLS_LEAD if index < n_admins + n_leads else Role.TRAINER
        person.roles.add(role.value)


def _manager_email(org: Organisation, person: Person) -> str | None:
    leader = org.people[person.manager_id - 1]
    return org.people[leader.manager_id - 1].email if leader.manager_id else None


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def next(self, person_id: int) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        # The id keeps addresses unique without a lookup table at 250,000 people.
        return f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}.{person_id}@example.gov"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
