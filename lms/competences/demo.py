"""Demo competence data: DigComp 2.2, six job profiles, and a spread of evidence.

The spread is chosen so the demo manager's heatmap shows met, small-gap and large-gap cells, some
self-assessments above the verified level, and some evidence that has already expired.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from lms.clock import utcnow
from lms.competences.framework_service import digcomp_load
from lms.competences.models import Competence, Evidence, EvidenceSource, JobProfile, JobProfileRequirement, JobProfileTranslation
from lms.competences.service import add_months, statuses_rebuild
from lms.people.models import User

# Evidence of these competences goes stale quickly: threats and tools change.
VALIDITY_MONTHS = {"4.1": 12, "4.2": 24, "2.6": 24}

PROFILES = {
    "Caseworker": (
        "Handles cases and personal data for the public, mostly in line-of-business systems.",
        {"1.1": 3, "2.1": 3, "2.2": 3, "3.1": 2, "4.1": 3, "4.2": 4},
    ),
    "Policy adviser": (
        "Researches, analyses and writes policy; works with evidence and shared documents.",
        {"1.1": 4, "1.2": 4, "1.3": 3, "2.2": 3, "2.4": 3, "4.2": 3},
    ),
    "Data analyst": (
        "Collects, cleans and analyses data; publishes statistics and dashboards.",
        {"1.1": 4, "1.2": 5, "1.3": 5, "3.4": 3, "4.2": 4, "5.3": 3},
    ),
    "Team leader": (
        "Leads a team; responsible for how it works with data, tools and the public.",
        {"2.1": 4, "2.4": 4, "2.5": 3, "4.1": 3, "4.2": 4, "5.4": 4},
    ),
    "Service designer": (
        "Designs public services around users' needs, online and offline.",
        {"1.2": 3, "2.3": 4, "2.5": 4, "3.1": 5, "3.2": 4, "5.3": 4},
    ),
    "Digital specialist": (
        "Builds and runs the department's digital services and infrastructure.",
        {"2.2": 4, "3.4": 5, "4.1": 5, "4.2": 4, "5.1": 5, "5.2": 4},
    ),
}
# The demo's profiles in French, so a French reader of the demo sees their role in French.
PROFILES_FR = {
    "Caseworker": (
        "Gestionnaire de dossiers",
        "Traite les dossiers et les données personnelles du public, surtout dans les applications métier.",
    ),
    "Policy adviser": (
        "Conseiller ou conseillère politique",
        "Recherche, analyse et rédige les politiques ; travaille avec des données probantes et des documents partagés.",
    ),
    "Data analyst": (
        "Analyste de données",
        "Collecte, nettoie et analyse des données ; publie des statistiques et des tableaux de bord.",
    ),
    "Team leader": (
        "Responsable d’équipe",
        "Dirige une équipe ; responsable de sa façon de travailler avec les données, les outils et le public.",
    ),
    "Service designer": (
        "Designer de services",
        "Conçoit des services publics autour des besoins des usagers, en ligne et hors ligne.",
    ),
    "Digital specialist": (
        "Spécialiste du numérique",
        "Développe et exploite les services numériques et l’infrastructure du ministère.",
    ),
}

TEAM_PROFILES = {
    "Service Design": "Service designer",
    "User Research": "Service designer",
    "Platform Engineering": "Digital specialist",
    "Cloud Operations": "Digital specialist",
    "Data Engineering": "Data analyst",
    "Analytics and Insight": "Data analyst",
    "People and Learning": "Caseworker",
    "Finance and Procurement": "Caseworker",
    "Information Governance": "Policy adviser",
}


def competences_demo_load(session: Session, people: list[tuple[User, str, bool]], *, seed: int = 2026) -> int:
    """people: (user, team name, leads a team). Returns the number of evidence rows added."""
    framework = digcomp_load(session).framework
    comps = {c.code: c for c in session.exec(select(Competence).where(Competence.framework_id == framework.id))}
    for code, months in VALIDITY_MONTHS.items():
        comps[code].evidence_valid_months = months
        session.add(comps[code])

    profiles = {}
    for name, (description, levels) in PROFILES.items():
        profile = JobProfile(name=name, description=description)
        session.add(profile)
        session.flush()
        french_name, french_description = PROFILES_FR[name]
        session.add(JobProfileTranslation(job_profile_id=profile.id, language="fr", name=french_name, description=french_description))
        session.add_all(
            JobProfileRequirement(job_profile_id=profile.id, competence_id=comps[c].id, level=lv) for c, lv in levels.items()
        )
        profiles[name] = (profile, levels)

    rng = random.Random(seed)
    now = utcnow()
    evidence = []
    for user, team, leads in people:
        profile_name = "Team leader" if leads else TEAM_PROFILES.get(team)
        if profile_name is None:
            continue
        profile, levels = profiles[profile_name]
        user.job_profile_id = profile.id
        session.add(user)
        for code, required in levels.items():
            evidence.extend(_evidence_for(rng, user, comps[code], required, now))
    session.add_all(evidence)
    session.flush()
    statuses_rebuild(session, now=now)
    return len(evidence)


def _evidence_for(rng: random.Random, user: User, comp: Competence, required: int, now: datetime) -> list[Evidence]:
    out = []
    # Where people really are: mostly near the requirement, some well below.
    true_level = max(0, min(8, required + rng.choice([-3, -2, -1, -1, 0, 0, 0, 1, 1])))

    def add(source: str, level: int, days_ago: int, note: str = "", by: int | None = None) -> None:
        at = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
        expires = None
        if comp.evidence_valid_months and source != EvidenceSource.SELF:
            expires = add_months(at, comp.evidence_valid_months)
        out.append(
            Evidence(
                user_id=user.id,
                competence_id=comp.id,
                level=max(0, min(8, level)),
                source=source,
                recorded_at=at,
                expires_at=expires,
                note=note,
                recorded_by_id=by,
                reference="demo" if source == EvidenceSource.IMPORT else "",
            )
        )

    if rng.random() < 0.45:
        add(EvidenceSource.IMPORT, true_level, rng.randint(60, 600), "Carried over from the previous training record.")
    if rng.random() < 0.4 and user.manager_id:
        add(EvidenceSource.MANAGER, true_level, rng.randint(5, 300), "Observed in day-to-day work.", by=user.manager_id)
    if rng.random() < 0.7:
        # People tend to rate themselves a little higher than they are verified.
        add(EvidenceSource.SELF, true_level + rng.choice([0, 0, 1, 1, 2, -1]), rng.randint(1, 120), by=user.id)
    return out
