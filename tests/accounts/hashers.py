"""A test-only password hasher that counts its work, registered in settings by the ``password_hashes`` fixture."""

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    """The test settings' MD5 hasher (same algorithm name, so existing hashes verify) counting every hashing:
    ``make_password`` and ``check_password`` (including Django's dummy hash for unusable passwords) both call
    ``encode`` once per password hashed."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)
