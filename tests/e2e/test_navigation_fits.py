"""The header's links fit for the person with the most of them (the administrator) at every desktop
width: none runs over the organisation's name, and each is on screen; a phone still folds them behind Menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import ADMIN
from tests.e2e.support.pages import sign_in, watch

ADMIN_LINKS = ["Home", "My learning", "Courses", "My skills", "Authoring", "Reports", "Administration", "My account"]

Box = dict[str, float]


def overlaps(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def signed_in_admin(new_context, width: int, height: int = 900) -> Page:
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(10_000)
    page._test_watch = watch(page)
    sign_in(page, ADMIN)
    return page


@pytest.mark.parametrize("width", [1024, 1280, 1440, 1920])
def test_every_admin_link_is_visible_and_clear_of_the_name(new_context, width):
    page = signed_in_admin(new_context, width)
    nav = page.get_by_role("navigation", name="Primary")
    logo = page.locator(".usa-logo").bounding_box()
    assert logo is not None
    signout = page.get_by_role("button", name="Sign out")
    expect(signout).to_be_visible()
    boxes = {}
    for name in ADMIN_LINKS:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box is not None
        assert not overlaps(box, logo), f"at {width}px the {name!r} link overlaps the name: {box} / {logo}"
        boxes[name] = box
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not overlaps(boxes[a], boxes[b]), f"at {width}px {a!r} and {b!r} overlap"
    signout_box = signout.bounding_box()
    assert signout_box is not None and not overlaps(signout_box, logo)
    assert not any(overlaps(signout_box, box) for box in boxes.values()), f"at {width}px Sign out overlaps a link"
    # The page does not scroll sideways to fit the header.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page._test_watch.assert_clean()


def test_a_phone_folds_every_admin_link_behind_the_menu_button(new_context):
    page = signed_in_admin(new_context, 390, 844)
    nav = page.get_by_role("navigation", name="Primary")
    administration = nav.get_by_role("link", name="Administration")
    expect(administration).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    for name in ADMIN_LINKS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    with page.expect_navigation():
        administration.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    page._test_watch.assert_clean()
