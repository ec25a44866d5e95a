"""The part of RFC 7644's filter language that directories use to find a resource: `attr eq "value"`, joined by `and`.

Anything else (other operators, `or`, `not`, grouping, value paths) is refused as invalidFilter rather
than half-understood: a connector that sees the 400 knows at once what is missing.
"""

from __future__ import annotations

import json
import re

from lms.scim.errors import ScimError

USER_FILTERS = {
    "username": "userName",
    "externalid": "externalId",
    "emails.value": "emails.value",
    "emails": "emails.value",
    "id": "id",
}
GROUP_FILTERS = {"displayname": "displayName", "externalid": "externalId", "id": "id"}

_URN_PREFIX = re.compile(r"^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):", re.IGNORECASE)
_TERM = re.compile(r'\s*(?P<attr>[A-Za-z][\w.:-]*)\s+(?P<op>[A-Za-z]{2})\s+(?P<value>"(?:[^"\\]|\\.)*")\s*', re.ASCII)
_AND = re.compile(r"and(?=\s)", re.IGNORECASE)


def _invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def parse_filter(text: str, allowed: dict[str, str]) -> list[tuple[str, str]]:
    """The (attribute, value) pairs every match must have; attribute names as in ``allowed``'s values."""
    supported = ", ".join(f'{name} eq "…"' for name in sorted(set(allowed.values())))
    terms: list[tuple[str, str]] = []
    pos = 0
    while True:
        match = _TERM.match(text, pos)
        if match is None:
            raise _invalid(f"Filter not understood at character {pos + 1}. Supported: {supported}, joined by 'and'.")
        attr = _URN_PREFIX.sub("", match["attr"]).lower()
        if match["op"].lower() != "eq":
            raise _invalid(f"Only the 'eq' operator is supported, not '{match['op']}'.")
        if attr not in allowed:
            raise _invalid(f"Filtering on '{match['attr']}' is not supported. Supported: {supported}.")
        try:
            value = json.loads(match["value"])
        except ValueError:
            raise _invalid("The filter's value is not a valid JSON string.") from None
        terms.append((allowed[attr], value))
        pos = match.end()
        if pos == len(text):
            return terms
        joined = _AND.match(text, pos)
        if joined is None:
            raise _invalid(f"Only 'and' may join filter terms (character {pos + 1}).")
        pos = joined.end()
