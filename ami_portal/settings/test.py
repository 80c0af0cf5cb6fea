"""Test settings: fast hashing, private media in a temp dir, mail in memory."""

import tempfile

from .base import *  # noqa: F403
from .base import STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
PRIVATE_MEDIA_ROOT_TMP = tempfile.mkdtemp(prefix="ami-media-")
# Local files whatever the environment says (the S3 tests start their own object store).
STORAGES["default"] = {
    "BACKEND": "ami_portal.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT_TMP, "base_url": None},
}
PRIVATE_MEDIA_ROOT = PRIVATE_MEDIA_ROOT_TMP
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Tests run inside a transaction that is rolled back, so after-commit bumps of the publication state never happen
# and one test's data would be seen through another's cached page: the public page cache is off, except in
# tests/public/test_page_cache.py, which turns it on and runs the after-commit callbacks.
PUBLIC_PAGE_CACHE_SECONDS = 0
SEARCH_ANSWER_CACHE_SECONDS = 0  # tests create their own communes; tests/cities turn it on where they test it
# The suite makes many API requests from one address: the rate-limit tests set their own low limits.
API_RATE_LIMITS = {"anonymous": "100000/min", "token": "100000/min"}
