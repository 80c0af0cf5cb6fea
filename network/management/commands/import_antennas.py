from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from applications.models import Campaign, Wave
from network.imports import CSV_FORMAT_HELP, AntennaImportError, import_antennas, parse_antenna_csv


class Command(BaseCommand):
    help = (
        "Import earlier laureates and their antennas' milestones from a CSV into a historical campaign's wave. "
        "All or nothing; re-importing the same file changes nothing. Format:\n\n" + CSV_FORMAT_HELP
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--campaign", required=True, help="campaign slug, e.g. ami-2019")
        parser.add_argument("--wave", type=int, default=1, help="wave number (default 1)")

    def handle(self, *args, path, campaign, wave, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"Campagne inconnue : « {campaign} ».")
        wave_obj = Wave.objects.filter(campaign=found, number=wave).first()
        if wave_obj is None:
            raise CommandError(f"La campagne « {campaign} » n'a pas de vague {wave}.")
        try:
            lines = parse_antenna_csv(path.read_text(encoding="utf-8"))
            counts = import_antennas(campaign=found, wave=wave_obj, lines=lines)
        except UnicodeDecodeError:
            raise CommandError("Le fichier n'est pas en UTF-8.") from None
        except AntennaImportError as exc:
            raise CommandError("\n".join(["Rien n'a été importé :", *exc.errors])) from None
        self.stdout.write(
            f"{counts['laureates']} lauréat(s) créé(s), {counts['antennas']} antenne(s) créée(s), "
            f"{counts['updated']} antenne(s) mise(s) à jour."
        )
