from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.extract import DEFAULT_EXTRACT, TerritoryDataError
from cities.memberships import MembershipFileError
from cities.services import load_territories


class Command(BaseCommand):
    help = (
        "Load the official division of France (régions, départements, EPCI, communes) from the shipped extract, "
        "then the bundled Action Cœur de Ville and Territoires d'industrie lists. Idempotent and atomic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_EXTRACT, help="extract to load (.jsonl.gz)")
        parser.add_argument("--no-programmes", action="store_true", help="do not load the programme lists")

    def handle(self, *args, path, no_programmes, **options):
        try:
            report = load_territories(path=path, programmes=not no_programmes)
        except (TerritoryDataError, MembershipFileError) as exc:
            raise CommandError(str(exc)) from exc
        for what, counts in report.items():
            self.stdout.write(f"{what}: {counts}")
