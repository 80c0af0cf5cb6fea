"""Admin for territorial reference data. Territories are loaded by `load_territories`; memberships are edited here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .memberships import IMPORT_COLUMNS, MembershipFileError
from .models import Commune, Departement, Epci, Programme, ProgrammeMembership, Region
from .selectors import search_communes, search_epcis
from .services import import_memberships


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "departement_count"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(departement_count=Count("departements"))

    @admin.display(description=_("départements"), ordering="departement_count")
    def departement_count(self, obj):
        return obj.departement_count


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


class MemberCommuneInline(admin.TabularInline):
    model = Commune
    fields = ["insee_code", "name", "departement", "population"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("member communes")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("departement")


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "kind", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["region"]
    search_fields = ["search_name", "siren"]
    inlines = [MemberCommuneInline]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search_epcis(search_term, queryset=queryset, limit=None), False


class MembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    fields = ["programme", "territory_code", "territory_name", "since", "source"]
    extra = 0


class ProgrammeListFilter(admin.SimpleListFilter):
    title = _("programme")
    parameter_name = "programme"

    def lookups(self, request, model_admin):
        return Programme.choices

    def queryset(self, request, queryset):
        if self.value() in Programme.values:
            return queryset.filter(memberships__programme=self.value())
        return queryset


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "departement", "postal_codes_text", "population"]
    list_filter = [ProgrammeListFilter, "region", "departement"]
    list_select_related = ["departement"]
    # Only there so that Django enables search and autocomplete; get_search_results does the work.
    search_fields = ["search_name", "insee_code", "postal_codes_text"]
    readonly_fields = ["search_name", "postal_codes_text"]
    autocomplete_fields = ["epci"]
    inlines = [MembershipInline]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Accent-insensitive name, postal-code and INSEE-code search, ranked (also for autocomplete)."""
        if not search_term.strip():
            return queryset, False
        return search_communes(search_term, queryset=queryset, limit=None), False


class MembershipImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, not at import time, so that it follows the request's language.
        self.fields["file"].help_text = _("Columns: %(columns)s. UTF-8, “;” or “,” separated.") % {
            "columns": ";".join(IMPORT_COLUMNS)
        }


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    list_display = ["commune", "programme", "territory_name", "since", "source"]
    list_filter = ["programme", "commune__region"]
    list_select_related = ["commune__departement"]
    search_fields = ["commune__search_name", "commune__insee_code", "territory_name", "territory_code"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["recorded_at"]
    change_list_template = "admin/cities/programmemembership/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="cities_programmemembership_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a membership CSV: all rows are imported, or none and every bad line is listed."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = MembershipImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                counts = import_memberships(content=upload.read(), filename=upload.name)
            except MembershipFileError as exc:
                errors = exc.errors
            else:
                self.message_user(request, _("Import done: %(counts)s.") % {"counts": counts}, messages.SUCCESS)
                return redirect(reverse("admin:cities_programmemembership_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import programme memberships"),
            "form": form,
            "errors": errors,
            "columns": IMPORT_COLUMNS,
        }
        return TemplateResponse(request, "admin/cities/programmemembership/import.html", context)
