"""`lms frameworks`: load DigComp 2.2, import a framework file, export one."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from sqlmodel import select

from lms.cli._common import database, fail, require_schema
from lms.competences.framework_case import case_package
from lms.competences.framework_io import MAX_BYTES, FrameworkFileError, ImportCounts, export_csv, export_json, export_moodle_csv
from lms.competences.framework_service import detect_format, digcomp_load, framework_file_import
from lms.competences.models import Framework

app = typer.Typer(help="Load, import and export competence frameworks.", no_args_is_help=True)


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    MOODLE = "moodle"  # Moodle's competency framework CSV (admin/tool/lpimportcsv)
    CASE = "case"  # a 1EdTech CASE 1.0 CFPackage


def _counts(counts: ImportCounts) -> str:
    return (
        f"{counts.framework.code}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged (framework, levels, areas and competences)."
    )


@app.command()
def load() -> None:
    """Load the DigComp 2.2 framework shipped with Proficio. Running it again changes nothing."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        counts = digcomp_load(session)
        session.commit()
    typer.echo(_counts(counts))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A framework as JSON (the shape `export` writes), CSV, Moodle's CSV or a CASE package."),
    format: Format | None = typer.Option(
        None, "--format", help="json, csv, moodle or case; by default from the file's extension or content."
    ),
) -> None:
    """Import a framework, matched by code. A bad file is rejected whole, with every problem listed."""
    if not file.is_file():
        fail(f"{file} is not a file.")
    if file.stat().st_size > MAX_BYTES:
        fail(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    data = file.read_bytes()
    fmt = format.value if format else detect_format(file.name, data)
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        try:
            counts = framework_file_import(session, data=data, fmt=fmt, by=None, source=file.name)
        except FrameworkFileError as exc:
            session.rollback()
            for error in exc.errors:
                typer.echo(error, err=True)
            fail(f"{file.name} was rejected: {len(exc.errors)} problem(s) found. Nothing was imported.")
        session.commit()
    typer.echo(_counts(counts))


@app.command()
def export(
    code: str = typer.Argument(..., help="The framework's code, for example DigComp."),
    format: Format = typer.Option(Format.JSON, "--format", help="json (the default), csv, moodle or case."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Write a framework as JSON, CSV, Moodle's competency CSV or a CASE package, each in the shape `import` reads.

    CASE identifiers and URIs start with BASE_URL (http://127.0.0.1:8000 when it is empty)."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        framework = session.exec(select(Framework).where(Framework.code == code)).first()
        if framework is None:
            known = ", ".join(session.exec(select(Framework.code).order_by(Framework.code)).all()) or "none yet"
            fail(f"no framework with code '{code}' (known: {known}).")
        if format is Format.CASE:
            package = case_package(session, framework, base_url=settings.mail_base_url)
            text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        else:
            text = {Format.JSON: export_json, Format.CSV: export_csv, Format.MOODLE: export_moodle_csv}[format](session, framework)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {framework.code} to {output}.", err=True)
