"""Reference data: the official territorial division of France (INSEE COG) and programme membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import normalize_search_text


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An intercommunality (établissement public de coopération intercommunale)."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Lower-case, accent-free copy of the name, for search (see normalize_search_text).
    search_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    kind = models.CharField(_("legal form"), max_length=10, blank=True)  # CC, CA, CU, METRO, MET69
    # The région of most of its member communes (a few EPCI straddle two).
    region = models.ForeignKey(
        Region, verbose_name=_("région"), null=True, blank=True, on_delete=models.SET_NULL, related_name="epcis"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("intercommunality (EPCI)")
        verbose_name_plural = _("intercommunalities (EPCI)")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_search_text(self.name)
        super().save(*args, **kwargs)


class CommuneQuerySet(models.QuerySet):
    def search(self, query: str):
        from .selectors import search_communes

        return search_communes(query, queryset=self)


class Commune(models.Model):
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Lower-case, accent-free, punctuation-free copy of the name, for search.
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    departement = models.ForeignKey(
        Departement, verbose_name=_("département"), on_delete=models.PROTECT, related_name="communes"
    )
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("intercommunality (EPCI)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
    )
    postal_codes = models.JSONField(_("postal codes"), default=list, blank=True)
    # Space-separated postal codes so that a plain LIKE can search them on every database.
    postal_codes_text = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # On PostgreSQL a trigram index on search_name (pg_trgm) is added by a migration.
        indexes = [
            models.Index(fields=["-population"], name="commune_population_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.departement_id and self.departement.code})"

    def save(self, *args, **kwargs):
        self.search_name = normalize_search_text(self.name)
        self.postal_codes_text = " ".join(self.postal_codes or [])
        super().save(*args, **kwargs)


class Programme(models.TextChoices):
    ACV = "acv", _("Action Cœur de Ville")
    TI = "ti", _("Territoires d'industrie")


class ProgrammeMembership(models.Model):
    """A commune's membership of a national programme, with where the fact comes from and since when."""

    programme = models.CharField(_("programme"), max_length=8, choices=Programme.choices)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="memberships"
    )
    territory_code = models.CharField(_("territory identifier"), max_length=32, blank=True)
    territory_name = models.CharField(_("territory name"), max_length=200, blank=True)
    since = models.DateField(_("member since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["programme", "commune__name"]
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")
        constraints = [
            models.UniqueConstraint(fields=["programme", "commune"], name="unique_programme_membership"),
        ]

    def __str__(self):
        return f"{self.commune} — {self.get_programme_display()}"
