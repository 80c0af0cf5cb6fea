"""purge_personal_data: closed campaigns lose their personal data after PERSONAL_DATA_RETENTION_DAYS."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from applications.domain.retention import ANONYMISED, personal_fields, purge_personal_data, scrub
from applications.models import Attachment, AttachmentKind, DossierMember, Submission
from applications.states import DossierStatus
from notifications.models import OutboxMessage
from tests.factories import CampaignFactory, DossierFactory, UserFactory, WaveFactory, official

pytestmark = pytest.mark.django_db

RETENTION = 365


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = RETENTION


def _campaign(*, published_days_ago: int, slug: str):
    now = timezone.now()
    campaign = CampaignFactory(slug=slug)
    publishes_at = now - timedelta(days=published_days_ago)
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        opens_at=publishes_at - timedelta(days=90),
        closes_at=publishes_at - timedelta(days=30),
        publishes_at=publishes_at,
    )
    return campaign, wave


def _old(user):
    """An official who joined and last logged in long before the retention period."""
    long_ago = timezone.now() - timedelta(days=RETENTION + 400)
    type(user).objects.filter(pk=user.pk).update(date_joined=long_ago, last_login=long_ago)
    user.refresh_from_db()
    return user


def _attachment(dossier):
    attachment = Attachment(
        dossier=dossier,
        kind=AttachmentKind.COMMITMENT_LETTER,
        original_name="engagement.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=9,
        sha256="0" * 64,
    )
    attachment.file.save("engagement.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return attachment


@pytest.fixture
def closed_dossier():
    _, wave = _campaign(published_days_ago=RETENTION + 1, slug="ancien-ami")
    return DossierFactory(wave=wave, campaign=wave.campaign, status=DossierStatus.LAUREATE)


@pytest.fixture
def live_dossier():
    _, wave = _campaign(published_days_ago=RETENTION - 1, slug="ami-recent")
    return DossierFactory(wave=wave, campaign=wave.campaign)


def test_dossier_of_a_campaign_past_retention_loses_its_owner_and_co_editors(closed_dossier):
    DossierMember.objects.create(dossier=closed_dossier, user=UserFactory())
    purge_personal_data(now=timezone.now())
    closed_dossier.refresh_from_db()
    assert closed_dossier.owner is None
    assert not DossierMember.objects.filter(dossier=closed_dossier).exists()


def test_laureate_keeps_its_public_information(closed_dossier):
    purge_personal_data(now=timezone.now())
    closed_dossier.refresh_from_db()
    assert closed_dossier.title == "Une antenne du Cnam au cœur de la ville"
    assert closed_dossier.public_summary.startswith("Former aux métiers")
    assert closed_dossier.commune is not None


def test_dossier_of_a_campaign_within_retention_is_untouched(live_dossier):
    owner = live_dossier.owner
    purge_personal_data(now=timezone.now())
    live_dossier.refresh_from_db()
    assert live_dossier.owner == owner


def test_campaign_with_a_wave_published_recently_is_not_past_retention(closed_dossier):
    WaveFactory(
        campaign=closed_dossier.campaign,
        number=2,
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
        publishes_at=timezone.now() - timedelta(days=10),
    )
    report = purge_personal_data(now=timezone.now())
    closed_dossier.refresh_from_db()
    assert report.campaigns == []
    assert closed_dossier.owner is not None


def test_attachments_of_closed_campaigns_are_deleted_with_their_files(
    closed_dossier, live_dossier, django_capture_on_commit_callbacks
):
    old, kept = _attachment(closed_dossier), _attachment(live_dossier)
    old_name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_personal_data(now=timezone.now())
    assert report.attachments_deleted == 1
    assert not Attachment.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old_name)
    assert default_storage.exists(kept.file.name)


def test_submission_snapshot_loses_personal_keys_and_its_submitter(closed_dossier):
    submission = Submission.objects.create(
        dossier=closed_dossier,
        wave=closed_dossier.wave,
        submitted_at=timezone.now(),
        submitted_by=closed_dossier.owner,
        snapshot={"title": "Antenne", "contact": {"contact_name": "Jeanne Martin", "contact_email": "j@ville.fr"}},
        fingerprint="0" * 64,
    )
    purge_personal_data(now=timezone.now())
    submission.refresh_from_db()
    assert submission.submitted_by is None
    assert submission.snapshot["title"] == "Antenne"
    assert "Jeanne Martin" not in str(submission.snapshot)
    assert "j@ville.fr" not in str(submission.snapshot)


def test_scrub_blanks_personal_keys_at_any_depth_and_keeps_the_rest():
    value = {"sections": [{"lead_phone": "06 00 00 00 00", "budget": 12}], "Email": "a@b.fr"}
    assert scrub(value) == {"sections": [{"lead_phone": ANONYMISED, "budget": 12}], "Email": ANONYMISED}


def test_every_contact_like_field_of_the_dossier_models_is_anonymised(closed_dossier):
    """Whatever sections the dossier has, their contact/lead/phone/e-mail fields end up blank."""
    from applications.domain.retention import _dossier_related_models

    purge_personal_data(now=timezone.now())
    for model, lookup in _dossier_related_models():
        for row in model._default_manager.filter(**{lookup: closed_dossier}):
            for f in personal_fields(model):
                value = getattr(row, f.attname)
                assert value in (None, "", ANONYMISED, {}, []) or str(value).endswith("anonymised.invalid"), (
                    f"{model.__name__}.{f.name} still holds {value!r}"
                )


def test_outbox_messages_older_than_the_period_are_deleted():
    old = OutboxMessage.objects.create(event_key="old", kind="receipt", recipient="a@b.fr", subject="s", body_text="b")
    recent = OutboxMessage.objects.create(
        event_key="new", kind="receipt", recipient="a@b.fr", subject="s", body_text="b"
    )
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=RETENTION + 1))
    purge_personal_data(now=timezone.now())
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_login_attempts_older_than_the_period_are_deleted():
    for days in (RETENTION + 1, 1):
        attempt = AccessAttempt.objects.create(
            username=f"u{days}@x.fr", ip_address="127.0.0.1", user_agent="t", failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    purge_personal_data(now=timezone.now())
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["u1@x.fr"]


def test_official_whose_only_dossier_is_purged_is_deactivated_and_anonymised(closed_dossier):
    user = _old(closed_dossier.owner)
    purge_personal_data(now=timezone.now())
    user.refresh_from_db()
    assert not user.is_active
    assert user.email.endswith("@anonymised.invalid")
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.has_usable_password()
    assert user.official_profile.phone == ""


def test_official_with_a_dossier_in_a_live_campaign_is_kept(live_dossier):
    user = _old(live_dossier.owner)
    purge_personal_data(now=timezone.now())
    user.refresh_from_db()
    assert user.is_active


def test_official_who_joined_recently_without_a_dossier_is_kept():
    user = official()
    purge_personal_data(now=timezone.now())
    user.refresh_from_db()
    assert user.is_active


def test_dry_run_changes_nothing_and_reports_what_would_be_purged(closed_dossier):
    attachment = _attachment(closed_dossier)
    owner = _old(closed_dossier.owner)
    report = purge_personal_data(now=timezone.now(), dry_run=True)
    closed_dossier.refresh_from_db()
    owner.refresh_from_db()
    assert (report.dossiers_anonymised, report.attachments_deleted, report.officials_anonymised) == (1, 1, 1)
    assert closed_dossier.owner == owner and owner.is_active
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert default_storage.exists(attachment.file.name)


def test_second_run_finds_nothing_left_to_do(closed_dossier):
    _attachment(closed_dossier)
    _old(closed_dossier.owner)
    purge_personal_data(now=timezone.now())
    again = purge_personal_data(now=timezone.now())
    assert (again.dossiers_anonymised, again.attachments_deleted, again.officials_anonymised) == (0, 0, 0)


def test_command_dry_run_prints_the_report(closed_dossier):
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert "dossiers anonymised: 1" in out.getvalue()
    closed_dossier.refresh_from_db()
    assert closed_dossier.owner is not None


def test_project_lead_and_contacts_of_the_dossier_are_blanked(closed_dossier):
    type(closed_dossier).objects.filter(pk=closed_dossier.pk).update(
        lead_name="Jeanne Martin",
        lead_email="jeanne.martin@ville.fr",
        lead_phone="03 80 00 00 00",
        other_contacts="Paul Durand, DGS",
    )
    purge_personal_data(now=timezone.now())
    closed_dossier.refresh_from_db()
    assert (closed_dossier.lead_name, closed_dossier.lead_email, closed_dossier.lead_phone) == ("", "", "")
    assert closed_dossier.other_contacts == ""


def test_partner_contacts_invitations_and_edit_log_lose_their_personal_data(closed_dossier):
    from applications.models import DossierChange, DossierInvitation, DossierPartner

    partner = DossierPartner.objects.create(
        dossier=closed_dossier,
        name="Lycée Carnot",
        kind=DossierPartner._meta.get_field("kind").choices[0][0],
        commitment="Accueil des cours du soir",
        contact="M. Proviseur, 06 11 22 33 44",
    )
    invitation = DossierInvitation.objects.create(
        dossier=closed_dossier, email="collegue@ville.fr", token="t" * 40, invited_by=closed_dossier.owner
    )
    DossierInvitation.objects.create(dossier=closed_dossier, email="autre@ville.fr", token="u" * 40)
    change = DossierChange.objects.create(
        dossier=closed_dossier, section="lead", fields=["lead_name"], by=closed_dossier.owner, at=timezone.now()
    )
    purge_personal_data(now=timezone.now())
    partner.refresh_from_db()
    invitation.refresh_from_db()
    change.refresh_from_db()
    assert partner.contact == "" and partner.name == "Lycée Carnot"
    assert invitation.email.endswith("anonymised.invalid") and invitation.invited_by is None
    assert change.by is None
