"""Print every demo account (officials and staff created by ``seed_demo``) with its role and the demo password,
so ``make run`` can show them last, where a person starting the demo looks."""

from django.core.management.base import BaseCommand

from accounts.demo import PASSWORD
from accounts.models import User

DEMO_DOMAIN = "demo.example"


def demo_accounts():
    return (
        User.objects.filter(email__iendswith=DEMO_DOMAIN, is_active=True)
        .select_related("official_profile__commune", "official_profile__epci")
        .prefetch_related("groups", "staff_profile__regions")
        .order_by("email")
    )


def describe(user) -> str:
    profile = getattr(user, "official_profile", None)
    if profile is not None:
        territory = profile.commune or profile.epci
        return f"official of {territory}" if territory else "official"
    roles = ", ".join(sorted(group.name for group in user.groups.all())) or "no role"
    staff = getattr(user, "staff_profile", None)
    regions = ", ".join(sorted(region.name for region in staff.regions.all())) if staff else ""
    return f"{roles} ({regions})" if regions else roles


class Command(BaseCommand):
    help = "List the demo accounts with their role; they all use the demo password unless changed."

    def handle(self, *args, **options):
        accounts = list(demo_accounts())
        if not accounts:
            self.stdout.write("No demo account: run `make run` (or manage.py seed_demo) first.")
            return
        width = max(len(user.email) for user in accounts)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {PASSWORD}):"))
        for user in accounts:
            self.stdout.write(f"  {user.email:<{width}}  {describe(user)}")
