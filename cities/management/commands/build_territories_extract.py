from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.build import build_extract
from cities.extract import DEFAULT_EXTRACT, TerritoryDataError


class Command(BaseCommand):
    help = (
        "Rebuild cities/data/territories.jsonl.gz from the data/ directory of the npm package "
        "@etalab/decoupage-administratif (communes.json, departements.json, regions.json, epci.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, type=Path, help="the package's data/ directory")
        parser.add_argument("--coordinates", type=Path, help="CSV(.gz) with insee_com, lat, lng columns")
        parser.add_argument("--output", type=Path, default=DEFAULT_EXTRACT)

    def handle(self, *args, source, coordinates, output, **options):
        try:
            counts = build_extract(source=source, coordinates=coordinates, output=output)
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{output}: {counts['R']} régions, {counts['D']} départements, {counts['E']} EPCI, "
            f"{counts['C']} communes ({counts['with_coordinates']} with coordinates)"
        )
