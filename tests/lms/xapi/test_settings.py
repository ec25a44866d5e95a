"""The xAPI settings an operator sets: an address for the LRS or nothing, and where actors' accounts live."""

from __future__ import annotations

import pytest

from lms.config import ConfigError, Settings


@pytest.mark.parametrize(
    "endpoint", ["lrs.example.gov/xAPI", "ftp://lrs.example.gov", "https://lrs.example.gov/xAPI?key=1", "javascript:alert(1)"]
)
def test_start_up_refuses_an_endpoint_that_is_not_an_address(endpoint):
    with pytest.raises(ConfigError, match="XAPI_ENDPOINT must be an http:// or https:// address"):
        Settings(xapi_endpoint=endpoint)


def test_actors_live_at_the_base_url_unless_told_otherwise():
    assert Settings(xapi_endpoint=" https://lrs.example.gov/xAPI ").xapi_endpoint == "https://lrs.example.gov/xAPI"
    assert Settings(base_url="https://lms.example.gov/").xapi_homepage == "https://lms.example.gov"
    assert Settings(base_url="", xapi_actor_homepage="https://people.example.gov/").xapi_homepage == "https://people.example.gov"
    assert Settings(base_url="").xapi_homepage == "http://127.0.0.1:8000"


def test_production_refuses_an_lrs_without_the_address_statements_are_named_under():
    production = {"proficio_env": "production", "secret_key": "s" * 40, "cookie_secure": True}
    with pytest.raises(ConfigError, match="BASE_URL must be set when XAPI_ENDPOINT is"):
        Settings(**production, xapi_endpoint="https://lrs.example.gov/xAPI", base_url="")
    assert Settings(**production, xapi_endpoint="https://lrs.example.gov/xAPI", base_url="https://lms.example.gov").is_production
