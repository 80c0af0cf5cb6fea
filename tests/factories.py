"""Shared factories for the core models. App-specific factories live in tests/<app>/factories.py."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import OfficialProfile, OfficialRole, StaffProfile, User
from applications.models import Campaign, Dossier, DossierPartner, PartnerKind, Wave
from cities.models import Commune, Departement, Epci, Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-solide-42")
    is_active = True


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # Three digits, never one of the two-digit INSEE codes tests name on purpose ("27", "53"…): with get_or_create on
    # the code, a generated region could otherwise be the very region a test builds as "another region".
    code = factory.Sequence(lambda n: f"{100 + n % 900}")
    name = factory.Sequence(lambda n: f"Région {n}")


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 95 + 1:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("siren",)

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté d'agglomération n°{n}")
    kind = "CA"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    # 40000-49999: five digits as the forms require, in a block no test writes by hand (they use 01…39, 51…97 and
    # 10000+, 90000+ series). A plain 90000 + n met the worlds' "90001" and "91001" after some hundreds of communes, and
    # get_or_create then returned that commune: a second dossier for it, depending on test order.
    insee_code = factory.Sequence(lambda n: f"{40000 + n % 10000:05d}")
    name = factory.Sequence(lambda n: f"Ville-sur-Saône {n}")
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    postal_codes = factory.LazyAttribute(lambda o: [o.insee_code])
    population = 25000
    siren = factory.Sequence(lambda n: f"21{n:07d}")


class OfficialProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialProfile

    user = factory.SubFactory(UserFactory)
    role = OfficialRole.MAYOR
    phone = "01 23 45 67 89"
    commune = factory.SubFactory(CommuneFactory)


def official(commune=None, **kwargs) -> User:
    """A city official acting for ``commune``."""
    profile = OfficialProfileFactory(commune=commune or CommuneFactory(), **kwargs)
    return profile.user


def reviewer(*regions, **kwargs) -> User:
    """A staff user scoped to ``regions`` (group membership is up to the caller)."""
    user = UserFactory(is_staff=True, **kwargs)
    profile = StaffProfile.objects.create(user=user)
    profile.regions.set(regions)
    return user


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Au cœur des territoires — campagne {n}")
    slug = factory.Sequence(lambda n: f"campagne-{n}")


class WaveFactory(factory.django.DjangoModelFactory):
    """By default an open wave: opened 30 days ago, closes in 30 days, published 60 days from now."""

    class Meta:
        model = Wave

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=60))
    publishes_at = factory.LazyAttribute(lambda o: o.closes_at + timedelta(days=30))


class DossierPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierPartner

    name = "Industries du Val"
    kind = PartnerKind.COMPANY
    commitment = "Accueillir des alternants"


def attach_required_documents(dossier, create, extracted, **kwargs):
    """Upload every required attachment through the real service (a draft dossier, by its owner)."""
    if not create:
        return
    from applications.domain.attachments import add_attachment
    from applications.models import REQUIRED_ATTACHMENT_KINDS
    from tests.applications import submission_files as files

    for kind in REQUIRED_ATTACHMENT_KINDS:
        name, content = files.required_documents()[kind]
        add_attachment(dossier=dossier, kind=kind, upload=files.upload(content(), name), by=dossier.owner)


class DossierFactory(factory.django.DjangoModelFactory):
    """A draft whose holder's mandate Cnam staff have verified (so it can be submitted once complete).

    ``DossierFactory(unverified_holder=True)`` makes one whose mandate still awaits verification;
    ``DossierFactory(complete=True)``: every required section field filled, one partner and every required
    attachment, so that the real completeness rule finds nothing missing."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    class Params:
        complete = factory.Trait(
            territory_presentation="Une ville moyenne au cœur d'un bassin industriel.",
            employment_basin="Bassin d'emploi de 80 000 actifs, industrie et services.",
            skills_in_shortage="Techniciens de maintenance, soudeurs, développeurs.",
            industries="Métallurgie, agroalimentaire.",
            training_courses="Licence professionnelle maintenance industrielle.",
            training_levels="Bac+2 à Bac+3",
            expected_learners_per_year=40,
            premises_address="1 place de l'Hôtel de Ville",
            premises_description="Trois salles de cours et un atelier.",
            premises_available_from=date(2026, 9, 1),
            budget_total=Decimal("125000.00"),
            lead_name="Camille Martin",
            lead_email="camille.martin@ville.example.fr",
            lead_phone="01 23 45 67 89",
            partner=factory.RelatedFactory(DossierPartnerFactory, factory_related_name="dossier"),
            documents=factory.PostGeneration(attach_required_documents),
        )
        unverified_holder = factory.Trait(mandate_verified_for=None, mandate_verified_at=None, mandate_basis="")

    wave = factory.SubFactory(WaveFactory)
    campaign = factory.SelfAttribute("wave.campaign")
    reference = factory.Sequence(lambda n: f"AMI-T-{n:05d}")
    commune = factory.SubFactory(CommuneFactory)
    owner = factory.LazyAttribute(lambda o: official(commune=o.commune))
    title = "Une antenne du Cnam au cœur de la ville"
    public_summary = "Former aux métiers de l'industrie du bassin d'emploi."
    mandate_verified_for = factory.SelfAttribute("owner")
    mandate_verified_at = factory.LazyFunction(timezone.now)
    mandate_basis = "Lettre d'engagement signée par le maire, vérifiée."
