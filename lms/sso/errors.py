"""Why a single sign-on did not succeed, worded for the person in front of the browser."""

from __future__ import annotations

from lms.errors import FieldError

START_AGAIN = "Start again from the sign-in page."


class SsoError(FieldError):
    """A sign-in through the provider that was refused. ``reason`` goes to the audit log, ``status``
    to the response; the message is safe to show."""

    def __init__(self, reason: str, title: str, message: str, *, status: int = 400, detail: dict | None = None):
        super().__init__(message)
        self.reason = reason
        self.title = title
        self.status = status
        self.detail = detail or {}


def provider_unreachable(provider: str, where: str) -> SsoError:
    return SsoError(
        "provider_unreachable",
        f"{provider} is not answering",
        f"We could not reach {provider} to sign you in. It may be down for a moment: try again in a few minutes, "
        "and if it keeps happening, tell your administrator.",
        status=502,
        detail={"where": where},
    )


def provider_unusable(provider: str, where: str) -> SsoError:
    return SsoError(
        "provider_error",
        f"{provider} gave an answer we could not use",
        f"{provider} answered in a way Proficio cannot use, so you have not been signed in. "
        "Try again in a few minutes; if it keeps happening, tell your administrator (the details are in the audit log).",
        status=502,
        detail={"where": where},
    )


def consent_denied(provider: str) -> SsoError:
    return SsoError(
        "access_denied",
        "You have not been signed in",
        f"{provider} says you chose not to let Proficio sign you in. If that was a mistake, start again and accept.",
        status=403,
    )


def provider_refused(provider: str, error: str) -> SsoError:
    return SsoError(
        "provider_refused",
        "You have not been signed in",
        f"{provider} did not sign you in ({error}). {START_AGAIN} If it happens again, tell your administrator.",
        detail={"error": error[:100]},
    )


def attempt_invalid() -> SsoError:
    return SsoError(
        "state_invalid",
        "This sign-in has expired",
        f"This sign-in link has expired, was already used, or was started in another browser. {START_AGAIN}",
    )


def code_rejected(provider: str, error: str) -> SsoError:
    return SsoError(
        "code_rejected",
        "This sign-in has expired",
        f"{provider} did not accept this sign-in: it was already used or has expired. {START_AGAIN}",
        detail={"error": error[:100]},
    )


def nonce_mismatch(provider: str) -> SsoError:
    return SsoError(
        "nonce_mismatch",
        "This sign-in was refused",
        f"The answer from {provider} did not belong to this sign-in, so it was refused. {START_AGAIN}",
    )


def clock_skew(provider: str, claim: str) -> SsoError:
    return SsoError(
        "clock_skew",
        "This sign-in was refused",
        f"The sign-in from {provider} was refused because its times do not match this server's clock "
        "(it has expired or was issued in the future). Try again; if it keeps happening, tell your administrator, "
        "who can check the clocks of Proficio's server and the provider.",
        detail={"claim": claim},
    )


def token_invalid(provider: str, problem: str) -> SsoError:
    return SsoError(
        "token_invalid",
        "This sign-in was refused",
        f"The sign-in from {provider} could not be checked, so it was refused. {START_AGAIN} "
        "If it happens again, tell your administrator.",
        detail={"problem": problem[:200]},
    )


def account_deactivated() -> SsoError:
    return SsoError(
        "deactivated",
        "Your account is deactivated",
        "Your Proficio account has been deactivated, so you cannot sign in. "
        "If you think this is a mistake, ask your administrator to reactivate it.",
        status=403,
    )


def no_account(email: str | None) -> SsoError:
    who = f"for {email}" if email else "for you"
    return SsoError(
        "no_account",
        "You do not have an account yet",
        f"There is no Proficio account {who}. Ask your administrator to create one; you can then sign in here.",
        status=403,
        detail={"email": email},
    )


def already_linked(email: str) -> SsoError:
    return SsoError(
        "already_linked",
        "Your account needs an administrator",
        f"The Proficio account for {email} is already linked to another sign-in at your organisation's provider, "
        "so it was not linked again. Ask your administrator to check your account.",
        status=403,
        detail={"email": email},
    )


def claims_unusable(problem: str) -> SsoError:
    return SsoError(
        "claims_unusable",
        "Your account could not be set up",
        f"Your organisation's provider did not send what Proficio needs to create your account ({problem}). "
        "Ask your administrator to create it.",
        status=403,
        detail={"problem": problem},
    )
