"""Fill an empty SQLite or PostgreSQL database with a synthetic organisation.

    python -m bench.generate --size S --database-url sqlite:///var/bench/s.db [--seed 1] [--replace]

Sizes are employee counts (S 1,000, M 10,000, L 100,000, XL 250,000; T 200 is for tests). The content
is deterministic for a seed; times are relative to the day it runs, so evidence expires the way it
would in a live system. Everyone shares the demo password (one argon2 hash, computed once).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, func, select, text, update
from sqlmodel import Session, SQLModel

import lms.models  # noqa: F401 - registers every table
from bench.bulk import BulkLoader
from bench.synth_activity import Activity
from bench.synth_content import PROFILES, VALIDITY_MONTHS, courses_build, profiles_rows
from bench.synth_people import ADMIN, EMPLOYEE, LEAD, MANAGER, TRAINER, organisation_build
from lms import migrations
from lms.app import load_features
from lms.auth.passwords import hash_password
from lms.clock import utcnow
from lms.competences.framework_service import digcomp_load, digcomp_loaded
from lms.competences.models import Competence
from lms.db import make_engine
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.models import User

SIZES = {"T": 200, "S": 1_000, "M": 10_000, "L": 100_000, "XL": 250_000}
CHUNK = 5_000  # people whose activity is built and inserted together (bounds memory at XL)
# Parents before children, so foreign keys hold at every insert.
ORDER = [
    "org_unit",
    "job_profile",
    "job_profile_requirement",
    "user_account",
    "role_grant",
    "course",
    "course_editor",
    "course_competence",
    "course_module",
    "lesson",
    "question_category",
    "question",
    "quiz",
    "quiz_slot",
    "assignment_rule",
    "enrolment",
    "assignment",
    "lesson_progress",
    "attempt",
    "attempt_response",
    "evidence",
    "competence_status",
]


class GenerateError(RuntimeError):
    """The database is not one we may fill."""


@dataclass
class Summary:
    size: str
    people: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    accounts: dict[str, int] = field(default_factory=dict)  # email -> user id
    password: str = DEMO_PASSWORD


def generate(url_or_engine: str | Engine, *, size: str = "S", seed: int = 1, replace: bool = False, log=print) -> Summary:
    """Build the organisation; refuses a database that already has people unless ``replace``."""
    if size not in SIZES:
        raise GenerateError(f"Unknown size {size!r}; choose one of {', '.join(SIZES)}.")
    load_features()
    if isinstance(url_or_engine, str):
        engine = make_engine(url_or_engine)
        try:
            return _generate(engine, size=size, seed=seed, replace=replace, log=log)
        finally:
            engine.dispose()
    return _generate(url_or_engine, size=size, seed=seed, replace=replace, log=log)


def _generate(engine: Engine, *, size: str, seed: int, replace: bool, log) -> Summary:
    url = engine.url.render_as_string(hide_password=False)
    started = time.perf_counter()
    _prepare_schema(engine, url, replace=replace)
    summary = Summary(size=size, people=SIZES[size], seed=seed)
    with Session(engine) as session:
        if not digcomp_loaded(session):
            digcomp_load(session)
            session.commit()
        comps = dict(session.exec(select(Competence.code, Competence.id)).all())
    with engine.connect() as conn:
        for code, months in VALIDITY_MONTHS.items():
            conn.execute(update(Competence).where(Competence.id == comps[code]).values(evidence_valid_months=months))
        loader = BulkLoader(conn)
        _fill(loader, summary, comps, seed, log)
        loader.reset_sequences(SQLModel.metadata.tables[name] for name in ORDER if "id" in SQLModel.metadata.tables[name].c)
        conn.commit()
        if loader.postgres:
            conn.execute(text("ANALYZE"))
            conn.commit()
        summary.rows = dict(loader.rows)
        ids = conn.execute(select(User.email, User.id).where(User.email.in_([ADMIN, TRAINER, MANAGER, LEAD, EMPLOYEE]))).all()
        summary.accounts = dict(sorted(ids))
    summary.seconds = round(time.perf_counter() - started, 1)
    return summary


def _prepare_schema(engine: Engine, url: str, *, replace: bool) -> None:
    if migrations.current_revision(engine) is not None:
        with engine.connect() as conn:
            has_people = conn.execute(select(func.count()).select_from(User)).scalar_one() > 0
        if has_people and not replace:
            raise GenerateError("The database already has people; pass --replace to drop and rebuild it.")
        if replace:
            _drop_everything(engine)
    if migrations.current_revision(engine) != migrations.head_revision(url):
        migrations.upgrade(url)


def _drop_everything(engine: Engine) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # SQLite checks foreign keys on DROP TABLE too; the pragma only works outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.commit()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def _fill(loader: BulkLoader, summary: Summary, comps: dict[str, int], seed: int, log) -> None:
    tables = SQLModel.metadata.tables
    now = utcnow().replace(microsecond=0)
    timed = _Timer(loader, log)

    org = organisation_build(summary.people, random.Random(f"{seed}:people"))
    profile_ids, profiles, requirements = profiles_rows(comps)
    password_hash = hash_password(DEMO_PASSWORD)
    timed.insert(tables["org_unit"], org.units)
    timed.insert(tables["job_profile"], profiles)
    timed.insert(tables["job_profile_requirement"], requirements)
    rng = random.Random(f"{seed}:profiles")
    profile_of = {}
    for p in org.people:
        key = {"chief": "executive", "director": "executive", "head": "executive", "leader": "leader"}.get(p.kind, p.function)
        # A few people have no profile yet (new starters, unusual roles); the known employee always has one.
        profile_of[p.id] = None if rng.random() < 0.04 and p.email != EMPLOYEE else profile_ids[key]
    joined = now - timedelta(days=1500)
    timed.insert(
        tables["user_account"],
        (
            {
                "id": p.id,
                "email": p.email,
                "name": p.name,
                "password_hash": password_hash,
                "is_active": True,
                "org_unit_id": p.unit_id,
                "manager_id": p.manager_id,
                "job_profile_id": profile_of[p.id],
                "created_at": joined,
            }
            for p in org.people
        ),
    )
    timed.insert(
        tables["role_grant"], ({"user_id": p.id, "role": role, "granted_at": joined} for p in org.people for role in sorted(p.roles))
    )

    trainers = [p.id for p in org.people if "trainer" in p.roles]
    n_courses = max(20, min(500, summary.people // 330))
    content = courses_build(n_courses, comps, trainers, random.Random(f"{seed}:courses"), now)
    for name in ORDER[ORDER.index("course") : ORDER.index("assignment_rule")]:
        timed.insert(tables[name], content.tables.get(name, []))
    quizzes = _quizzes(content)
    rules = _rules(content, profile_ids, random.Random(f"{seed}:rules"), trainers[0], now)
    timed.insert(tables["assignment_rule"], [row for rows in rules.values() for row in rows])

    by_id = {v: k for k, v in profile_ids.items()}
    levels = {pid: {comps[c]: lv for c, lv in PROFILES[key].items()} for pid, key in by_id.items()}
    validity = {comps[c]: m for c, m in VALIDITY_MONTHS.items()}
    activity = Activity(
        content.courses,
        quizzes,
        {pid: [(r["course_id"], r["id"]) for r in rows] for pid, rows in rules.items()},
        validity,
        now,
        random.Random(f"{seed}:activity"),
    )
    all_competences = sorted(comps.values())
    for start in range(0, len(org.people), CHUNK):
        for p in org.people[start : start + CHUNK]:
            pid = profile_of[p.id]
            activity.person(p.id, p.manager_id, levels.get(pid, {}), pid, all_competences)
        chunk = activity.take_tables()
        for name in ORDER[ORDER.index("enrolment") :]:
            loader.insert(tables[name], chunk.get(name, []))
        log(f"  activity: {min(start + CHUNK, len(org.people)):>7} of {len(org.people)} people")
    for name in ORDER[ORDER.index("enrolment") :]:
        timed.report(name)


def _quizzes(content) -> dict[int, dict]:
    specs = {c.quiz_id: c for c in content.courses if c.quiz_id}
    out = {}
    for row in content.tables.get("quiz", []):
        settings = {
            k: row[k]
            for k in (
                "pass_percent",
                "review_policy",
                "time_limit_minutes",
                "proves_competence_id",
                "proves_level",
                "diagnostic",
                "diagnostic_bands",
                "lesson_id",
                "one_per_page",
            )
        }
        out[row["id"]] = {**settings, "id": row["id"], "settings": settings, "questions": specs[row["id"]].questions}
    return out


def _rules(content, profile_ids: dict[str, int], rng: random.Random, author: int, now) -> dict[int, list[dict]]:
    """One or two assignment rules per job profile, for published courses on a required competence."""
    published = [c for c in content.courses if c.status == "published"]
    out, rule_id = {}, 0
    for pid in profile_ids.values():
        out[pid] = []
        for course in rng.sample(published, min(len(published), rng.randint(1, 2))):
            rule_id += 1
            out[pid].append(
                {
                    "id": rule_id,
                    "course_id": course.id,
                    "org_unit_id": None,
                    "job_profile_id": pid,
                    "due_days": 30,
                    "message": "Required for your role.",
                    "created_by_id": author,
                    "created_at": now - timedelta(days=800),
                    "active": True,
                }
            )
    return out


class _Timer:
    def __init__(self, loader: BulkLoader, log):
        self.loader, self.log = loader, log

    def insert(self, table, rows) -> None:
        self.loader.insert(table, rows)
        self.report(table.name)

    def report(self, name: str) -> None:
        self.log(f"{name:<24} {self.loader.rows.get(name, 0):>10} rows {self.loader.seconds.get(name, 0):8.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", choices=list(SIZES))
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replace", action="store_true", help="drop everything in the database first")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.database_url, size=args.size, seed=args.seed, replace=args.replace)
    except GenerateError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"Generated size {summary.size} ({summary.people} people) in {summary.seconds} s.")
    print(f"Accounts (password {summary.password!r}): " + ", ".join(summary.accounts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
