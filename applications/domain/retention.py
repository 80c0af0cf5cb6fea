"""Retention of personal data: what ``purge_personal_data`` removes once a campaign is long closed.

A campaign is past retention when its last wave's results were published more than
``settings.PERSONAL_DATA_RETENTION_DAYS`` days ago. For such campaigns the purge
- blanks every personal field of their dossiers and of the rows attached to them (fields named like contact, lead,
  phone, e-mail, first/last name, signatory — found by introspecting the ``applications`` models, so sections added
  later are covered), the same keys inside submission snapshots, and unlinks owners, co-editors, submitters and every
  other user link of those rows (invitations, edit log, holder log, mandate verification), staff in the status
  history excepted, and deletes the requests to join them;
- deletes their attachments, rows and files (laureates keep their public information: applicant, title, summary);
and, whatever the campaign,
- deletes outbox e-mails and django-axes log-in records older than the period;
- deactivates and anonymises officials who have no dossier in a campaign still within retention and have not been
  seen (joined or logged in) during the period.
See docs/personal-data.md.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Cast, Concat

# Field names that hold personal data, wherever they appear in the applications models or in snapshots.
PERSONAL_NAME = re.compile(
    r"contact|lead|phone|e_?mail|first_?name|last_?name|full_?name|civility|signatory|mobile|referent", re.I
)
ANONYMISED = "[anonymised]"
ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"


@dataclass
class PurgeReport:
    campaigns: list[str] = field(default_factory=list)
    dossiers_anonymised: int = 0
    rows_anonymised: int = 0
    attachments_deleted: int = 0
    outbox_deleted: int = 0
    login_records_deleted: int = 0
    officials_anonymised: int = 0
    files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"campaigns past retention: {', '.join(self.campaigns) or '-'}",
            f"dossiers anonymised: {self.dossiers_anonymised}",
            f"related rows anonymised: {self.rows_anonymised}",
            f"attachments deleted (rows and files): {self.attachments_deleted}",
            f"outbox e-mails deleted: {self.outbox_deleted}",
            f"log-in records deleted: {self.login_records_deleted}",
            f"officials deactivated and anonymised: {self.officials_anonymised}",
        ]


def retention_cutoff(*, now: datetime) -> datetime:
    return now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def campaigns_past_retention(*, now: datetime):
    """Campaigns whose last wave publication is older than the retention period (campaigns without waves never are)."""
    from applications.models import Campaign

    return Campaign.objects.annotate(last_publication=Max("waves__publishes_at")).filter(
        last_publication__lte=retention_cutoff(now=now)
    )


def purge_personal_data(*, now: datetime, dry_run: bool = False) -> PurgeReport:
    """Purge the personal data described in the module docstring, atomically.

    With ``dry_run`` every change is made and counted inside a transaction that is then rolled back, and no file is
    touched: the report says exactly what a real run would do. A real run deletes attachment files after commit.
    Idempotent: a second run finds nothing left to do.
    """
    from applications.models import Attachment

    report = PurgeReport()
    with transaction.atomic():
        campaigns = list(campaigns_past_retention(now=now))
        report.campaigns = [campaign.slug for campaign in campaigns]
        _anonymise_dossiers(campaigns, report)
        attachments = Attachment.objects.filter(dossier__campaign__in=campaigns)
        report.files = [name for name in attachments.values_list("file", flat=True) if name]
        report.attachments_deleted = attachments.count()
        attachments.delete()
        report.outbox_deleted = _delete_old_outbox(now=now)
        report.login_records_deleted = _delete_old_login_records(now=now)
        report.officials_anonymised = _anonymise_inactive_officials(now=now)
        if dry_run:
            transaction.set_rollback(True)
        else:
            files = list(report.files)
            transaction.on_commit(lambda: _delete_files(files))
    return report


def personal_fields(model) -> list[models.Field]:
    """Concrete, editable fields of ``model`` whose name says they hold personal data."""
    return [
        f
        for f in model._meta.concrete_fields
        if PERSONAL_NAME.search(f.name) and not f.primary_key and f.editable and not f.many_to_many
    ]


def _blank_value(f: models.Field):
    if f.is_relation:
        return None if f.null else models.NOT_PROVIDED
    if isinstance(f, models.JSONField):
        return f.get_default() if f.has_default() else None
    if isinstance(f, models.EmailField):
        # One distinct address per row, so that unique constraints on e-mails still hold.
        return (
            ""
            if f.blank
            else Concat(
                Value("row-"),
                Cast("pk", models.CharField()),
                Value(f"@{ANONYMISED_EMAIL_DOMAIN}"),
                output_field=models.EmailField(),
            )
        )
    if isinstance(f, models.CharField | models.TextField):
        return "" if f.blank else ANONYMISED[: f.max_length or None]
    return None if f.null else models.NOT_PROVIDED


def _user_links(model) -> list[models.Field]:
    """Nullable foreign keys to a user (invited_by, edited_by...): who did what, personal too."""
    user_model = get_user_model()
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model and f.null]


def _blanking_update(model, *, unlink_users: bool = False) -> dict:
    update = {}
    for f in personal_fields(model) + (_user_links(model) if unlink_users else []):
        value = _blank_value(f)
        if value is not models.NOT_PROVIDED:
            update[f.attname if f.is_relation else f.name] = value
    return update


def _dossier_related_models():
    """(model, lookup) for every applications model pointing at Dossier, e.g. (ProjectSection, "dossier")."""
    from applications.models import Dossier

    found = []
    for model in apps.get_app_config("applications").get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Dossier:
                found.append((model, f.name))
    return found


def _anonymise_dossiers(campaigns, report: PurgeReport) -> None:
    from applications.models import Dossier, DossierJoinRequest, DossierMember, DossierTransition, Submission

    dossiers = Dossier.objects.filter(campaign__in=campaigns)
    ids = list(dossiers.values_list("pk", flat=True))
    if not ids:
        return
    changed = Q(owner__isnull=False)
    for name, value in _blanking_update(Dossier).items():
        changed |= ~Q(**{name: value}) if value is not None else Q(**{f"{name}__isnull": False})
    report.dossiers_anonymised = dossiers.filter(changed).count()
    # The mandate verification names its holder too (an official); requests to join name who asked.
    dossiers.update(owner=None, mandate_verified_for=None, **_blanking_update(Dossier))
    report.rows_anonymised += DossierMember.objects.filter(dossier_id__in=ids).delete()[0]
    report.rows_anonymised += DossierJoinRequest.objects.filter(dossier_id__in=ids).delete()[0]
    officials = get_user_model().objects.filter(is_staff=False)
    DossierTransition.objects.filter(dossier_id__in=ids, by__in=officials).update(by=None)
    for submission in Submission.objects.filter(dossier_id__in=ids):
        submission.snapshot = scrub(submission.snapshot)
        submission.submitted_by = None
        submission.save(update_fields=["snapshot", "submitted_by"])
    # Staff stay linked to the status history (audit); every other row of the dossier loses its user links.
    for model, lookup in _dossier_related_models():
        update = _blanking_update(model, unlink_users=True)
        if update and model not in {Dossier, DossierMember, DossierTransition, Submission}:
            report.rows_anonymised += model._default_manager.filter(**{f"{lookup}_id__in": ids}).update(**update)


def scrub(value):
    """A copy of a JSON value with every personal key (see PERSONAL_NAME) blanked, at any depth."""
    if isinstance(value, dict):
        return {
            key: (ANONYMISED if PERSONAL_NAME.search(str(key)) and value[key] else scrub(value[key])) for key in value
        }
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value


def _delete_old_outbox(*, now: datetime) -> int:
    from notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(created_at__lt=retention_cutoff(now=now)).delete()[0]


def _delete_old_login_records(*, now: datetime) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = retention_cutoff(now=now)
    deleted = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


def _anonymise_inactive_officials(*, now: datetime) -> int:
    """Officials with no dossier in a campaign within retention, and not seen during the period."""
    from accounts.models import OfficialProfile
    from applications.models import Dossier

    cutoff = retention_cutoff(now=now)
    kept_campaigns = campaigns_past_retention(now=now).values("pk")
    live_dossiers = Dossier.objects.exclude(campaign__in=kept_campaigns)
    users = (
        get_user_model()
        .objects.filter(official_profile__isnull=False, is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(owned_dossiers__in=live_dossiers)
        .exclude(dossier_memberships__dossier__in=live_dossiers)
        .exclude(email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}")
    )
    count = 0
    for user in users:
        _anonymise_user(user)
        count += 1
    OfficialProfile.objects.filter(user__email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}").update(
        **_blanking_update(OfficialProfile)
    )
    return count


def _anonymise_user(user) -> None:
    user.email = f"user-{user.pk}@{ANONYMISED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
