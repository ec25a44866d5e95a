"""With the page cache on (as in production), a learner page's first view stays within ten statements
(one more than without: the versions it is kept under) and a repeat view sends exactly one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from bench.generate import generate
from bench.pages import pages
from lms.app import create_app
from lms.config import Settings
from lms.db import make_engine
from lms.demo_accounts import DEMO_PASSWORD
from tests.support.queries import counting

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_kept_page_costs_one_statement_and_a_first_view_at_most_ten(empty_db_url):
    generate(empty_db_url, size="T", log=lambda _line: None)
    engine = make_engine(empty_db_url)
    with Session(engine) as session:
        page_list = [page for page in pages(session) if page.name in {"My learning", "My skills", "Course page"}]
    engine.dispose()
    app = create_app(Settings(database_url=empty_db_url, proficio_env="development", page_cache_seconds=60))
    try:
        with TestClient(app, base_url="http://testserver", follow_redirects=False) as http:
            for page in page_list:
                http.cookies.clear()
                token = CSRF.search(http.get("/login").text).group(1)
                assert (
                    http.post("/login", data={"email": page.email, "password": DEMO_PASSWORD, "csrf_token": token}).status_code == 303
                )
                with counting(app.state.engine) as first:
                    built = http.get(page.path)
                with counting(app.state.engine) as again:
                    kept = http.get(page.path)
                assert built.status_code == kept.status_code == 200 and kept.text == built.text
                assert len(first) <= 10, (page.name, len(first))
                assert len(again) == 1, (page.name, again)
    finally:
        app.state.engine.dispose()
