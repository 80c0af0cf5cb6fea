"""Import of a historical campaign's laureates from a CSV of INSEE codes (e.g. the 1st AMI, 26 September 2019).

File format (UTF-8, with or without BOM, separator “;” or “,”), one commune per line, with a header line:

    code_insee;titre;resume
    71076;Antenne du Cnam de Chalon-sur-Saône;Formations aux métiers de l'industrie.
    21231;;

Only ``code_insee`` is required; ``titre`` (project title) and ``resume`` (short public summary) may be empty.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Campaign, Dossier, Wave
from applications.states import DossierStatus, transition_dossier
from cities.models import Commune

CSV_FORMAT_HELP = __doc__.split("\n\n", 1)[1]
HISTORICAL_REASON = "Historical import of published results"


@dataclass(frozen=True)
class LaureateLine:
    line: int
    insee_code: str
    title: str = ""
    summary: str = ""


class LaureateImportError(Exception):
    """The file cannot be imported; ``errors`` name the lines. Nothing was imported."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def parse_laureate_csv(text: str) -> list[LaureateLine]:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
    if "code_insee" not in fields:
        raise LaureateImportError([_("Line 1: the header must contain a “code_insee” column.")])
    reader.fieldnames = fields
    lines = []
    for row in reader:
        code = (row.get("code_insee") or "").strip()
        if code:
            lines.append(LaureateLine(reader.line_num, code.zfill(5) if code.isdigit() else code.upper(),
                                      (row.get("titre") or "").strip(), (row.get("resume") or "").strip()))
    return lines


def _check(lines: list[LaureateLine], *, campaign: Campaign, communes: dict) -> list[str]:
    errors, seen = [], {}
    existing = dict(Dossier.objects.filter(campaign=campaign, commune__insee_code__in=communes).values_list(
        "commune__insee_code", "status"))
    for item in lines:
        if item.insee_code not in communes:
            errors.append(_("Line %(line)s: unknown INSEE code “%(code)s”.") % {"line": item.line, "code": item.insee_code})
        elif item.insee_code in seen:
            errors.append(_("Line %(line)s: INSEE code “%(code)s” already appears on line %(first)s.")
                          % {"line": item.line, "code": item.insee_code, "first": seen[item.insee_code]})
        elif existing.get(item.insee_code) not in (None, DossierStatus.LAUREATE):
            errors.append(_("Line %(line)s: %(city)s already has a dossier in this campaign that is not a laureate.")
                          % {"line": item.line, "city": communes[item.insee_code].name})
        if len(item.title) > 200 or len(item.summary) > 1500:
            errors.append(_("Line %(line)s: the title (200) or the summary (1,500 characters) is too long.")
                          % {"line": item.line})
        seen.setdefault(item.insee_code, item.line)
    return errors


def import_laureates(*, campaign: Campaign, wave: Wave, lines: list[LaureateLine],
                     decided_at: datetime | None = None) -> int:
    """Create a laureate dossier per line in a historical campaign's wave; return how many were created.

    Guarantees: all or nothing (any bad line raises LaureateImportError naming it and nothing is written);
    idempotent (a commune already laureate of the campaign is skipped); each dossier reaches LAUREATE through
    the state machine, logged with the decision date (default: the wave's publication instant).
    """
    if not campaign.is_historical:
        raise LaureateImportError([_("Laureates can only be imported into a historical campaign.")])
    if wave.campaign_id != campaign.pk:
        raise LaureateImportError([_("This wave does not belong to the campaign.")])
    if not lines:
        raise LaureateImportError([_("The file contains no INSEE code.")])
    communes = Commune.objects.select_related("region").in_bulk([i.insee_code for i in lines], field_name="insee_code")
    errors = _check(lines, campaign=campaign, communes=communes)
    if errors:
        raise LaureateImportError(errors)
    decided_at = decided_at or wave.publishes_at
    created = 0
    with transaction.atomic():
        done = set(Dossier.objects.filter(campaign=campaign, commune__in=communes.values()).values_list("commune_id", flat=True))
        for item in lines:
            commune = communes[item.insee_code]
            if commune.pk not in done:
                _create_laureate(campaign=campaign, wave=wave, commune=commune, item=item, decided_at=decided_at)
                created += 1
    return created


def _create_laureate(*, campaign, wave, commune, item, decided_at) -> Dossier:
    dossier = Dossier.objects.create(
        campaign=campaign, wave=wave, commune=commune, region=commune.region,
        reference=f"H{campaign.pk}-{commune.insee_code}", title=item.title, public_summary=item.summary,
    )
    for status in (DossierStatus.SUBMITTED, DossierStatus.UNDER_REVIEW, DossierStatus.LAUREATE):
        transition_dossier(dossier, to=status, reason=HISTORICAL_REASON, now=decided_at)
    return dossier
