"""Factories and helpers of the review tests: staff in their groups, grids, dossiers under review, reviews."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import StaffProfile
from accounts.roles import Role
from applications.states import DossierStatus
from reviews.models import Criterion, Review, ReviewStatus, Score, ScoringGrid
from reviews.services import store_review_scores
from tests.factories import CommuneFactory, DepartementFactory, DossierFactory, UserFactory


def staff(role: str, regions=(), **kwargs):
    """A staff user in the group ``role`` (created with its permissions by reviews' migration)."""
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    profile = StaffProfile.objects.create(user=user)
    profile.regions.set(regions)
    return user


def reviewer_of(*regions, **kwargs):
    return staff(Role.REGIONAL_REVIEWER, regions, **kwargs)


def grid(campaign, criteria=((1, 5), (2, 10))) -> ScoringGrid:
    """A grid whose criteria have the given (weight, max points)."""
    scoring = ScoringGrid.objects.create(campaign=campaign)
    for position, (weight, max_points) in enumerate(criteria):
        Criterion.objects.create(
            grid=scoring,
            label=f"Critère {position + 1}",
            weight=Decimal(weight),
            max_points=max_points,
            position=position,
        )
    return scoring


def dossier_in(region, *, wave, status=DossierStatus.UNDER_REVIEW, **kwargs):
    departement = DepartementFactory(region=region)
    commune = CommuneFactory(departement=departement, region=region)
    return DossierFactory(
        wave=wave,
        campaign=wave.campaign,
        commune=commune,
        status=status,
        submitted_at=timezone.now() if status != DossierStatus.DRAFT else None,
        **kwargs,
    )


def review(dossier, reviewer, points, *, completed=True) -> Review:
    """A review scoring the grid's criteria with ``points`` (in the grid's order; None leaves one unscored)."""
    made = Review.objects.create(
        dossier=dossier,
        reviewer=reviewer,
        status=ReviewStatus.COMPLETED if completed else ReviewStatus.DRAFT,
        completed_at=timezone.now() if completed else None,
    )
    for criterion, value in zip(dossier.campaign.scoring_grid.criteria.all(), points, strict=True):
        Score.objects.create(review=made, criterion=criterion, points=value)
    if completed:  # as services.complete_review stores it
        store_review_scores(reviews=[made])
        made.refresh_from_db(fields=["score"])
    return made
