"""The data of the side-by-side benchmark (bench/pages.py), shaped like issue 13's measurement.

One campaign with three waves: the first published (laureates and not retained: public results, open data,
press), the second closed and under review (rankings, dashboard, review form), the third open (the official's
draft). ``dossiers`` are spread over the most populous communes of metropolitan France, reviewed about 1.7 times
each (1,200 dossiers → 2,065 reviews) by ``reviewers`` regional reviewers. Bulk inserts: built in seconds.
"""

import io
from datetime import timedelta

METROPOLITAN_REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
SCORE_PATTERN = [(4, 7, 12), (3, 8, 10), (5, 9, 14), (2, 6, 9), (4, 10, 15)]


def build(*, dossiers: int = 1200, reviewers: int = 40, territories: bool = True) -> dict:
    """Create the world; returns the users by role, the waves, the review to open and a dossier of the official."""
    from django.core.management import call_command

    from cities.models import Commune

    if territories and not Commune.objects.exists():
        call_command("load_territories", stdout=io.StringIO())
    campaign, waves, criteria = _campaign()
    communes = _communes(dossiers)
    people = _staff(reviewers, regions=sorted({c.region_id for c in communes}))
    created = _dossiers(campaign, waves, communes)
    _reviews(created, waves, criteria, people["reviewers"])
    official, own_dossier = _official(waves["open"])
    main_reviewer, review = _reviewer_with_a_draft_review(people["reviewers"], waves["review"])
    return {
        "campaign": campaign,
        "waves": waves,
        "users": {
            "coordinator": people["coordinator"],
            "press": people["press"],
            "reviewer": main_reviewer,
            "official": official,
        },
        "review": review,
        "own_dossier": own_dossier,
    }


def _campaign():
    from django.utils import timezone

    from applications.models import Campaign, Wave
    from reviews.models import Criterion, ScoringGrid

    now = timezone.now().replace(microsecond=0)
    campaign = Campaign.objects.create(
        name="Au cœur des territoires — banc d'essai", slug="banc", reference_prefix="BANC"
    )
    published = Wave.objects.create(
        campaign=campaign,
        number=1,
        opens_at=now - timedelta(days=200),
        closes_at=now - timedelta(days=120),
        publishes_at=now - timedelta(days=30),
        closed_effects_done_at=now - timedelta(days=120),
    )
    review = Wave.objects.create(
        campaign=campaign,
        number=2,
        opens_at=now - timedelta(days=100),
        closes_at=now - timedelta(days=5),
        publishes_at=now + timedelta(days=40),
        closed_effects_done_at=now - timedelta(days=5),
    )
    open_wave = Wave.objects.create(
        campaign=campaign,
        number=3,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=60),
        publishes_at=now + timedelta(days=120),
    )
    grid = ScoringGrid.objects.create(campaign=campaign, instructions="Notez chaque critère.")
    criteria = [
        Criterion.objects.create(grid=grid, label=label, weight=weight, max_points=points, position=position)
        for position, (label, weight, points) in enumerate(
            [("Besoins du territoire", 1, 5), ("Partenaires", 2, 10), ("Locaux et calendrier", 3, 15)]
        )
    ]
    return campaign, {"published": published, "review": review, "open": open_wave}, criteria


def _communes(count: int):
    from cities.models import Commune

    communes = list(
        Commune.objects.filter(region__code__in=METROPOLITAN_REGIONS)
        .select_related("region")
        .order_by("-population", "insee_code")[: count + 1]
    )
    if len(communes) < count + 1:  # no territorial data (the smoke test): made-up communes
        from tests.factories import CommuneFactory, DepartementFactory

        departements = [DepartementFactory() for _ in range(3)]
        communes += [CommuneFactory(departement=departements[n % 3]) for n in range(count + 1 - len(communes))]
    return communes


def _staff(count: int, *, regions: list[int]) -> dict:
    from django.contrib.auth.models import Group

    from accounts.models import StaffProfile, User
    from accounts.roles import Role

    def grouped(user, role):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    coordinator = grouped(
        User.objects.create(
            username="coordination@banc.example.fr",
            email="coordination@banc.example.fr",
            first_name="Claire",
            last_name="Coord",
            is_staff=True,
        ),
        Role.COORDINATOR,
    )
    press = grouped(
        User.objects.create(
            username="presse@banc.example.fr", email="presse@banc.example.fr", first_name="Paul", last_name="Presse"
        ),
        Role.PRESS,
    )
    people = User.objects.bulk_create(
        [
            User(
                username=f"relecteur{n}@banc.example.fr",
                email=f"relecteur{n}@banc.example.fr",
                first_name="Relecteur",
                last_name=f"n°{n}",
                is_staff=True,
            )
            for n in range(count)
        ]
    )
    Group.objects.get_or_create(name=Role.REGIONAL_REVIEWER)[0].user_set.add(*people)
    profiles = StaffProfile.objects.bulk_create([StaffProfile(user=person) for person in people])
    through = StaffProfile.regions.through
    through.objects.bulk_create(
        [through(staffprofile_id=profile.pk, region_id=regions[n % len(regions)]) for n, profile in enumerate(profiles)]
    )
    return {"coordinator": coordinator, "press": press, "reviewers": people}


