"""Users in the admin: found by e-mail or name, filtered by group and status, with their official or staff profile.

Least privilege: only a superuser grants superuser status or individual permissions, edits a superuser's account,
or changes what a group (role) may do; the Administrator role manages accounts and their roles, nothing above.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import OfficialProfile, SsoIdentity, SsoRoleMapping, StaffProfile, User
from .roles import Role


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class OfficialProfileInline(admin.StackedInline):
    model = OfficialProfile
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ["commune", "epci"]
    fields = ["role", "phone", "commune", "epci", "data_notice_accepted_at"]
    readonly_fields = ["data_notice_accepted_at"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ["regions"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [OfficialProfileInline, StaffProfileInline]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "email_verified_at", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "official_profile__commune__name"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "sso_binding"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("email_verified_at", "last_login", "date_joined")}),
        (_("Single sign-on"), {"fields": ("sso_binding",)}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    filter_horizontal = ["groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("bound to the Cnam account"))
    def sso_binding(self, user):
        identity = SsoIdentity.objects.filter(user=user).first()
        if identity is None:
            return _("No: logs in with a password")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:accounts_ssoidentity_change", args=[identity.pk]), identity.subject
        )

    def get_inlines(self, request, obj):
        # The profiles are added once the account exists (the add page only asks for the address and password).
        return self.inlines if obj is not None else []


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "permissions"]


@admin.register(SsoRoleMapping)
class SsoRoleMappingAdmin(admin.ModelAdmin):
    """Which value of the provider's groups claim gives which portal roles and régions (accounts/sso/mapping.py).
    Re-applied at each SSO log-in: a change here takes effect at the staff member's next log-in."""

    list_display = ["claim_value", "role_names", "region_names", "note"]
    search_fields = ["claim_value", "note", "groups__name", "regions__name"]
    list_filter = ["groups"]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["regions"]
    fields = ["claim_value", "groups", "regions", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "regions")

    @admin.display(description=_("portal roles"))
    def role_names(self, mapping):
        return ", ".join(
            str(Role(group.name).label) if group.name in Role.values else group.name for group in mapping.groups.all()
        )

    @admin.display(description=_("régions"))
    def region_names(self, mapping):
        return ", ".join(region.name for region in mapping.regions.all())


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    """Accounts bound to the provider, read-only. Deleting a binding lets that account use a password again (while
    SSO is on, a bound account cannot); the next SSO log-in binds it anew."""

    list_display = ["user", "subject", "issuer", "linked_at", "last_sso_login_at"]
    search_fields = ["user__email", "subject"]
    list_select_related = ["user"]
    fields = ["user", "issuer", "subject", "linked_at", "last_sso_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # bound by the first SSO log-in only

    def has_change_permission(self, request, obj=None):
        return False
