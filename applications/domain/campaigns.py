"""Reference campaigns: the real 2nd AMI calendar and a demo campaign whose waves are relative to today."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from applications.models import Campaign, Wave

PARIS = ZoneInfo("Europe/Paris")


def _paris(year, month, day, hour=0):
    return datetime(year, month, day, hour, tzinfo=PARIS)


# closes_at is the first instant when submissions are refused: midnight after the last day.
SECOND_AMI_WAVES = [
    # number, opens_at, closes_at (last day 6 Nov 2020, 12 Feb 2021, 25 Jun 2021), publishes_at
    (1, _paris(2020, 7, 20), _paris(2020, 11, 7), _paris(2020, 12, 15, 10)),
    (2, _paris(2020, 11, 7), _paris(2021, 2, 13), _paris(2021, 3, 31, 10)),
    (3, _paris(2021, 2, 13), _paris(2021, 6, 26), _paris(2021, 7, 22, 10)),
]


@transaction.atomic
def ensure_second_ami() -> Campaign:
    """The 2nd AMI (2020–2021) with its real closing dates. Idempotent."""
    campaign, _ = Campaign.objects.update_or_create(
        slug="ami-2020",
        defaults={
            "name": "Au cœur des territoires — 2e AMI (2020–2021)",
            "is_historical": True,
            "description": (
                "Deuxième appel à manifestation d'intérêt, ouvert le 20 juillet 2020, en trois vagues "
                "(clôtures les 6 novembre 2020, 12 février 2021 et 25 juin 2021). "
                "Les dates de publication des résultats sont indicatives."
            ),
        },
    )
    for number, opens_at, closes_at, publishes_at in SECOND_AMI_WAVES:
        Wave.objects.update_or_create(
            campaign=campaign,
            number=number,
            defaults={"opens_at": opens_at, "closes_at": closes_at, "publishes_at": publishes_at},
        )
    return campaign


@transaction.atomic
def ensure_first_ami() -> Campaign:
    """The 1st AMI (2019): 55 laureate cities announced on 26 September 2019. Idempotent."""
    campaign, _ = Campaign.objects.update_or_create(
        slug="ami-2019",
        defaults={
            "name": "Au cœur des territoires — 1er AMI (2019)",
            "is_historical": True,
            "description": (
                "Premier appel à manifestation d'intérêt : 55 villes lauréates annoncées le 26 septembre 2019. "
                "Les dates de dépôt sont indicatives."
            ),
        },
    )
    Wave.objects.update_or_create(
        campaign=campaign,
        number=1,
        defaults={
            "opens_at": _paris(2019, 4, 1),
            "closes_at": _paris(2019, 7, 1),
            "publishes_at": _paris(2019, 9, 26, 10),
        },
    )
    return campaign


def _midnight(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=PARIS)


@transaction.atomic
def ensure_demo_campaign(*, now: datetime | None = None) -> Campaign:
    """A demo campaign: wave 1 closed and published, wave 2 open now, wave 3 to come. Idempotent.

    Dates are re-anchored on today only when the campaign is created, so a running demo keeps its calendar.
    """
    now = now or timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        slug="demo",
        defaults={
            "name": "Au cœur des territoires — campagne de démonstration",
            "description": "Campagne fictive pour découvrir le portail : ses dates suivent la date du jour.",
        },
    )
    if created or not campaign.waves.exists():
        today = timezone.localtime(now, PARIS).date()
        w1_open, w1_close = _midnight(today - timedelta(days=120)), _midnight(today - timedelta(days=60))
        w2_close = _midnight(today + timedelta(days=21))
        w3_close = _midnight(today + timedelta(days=111))
        for number, opens_at, closes_at, publishes_at in [
            (1, w1_open, w1_close, w1_close + timedelta(days=30, hours=10)),
            (2, w1_close, w2_close, w2_close + timedelta(days=30, hours=10)),
            (3, w2_close, w3_close, w3_close + timedelta(days=30, hours=10)),
        ]:
            Wave.objects.update_or_create(
                campaign=campaign,
                number=number,
                defaults={"opens_at": opens_at, "closes_at": closes_at, "publishes_at": publishes_at},
            )
    _ensure_demo_call_page(campaign)
    return campaign


DEMO_QUESTIONS = [
    (
        "Une intercommunalité peut-elle candidater ?",
        "Oui : une intercommunalité dont une commune appartient à Territoires d'industrie peut porter le dossier. "
        "Une commune d'Action Cœur de Ville candidate en son nom.",
    ),
    (
        "La délibération du conseil est-elle obligatoire dès le dépôt ?",
        "Oui, elle fait partie des trois pièces demandées. Prévoyez-la à la prochaine séance du conseil : vous "
        "pouvez remplir le reste du dossier en attendant.",
    ),
    (
        "Peut-on modifier le dossier après l'avoir déposé ?",
        "Tant que la vague n'est pas close, le titulaire peut retirer son dépôt, corriger le dossier et le déposer "
        "de nouveau. Après la clôture, le dossier est examiné tel qu'il a été déposé.",
    ),
]


def _ensure_demo_call_page(campaign: Campaign) -> None:
    """The demo call's public page: a contact, a FAQ and its rules as a generated PDF. Idempotent."""
    from django.core.files.base import ContentFile

    from applications.models import CampaignDocument, CampaignQuestion

    if not campaign.contact_email:
        campaign.contact_email = "ami-demo@cnam.demo.example"
        campaign.contact_details = "Équipe AMI du Cnam — du lundi au vendredi, 9 h – 17 h."
        campaign.save(update_fields=["contact_email", "contact_details"])
    for position, (question, answer) in enumerate(DEMO_QUESTIONS, start=1):
        CampaignQuestion.objects.get_or_create(
            campaign=campaign, question=question, defaults={"answer": answer, "position": position}
        )
    if not campaign.documents.exists():
        document = CampaignDocument(campaign=campaign, title="Règlement de l'appel (démonstration)", position=1)
        content = _demo_rules_pdf(campaign)
        document.file.save("reglement.pdf", ContentFile(content), save=False)
        document.size = len(content)
        document.save()


def _demo_rules_pdf(campaign: Campaign) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Règlement de l'appel", invariant=True).build(
        [
            Paragraph(f"Règlement de l'appel — {campaign.name}", styles["Title"]),
            Paragraph(
                "Document de démonstration. L'appel à manifestation d'intérêt « Au cœur des territoires » invite les "
                "villes d'Action Cœur de Ville et les territoires d'industrie à accueillir une antenne de formation du "
                "Cnam. Les dossiers sont déposés en ligne avant la date limite d'une vague.",
                styles["BodyText"],
            ),
        ]
    )
    return buffer.getvalue()
