from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .addresses import normalise_email


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; ``username`` mirrors it."""

    @classmethod
    def normalize_email(cls, email):
        return normalise_email(email)

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_superuser(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # iexact, not exact: an address stored before save() normalised it (or written by a bulk update) still
        # matches; the case-insensitive unique constraint keeps this to one row.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": normalise_email(username)})

    async def aget_by_natural_key(self, username):
        return await self.aget(**{f"{self.model.USERNAME_FIELD}__iexact": normalise_email(username)})


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    # Set when the owner opened the verification link (or a password-reset link, which proves the same).
    # A sign-up stays inactive until then; an inactive account with this date was deactivated by an administrator
    # and no verification link reactivates it.
    email_verified_at = models.DateTimeField(_("e-mail address verified at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per mailbox whatever the case: also catches an admin typing "Maire@…" next to "maire@…"
            # (the unique field compares the spelling before save() normalises it).
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_case_insensitive_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
        ]

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        self.username = self.email
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def staff_regions(self):
        """Régions this user reviews (empty queryset for anyone without a staff profile)."""
        from cities.models import Region

        return Region.objects.filter(staff__user=self)

    @property
    def staff_region_ids(self) -> list[int]:
        """Ids of ``staff_regions``, asked once per user object (that is, per request): the visibility selectors ask
        it several times while one page is drawn, and nothing it depends on changes meanwhile (like Django's own
        permission cache on the user)."""
        if "_staff_region_ids" not in self.__dict__:
            self._staff_region_ids = list(self.staff_regions.values_list("pk", flat=True))
        return self._staff_region_ids

    @property
    def awaits_verification(self) -> bool:
        """A sign-up whose owner has not opened the verification link yet."""
        return not self.is_active and self.email_verified_at is None


class OfficialRole(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    PRESIDENT = "president", _("President of the intercommunality")
    DEPUTY = "deputy", _("Deputy mayor / vice-president")
    DGS = "dgs", _("Director general of services (DGS)")
    PROJECT_OFFICER = "project_officer", _("Project officer (chargé de mission)")
    OTHER = "other", _("Other")


class OfficialProfile(models.Model):
    """A city official: who they are and which territory (commune or EPCI) they act for."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="official_profile")
    role = models.CharField(_("role in the collectivity"), max_length=32, choices=OfficialRole.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    commune = models.ForeignKey(
        "cities.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    epci = models.ForeignKey(
        "cities.Epci",
        verbose_name=_("intercommunality (EPCI)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the official accepted the personal-data notice at sign-up (empty for accounts created by staff).
    data_notice_accepted_at = models.DateTimeField(_("personal-data notice accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("official profile")
        verbose_name_plural = _("official profiles")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class StaffProfile(models.Model):
    """Cnam staff scope: the régions a regional reviewer works on (coordinators see all régions)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    regions = models.ManyToManyField("cities.Region", verbose_name=_("régions"), blank=True, related_name="staff")

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)


class SsoRoleMapping(models.Model):
    """What one value of the provider's groups claim gives a Cnam staff member on the portal (single sign-on).

    Applied again at every SSO log-in (accounts/sso/mapping.py): the provider stays the source of truth, and a person
    whose claim values match no mapping cannot log in through SSO.
    """

    claim_value = models.CharField(
        _("claim value"),
        max_length=200,
        unique=True,
        help_text=_("One value of the provider's groups claim, exactly as the provider sends it, e.g. cnam-ami-idf."),
    )
    groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("portal roles"),
        blank=True,
        related_name="sso_mappings",
        help_text=_("Roles given to whoever has this claim value."),
    )
    regions = models.ManyToManyField(
        "cities.Region",
        verbose_name=_("régions"),
        blank=True,
        related_name="sso_mappings",
        help_text=_("Régions whose dossiers a regional reviewer with this claim value works on."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["claim_value"]
        verbose_name = _("single sign-on mapping")
        verbose_name_plural = _("single sign-on mappings")

    def __str__(self):
        return self.claim_value


class SsoIdentity(models.Model):
    """The provider's account a portal account is bound to. While SSO is enabled, a bound account logs in only
    through the provider (no password log-in), so the provider's MFA and offboarding cannot be bypassed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sso_identity")
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject (sub claim)"), max_length=255)
    linked_at = models.DateTimeField(_("linked at"))
    last_sso_login_at = models.DateTimeField(_("last single sign-on log-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_ssoidentity_issuer_subject_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.subject})"
