"""xAPI statements in subject access exports and erasure (see lms/privacy and lms/hooks.py)."""

from __future__ import annotations

from sqlmodel import Session

from lms.hooks import ErasureLine
from lms.privacy.erasure import Action, Step, steps_run
from lms.xapi.models import XapiStatement

EXCLUDED: dict[str, str] = {
    "xapi_statement.user_id": "copies, on their way to the learning record store, of the learning records the export holds",
}


def erase(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    # What the LRS already holds is the organisation's to erase there; our copies, sent or not, go.
    return steps_run(
        session,
        apply,
        [
            Step(
                "Their learning activity queued for the learning record store (xAPI)",
                Action.REMOVED,
                XapiStatement,
                XapiStatement.user_id == user_id,
            )
        ],
    )
