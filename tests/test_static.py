"""Static files are collected with the production storage (hashed names, compression), as `make run` does."""

from django.core.management import call_command


def test_collectstatic_with_manifest_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "vendor" / "htmx").glob("htmx.min.*.js"))
