from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.memberships import MembershipFileError
from cities.services import import_memberships


class Command(BaseCommand):
    help = (
        "Import programme memberships from a CSV file "
        "(insee_code;programme;territory_code;territory_name;since;source — see cities/README.md). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            counts = import_memberships(content=file.read_bytes(), filename=file.name)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except MembershipFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"memberships: {counts}")
