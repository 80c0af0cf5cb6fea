import pytest

from tests.ci_environment import pytest_runtest_makereport  # noqa: F401  (skips fail in CI, see that module)
from tests.oidc import oidc_providers  # noqa: F401  (the test OpenID provider, see that module)

# The S3-compatible object store fixtures (object_store, bucket) for the tests of uploaded files.
pytest_plugins = ["tests.object_storage"]


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.STORAGES["default"]["OPTIONS"]["location"] = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
