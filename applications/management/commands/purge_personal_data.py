"""Purge the personal data of campaigns closed for longer than PERSONAL_DATA_RETENTION_DAYS (see docs/personal-data.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.domain.retention import purge_personal_data


class Command(BaseCommand):
    help = "Anonymise dossiers and delete attachments, old e-mails and log-in records past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be purged; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = purge_personal_data(now=timezone.now(), dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed. A real run would purge:")
        for line in report.lines():
            self.stdout.write(line)
