"""The shapes the API answers with. Dates and times are ISO 8601 in Europe/Paris; codes are INSEE codes (SIREN for
an intercommunality); programmes are ``acv`` and ``ti``. Every field reads an object the selectors loaded."""

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from network.selectors import antenna_of
from network.status import antenna_status


def paris(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def _describe(text) -> dict:
    return {"description": str(text)}


class Place(Schema):
    code: str
    name: str


class CampaignOut(Schema):
    slug: str
    name: str
    description: str
    is_historical: bool = Field(**_describe("Campagne passée, conservée pour ses résultats publiés."))
    page: str = Field(**_describe("Chemin de la page publique de l'appel."))

    @staticmethod
    def resolve_page(campaign) -> str:
        return reverse("applications:campaign", kwargs={"slug": campaign.slug})


class WaveOut(Schema):
    campaign: str = Field(**_describe("Identifiant (slug) de la campagne."))
    number: int
    opens_at: datetime = Field(**_describe("Premier instant où les dépôts sont acceptés (heure de Paris)."))
    closes_at: datetime = Field(**_describe("Premier instant où les dépôts sont refusés (heure de Paris)."))
    publishes_at: datetime = Field(**_describe("Instant de publication des résultats (heure de Paris)."))
    is_open: bool
    is_published: bool

    @staticmethod
    def resolve_campaign(wave) -> str:
        return wave.campaign.slug

    @staticmethod
    def resolve_opens_at(wave):
        return paris(wave.opens_at)

    @staticmethod
    def resolve_closes_at(wave):
        return paris(wave.closes_at)

    @staticmethod
    def resolve_publishes_at(wave):
        return paris(wave.publishes_at)

    @staticmethod
    def resolve_is_open(wave, context) -> bool:
        return wave.is_open_at(context["request"].api_now)

    @staticmethod
    def resolve_is_published(wave, context) -> bool:
        return wave.is_published_at(context["request"].api_now)


def _applicant(dossier) -> tuple[str, str, str]:
    return ("commune" if dossier.commune_id else "epci"), dossier.applicant_code, dossier.applicant_name


def _region(dossier) -> dict | None:
    return {"code": dossier.region.code, "name": dossier.region.name} if dossier.region_id else None


class ApplicantFields(Schema):
    kind: str = Field(**_describe("« commune » ou « epci » (intercommunalité)."))
    code: str = Field(**_describe("Code INSEE de la commune, SIREN de l'intercommunalité."))
    name: str
    region: Place | None
    programmes: list[str] = Field(
        **_describe("Programmes du candidat : acv (Action Cœur de Ville), ti (Territoires d'industrie).")
    )
    campaign: str = Field(**_describe("Identifiant (slug) de la campagne."))
    wave: int | None = Field(**_describe("Numéro de la vague."))

    @staticmethod
    def resolve_kind(dossier) -> str:
        return _applicant(dossier)[0]

    @staticmethod
    def resolve_code(dossier) -> str:
        return _applicant(dossier)[1]

    @staticmethod
    def resolve_name(dossier) -> str:
        return _applicant(dossier)[2]

    @staticmethod
    def resolve_region(dossier):
        return _region(dossier)

    @staticmethod
    def resolve_programmes(dossier) -> list[str]:
        return dossier.programme_codes

    @staticmethod
    def resolve_campaign(dossier) -> str:
        return dossier.campaign.slug

    @staticmethod
    def resolve_wave(dossier):
        return dossier.wave.number if dossier.wave_id else None


class LaureateOut(ApplicantFields):
    departement: Place | None
    population: int | None
    decided_on: date | None = Field(**_describe("Jour de la décision du comité (heure de Paris)."))
    title: str
    public_summary: str
    page: str = Field(**_describe("Chemin de la page publique du lauréat."))

    @staticmethod
    def resolve_departement(dossier):
        if not dossier.commune_id:
            return None
        return {"code": dossier.commune.departement.code, "name": dossier.commune.departement.name}

    @staticmethod
    def resolve_population(dossier):
        return dossier.commune.population if dossier.commune_id else None

    @staticmethod
    def resolve_decided_on(dossier):
        return timezone.localdate(dossier.decided_at) if dossier.decided_at else None

    @staticmethod
    def resolve_page(dossier) -> str:
        code = _applicant(dossier)[1]
        return reverse("results-laureate", kwargs={"slug": dossier.campaign.slug, "code": code})


class AntennaOut(ApplicantFields):
    status: str = Field(**_describe("laureate, convention_signed, open, suspended ou closed (à la date du jour)."))
    status_label: str
    convention_signed_on: date | None
    opening_planned_on: date | None
    opened_on: date | None

    @staticmethod
    def resolve_status(dossier, context) -> str:
        return antenna_status(antenna_of(dossier), context["request"].api_today).value

    @staticmethod
    def resolve_status_label(dossier, context) -> str:
        return str(antenna_status(antenna_of(dossier), context["request"].api_today).label)

    @staticmethod
    def resolve_convention_signed_on(dossier):
        return getattr(antenna_of(dossier), "convention_signed_on", None)

    @staticmethod
    def resolve_opening_planned_on(dossier):
        return getattr(antenna_of(dossier), "opening_planned_on", None)

    @staticmethod
    def resolve_opened_on(dossier):
        return getattr(antenna_of(dossier), "opened_on", None)


class Message(Schema):
    detail: str
