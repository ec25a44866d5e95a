"""scim2-tester's compliance run against the live app (discovery, then CRUD and PATCH on Users and Groups).

Every check must pass except the ones named in KNOWN, each a deliberate choice explained in
docs/scim.md ("Compliance report"). The report is printed (pytest -s shows it).
"""

from __future__ import annotations

import random
import uuid

from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Path
from scim2_tester import Status, check_server

from lms.competences.models import JobProfile
from lms.people.models import OrgUnit

DEPARTMENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"

# (resource type, check, attribute): why each fails is in docs/scim.md.
KNOWN = {
    ("User", "object_deletion", None),  # DELETE deactivates; the person is still there, inactive
    ("User", "check_add_attribute", "emails"),  # one address, always type work and primary
    ("User", "check_replace_attribute", "emails"),
    ("User", "check_remove_attribute", "emails"),  # the address is userName: it cannot be removed
    ("User", "check_remove_attribute", "name"),  # every account has a name
    ("User", "check_remove_attribute", "displayName"),
    ("User", "check_remove_attribute", "active"),  # removing `active` leaves the account as it is
    ("Group", "check_add_attribute", "members"),  # a member's display is the person's name in Proficio
    ("Group", "check_replace_attribute", "members"),
}
# Checks that are skipped, with the reason: a search across resource types at once answers 501.
SKIPPED = {("User", "search_with_attributes"), ("Group", "search_with_attributes")}


class FreshAddresses(list):
    """As `examples` for userName and emails.value: scim2-tester picks with random.choice, and each
    pick is a new address, as a directory would send for a new person."""

    def __getitem__(self, index):
        return f"person-{uuid.uuid4().hex[:12]}@example.gov"


def _examples(model, attribute: str, values: list) -> None:
    binding = Path[model](attribute).resolve()
    binding.target_model.model_fields[binding.target_field_name].examples = values


def test_scim2_tester_passes_every_check_but_the_documented_ones(http, db):
    digital = OrgUnit(name="Digital")
    db.add(digital)
    db.flush()
    db.add_all([OrgUnit(name="Data team", parent_id=digital.id), JobProfile(name="Data analyst"), JobProfile(name="Service designer")])
    db.commit()
    client = SyncSCIMClient(http)
    client.discover()
    # The tester fills attributes with random strings; a directory sends e-mail addresses as userName
    # and the names of units and job profiles that exist (anything else is a 400, tested elsewhere).
    user = client.get_resource_model("User")
    _examples(user, "userName", FreshAddresses([""]))
    _examples(user, "emails.value", FreshAddresses([""]))
    _examples(user, "title", ["Data analyst", "Service designer"])
    _examples(user, DEPARTMENT, ["Digital / Data team", "Digital"])
    # preferredLanguage is a language the interface ships in (anything else is kept out, tested elsewhere).
    _examples(user, "preferredLanguage", ["fr", "en"])
    random.seed(7643)

    results = check_server(client)

    print("\nscim2-tester report")
    for r in results:
        print(f"  {r.status.name:8} {r.resource_type or '-':6} {r.title}: {(r.reason or '').splitlines()[0] if r.reason else ''}")
    failed = {
        (r.resource_type, r.title, r.data.get("urn") if isinstance(r.data, dict) else None)
        for r in results
        if r.status == Status.ERROR
    }
    skipped = {(r.resource_type, r.title) for r in results if r.status == Status.SKIPPED}
    passed = [r for r in results if r.status == Status.SUCCESS]
    assert failed == KNOWN
    assert skipped == SKIPPED
    assert {r.status for r in results} <= {Status.SUCCESS, Status.ERROR, Status.SKIPPED}
    # Each named failure or skip happened once, and everything else passed (69 checks on 0.5.2).
    assert len(results) - len(passed) == len(KNOWN) + len(SKIPPED)
    assert len(passed) >= 60, len(passed)
    print(f"  {len(passed)} passed, {len(failed)} documented failures, {len(skipped)} skipped")
