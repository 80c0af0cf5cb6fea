"""Demo data of the review workflow, for `seed_demo`: scoring grids, a closed wave under examination with
dossiers of Bourgogne-Franche-Comté and Hauts-de-France, assignments, reviews (completed, draft, a conflict)
and one recorded decision, so every role has something to look at in the admin and the rankings have content.

Idempotent: the campaign is created once; a second run only tops up what is missing.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.demo import PASSWORD
from accounts.models import StaffProfile
from accounts.roles import Role
from applications.domain.dossiers import next_dossier_reference
from applications.models import Campaign, Dossier, Wave
from applications.states import DossierStatus, transition_dossier
from reviews import services
from reviews.models import Criterion, Review, ReviewDeadline, ReviewStatus, Score, ScoringGrid

CAMPAIGN_SLUG = "demo-examen"
DOSSIERS_PER_REGION = 5
REGIONS = {"reviewer_bfc": "27", "reviewer_hdf": "32"}  # INSEE codes: Bourgogne-Franche-Comté, Hauts-de-France
SECOND_REVIEWERS = {"27": "relecteur2.bfc@cnam.demo.example", "32": "relecteur2.hdf@cnam.demo.example"}

CRITERIA = [
    ("Adéquation aux besoins en compétences du bassin d'emploi", 3, 5),
    ("Partenaires industriels et économiques", 2, 5),
    ("Demande de formation identifiée", 2, 5),
    ("Locaux et logistique", 1, 5),
    ("Cofinancements", 1, 5),
    ("Couverture territoriale", 1, 5),
]
# Points per criterion for the demo reviews: deterministic, with a disagreement on some dossiers.
POINTS = [[5, 4, 4, 3, 4, 3], [4, 3, 4, 4, 3, 4], [3, 3, 2, 4, 2, 3], [2, 2, 3, 2, 1, 2], [4, 5, 5, 4, 4, 5]]


def seed(*, users: dict, stdout) -> None:
    """Grids, a wave under examination, reviews and a decision. Prints the extra accounts it creates."""
    regions = _staff_setup(users, stdout)
    for campaign in Campaign.objects.filter(slug__in=["demo", CAMPAIGN_SLUG]):
        ensure_grid(campaign)
    if not regions:
        stdout.write("Reviews: régions 27 and 32 are not loaded (run load_territories): no demo dossier to review.")
        return
    campaign, wave = _examination_wave()
    ensure_grid(campaign)
    # Reviews due ten days before the publication: shown in the reviewers' queue ("My reviews").
    ReviewDeadline.objects.get_or_create(wave=wave, defaults={"due_at": wave.publishes_at - timedelta(days=10)})
    with transaction.atomic():
        dossiers = [d for code, region in regions.items() for d in _dossiers(campaign, wave, region)]
        services.assign_reviewers(dossiers=dossiers)
        _reviews(dossiers)
        _decision(dossiers, users.get("coordinator"))
    stdout.write(
        f"Reviews: {len(dossiers)} dossiers under examination in “{campaign.name}”, wave {wave.number} "
        f"(ranking: /admin/applications/dossier/rankings/{wave.pk}/)."
    )


def ensure_grid(campaign) -> ScoringGrid:
    grid, created = ScoringGrid.objects.get_or_create(
        campaign=campaign, defaults={"instructions": "Notez chaque critère ; commentez ce qui justifie la note."}
    )
    if created:
        for position, (label, weight, max_points) in enumerate(CRITERIA):
            Criterion.objects.create(
                grid=grid, label=label, weight=Decimal(weight), max_points=max_points, position=position
            )
    return grid


def _staff_setup(users: dict, stdout) -> dict:
    """Make sure the demo staff are in their groups and régions; add a second reviewer per région."""
    from cities.models import Region

    roles = {
        "reviewer_bfc": Role.REGIONAL_REVIEWER,
        "reviewer_hdf": Role.REGIONAL_REVIEWER,
        "coordinator": Role.COORDINATOR,
        "committee": Role.COMMITTEE,
    }
    for key, role in roles.items():
        if users.get(key) is not None:
            _join(users[key], role)
    if users.get("admin") is not None:
        _join(users["admin"], Role.ADMINISTRATOR)
    if users.get("press") is not None:  # the press pages check the group; no admin access
        users["press"].groups.add(Group.objects.get_or_create(name=Role.PRESS)[0])
    regions = {code: Region.objects.filter(code=code).first() for code in REGIONS.values()}
    regions = {code: region for code, region in regions.items() if region is not None}
    for key, code in REGIONS.items():
        if users.get(key) is not None and code in regions:
            StaffProfile.objects.get_or_create(user=users[key])[0].regions.add(regions[code])
    for code, region in regions.items():
        second = _second_reviewer(SECOND_REVIEWERS[code], stdout, region=region)
        StaffProfile.objects.get_or_create(user=second)[0].regions.add(region)
    return regions


def _join(user, role) -> None:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name=role)[0])


def _second_reviewer(email: str, stdout, *, region):
    # The région in the name tells the two demo second reviewers apart on the dashboard.
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": "Relecteur", "last_name": f"Démo ({region.name})", "is_staff": True}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
        stdout.write(f"  regional reviewer: {email} / {PASSWORD}")
    _join(user, Role.REGIONAL_REVIEWER)
    return user


def _examination_wave():
    """A campaign whose only wave closed ten days ago and publishes its results in twenty days."""
    now = timezone.now().replace(microsecond=0)
    campaign, _ = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            "name": "Au cœur des territoires — examen en cours (démonstration)",
            "reference_prefix": "EXA",
            "description": "Campagne fictive dont la vague est close et en cours d'examen.",
        },
    )
    closes_at = now - timedelta(days=10)
    wave, _ = Wave.objects.get_or_create(
        campaign=campaign,
        number=1,
        defaults={
            "opens_at": closes_at - timedelta(days=60),
            "closes_at": closes_at,
            "publishes_at": now + timedelta(days=20),
            "closed_effects_done_at": closes_at,
        },
    )
    return campaign, wave


def _dossiers(campaign, wave, region) -> list[Dossier]:
    """The region's most populous communes without a dossier anywhere, submitted then under review."""
    existing = list(Dossier.objects.filter(campaign=campaign, region=region).order_by("pk"))
    missing = DOSSIERS_PER_REGION - len(existing)
    if missing <= 0:
        return existing
    from cities.models import Commune

    communes = Commune.objects.filter(region=region, dossiers__isnull=True).order_by("-population", "insee_code")[
        :missing
    ]
    created = []
    for commune in communes:
        dossier = Dossier.objects.create(
            campaign=campaign,
            wave=wave,
            commune=commune,
            reference=next_dossier_reference(campaign=campaign),
            title=f"Antenne du Cnam à {commune.name}",
            public_summary="Projet fictif : formations qualifiantes aux métiers de l'industrie, au cœur de la ville.",
            skills_in_shortage="Maintenance industrielle, soudure, automatisme.",
            training_courses="Titre RNCP technicien supérieur de maintenance ; licence professionnelle.",
            submitted_at=wave.closes_at - timedelta(days=3),
        )
        transition_dossier(
            dossier, to=DossierStatus.SUBMITTED, reason="Dépôt (démonstration)", now=dossier.submitted_at
        )
        transition_dossier(dossier, to=DossierStatus.UNDER_REVIEW, reason="Clôture de la vague", now=wave.closes_at)
        created.append(dossier)
    return existing + created


