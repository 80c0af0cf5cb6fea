"""The claim → roles and régions rule of single sign-on (accounts/sso/mapping.py), at the service level."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import SsoIdentity, SsoRoleMapping, User
from accounts.roles import Role
from accounts.sso.mapping import Refusal, SsoRefused, access_for_claims, claim_values, sign_in_staff
from tests.factories import RegionFactory, UserFactory, official

pytestmark = pytest.mark.django_db

ISSUER = "https://sso.cnam.example"


def role(name: str) -> Group:
    return Group.objects.get(name=name)


def mapping(claim_value: str, *, roles=(), regions=()) -> SsoRoleMapping:
    created = SsoRoleMapping.objects.create(claim_value=claim_value)
    created.groups.set([role(name) for name in roles])
    created.regions.set(regions)
    return created


def claims(email="rose.relectrice@cnam.example", sub="sub-rose", **extra) -> dict:
    return {
        "sub": sub,
        "email": email,
        "email_verified": True,
        "given_name": "Rose",
        "family_name": "Relectrice",
        **extra,
    }


@pytest.fixture
def bfc():
    return RegionFactory(code="27", name="Bourgogne-Franche-Comté")


@pytest.fixture
def hdf():
    return RegionFactory(code="32", name="Hauts-de-France")


def test_claim_values_accept_a_list_or_a_single_string():
    assert claim_values({"groups": ["a", "b"]}) == ["a", "b"]
    assert claim_values({"groups": "a"}) == ["a"]
    assert claim_values({"groups": None}) == []
    assert claim_values({}) == []


def test_claim_values_read_the_configured_claim(settings):
    settings.OIDC_GROUPS_CLAIM = "roles"
    assert claim_values({"groups": ["a"], "roles": ["b"]}) == ["b"]


def test_access_is_the_union_of_every_matching_mapping(bfc, hdf):
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])
    mapping("ami-relecteurs-hdf", roles=[Role.REGIONAL_REVIEWER], regions=[hdf])
    mapping("ami-comite", roles=[Role.COMMITTEE])
    mapping("ami-presse", roles=[Role.PRESS])

    access = access_for_claims({"groups": ["ami-relecteurs-bfc", "ami-relecteurs-hdf", "ami-comite", "autre"]})

    assert {group.name for group in access.groups} == {Role.REGIONAL_REVIEWER, Role.COMMITTEE}
    assert access.regions == {bfc, hdf}


def test_first_log_in_creates_an_active_staff_account_with_the_mapped_roles_and_regions(bfc):
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])

    user = sign_in_staff(claims=claims(groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    user.refresh_from_db()
    assert user.email == "rose.relectrice@cnam.example"
    assert (user.first_name, user.last_name) == ("Rose", "Relectrice")
    assert user.is_active and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [Role.REGIONAL_REVIEWER]
    assert list(user.staff_regions) == [bfc]
    assert not user.has_usable_password()
    assert SsoIdentity.objects.get(user=user).subject == "sub-rose"


def test_each_log_in_reapplies_the_mapping_so_the_provider_stays_the_source_of_truth(bfc, hdf):
    reviewers = mapping("ami-relecteurs", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])
    mapping("ami-coordination", roles=[Role.COORDINATOR])
    user = sign_in_staff(claims=claims(groups=["ami-relecteurs"]), issuer=ISSUER)
    reviewers.regions.set([hdf])

    # The provider moved her to coordination; the mapping of her former group changed meanwhile.
    again = sign_in_staff(claims=claims(groups=["ami-coordination"]), issuer=ISSUER)

    assert again == user
    assert list(user.groups.values_list("name", flat=True)) == [Role.COORDINATOR]
    assert list(user.staff_regions) == []


def test_roles_given_by_hand_in_the_admin_are_replaced_at_the_next_log_in(bfc):
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])
    user = sign_in_staff(claims=claims(groups=["ami-relecteurs-bfc"]), issuer=ISSUER)
    user.groups.add(role(Role.ADMINISTRATOR))

    sign_in_staff(claims=claims(groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    assert list(user.groups.values_list("name", flat=True)) == [Role.REGIONAL_REVIEWER]


def test_an_existing_staff_account_is_bound_by_its_address_whatever_the_case(bfc):
    existing = UserFactory(email="rose.relectrice@cnam.example", is_staff=True)
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])

    user = sign_in_staff(
        claims=claims(email="  Rose.Relectrice@CNAM.example", groups=["ami-relecteurs-bfc"]), issuer=ISSUER
    )

    assert user == existing
    assert User.objects.count() == 1
    assert existing.sso_identity.issuer == ISSUER
    # A password set before stays in the database: it is refused by the log-in while SSO is on (backends.py).
    existing.refresh_from_db()
    assert existing.has_usable_password()


def test_an_existing_account_is_not_bound_without_a_verified_address_claim(bfc):
    existing = UserFactory(email="rose.relectrice@cnam.example", is_staff=True)
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])
    unverified = {k: v for k, v in claims(groups=["ami-relecteurs-bfc"]).items() if k != "email_verified"}

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims=unverified, issuer=ISSUER)

    assert refused.value.reason == Refusal.NO_EMAIL
    assert not SsoIdentity.objects.filter(user=existing).exists()


def test_the_press_role_alone_does_not_open_the_admin():
    mapping("ami-presse", roles=[Role.PRESS])

    user = sign_in_staff(claims=claims(groups=["ami-presse"]), issuer=ISSUER)

    assert not user.is_staff


@pytest.mark.parametrize(
    "groups",
    [None, [], ["cnam-comptabilite"]],
    ids=["unknown user (no groups claim)", "empty groups", "unmapped group"],
)
def test_a_user_mapped_to_no_role_is_refused_and_no_account_is_created(groups):
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])
    mapping("cnam-comptabilite")  # a mapping that gives no role
    user_claims = claims() if groups is None else claims(groups=groups)

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims=user_claims, issuer=ISSUER)

    assert refused.value.reason == Refusal.NO_ROLE
    assert not User.objects.exists()
    assert not SsoIdentity.objects.exists()


def test_a_deactivated_account_is_refused_and_left_as_it_is(bfc):
    disabled = UserFactory(email="rose.relectrice@cnam.example", is_active=False, is_staff=True)
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER], regions=[bfc])

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims=claims(groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    assert refused.value.reason == Refusal.DISABLED
    disabled.refresh_from_db()
    assert not disabled.is_active
    assert not disabled.groups.exists()
    assert not SsoIdentity.objects.exists()


def test_an_official_cannot_log_in_through_sso():
    mayor = official(user__email="maire@cnam.example")
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims=claims(email="maire@cnam.example", groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    assert refused.value.reason == Refusal.OFFICIAL
    assert not mayor.groups.exists()


def test_a_locked_out_address_is_refused():
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])
    asked = []

    def locked(address):
        asked.append(address)
        return True

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(
            claims=claims(email="Rose.Relectrice@cnam.example", groups=["ami-relecteurs-bfc"]),
            issuer=ISSUER,
            is_locked_out=locked,
        )

    assert refused.value.reason == Refusal.LOCKED_OUT
    assert asked == ["rose.relectrice@cnam.example"]  # the throttling's one spelling of the address
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "user_claims",
    [
        {"sub": "s", "email_verified": True},
        {"sub": "s", "email": "pas-une-adresse", "email_verified": True},
        {"sub": "s", "email": "rose@cnam.example", "email_verified": False},
        {"email": "rose@cnam.example", "email_verified": True},
    ],
    ids=["no address", "invalid address", "unverified address", "no subject"],
)
def test_claims_without_a_verified_address_are_refused(user_claims):
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims={**user_claims, "groups": ["ami-relecteurs-bfc"]}, issuer=ISSUER)

    assert refused.value.reason == Refusal.NO_EMAIL


def test_an_address_bound_to_another_provider_account_is_refused():
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])
    sign_in_staff(claims=claims(sub="first", groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    with pytest.raises(SsoRefused) as refused:
        sign_in_staff(claims=claims(sub="second", groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    assert refused.value.reason == Refusal.CONFLICT


def test_an_address_changed_at_the_provider_follows_the_bound_identity():
    mapping("ami-relecteurs-bfc", roles=[Role.REGIONAL_REVIEWER])
    user = sign_in_staff(claims=claims(groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    again = sign_in_staff(claims=claims(email="rose.martin@cnam.example", groups=["ami-relecteurs-bfc"]), issuer=ISSUER)

    assert again == user
    user.refresh_from_db()
    assert user.email == "rose.martin@cnam.example"
