from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from applications.models import Campaign
from public.imports import (
    CSV_FORMAT_HELP,
    LaureateImportError,
    decode_laureate_csv,
    import_laureates,
    parse_laureate_csv,
)


class Command(BaseCommand):
    help = (
        "Import the laureate cities of a historical campaign's wave from a CSV of INSEE codes. "
        "All or nothing: a bad line is named and nothing is imported.\n\n" + CSV_FORMAT_HELP
    )

    def create_parser(self, *args, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="Slug of a historical campaign, e.g. ami-2019.")
        parser.add_argument("--wave", required=True, type=int, help="Wave number, e.g. 1.")
        parser.add_argument("--decided-at", help="Decision instant (ISO 8601); default: the wave's publication.")
        parser.add_argument("file", help="CSV file (see the format above).")

    def handle(self, *args, campaign, wave, decided_at, file, **options):
        camp = Campaign.objects.filter(slug=campaign).first()
        if camp is None:
            raise CommandError(_("Unknown campaign “%(slug)s”.") % {"slug": campaign})
        wave_obj = camp.waves.filter(number=wave).first()
        if wave_obj is None:
            raise CommandError(
                _("The campaign “%(slug)s” has no wave %(number)s.") % {"slug": campaign, "number": wave}
            )
        when = parse_datetime(decided_at) if decided_at else None
        if decided_at and when is None:
            raise CommandError(_("Invalid date: “%(value)s”.") % {"value": decided_at})
        try:
            lines = parse_laureate_csv(decode_laureate_csv(Path(file).read_bytes()))
            created = import_laureates(campaign=camp, wave=wave_obj, lines=lines, decided_at=when)
        except (LaureateImportError, OSError) as exc:
            raise CommandError(_("Nothing imported.") + "\n" + str(exc)) from exc
        message = _("%(created)s laureate(s) imported, %(skipped)s already present.")
        self.stdout.write(self.style.SUCCESS(message % {"created": created, "skipped": len(lines) - created}))
