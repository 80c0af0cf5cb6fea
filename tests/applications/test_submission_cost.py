"""A submission's transaction writes the receipt rows but renders no e-mail template: the worker renders them."""

import pytest
from django.test.signals import template_rendered

from applications.domain.submission import submit_dossier
from notifications.models import EmailKind, OutboxMessage
from tests.factories import DossierFactory

from .submission_support import add_co_editor

pytestmark = [pytest.mark.django_db]


def test_submitting_queues_the_receipts_without_rendering_them():
    dossier = DossierFactory(complete=True)
    add_co_editor(dossier)
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        submit_dossier(dossier, by=dossier.owner)
    finally:
        template_rendered.disconnect(record)

    receipts = OutboxMessage.objects.filter(kind=EmailKind.RECEIPT)
    assert receipts.count() == 2 and all(row.body_text == "" for row in receipts)
    assert receipts.first().context["reference"] == dossier.reference
    assert not [name for name in rendered if "emails/" in name]
