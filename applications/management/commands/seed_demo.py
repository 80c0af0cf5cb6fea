"""Demo data for `make run`: reference campaigns, users for every role (printed with their passwords),
dossiers in several states, reviews and published results. Idempotent: running it twice changes nothing."""

from io import StringIO

from django.core.management.base import BaseCommand, OutputWrapper

from applications.domain.campaigns import ensure_demo_campaign, ensure_first_ami, ensure_second_ami


class Command(BaseCommand):
    help = "Load the demo campaign, demo users for each role, dossiers, reviews and published results."

    def handle(self, *args, **options):
        from accounts import demo as accounts_demo
        from applications import demo as applications_demo
        from network import demo as network_demo
        from public import demo as public_demo
        from reviews import demo as reviews_demo

        ensure_first_ami()
        ensure_second_ami()
        demo = ensure_demo_campaign()
        self.stdout.write(self.style.SUCCESS(f"Campaigns ready; demo campaign: {demo.name}"))
        # The accounts table is printed again at the very end, after the e-mails the console backend prints.
        accounts_table = StringIO()
        users = accounts_demo.seed(stdout=OutputWrapper(accounts_table))
        self.stdout.write(accounts_table.getvalue())
        applications_demo.seed_dossiers(officials=users, stdout=self.stdout)
        reviews_demo.seed(users=users, stdout=self.stdout)
        public_demo.seed(stdout=self.stdout)
        network_demo.seed(stdout=self.stdout)
        from django.conf import settings
        from django.core.management import call_command

        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {settings.SITE_URL}/"))
        # Every demo account, last (the per-app seeds create some of them, e.g. second reviewers).
        call_command("demo_accounts", stdout=self.stdout)
