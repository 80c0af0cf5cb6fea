"""The named dossier predicates of applications/rules.py, role × status × deadline (one second before / at closing).

Views, services, templates and the admin all ask these predicates, so this table is the whole rule.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from applications import rules as dossier_rules
from applications.models import DossierMember
from applications.states import DECISION_STATUSES, DossierStatus
from tests.factories import CampaignFactory, RegionFactory, UserFactory, WaveFactory, official
from tests.reviews.factories import dossier_in, reviewer_of, staff

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CLOSES = datetime(2021, 10, 31, 2, 30, tzinfo=PARIS).astimezone(UTC)  # the night winter time comes back
PUBLISHES = CLOSES + timedelta(days=30)
MOMENTS = {"before-close": CLOSES - timedelta(seconds=1), "at-close": CLOSES}

ROLES = (
    "owner",
    "co_editor",
    "other_official",
    "reviewer",
    "other_reviewer",
    "coordinator",
    "committee",
    "administrator",
    "press",
    "superuser",
    "anonymous",
)
EDITORS = ("owner", "co_editor")
SEE_ALL = ("coordinator", "committee", "superuser")
KNOW_DECISIONS_EARLY = ("coordinator", "committee", "administrator", "superuser")
# Staff who see the dossier in the admin: the région's reviewer (not drafts or withdrawn dossiers) and SEE_ALL.
REVIEWER_SEES = set(DossierStatus.values) - {DossierStatus.DRAFT, DossierStatus.WITHDRAWN}


def _users(region, dossier) -> dict:
    other_region = RegionFactory()
    co_editor = official(user__email="co.editeur@example.fr")
    DossierMember.objects.create(dossier=dossier, user=co_editor)
    return {
        "owner": dossier.owner,
        "co_editor": co_editor,
        "other_official": official(),
        "reviewer": reviewer_of(region),
        "other_reviewer": reviewer_of(other_region),
        "coordinator": staff(Role.COORDINATOR),
        "committee": staff(Role.COMMITTEE),
        "administrator": staff(Role.ADMINISTRATOR),
        "press": staff(Role.PRESS),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def make(db):
    def _make(status):
        region = RegionFactory()
        wave = WaveFactory(
            campaign=CampaignFactory(), opens_at=CLOSES - timedelta(days=60), closes_at=CLOSES, publishes_at=PUBLISHES
        )
        dossier = dossier_in(region, wave=wave, status=status)
        return dossier, _users(region, dossier)

    return _make


def _expected(role: str, status: str, moment: str) -> dict:
    before = moment == "before-close"
    sees = role in SEE_ALL or (role == "reviewer" and status in REVIEWER_SEES)
    return {
        "can_edit_dossier": role in EDITORS and status == DossierStatus.DRAFT,
        "can_submit_dossier": role in EDITORS and status == DossierStatus.DRAFT,
        "can_withdraw_submission": role == "owner" and status == DossierStatus.SUBMITTED and before,
        "can_reopen_dossier": sees and status == DossierStatus.SUBMITTED and before,
        "sees_all_dossiers": role in SEE_ALL,
        # Both moments are before the wave's publication.
        "can_see_decision": status not in DECISION_STATUSES or role in KNOW_DECISIONS_EARLY,
    }


def _actual(user, dossier, now) -> dict:
    return {
        "can_edit_dossier": dossier_rules.can_edit_dossier(user, dossier),
        "can_submit_dossier": dossier_rules.can_submit_dossier(user, dossier),
        "can_withdraw_submission": dossier_rules.can_withdraw_submission(user, dossier, now=now),
        "can_reopen_dossier": dossier_rules.can_reopen_dossier(user, dossier, now=now),
        "sees_all_dossiers": dossier_rules.sees_all_dossiers(user),
        "can_see_decision": dossier_rules.can_see_decision(user, dossier, now=now),
    }


@pytest.mark.parametrize("status", DossierStatus.values)
def test_the_dossier_predicates_for_every_role_status_and_deadline(make, status):
    dossier, users = make(status)
    wrong = []
    for role in ROLES:
        for moment, now in MOMENTS.items():
            expected, actual = _expected(role, status, moment), _actual(users[role], dossier, now)
            wrong += [
                f"{role} {moment} {name}: expected {expected[name]}"
                for name in expected
                if expected[name] != actual[name]
            ]
    assert not wrong, f"status {status}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("status", sorted(DECISION_STATUSES))
def test_everyone_may_see_the_decision_from_the_publication_instant(make, status):
    dossier, users = make(status)
    dossier.decision_wave = dossier.wave
    dossier.save()
    for role in ROLES:
        assert not dossier_rules.can_see_decision(users[role], dossier, now=PUBLISHES - timedelta(seconds=1)) or (
            role in KNOW_DECISIONS_EARLY
        )
        assert dossier_rules.can_see_decision(users[role], dossier, now=PUBLISHES), role


TEMPLATE_RULES = {
    "applications.edit_dossier": dossier_rules.can_edit_dossier,
    "applications.submit_dossier": dossier_rules.can_submit_dossier,
    "applications.withdraw_submission": dossier_rules.can_withdraw_submission,
    "applications.reopen_dossier": dossier_rules.can_reopen_dossier,
    "applications.see_decision": dossier_rules.can_see_decision,
}


@pytest.mark.parametrize("status", DossierStatus.values)
def test_the_template_rules_answer_like_the_predicates_even_for_a_superuser(make, status):
    """``{% test_rule %}`` in templates asks the same predicates (``has_perm`` would grant a superuser anything)."""
    dossier, users = make(status)
    for role in ROLES:
        for name, predicate in TEMPLATE_RULES.items():
            assert rules.test_rule(name, users[role], dossier) == predicate(users[role], dossier), (role, name)


def test_the_unused_co_editor_permission_is_no_longer_registered():
    assert not rules.perm_exists("applications.manage_dossier_co_editors")
    assert not rules.perm_exists("applications.edit_dossier_content")


def test_the_withdrawal_refusal_names_the_deadline_in_french(make):
    dossier, users = make(DossierStatus.SUBMITTED)
    refusal = dossier_rules.withdrawal_refusal(users["owner"], dossier, now=CLOSES)
    assert refusal == (
        f"La date limite de la vague {dossier.wave.number} est passée : le dépôt ne peut plus être retiré."
    )
