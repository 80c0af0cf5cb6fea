"""The review demo seed: gives every role content (rankings with scores) and changes nothing when run twice."""

import io

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role
from applications.models import DossierTransition
from applications.states import DossierStatus
from reviews import demo, selectors
from reviews.models import Assignment, Decision, Review
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(db):
    for code, name in (("27", "Bourgogne-Franche-Comté"), ("32", "Hauts-de-France")):
        departement = DepartementFactory(region=RegionFactory(code=code, name=name))
        for _index in range(6):
            CommuneFactory(departement=departement, region=departement.region)
    return {
        "reviewer_bfc": UserFactory(email="relecteur.bfc@demo.ami.example"),
        "reviewer_hdf": UserFactory(email="relecteur.hdf@demo.ami.example"),
        "coordinator": UserFactory(email="coordination@demo.ami.example"),
        "committee": UserFactory(email="comite@demo.ami.example"),
        "press": UserFactory(email="presse@demo.ami.example"),
        "admin": UserFactory(email="admin@demo.ami.example"),
        "officials": [],
    }


def _seed(users) -> str:
    out = io.StringIO()
    demo.seed(users=users, stdout=out)
    return out.getvalue()


def test_demo_gives_the_committee_a_ranking_with_scores(demo_users):
    _seed(demo_users)
    from applications.models import Wave

    wave = Wave.objects.get(campaign__slug=demo.CAMPAIGN_SLUG)
    rows = selectors.ranking(user=demo_users["committee"], wave=wave)
    assert len(rows) == 10 and sum(1 for row in rows if row.score.has_score) >= 6
    assert any(row.score.spread for row in rows)


def test_demo_reviewers_see_their_regions_dossiers_with_two_reviewers_each(demo_users):
    _seed(demo_users)
    visible = selectors.dossiers_for_staff(demo_users["reviewer_bfc"])
    assert visible.count() == 5 and {d.region.code for d in visible} == {"27"}
    assert Assignment.objects.filter(dossier__in=visible).count() == 10


def test_demo_records_one_decision_and_prints_the_accounts_it_creates(demo_users):
    printed = _seed(demo_users)
    assert Decision.objects.get().dossier.status == DossierStatus.LAUREATE
    assert "relecteur2.bfc@cnam.demo.example / " in printed
    assert demo_users["reviewer_bfc"].groups.filter(name=Role.REGIONAL_REVIEWER).exists()


def test_demo_run_twice_changes_nothing(demo_users):
    _seed(demo_users)
    counts = (Review.objects.count(), Assignment.objects.count(), Decision.objects.count())
    _seed(demo_users)
    assert (Review.objects.count(), Assignment.objects.count(), Decision.objects.count()) == counts


def test_demo_second_reviewers_can_be_told_apart_by_name(demo_users):
    _seed(demo_users)
    names = [str(u) for u in get_user_model().objects.filter(email__startswith="relecteur2.")]
    assert len(names) == 2 and len(set(names)) == 2


def test_demo_status_history_reasons_are_in_french(demo_users):
    _seed(demo_users)
    reasons = set(DossierTransition.objects.values_list("reason", flat=True))
    assert not reasons & {"demo", "wave closed"}


def test_demo_reviewer_has_a_queue_with_a_review_due_date(demo_users):
    from reviews import queue

    _seed(demo_users)
    reviewer = get_user_model().objects.get(email="relecteur.bfc@demo.ami.example")
    waves = queue.queue_by_wave(user=reviewer)
    assert waves and waves[0].due_at is not None
    assert any(row.state != queue.QueueState.DONE for group in waves for row in group.rows)
