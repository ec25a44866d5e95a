"""`lms frameworks load|import|export` and `lms competences rebuild` as an operator uses them."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from lms.cli import app
from lms.competences.framework_service import DIGCOMP_PATH
from lms.competences.models import Competence, CompetenceStatus, EvidenceSource
from lms.competences.service import evidence_record
from lms.config import get_settings
from lms.db import make_engine
from lms.people.models import User
from tests.lms.competences.test_framework_io import SMALL_CSV, small_doc, snapshot


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def lms(db_url: str, *args: str):
    result = CliRunner().invoke(
        app, list(args), env={"DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development"}
    )
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def session(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


def test_frameworks_load_prints_counts_and_is_idempotent(db_url, session):
    first = lms(db_url, "frameworks", "load")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == ("DigComp: 35 created, 0 updated, 0 unchanged (framework, levels, areas and competences).")
    before = snapshot(session)
    again = lms(db_url, "frameworks", "load")
    assert "DigComp: 0 created, 0 updated, 35 unchanged" in again.stdout
    assert snapshot(session) == before


def test_frameworks_import_good_files_then_reimport_changes_nothing(db_url, session, tmp_path):
    as_json = tmp_path / "gov.json"
    as_json.write_text(json.dumps(small_doc()))
    assert "GOV: 8 created, 0 updated, 0 unchanged" in lms(db_url, "frameworks", "import", str(as_json)).stdout
    before = snapshot(session)
    again = lms(db_url, "frameworks", "import", str(as_json))
    assert again.exit_code == 0 and "GOV: 0 created, 0 updated, 8 unchanged" in again.stdout
    assert snapshot(session) == before

    as_text = tmp_path / "gov.txt"
    as_text.write_text(SMALL_CSV)
    changed = lms(db_url, "frameworks", "import", str(as_text), "--format", "csv")
    # Level 3 is new; A.2 (summary) and B.1 (validity) differ.
    assert changed.exit_code == 0 and "GOV: 1 created, 2 updated, 6 unchanged" in changed.stdout


def test_frameworks_import_bad_file_lists_every_line_and_saves_nothing(db_url, session, tmp_path):
    lines = SMALL_CSV.splitlines()
    lines[3] = "level,two,,x,,Basic,,,,"
    lines[7] = "competence,A.2,Protecting data,x,A,,999,,,"
    lines[9] = "competence,B.1,,x,B,,,,,"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = lms(db_url, "frameworks", "import", str(bad))
    assert result.exit_code == 1
    err = result.stderr.strip().splitlines()
    assert [e.split(":")[0] for e in err[:-1]] == ["line 4", "line 8", "line 10"]
    assert err[-1] == "Error: bad.csv was rejected: 3 problem(s) found. Nothing was imported."
    assert snapshot(session) == []

    latin = tmp_path / "latin.csv"
    latin.write_bytes("kind,code,name\nframework,X,Caf\xe9\n".encode("latin-1"))
    assert "The file is not UTF-8 text." in lms(db_url, "frameworks", "import", str(latin)).stderr
    missing = lms(db_url, "frameworks", "import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1 and missing.stderr.strip().splitlines() == [f"Error: {tmp_path / 'nope.json'} is not a file."]


def test_frameworks_export_to_stdout_or_a_file(db_url, tmp_path):
    lms(db_url, "frameworks", "load")
    shown = lms(db_url, "frameworks", "export", "DigComp")
    assert shown.exit_code == 0 and json.loads(shown.stdout) == json.loads(DIGCOMP_PATH.read_text())

    target = tmp_path / "digcomp.csv"
    written = lms(db_url, "frameworks", "export", "DigComp", "--format", "csv", "--output", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    # The project's CSV writer: a BOM so Excel reads it as UTF-8.
    assert target.read_text(encoding="utf-8").startswith("\ufeffkind,code,name,summary,area,band,evidence_valid_months")
    assert "DigComp: 0 created, 0 updated, 35 unchanged" in lms(db_url, "frameworks", "import", str(target)).stdout

    moodle = tmp_path / "digcomp-moodle.csv"
    assert lms(db_url, "frameworks", "export", "DigComp", "--format", "moodle", "-o", str(moodle)).exit_code == 0
    # The first Moodle import keeps Moodle's own fields as metadata; importing the same file again changes nothing.
    lms(db_url, "frameworks", "import", str(moodle), "--format", "moodle")
    again = lms(db_url, "frameworks", "import", str(moodle), "--format", "moodle").stdout
    assert "DigComp: 0 created, 0 updated, 35 unchanged" in again
    case = lms(db_url, "frameworks", "export", "DigComp", "--format", "case")
    package = json.loads(case.stdout)
    assert package["CFDocument"]["uri"].startswith("http://127.0.0.1:8000/") and len(package["CFItems"]) == 26

    unknown = lms(db_url, "frameworks", "export", "Nope")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == "Error: no framework with code 'Nope' (known: DigComp)."


def test_competences_rebuild_check_reports_drift_and_rebuild_fixes_it(db_url, session):
    lms(db_url, "frameworks", "load")
    person = User(email="pat@example.gov", name="Pat")
    session.add(person)
    session.commit()
    comps = {c.code: c for c in session.exec(select(Competence)).all()}
    evidence_record(session, user=person, competence=comps["1.1"], level=3, source=EvidenceSource.MANAGER, by=None)
    evidence_record(session, user=person, competence=comps["4.2"], level=2, source=EvidenceSource.SELF, by=person)
    session.commit()

    clean = lms(db_url, "competences", "rebuild", "--check")
    assert clean.exit_code == 0, clean.output
    assert clean.stdout.strip() == "Checked 2 status row(s): drift 0, lapsed 0."

    # A write that bypassed the service: the stored level no longer matches the evidence.
    row = session.get(CompetenceStatus, (person.id, comps["1.1"].id))
    row.verified_level = 7
    session.add(row)
    session.commit()
    drifted = lms(db_url, "competences", "rebuild", "--check")
    assert drifted.exit_code == 1
    assert "drift 1, lapsed 0" in drifted.stdout
    assert (
        f"user {person.id}, competence {comps['1.1'].id}: stored verified 7, self -; evidence says verified 3, self -"
    ) in drifted.stdout
    assert "Nothing was changed (--check)." in drifted.stdout
    session.expire_all()
    assert session.get(CompetenceStatus, (person.id, comps["1.1"].id)).verified_level == 7

    fixed = lms(db_url, "competences", "rebuild")
    assert fixed.exit_code == 0 and "drift 1" in fixed.stdout and "Fixed 1 row(s)." in fixed.stdout
    session.expire_all()
    assert session.get(CompetenceStatus, (person.id, comps["1.1"].id)).verified_level == 3
    assert "drift 0" in lms(db_url, "competences", "rebuild", "--check").stdout


def test_commands_refuse_a_database_without_schema(empty_db_url):
    result = lms(empty_db_url, "frameworks", "load")
    assert result.exit_code == 1 and "run `lms db upgrade`" in result.stderr
