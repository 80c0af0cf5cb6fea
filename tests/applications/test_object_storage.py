"""Uploaded files in an S3-compatible object store (django-storages), configured as in production: a real S3 server
on the loopback (moto's server mode, in this process), the production storage class, the real views.

Uploads go through the official's form, downloads through the permission-checking views (which stream the bytes:
no URL of the bucket ever reaches a browser), the staff ZIP reads the bucket, and the retention purge deletes there.
"""

import hashlib
import io
import zipfile

import pytest
from botocore.exceptions import ClientError
from django.urls import reverse
from django.utils import timezone

from ami_portal.settings.object_storage import s3_storage
from applications.domain.retention import purge_personal_data
from applications.models import Attachment, AttachmentKind
from applications.states import DossierStatus
from tests.factories import DossierFactory, official, reviewer
from tests.object_storage import CREDENTIALS, keys

from . import submission_files as files

pytestmark = pytest.mark.django_db


def upload_through_the_form(client, dossier, content=None, name="lettre du maire.pdf"):
    client.force_login(dossier.owner)
    return client.post(
        reverse("applications:attachments", kwargs={"pk": dossier.pk}),
        {"kind": AttachmentKind.COMMITMENT_LETTER, "file": files.upload(content or files.pdf_bytes(), name)},
    )


def download_url(attachment) -> str:
    return reverse(
        "applications:attachment_download", kwargs={"pk": attachment.dossier_id, "attachment_pk": attachment.pk}
    )


def test_an_upload_through_the_form_is_stored_in_the_bucket_privately(client, bucket):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    attachment = Attachment.objects.get(dossier=dossier)
    assert keys(bucket) == [attachment.file.name]
    s3, name = bucket
    grants = s3.get_object_acl(Bucket=name, Key=attachment.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant


def test_the_editor_downloads_the_bytes_streamed_from_the_bucket(client, bucket):
    dossier = DossierFactory()
    content = files.pdf_bytes()
    upload_through_the_form(client, dossier, content)
    response = client.get(download_url(Attachment.objects.get(dossier=dossier)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="lettre du maire.pdf"'
    assert "Location" not in response


def test_someone_else_gets_a_404_and_no_address_of_the_bucket(client, bucket, object_store):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    attachment = Attachment.objects.get(dossier=dossier)
    client.force_login(official())
    response = client.get(download_url(attachment))
    assert response.status_code == 404
    assert "Location" not in response
    page = response.content.decode()
    assert object_store not in page and bucket[1] not in page and attachment.file.name not in page


def test_no_page_of_the_dossier_shows_an_address_of_the_bucket(client, bucket, object_store):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    page = client.get(reverse("applications:attachments", kwargs={"pk": dossier.pk})).content.decode()
    assert "lettre du maire.pdf" in page
    assert object_store not in page and bucket[1] not in page and "X-Amz" not in page


def test_the_staff_zip_bundle_reads_the_attachments_from_the_bucket(client, bucket):
    dossier = DossierFactory()
    content = files.pdf_bytes()
    upload_through_the_form(client, dossier, content)
    dossier.status = DossierStatus.SUBMITTED
    dossier.save()
    client.force_login(reviewer(dossier.region))
    response = client.get(reverse("applications:dossier_zip", kwargs={"pk": dossier.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [name] = [n for n in archive.namelist() if n.endswith("lettre du maire.pdf")]
    assert hashlib.sha256(archive.read(name)).hexdigest() == hashlib.sha256(content).hexdigest()


def test_deleting_an_attachment_deletes_its_object(client, bucket, django_capture_on_commit_callbacks):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    attachment = Attachment.objects.get(dossier=dossier)
    url = reverse("applications:attachment_delete", kwargs={"pk": dossier.pk, "attachment_pk": attachment.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert keys(bucket) == []


def test_the_retention_purge_deletes_the_objects_of_closed_campaigns(
    client, bucket, settings, django_capture_on_commit_callbacks
):
    from .test_retention import RETENTION, _campaign

    settings.PERSONAL_DATA_RETENTION_DAYS = RETENTION
    _, old_wave = _campaign(published_days_ago=RETENTION + 1, slug="ancien-ami")
    _, live_wave = _campaign(published_days_ago=RETENTION - 1, slug="ami-recent")
    old = DossierFactory(wave=old_wave, campaign=old_wave.campaign)
    live = DossierFactory(wave=live_wave, campaign=live_wave.campaign)
    for dossier in (old, live):
        upload_through_the_form(client, dossier)
    old_name, live_name = (Attachment.objects.get(dossier=d).file.name for d in (old, live))
    old.status = DossierStatus.LAUREATE
    old.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_personal_data(now=timezone.now())
    assert report.attachments_deleted == 1
    assert keys(bucket) == [live_name]
    with pytest.raises(ClientError):
        bucket[0].head_object(Bucket=bucket[1], Key=old_name)


def test_a_missing_object_is_a_404_not_an_error(client, bucket):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    attachment = Attachment.objects.get(dossier=dossier)
    bucket[0].delete_object(Bucket=bucket[1], Key=attachment.file.name)
    assert client.get(download_url(attachment)).status_code == 404


def test_the_storage_never_gives_a_url(bucket):
    from django.core.files.storage import default_storage

    assert default_storage.url("attachments/x.pdf") == ""


def point_the_storage_nowhere(settings, bucket) -> None:
    """The same storage, pointed at an address where no object store answers."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket_name=bucket[1],
            endpoint_url="http://127.0.0.1:9597",  # nothing listens there
            region_name=CREDENTIALS["region_name"],
            access_key=CREDENTIALS["aws_access_key_id"],
            secret_key=CREDENTIALS["aws_secret_access_key"],
        ),
    }


def test_an_upload_with_the_store_down_gets_the_french_503_and_records_nothing(client, settings, bucket):
    dossier = DossierFactory()
    point_the_storage_nowhere(settings, bucket)
    response = upload_through_the_form(client, dossier)
    assert response.status_code == 503
    assert "Le portail ne peut pas joindre le stockage des fichiers" in response.content.decode()
    assert response["Retry-After"]
    assert not Attachment.objects.filter(dossier=dossier).exists()


def test_a_download_with_the_store_down_gets_the_french_503(client, settings, bucket):
    dossier = DossierFactory()
    upload_through_the_form(client, dossier)
    point_the_storage_nowhere(settings, bucket)
    response = client.get(download_url(Attachment.objects.get(dossier=dossier)))
    assert response.status_code == 503
    assert "stockage des fichiers" in response.content.decode()
