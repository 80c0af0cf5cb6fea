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


def test_favicon_is_served_at_the_site_root(client):
    # Browsers ask every site for /favicon.ico; a 404 there is a console error on every first page view.
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file