def _reviews(dossiers: list[Dossier]) -> None:
    """Completed reviews for most dossiers, a draft for one, none for the last of each région."""
    for index, dossier in enumerate(dossiers):
        if index % DOSSIERS_PER_REGION == DOSSIERS_PER_REGION - 1:
            continue
        criteria = list(dossier.campaign.scoring_grid.criteria.all())
        for turn, assignment in enumerate(dossier.assignments.filter(released_at__isnull=True).order_by("pk")):
            shift = turn * (1 if index % 2 else 2)  # two reviewers disagree more on every other dossier
            points = [max(0, p - shift) for p in POINTS[index % len(POINTS)]]
            completed = not (index % DOSSIERS_PER_REGION == 2 and turn == 1)
            _review(dossier, assignment.reviewer, criteria, points, completed)


def _review(dossier, reviewer, criteria, points, completed: bool) -> None:
    review, created = Review.objects.get_or_create(
        dossier=dossier, reviewer=reviewer, defaults={"comment": "Dossier cohérent ; partenaires à confirmer."}
    )
    if not created:
        return
    for criterion, value in zip(criteria, points, strict=False):
        Score.objects.create(review=review, criterion=criterion, points=min(value, criterion.max_points))
    if completed:
        review.status, review.completed_at = ReviewStatus.COMPLETED, timezone.now()
        review.save(update_fields=["status", "completed_at"])
        services.store_review_scores(reviews=[review])


def _decision(dossiers: list[Dossier], coordinator) -> None:
    """The committee's decision on the first dossier, to show the history (mailed only at publication)."""
    if coordinator is None or not dossiers or dossiers[0].status != DossierStatus.UNDER_REVIEW:
        return
    services.record_decision(
        dossier=dossiers[0],
        outcome="laureate",
        by=coordinator,
        justification="Bassin d'emploi en forte tension, partenaires industriels engagés, locaux disponibles.",
    )
