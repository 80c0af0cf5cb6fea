"""Demo accounts for `make run` (called by ``seed_demo``): officials of three cities and one user per staff role.

Idempotent: an account that exists is reused as it is (its password is not reset), so running it twice changes
nothing — except that no demo account stays a superuser (the Administrator role sees no dossier). Every account
is printed with its e-mail address and the demo password.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import OfficialProfile, OfficialRole, StaffProfile, User
from accounts.roles import Role

PASSWORD = "demo-ami-2026"


@dataclass(frozen=True)
class DemoOfficial:
    key: str
    email: str
    first_name: str
    last_name: str
    insee_code: str
    role: str


@dataclass(frozen=True)
class DemoStaff:
    key: str
    email: str
    first_name: str
    last_name: str
    role: str
    region_code: str = ""

    @property
    def uses_admin(self) -> bool:
        # The press area is on the site; every other staff role works in the admin.
        return self.role != Role.PRESS


OFFICIALS = [
    DemoOfficial("official_chalon", "maire@chalon.demo.example", "Claire", "Dumont", "71076", OfficialRole.MAYOR),
    DemoOfficial("official_abbeville", "dgs@abbeville.demo.example", "Julien", "Lefèvre", "80001", OfficialRole.DGS),
    DemoOfficial(
        "official_ales", "mission@ales.demo.example", "Samia", "Benali", "30007", OfficialRole.PROJECT_OFFICER
    ),
]

STAFF = [
    DemoStaff("reviewer_bfc", "instructeur.bfc@cnam.demo.example", "Paul", "Girard", Role.REGIONAL_REVIEWER, "27"),
    DemoStaff("reviewer_hdf", "instructrice.hdf@cnam.demo.example", "Inès", "Roux", Role.REGIONAL_REVIEWER, "32"),
    DemoStaff("coordinator", "coordination@cnam.demo.example", "Hélène", "Moreau", Role.COORDINATOR),
    DemoStaff("committee", "comite@cnam.demo.example", "Marc", "Fontaine", Role.COMMITTEE),
    DemoStaff("press", "presse@demo.example", "Léa", "Marchand", Role.PRESS),
    DemoStaff("admin", "admin@cnam.demo.example", "Nadia", "Perrin", Role.ADMINISTRATOR),
]


def _account(email: str, first_name: str, last_name: str, **flags) -> tuple[User, bool]:
    """The verified, active account of ``email``, created with the demo password if it does not exist."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_active=True,
        email_verified_at=timezone.now(),
        **flags,
    )
    user.set_password(PASSWORD)
    user.save()
    return user, True


def _seed_official(spec: DemoOfficial, stdout) -> User | None:
    from cities.models import Commune

    commune = Commune.objects.filter(insee_code=spec.insee_code).first()
    if commune is None:
        stdout.write(f"  skipped {spec.email}: commune {spec.insee_code} is not loaded (run load_territories)")
        return None
    user, _created = _account(spec.email, spec.first_name, spec.last_name)
    OfficialProfile.objects.get_or_create(
        user=user,
        defaults={"role": spec.role, "phone": "03 00 00 00 00", "commune": commune},
    )
    return user


def _seed_staff(spec: DemoStaff, stdout) -> User:
    from cities.models import Region

    # No demo account is a superuser: the Administrator is a technical admin (users, campaigns, waves, territories,
    # outbox, schedules, scoring grids) who sees no dossier (least privilege, reviews/README.md).
    flags = {"is_staff": spec.uses_admin, "is_superuser": False}
    user, created = _account(spec.email, spec.first_name, spec.last_name, **flags)
    if not created and user.is_superuser:  # a demo database seeded when the administrator was a superuser
        User.objects.filter(pk=user.pk).update(is_superuser=False)
        user.is_superuser = False
    user.groups.add(Group.objects.get_or_create(name=str(spec.role))[0])
    if spec.region_code:
        region = Region.objects.filter(code=spec.region_code).first()
        if region is None:
            stdout.write(f"  {spec.email}: région {spec.region_code} is not loaded, no région assigned")
        else:
            StaffProfile.objects.get_or_create(user=user)[0].regions.add(region)
    return user


def _print_table(rows: list[tuple[str, str]], stdout) -> None:
    width = max(len(email) for email, _ in rows)
    stdout.write(f"Demo accounts (password for all: {PASSWORD})")
    stdout.write(f"  {'e-mail'.ljust(width)}  role")
    for email, what in rows:
        stdout.write(f"  {email.ljust(width)}  {what}")


@transaction.atomic
def seed(*, stdout) -> dict:
    """Create (once) the demo officials and staff; return them by key.

    Keys: "officials" (list of users), "reviewer_bfc", "reviewer_hdf", "coordinator", "committee", "press", "admin",
    and one key per official ("official_chalon", "official_abbeville", "official_ales") for the callers that look
    for officials among the values.
    """
    users: dict = {"officials": []}
    rows = []
    for spec in OFFICIALS:
        user = _seed_official(spec, stdout)
        if user is not None:
            users["officials"].append(user)
            users[spec.key] = user
            rows.append((spec.email, f"official ({spec.role.label}, INSEE {spec.insee_code})"))
    for spec in STAFF:
        users[spec.key] = _seed_staff(spec, stdout)
        rows.append((spec.email, str(spec.role.label)))
    _print_table(rows, stdout)
    return users
