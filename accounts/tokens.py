"""The token of the e-mail verification link."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (signed with SECRET_KEY, expires after PASSWORD_RESET_TIMEOUT) but with its own
    salt, so that a reset token is no verification token and conversely. Changing the address or the password
    invalidates it; opening it twice is harmless (verification is idempotent)."""

    key_salt = "accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{timestamp}{user.email}"


email_verification_token = EmailVerificationTokenGenerator()
