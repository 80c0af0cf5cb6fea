"""The one spelling of an e-mail address used as an account's identity.

Every way in (site log-in, admin log-in, the throttling of both, password reset, sign-up, resend-verification, the
User model itself, and any future SSO) passes the typed address through ``normalise_email`` before comparing or
storing it, so that "  Maire@Ville.FR " and "maire@ville.fr" are one account and one throttling key.
"""


def normalise_email(value: str | None) -> str:
    """The address without surrounding spaces, in lower case ("" for None).

    The whole address is lower-cased, local part included: no mail provider we serve distinguishes "Maire@" from
    "maire@", and one account per mailbox matters more than RFC 5321's case-sensitive local parts.
    """
    return (value or "").strip().lower()
