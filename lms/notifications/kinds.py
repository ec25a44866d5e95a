"""The kinds of message Proficio sends: what people see them called, how they arrive unless the person
chooses otherwise, and which ones may not be switched off (mandatory training: a digest at most)."""

from __future__ import annotations

from dataclasses import dataclass

from lms.i18n import N_
from lms.notifications.models import Delivery


# Labels are marked with N_ for the catalogues: pages translate them as they show them, mail keeps English.
@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    default: Delivery
    mandatory: bool  # may go to a digest, never off
    configurable: bool = True  # False: always sent at once, not offered on /account (an invitation)

    @property
    def choices(self) -> tuple[Delivery, ...]:
        """What the person may choose for this kind, in the order the form offers them."""
        if not self.configurable:
            return (Delivery.IMMEDIATE,)
        every = (Delivery.IMMEDIATE, Delivery.DAILY, Delivery.WEEKLY, Delivery.OFF)
        return every[:-1] if self.mandatory else every


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("assigned", N_("Mandatory training assigned to you"), Delivery.IMMEDIATE, mandatory=True),
        Kind("due_soon", N_("Mandatory training due soon"), Delivery.IMMEDIATE, mandatory=True),
        Kind("overdue", N_("Mandatory training overdue"), Delivery.IMMEDIATE, mandatory=True),
        Kind("overdue_weekly", N_("Weekly reminder while training is overdue"), Delivery.IMMEDIATE, mandatory=True),
        Kind("escalation", N_("Overdue training in your reporting line"), Delivery.IMMEDIATE, mandatory=True),
        Kind("expiring", N_("Training that expires soon"), Delivery.IMMEDIATE, mandatory=True),
        Kind("certificate_ready", N_("Your certificate is ready"), Delivery.IMMEDIATE, mandatory=False),
        Kind("manager_digest", N_("Weekly summary of your line's overdue and expiring training"), Delivery.WEEKLY, mandatory=True),
        Kind("invitation", N_("Invitation to set up your account"), Delivery.IMMEDIATE, mandatory=True, configurable=False),
        # Asked for a moment ago by the person it goes to (lms/privacy), so not offered as a choice.
        Kind(
            "data_export_ready",
            N_("A copy of personal data you asked for is ready"),
            Delivery.IMMEDIATE,
            mandatory=False,
            configurable=False,
        ),
    )
}

DELIVERY_LABELS: dict[str, str] = {
    Delivery.IMMEDIATE.value: N_("Immediately"),
    Delivery.DAILY.value: N_("Daily digest"),
    Delivery.WEEKLY.value: N_("Weekly digest"),
    Delivery.OFF.value: N_("Off"),
}


def kind_of(code: str) -> Kind:
    """The kind for a code; KeyError for a code no feature declared (a programming error)."""
    return KINDS[code]


def configurable_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if k.configurable]
