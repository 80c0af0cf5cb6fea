"""Test settings: fast hashing, private media in a temp dir, mail in memory."""

import tempfile

from .base import *  # noqa: F403
from .base import STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
PRIVATE_MEDIA_ROOT_TMP = tempfile.mkdtemp(prefix="ami-media-")
STORAGES["default"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT_TMP
PRIVATE_MEDIA_ROOT = PRIVATE_MEDIA_ROOT_TMP
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The suite makes many API requests from one address: the rate-limit tests set their own low limits.
API_RATE_LIMITS = {"anonymous": "100000/min", "token": "100000/min"}
