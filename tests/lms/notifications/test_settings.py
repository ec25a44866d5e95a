"""The mail settings: reminder days parsed and checked, links absolute, the .eml folder resolved."""

from __future__ import annotations

import pytest

from lms.config import PROJECT_ROOT, ConfigError, Settings


def test_reminder_days_and_base_url():
    settings = Settings(reminder_days=" 3, 14 ,30", base_url="https://lms.example.gov/")
    assert settings.reminder_day_list == (30, 14, 3)
    assert settings.mail_base_url == "https://lms.example.gov"
    assert Settings().mail_base_url == "http://127.0.0.1:8000"
    assert Settings().mail_outbox_path == PROJECT_ROOT / "var" / "outbox"


@pytest.mark.parametrize("bad", ["14,x", "0", "400", "-3"])
def test_reminder_days_are_refused_in_one_line(bad):
    with pytest.raises(ConfigError, match="REMINDER_DAYS"):
        Settings(reminder_days=bad)
