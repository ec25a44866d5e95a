def test_admin_landing_page_leads_to_every_area(signed_in):
    browser, _ = signed_in("admin")
    page = browser.get("/admin")
    assert page.status_code == 200
    for href in (
        "/admin/users",
        "/admin/users/import",
        "/admin/org-units",
        "/admin/frameworks",
        "/admin/job-profiles",
        "/admin/assignment-rules",
        "/admin/requirements",
        "/admin/certificates",
        "/admin/badges",
        "/admin/audit",
        "/admin/sign-in-throttles",
        "/admin/jobs",
        "/admin/api-tokens",
    ):
        assert f'href="{href}"' in page.text
        assert browser.get(href).status_code == 200, href
    assert 'aria-current="page"' in page.text


def test_nav_marks_administration_current_on_sub_pages(signed_in):
    browser, _ = signed_in("admin")
    html = browser.get("/admin/users").text
    assert 'href="/admin" aria-current="true"' in html


def test_admin_landing_is_for_admins_only(signed_in):
    browser, _ = signed_in("manager", "trainer")
    assert browser.get("/admin").status_code == 403
    assert 'href="/admin"' not in browser.get("/").text
