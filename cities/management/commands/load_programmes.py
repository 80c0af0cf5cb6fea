from django.core.management.base import BaseCommand, CommandError

from cities.memberships import MembershipFileError
from cities.services import load_programmes


class Command(BaseCommand):
    help = "Load the bundled Action Cœur de Ville and Territoires d'industrie lists (cities/data). Idempotent."

    def handle(self, *args, **options):
        try:
            counts = load_programmes()
        except MembershipFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"memberships: {counts}")
