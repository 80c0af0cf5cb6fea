"""Put the demo back as ``make run`` first made it: empty every table, then load the territories and the demo
data again. Refuses to run in production settings."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Empty the database and load the territories and the demo data again (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, yes=False, **options):
        if not settings.DEBUG and not yes:
            raise CommandError("Not in DEBUG: pass --yes if this really is a demo database.")
        if not yes and input("Erase every dossier, account and result of this database? [y/N] ").lower() != "y":
            self.stdout.write("Nothing changed.")
            return
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_territories", verbosity=0)
        call_command("seed_demo")
