"""The little world the access matrix walks: two régions, two cities, seven roles and one full dossier.

- région X holds commune A; région Y holds commune B;
- dossier A (commune A, owned by official A) is submitted, with an attachment and a submission;
- dossier B (commune B, owned by official B) is a draft;
- a historical campaign whose wave is published has one laureate (commune C, région X), for public and press pages.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import StaffProfile
from accounts.roles import Role
from applications.models import Attachment, AttachmentKind, Submission
from applications.states import DossierStatus
from cities.models import Region
from tests.factories import (
    CampaignFactory,
    CommuneFactory,
    DepartementFactory,
    DossierFactory,
    RegionFactory,
    UserFactory,
    WaveFactory,
    official,
)

ROLES = ("anonymous", "official_a", "official_b", "reviewer_x", "reviewer_y", "coordinator", "press")
PASSWORD = "motdepasse-solide-42"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _staff(role: str, regions, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    profile = StaffProfile.objects.create(user=user)
    profile.regions.set(regions)
    return user


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Lettre d'engagement")
    page.showPage()
    page.save()
    return buffer.getvalue()


def build_world() -> World:
    now = timezone.now()
    region_x = RegionFactory(code="X1", name="Région X")
    region_y = RegionFactory(code="Y1", name="Région Y")
    commune_a = CommuneFactory(
        insee_code="91001", name="Ville A", departement=DepartementFactory(code="9A", region=region_x)
    )
    commune_b = CommuneFactory(
        insee_code="92001", name="Ville B", departement=DepartementFactory(code="9B", region=region_y)
    )
    commune_c = CommuneFactory(insee_code="91002", name="Ville C", departement=commune_a.departement)

    campaign = CampaignFactory(slug="ami-ouvert", name="AMI ouvert")
    wave = WaveFactory(campaign=campaign, number=1)
    official_a = official(commune=commune_a, user__email="official.a@example.fr")
    official_b = official(commune=commune_b, user__email="official.b@example.fr")
    dossier_a = DossierFactory(
        wave=wave,
        campaign=campaign,
        commune=commune_a,
        owner=official_a,
        reference="AMI-A-0001",
        status=DossierStatus.SUBMITTED,
        submitted_at=now,
    )
    dossier_b = DossierFactory(
        wave=wave, campaign=campaign, commune=commune_b, owner=official_b, reference="AMI-B-0001"
    )
    attachment = Attachment(
        dossier=dossier_a,
        kind=AttachmentKind.COMMITMENT_LETTER,
        original_name="engagement.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=official_a,
    )
    content = _pdf()
    attachment.size = len(content)
    attachment.file.save("engagement.pdf", ContentFile(content), save=True)
    submission = Submission.objects.create(
        dossier=dossier_a, wave=wave, submitted_at=now, submitted_by=official_a, snapshot={}, fingerprint="0" * 64
    )

    past = CampaignFactory(slug="ami-publie", name="AMI publié", is_historical=True)
    past_wave = WaveFactory(
        campaign=past,
        number=1,
        opens_at=now - timedelta(days=200),
        closes_at=now - timedelta(days=100),
        publishes_at=now - timedelta(days=50),
    )
    laureate = DossierFactory(
        wave=past_wave,
        campaign=past,
        commune=commune_c,
        owner=None,
        reference="AMI-C-0001",
        status=DossierStatus.LAUREATE,
        submitted_at=now - timedelta(days=150),
        decided_at=now - timedelta(days=60),
    )

    users = {
        "anonymous": None,
        "official_a": official_a,
        "official_b": official_b,
        "reviewer_x": _staff(Role.REGIONAL_REVIEWER, [region_x], email="reviewer.x@example.fr"),
        "reviewer_y": _staff(Role.REGIONAL_REVIEWER, [region_y], email="reviewer.y@example.fr"),
        "coordinator": _staff(Role.COORDINATOR, Region.objects.all(), email="coordinator@example.fr"),
        "press": _press_user(),
    }
    from applications.models import DossierInvitation, DossierMember
    from public.models import ExportJob

    co_editor = DossierMember.objects.create(dossier=dossier_a, user=UserFactory(email="co.editor.a@example.fr"))
    invitation = DossierInvitation.objects.create(
        dossier=dossier_a, email="invited.a@example.fr", token="access-matrix-invitation-token", invited_by=official_a
    )

    antenna, centre = _network(laureate, official_a, commune_c)
    export_job = ExportJob.objects.create(
        requested_by=users["press"], format="csv", status="done", filename="laureats.csv"
    )
    export_job.file.save("laureats.csv", ContentFile(b"commune\nVille C\n"), save=True)
    return World(
        users=users,
        objects={
            "region_x": region_x,
            "region_y": region_y,
            "commune_a": commune_a,
            "commune_b": commune_b,
            "campaign": campaign,
            "wave": wave,
            "dossier_a": dossier_a,
            "dossier_b": dossier_b,
            "attachment": attachment,
            "submission": submission,
            "past_campaign": past,
            "past_wave": past_wave,
            "laureate": laureate,
            "export_job": export_job,
            "co_editor": co_editor,
            "invitation": invitation,
            "antenna": antenna,
            "cnam_centre": centre,
        },
    )


def _network(laureate, official_a, commune_c):
    """The laureate's antenna (région X, open, with its signed agreement and a yearly report), official A being a
    co-editor of the laureate dossier; a Cnam centre."""
    from datetime import date

    from applications.models import DossierMember
    from network.models import Antenna, AntennaLogAction, AntennaLogEntry, AntennaReport, CnamCentre

    DossierMember.objects.create(dossier=laureate, user=official_a)
    antenna = Antenna.objects.create(
        dossier=laureate, convention_signed_on=date(2020, 1, 6), opened_on=date(2020, 9, 1)
    )
    antenna.convention_pdf.save("convention.pdf", ContentFile(_pdf()), save=True)
    AntennaReport.objects.create(
        antenna=antenna, year=2021, enrolments=12, submitted_by=official_a, submitted_at=timezone.now()
    )
    AntennaLogEntry.objects.create(antenna=antenna, action=AntennaLogAction.CREATED, at=timezone.now())
    return antenna, CnamCentre.objects.create(name="Cnam X", commune=commune_c)


def _press_user():
    user = UserFactory(email="press@example.fr")
    user.groups.add(Group.objects.get_or_create(name=Role.PRESS)[0])
    return user


# The "decision visible" dimension adds the other staff who may know decisions before publication.
DECISION_ROLES = (*ROLES, "committee", "superuser")
DECISION_JUSTIFICATION = "Motif confidentiel du comité"


def decide_dossier_a(world: World) -> World:
    """Dossier A goes under review and the committee decides it is not retained, before its wave's publication."""
    from applications.states import transition_dossier
    from reviews.services import record_decision

    world.users["committee"] = _staff(Role.COMMITTEE, Region.objects.all(), email="committee@example.fr")
    world.users["superuser"] = UserFactory(email="root@example.fr", is_staff=True, is_superuser=True)
    transition_dossier(world.dossier_a, to=DossierStatus.UNDER_REVIEW)
    record_decision(
        dossier=world.dossier_a,
        outcome=DossierStatus.NOT_RETAINED,
        justification=DECISION_JUSTIFICATION,
        by=world.users["coordinator"],
    )
    world.dossier_a.refresh_from_db()
    return world


