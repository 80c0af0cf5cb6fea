"""The signed agreement of an antenna in the object store: uploaded in the admin, downloaded through the
permission-checking view, and no page (not even the admin's file widget) gives an address in the bucket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import official
from tests.object_storage import keys

from .conftest import antenna, laureate
from .test_admin import _form, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(client, bucket, wave, chalon, regional_staff, burgundy):
    item = antenna(laureate(wave, commune=chalon))
    staff = regional_staff(burgundy.region)
    client.force_login(staff)
    content = pdf_bytes()
    upload = SimpleUploadedFile("convention.pdf", content, content_type="application/pdf")
    response = client.post(
        reverse("admin:network_antenna_change", args=[item.pk]),
        _form(convention_signed_on="02/12/2019", convention_pdf=upload),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    return item, content


def test_the_agreement_is_stored_in_the_bucket_and_streamed_to_staff(client, bucket, agreement):
    item, content = agreement
    assert keys(bucket) == [item.convention_pdf.name]
    response = client.get(reverse("network:convention", args=[item.pk]))
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, no-store"


def test_the_admin_page_of_the_antenna_shows_no_address_in_the_bucket(client, bucket, object_store, agreement):
    item, _content = agreement
    page = client.get(reverse("admin:network_antenna_change", args=[item.pk])).content.decode()
    assert reverse("network:convention", args=[item.pk]) in page
    # The log names the stored file (staff only, fetchable by nobody); the page gives no address to fetch it.
    assert object_store not in page and bucket[1] not in page and "X-Amz" not in page


def test_another_city_gets_a_404_and_no_address(client, bucket, object_store, agreement):
    item, _content = agreement
    client.force_login(official())
    response = client.get(reverse("network:convention", args=[item.pk]))
    assert response.status_code == 404
    assert object_store not in response.content.decode() and "Location" not in response
