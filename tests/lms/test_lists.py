"""The list kit (filters, page size, pager) and render()'s fragment path, across the lists that use them."""

import re
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from lms.web.paging import CARDS, SHORT_ROWS, ListFilters, page_size


@dataclass
class Things(ListFilters):
    q: str = ""
    unit: int | None = None
    archived: bool = False
    since: date | None = None
    status: str = "all"
    sort: str = "name"


def test_filters_send_only_what_differs_from_the_defaults():
    assert Things().params() == {} and Things().is_default and not Things().is_filtered
    assert Things(page=3).params() == {} and Things(page=3).url("/things") == "/things"
    chosen = Things(q="ann", unit=4, archived=True, since=date(2026, 3, 1), status="active", page=2)
    assert chosen.params() == {"q": "ann", "unit": 4, "archived": "1", "since": "2026-03-01", "status": "active"}
    assert chosen.url("/things", page=3) == "/things?q=ann&unit=4&archived=1&since=2026-03-01&status=active&page=3"
    assert chosen.url("/things.csv") == "/things.csv?q=ann&unit=4&archived=1&since=2026-03-01&status=active"


def test_sorting_alone_is_not_filtering():
    sorted_only = Things(sort="gap")
    assert sorted_only.params() == {"sort": "gap"}
    assert not sorted_only.is_filtered and not sorted_only.is_default


def test_page_size_setting_sizes_every_list(signed_in, make_user, settings):
    settings.page_size = 4
    for i in range(5):
        make_user(name=f"Person {i}")
    browser, _ = signed_in("admin")
    users = browser.get("/admin/users").text
    assert "Showing 1–4 of 6 users" in users and "Page 1 of 2" in users
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=settings)))
    assert (page_size(request), page_size(request, SHORT_ROWS), page_size(request, CARDS)) == (4, 8, 2)
    settings.page_size = 25
    assert (page_size(request), page_size(request, SHORT_ROWS), page_size(request, CARDS)) == (25, 50, 12)


def test_htmx_gets_the_results_of_a_list_and_a_plain_request_the_page(signed_in):
    browser, _ = signed_in("admin")
    page = browser.get("/admin/users?q=nobody")
    assert "<html" in page.text and 'role="search"' in page.text and 'hx-target="#results"' in page.text
    fragment = browser.get("/admin/users?q=nobody", headers={"HX-Request": "true", "HX-Target": "results"})
    assert fragment.text.lstrip().startswith('<div id="results"') and "clear the filters" in fragment.text
    boosted = browser.get("/admin/users", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.text


def test_password_errors_swap_only_the_password_section(signed_in):
    browser, _ = signed_in()
    form = {
        "current_password": "not it at all",
        "new_password": "one long passphrase here",
        "confirm_password": "another long passphrase",
    }
    fragment = browser.post("/account/password", form, headers={"HX-Request": "true", "HX-Target": "password-section"})
    assert fragment.status_code == 422
    assert fragment.text.lstrip().startswith('<section aria-labelledby="password-heading" id="password-section">')
    assert "do not match" in fragment.text and "<h1" not in fragment.text
    assert re.search(r'name="csrf_token" value="[^"]+"', fragment.text)
    page = browser.post("/account/password", form)
    assert page.status_code == 422 and "<html" in page.text and "do not match" in page.text