# --- The read API (api/): each role's personal token, and a laureate of dossier A's wave -----------------------

API_LAUREATE_NAME = "Ville L"


def mint_api_tokens(world: World) -> World:
    """A valid token for every role that has a user (``world.tokens[role]``, the secret key). Officials and the press
    could not create one (api.tokens.issue_token refuses them): theirs stand for a token whose holder is not, or no
    longer, allowed, which the API must refuse at use time whatever its origin."""
    from api.models import ApiToken
    from api.tokens import hash_key

    world.objects["tokens"] = {}
    for role, user in world.users.items():
        if user is None:
            continue
        key = f"ami_access-matrix-{role}-token"
        ApiToken.objects.create(
            user=user,
            name=f"jeton {role}",
            key_prefix=key[:10],
            key_hash=hash_key(key),
            expires_at=timezone.now() + timedelta(days=365),
        )
        world.tokens[role] = key
    return world


def decide_laureate_in_open_wave(world: World) -> World:
    """Dossier L (commune L, région X) is a laureate of dossier A's wave, decided before that wave's publication: the
    public API must not show it one second before the publication and must show it one second after."""
    from applications.states import transition_dossier
    from reviews.services import record_decision

    commune_l = CommuneFactory(insee_code="91003", name=API_LAUREATE_NAME, departement=world.commune_a.departement)
    dossier_l = DossierFactory(
        wave=world.wave,
        campaign=world.campaign,
        commune=commune_l,
        owner=None,
        reference="AMI-L-0001",
        status=DossierStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    transition_dossier(dossier_l, to=DossierStatus.UNDER_REVIEW)
    record_decision(
        dossier=dossier_l, outcome=DossierStatus.LAUREATE, justification="Projet solide", by=world.users["coordinator"]
    )
    world.objects["dossier_l"] = dossier_l
    return world
