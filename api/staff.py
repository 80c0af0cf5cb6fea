"""Staff endpoints (a personal token): the dossiers as the admin shows them to the token's holder, and review
progress. Rows come from ``reviews.selectors.dossiers_for_staff``, the queryset of the admin's dossier list
(``Dossier.objects.visible_to`` with the status the user may see, ``with_shown_status``): a regional reviewer's
token sees their régions' submitted dossiers and nothing else, and no decision before its wave's publication."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from applications.states import DossierStatus
from cities.models import Programme
from reviews import selectors as review_selectors

from .pagination import NumberedPagination
from .schemas import ApplicantFields, paris
from .security import StaffToken

router = Router(auth=StaffToken(), tags=["Agents du Cnam"])


class DossierQuery(Schema):
    campagne: str | None = Field(None, description="Identifiant (slug) d'une campagne.")
    vague: int | None = Field(None, ge=1, description="Numéro d'une vague de la campagne (avec campagne).")
    region: str | None = Field(None, max_length=3, description="Code INSEE d'une région.")
    programme: Programme | None = Field(None, description="Programme : acv ou ti.")
    statut: DossierStatus | None = Field(None, description="Statut, tel que le titulaire du jeton peut le voir.")

    def apply(self, qs):
        if self.campagne:
            qs = qs.filter(campaign__slug=self.campagne)
            if self.vague is not None:
                qs = qs.filter(wave__number=self.vague)
        if self.region:
            qs = qs.filter(region__code=self.region)
        if self.programme:
            qs = qs.in_programme(self.programme.value)
        if self.statut:
            qs = qs.filter(shown_status=self.statut.value)
        return qs


class DossierOut(ApplicantFields):
    id: int
    reference: str
    status: str = Field(
        description="Statut tel que le titulaire du jeton peut le voir (une décision confidentielle se lit "
        "« under_review » jusqu'à la publication de sa vague)."
    )
    status_label: str
    submitted_at: datetime | None
    decided_at: datetime | None = Field(description="Date de la décision, si le titulaire du jeton peut la voir.")
    reviews_completed: int = Field(description="Évaluations terminées que le titulaire du jeton peut lire.")
    reviews_in_progress: int = Field(description="Évaluations en cours que le titulaire du jeton peut lire.")
    score: Decimal | None = Field(
        description="Note moyenne sur 20 des évaluations que le titulaire du jeton peut lire."
    )

    @staticmethod
    def resolve_status(dossier) -> str:
        return dossier.shown_status

    @staticmethod
    def resolve_status_label(dossier) -> str:
        return str(dossier.get_shown_status_display())

    @staticmethod
    def resolve_submitted_at(dossier):
        return paris(dossier.submitted_at)

    @staticmethod
    def resolve_decided_at(dossier):
        return paris(dossier.shown_decided_at)

    @staticmethod
    def resolve_reviews_completed(dossier, context) -> int:
        return _score(dossier, context).completed

    @staticmethod
    def resolve_reviews_in_progress(dossier, context) -> int:
        return _score(dossier, context).drafts

    @staticmethod
    def resolve_score(dossier, context):
        return _score(dossier, context).mean


def _score(dossier, context):
    """The score from the reviews the holder may read (prefetched: no query per row; computed once per row)."""
    return review_selectors.score_for(user=context["request"].user, dossier=dossier)


class ReviewOut(Schema):
    reviewer: str
    status: str
    completed_at: datetime | None
    comment: str

    @staticmethod
    def resolve_reviewer(review) -> str:
        return review.reviewer.get_full_name() or review.reviewer.email

    @staticmethod
    def resolve_completed_at(review):
        return paris(review.completed_at)


class DossierDetailOut(DossierOut):
    title: str
    public_summary: str
    territory_presentation: str
    skills_in_shortage: str
    training_courses: str
    expected_learners_per_year: int | None
    reviews: list[ReviewOut] = Field(description="Les évaluations que le titulaire du jeton peut lire.")

    @staticmethod
    def resolve_reviews(dossier, context):
        from reviews.selectors import reviews_visible_to

        return reviews_visible_to(user=context["request"].user, reviews=dossier.reviews.all())


class ReviewerProgressOut(Schema):
    reviewer: str
    email: str
    assigned: int
    completed: int
    drafts: int
    pending: int

    @staticmethod
    def resolve_reviewer(row) -> str:
        return row["reviewer"].get_full_name() or row["reviewer"].email

    @staticmethod
    def resolve_email(row) -> str:
        return row["reviewer"].email


def _dossiers(request):
    return review_selectors.dossiers_for_staff(request.user, now=timezone.now()).with_programmes()


@router.get(
    "/dossiers",
    response=list[DossierOut],
    url_name="staff-dossiers",
    summary="Dossiers",
    description=(
        "Les dossiers que le titulaire du jeton voit dans l'administration (un évaluateur régional : les dossiers "
        "déposés de ses régions), filtrables par campagne, vague, région, programme et statut."
    ),
)
@paginate(NumberedPagination)
def dossiers(request, filters: Query[DossierQuery]):
    return filters.apply(_dossiers(request)).order_by("-submitted_at", "reference")


@router.get(
    "/dossiers/{dossier_id}",
    response=DossierDetailOut,
    url_name="staff-dossier",
    summary="Dossier",
    description="Un dossier, si le titulaire du jeton le voit dans l'administration (sinon 404).",
)
def dossier(request, dossier_id: int):
    found = _dossiers(request).filter(pk=dossier_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/suivi-evaluations",
    response=list[ReviewerProgressOut],
    url_name="staff-review-progress",
    summary="Avancement des évaluations",
    description=(
        "Par évaluateur régional : attributions en cours, évaluations terminées et en cours, comme sur le tableau "
        "de bord de l'administration (un évaluateur ne voit que sa propre ligne)."
    ),
)
def review_progress(request):
    return review_selectors.reviewer_progress(user=request.user)
