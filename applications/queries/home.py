"""Read queries behind the official's home and the dossier pages (a constant number of queries per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats

from applications.domain import dossiers, invitations
from applications.domain.sections import SECTIONS
from applications.models import (
    REQUIRED_ATTACHMENT_KINDS,
    Attachment,
    AttachmentKind,
    Campaign,
    Dossier,
    DossierJoinRequest,
    DossierPartner,
    JoinRequestStatus,
    Wave,
)
from applications.queries import completeness
from applications.states import EDITABLE_STATUSES
from cities.models import ProgrammeMembership
from cities.selectors import applicant_memberships

# --- deadlines ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    wave: Wave
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.wave.is_open_at(self.now)

    @property
    def not_open_yet(self) -> bool:
        return self.now < self.wave.opens_at

    @property
    def remaining(self) -> timedelta:
        return max(self.wave.closes_at - self.now, timedelta(0))

    @property
    def days_left(self) -> int:
        return self.remaining.days

    @property
    def hours_left(self) -> int:
        return self.remaining.seconds // 3600

    @property
    def minutes_left(self) -> int:
        return (self.remaining.seconds % 3600) // 60


# --- the official's dossiers ---------------------------------------------------------------------------------------


@dataclass
class DossierRow:
    dossier: Dossier
    deadline: Deadline | None
    missing: list
    missing_attachments: list
    percent: int

    @property
    def is_draft(self) -> bool:
        return self.dossier.status in EDITABLE_STATUSES


def official_dossiers(user, *, now):
    """The dossiers ``user`` owns or co-edits, with what the home page shows, in a fixed number of queries.
    Their status is the one ``user`` may see at ``now`` (``shown_status``: decisions stay confidential)."""
    required_only = Attachment.objects.filter(kind__in=REQUIRED_ATTACHMENT_KINDS).only("pk", "dossier_id", "kind")
    # Counted in a subquery, not by joining the partners and grouping: with the join the query named more tables
    # than PostgreSQL reorders (join_collapse_limit), and it joined every dossier to its commune before keeping
    # this user's (issue 13).
    partners = (
        DossierPartner.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(n=Count("pk"))
    )
    return (
        Dossier.objects.editable_by(user)
        .with_shown_status(user=user, now=now)
        .select_related("campaign", "wave", "commune", "epci", "owner")
        .annotate(partner_count=Coalesce(Subquery(partners.values("n"), output_field=IntegerField()), 0))
        .prefetch_related(Prefetch("attachments", queryset=required_only, to_attr="required_attachments"))
        .order_by("-created_at")
    )


def _row(dossier, targets, now) -> DossierRow:
    draft = dossier.status in EDITABLE_STATUSES
    wave = targets.get(dossier.campaign_id) if draft else dossier.wave
    present = {attachment.kind for attachment in dossier.required_attachments}
    return DossierRow(
        dossier=dossier,
        deadline=Deadline(wave, now) if wave else None,
        missing=completeness.dossier_completeness(dossier) if draft else [],
        missing_attachments=[AttachmentKind(k).label for k in REQUIRED_ATTACHMENT_KINDS if k not in present]
        if draft
        else [],
        percent=completeness.progress_percent(dossier),
    )


# --- starting a dossier ---------------------------------------------------------------------------------------------


def startable_campaigns(now):
    """Campaigns that accept dossiers: not historical, with a wave open now or to come."""
    return Campaign.objects.filter(is_historical=False, pk__in=Wave.objects.targets_at(now).values("campaign_id"))


def official_territories(user) -> list[tuple[str, str, object]]:
    """(key, label, territory) for the commune and the EPCI of the user's official profile, if any."""
    profile = getattr(user, "official_profile", None) if user.is_authenticated else None
    if profile is None:
        return []
    territories = []
    if profile.commune_id:
        territories.append((f"commune-{profile.commune_id}", str(profile.commune.name), profile.commune))
    if profile.epci_id:
        territories.append((f"epci-{profile.epci_id}", str(profile.epci.name), profile.epci))
    return territories


@dataclass
class StartOption:
    campaign: Campaign
    key: str
    label: str
    held_by: dossiers.DossierAlreadyExists | None


def _start_options(user, now, mine: set[int]) -> list[StartOption]:
    territories = official_territories(user)
    if not territories:
        return []
    campaigns = list(startable_campaigns(now))
    held = {}
    communes = [t.pk for k, _l, t in territories if k.startswith("commune")]
    epcis = [t.pk for k, _l, t in territories if k.startswith("epci")]
    held_dossiers = Dossier.objects.filter(
        Q(commune_id__in=communes) | Q(epci_id__in=epcis), campaign__in=campaigns
    ).select_related("owner", "campaign")
    for dossier in held_dossiers:
        key = f"commune-{dossier.commune_id}" if dossier.commune_id else f"epci-{dossier.epci_id}"
        held[(dossier.campaign_id, key)] = dossier
    options = []
    for campaign in campaigns:
        for key, label, _territory in territories:
            dossier = held.get((campaign.pk, key))
            if dossier is not None and dossier.pk in mine:
                continue
            holder = dossiers.DossierAlreadyExists(dossier) if dossier else None
            options.append(StartOption(campaign, key, label, holder))
    return options


def home_context(user, *, now) -> dict:
    dossiers = list(official_dossiers(user, now=now))
    targets = Wave.objects.filter(campaign_id__in={d.campaign_id for d in dossiers}).target_per_campaign(now)
    profile = getattr(user, "official_profile", None)
    pending = list(invitations.pending_invitations_for(user))
    return {
        "dossiers": dossiers,
        "rows": [_row(dossier, targets, now) for dossier in dossiers],
        "start_options": _start_options(user, now, {d.pk for d in dossiers}),
        "has_territory": bool(official_territories(user)),
        "has_profile": profile is not None,
        "invitations": pending,
        # A held dossier the user is already invited to: point at the invitation, not at "ask to join".
        "invited_dossier_ids": {invitation.dossier_id for invitation in pending},
        # A held dossier the user already asked to join: say the request awaits an answer.
        "asked_dossier_ids": set(
            DossierJoinRequest.objects.filter(requester=user, status=JoinRequestStatus.PENDING).values_list(
                "dossier_id", flat=True
            )
        ),
        "profile_url": reverse("accounts:profile"),
        "now": now,
    }


# --- the dossier page ------------------------------------------------------------------------------------------------


def section_contents(dossier: Dossier) -> list[tuple]:
    """(spec, [(label, value)]) for the read-only view of every section."""
    contents = []
    for spec in SECTIONS:
        if spec.formset_class is not None:
            rows = [
                (p.name, f"{p.get_kind_display()} — {p.commitment}" + (f" ({p.contact})" if p.contact else ""))
                for p in dossier.partners.all()
            ]
        else:
            rows = [
                (Dossier._meta.get_field(name).verbose_name, _display(getattr(dossier, name))) for name in spec.fields
            ]
        contents.append((spec, rows))
    return contents


def _display(value):
    """Amounts and dates in the reader's locale (1 000,00 / 6 novembre 2020)."""
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    return value


def programme_memberships(dossier: Dossier) -> list[ProgrammeMembership]:
    """The memberships behind the applicant's programmes (cities.selectors.applicant_memberships), at most 50."""
    memberships = applicant_memberships(commune=dossier.commune_id, epci=dossier.epci_id)
    return list(memberships.select_related("commune").order_by("programme", "commune__name")[:50])