def _dossiers(campaign, waves, communes) -> list:
    """The first third in the published wave (three laureates in eight), the rest under review."""
    from accounts.models import User
    from applications.models import Dossier
    from applications.states import DossierStatus

    communes = communes[1:]  # the most populous is the official's, below
    owners = User.objects.bulk_create(
        [
            User(
                username=f"elu{n}@banc.example.fr",
                email=f"elu{n}@banc.example.fr",
                first_name="Élu",
                last_name=f"n°{n}",
            )
            for n in range(len(communes))
        ]
    )
    published, review = waves["published"], waves["review"]
    rows = []
    for n, (commune, owner) in enumerate(zip(communes, owners, strict=True)):
        decided = n < len(communes) // 3
        wave = published if decided else review
        status = DossierStatus.UNDER_REVIEW
        if decided:
            status = DossierStatus.LAUREATE if n % 8 < 3 else DossierStatus.NOT_RETAINED
        rows.append(
            Dossier(
                campaign=campaign,
                wave=wave,
                reference=f"BANC-2026-{n + 1:05d}",
                commune=commune,
                region_id=commune.region_id,
                owner=owner,
                status=status,
                title=f"Antenne du Cnam à {commune.name}",
                public_summary="Formations qualifiantes aux métiers de l'industrie, au cœur de la ville.",
                territory_presentation="Une ville moyenne au cœur d'un bassin industriel.",
                skills_in_shortage="Maintenance industrielle, soudure, automatisme.",
                training_courses="Titre RNCP technicien supérieur de maintenance.",
                submitted_at=wave.closes_at - timedelta(days=1, minutes=n),
                decided_at=published.publishes_at - timedelta(days=5) if decided else None,
                decision_wave=published if decided else None,
            )
        )
    return Dossier.objects.bulk_create(rows)


def _reviews(dossiers, waves, criteria, reviewers) -> None:
    """Two reviews per dossier under review (one in ten still a draft), one per decided dossier and a second
    on one in six of them; each by reviewers of the dossier's région."""
    from django.utils import timezone

    from accounts.models import StaffProfile
    from reviews.models import Assignment, Review, ReviewStatus, Score
    from reviews.services import store_review_scores

    now = timezone.now()
    by_region: dict[int, list] = {}
    for profile in StaffProfile.objects.filter(user__in=reviewers).prefetch_related("regions"):
        for region in profile.regions.all():
            by_region.setdefault(region.pk, []).append(profile.user_id)
    pairs = []
    for n, dossier in enumerate(dossiers):
        team = by_region.get(dossier.region_id, [])
        wanted = 2 if dossier.wave_id == waves["review"].pk or n % 6 == 0 else 1
        for turn in range(min(wanted, len(team))):
            pairs.append((dossier, team[(n + turn) % len(team)], turn))
    Assignment.objects.bulk_create(
        [Assignment(dossier=d, reviewer_id=r, assigned_at=d.submitted_at) for d, r, _ in pairs]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                dossier=d,
                reviewer_id=r,
                comment="Dossier cohérent ; partenaires à confirmer.",
                status=ReviewStatus.DRAFT if (n % 10 == 9 and turn == 1) else ReviewStatus.COMPLETED,
                completed_at=None if (n % 10 == 9 and turn == 1) else now,
            )
            for n, (d, r, turn) in enumerate(pairs)
        ]
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=criterion, points=min(criterion.max_points, points + turn))
            for n, (review, (_, _, turn)) in enumerate(zip(reviews, pairs, strict=True))
            for criterion, points in zip(criteria, SCORE_PATTERN[n % len(SCORE_PATTERN)], strict=True)
        ]
    )
    store_review_scores(reviews=reviews)  # as services.complete_review does


def _official(open_wave):
    """An official with a complete draft in the open wave (every section, a partner, the documents)."""
    from tests.factories import DossierFactory

    dossier = DossierFactory(complete=True, wave=open_wave, campaign=open_wave.campaign, reference="BANC-2026-99999")
    return dossier.owner, dossier


def _reviewer_with_a_draft_review(reviewers, wave):
    """The reviewer with the most reviews in ``wave``, and one of their reviews to open (a draft if any)."""
    from django.db.models import Count

    from reviews.models import Review, ReviewStatus

    busiest = (
        Review.objects.filter(dossier__wave=wave)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "reviewer_id")
        .first()
    )
    reviewer = next(r for r in reviewers if r.pk == busiest["reviewer_id"])
    reviews = Review.objects.filter(reviewer=reviewer, dossier__wave=wave).order_by("pk")
    review = reviews.filter(status=ReviewStatus.DRAFT).first() or reviews.first()
    return reviewer, review


def session_cookie(user) -> str:
    """The key of a logged-in session of ``user`` (created like a log-in, in the database session store)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
