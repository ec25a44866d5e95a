"""The anchor: a bare FastAPI + Jinja2 app on the same database, served with the same settings.

``GET /fortunes`` runs one SQL query and renders a small template (TechEmpower's "fortunes" shape,
over the job profile table). ``POST /autosave`` does the single write an autosave of an answer does
(the compare-and-set UPDATE of one response row) and commits, answering a one-line fragment.
Run it like the app: ``uvicorn --factory bench.bare_app:create_app`` with DATABASE_URL set.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import JSON, bindparam, text
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.db import make_engine

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
FORTUNES = text("SELECT id, name, description FROM job_profile")
SAVE = text(
    "UPDATE attempt_response SET answer = :answer, saved_at = :saved_at, sequence = sequence + 1 "
    "WHERE attempt_id = :attempt_id AND slot = :slot AND sequence = :sequence"
).bindparams(bindparam("answer", type_=JSON()), bindparam("saved_at", type_=UTCDateTime()))


def create_app() -> FastAPI:
    engine = make_engine(os.environ["DATABASE_URL"])
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/fortunes")
    def fortunes(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            rows = conn.execute(FORTUNES).all()
        rows = sorted(rows, key=lambda r: r.name)
        return TEMPLATES.TemplateResponse(request, "fortunes.html", {"rows": rows})

    @app.post("/autosave/{attempt_id}/{slot}")
    def autosave(attempt_id: int, slot: int, sequence: int = Form(0), choice: str = Form("")) -> HTMLResponse:
        with engine.begin() as conn:
            conn.execute(
                SAVE,
                {"answer": {"choice": choice[:8]}, "saved_at": utcnow(), "attempt_id": attempt_id, "slot": slot, "sequence": sequence},
            )
        return HTMLResponse(f'<p class="save-status">Saved</p><input type="hidden" name="sequence" value="{sequence + 1}">')

    return app
