"""The dossier admin: what Cnam staff and the committee see of the dossiers, and the review and decision actions.

Everything is read-only here; actions call one service each. The queryset comes from reviews.selectors (which
starts from ``Dossier.objects.visible_to``), so the list, search, filters, actions, export and object pages all
see the same rows.
"""

import csv

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ami_portal.tabular import safe_row
from applications.admin import holders as admin_holders
from applications.models import Dossier
from applications.states import DossierStatus
from reviews import selectors, services
from reviews.admin import views as admin_views
from reviews.admin.mixins import RulesAdminMixin
from reviews.dossier_display import HEADER_FIELDS, content_fields
from reviews.forms import DecisionForm, ReopenForm


class VisibleRegionFilter(admin.SimpleListFilter):
    """Only the régions of dossiers the user can see: a reviewer never learns which other régions have dossiers."""

    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(str(r.pk), r.name) for r in selectors.regions_visible_to(request.user)]

    def queryset(self, request, queryset):
        allowed = {key for key, _label in self.lookup_choices}
        return queryset.filter(region_id=int(self.value())) if self.value() in allowed else queryset


class VisibleWaveFilter(admin.RelatedOnlyFieldListFilter):
    """The waves of the dossiers the user can see, named with their campaign loaded in the same query (the
    stock filter read each wave's campaign separately to print it)."""

    def field_choices(self, field, request, model_admin):
        return [(wave.pk, str(wave)) for wave in selectors.waves_visible_to(request.user)]


class ShownStatusFilter(admin.SimpleListFilter):
    """Filter on the status the user may see: before a wave's publication, "laureate" finds nothing for those who
    may not know the decisions yet (they find the dossier under "under review")."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return DossierStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(shown_status=self.value()) if self.value() in DossierStatus.values else queryset


# Django's own msgid (options.ModelAdmin.action_checkbox), translated by the admin's catalogue: a name, not a literal,
# so that makemessages does not copy it into ours.
DJANGO_ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"

# The header shows the status and decision date the user may see (annotated by the selector), never the raw ones.
SHOWN_HEADER_FIELDS = {"status": "shown_status_label", "decided_at": "shown_decided_at_label"}


def _plain_text(name):
    """A read-only column showing a related object as text: the admin would link it to a page the user may not open."""

    @admin.display(description=Dossier._meta.get_field(name).verbose_name)
    def show(self, obj):
        value = getattr(obj, name)  # a dossier has a commune or an EPCI: the other is None, shown as the admin's "-"
        return self.get_empty_value_display() if value is None else value

    return show


def _header_field(user, name: str) -> str:
    """``name``, or its plain-text twin when the user cannot view the related admin page (the link would be a 403)."""
    field = Dossier._meta.get_field(name)
    if not field.is_relation:
        return name
    meta = field.related_model._meta
    return name if user.has_perm(f"{meta.app_label}.view_{meta.model_name}") else f"{name}_text"


def _score_columns(user) -> tuple:
    """The score, spread and completed-review columns, computed from the reviews ``user`` may read (once per row:
    ``score_for`` keeps it on the dossier)."""

    def score_of(obj):
        return selectors.score_for(user=user, dossier=obj)

    @admin.display(description=_("score /20"))
    def score(obj):
        return score_of(obj).mean or "—"

    @admin.display(description=_("spread"))
    def spread(obj):
        return score_of(obj).spread or "—"

    @admin.display(description=_("completed reviews"))
    def reviews_done(obj):
        return score_of(obj).completed

    return score, spread, reviews_done


class DossierChangeList(ChangeList):
    """The changelist whose page of rows is loaded for the columns it shows: the scores of the whole page from one
    query of plain values (selectors.with_scores_for) instead of every review, mark and reviewer as objects."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = selectors.with_scores_for(selectors.for_the_list(self.result_list), user=request.user)


@admin.register(Dossier)
class DossierAdmin(RulesAdminMixin, admin.ModelAdmin):
    view_rule = "applications.read_dossier"
    # Fits 1366 px with the score columns (+ per user): the wave as "V2" (its full name in a tooltip), headers wrap.
    list_display = ("reference", "applicant", "region", "wave_short", "shown_status_label")
    # Only the waves of dossiers the user can see: the whole history of campaigns was noise in the filter.
    list_filter = (ShownStatusFilter, VisibleRegionFilter, ("wave", VisibleWaveFilter))
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    show_full_result_count = False
    search_fields = ("reference", "title", "commune__name", "epci__name")
    ordering = ("-submitted_at", "reference")
    actions = ["record_decision", "assign_reviewers", "reopen_for_corrections", "export_csv"]
    change_form_template = "reviews/admin/dossier_change_form.html"
    change_list_template = "reviews/admin/dossier_change_list.html"

    def visible_queryset(self, request):
        return selectors.dossiers_for_staff(request.user)

    def get_changelist(self, request, **kwargs):
        return DossierChangeList

    def action_checkbox(self, obj):
        """Django's checkbox (same markup, so the admin's script and its aria-label are unchanged), written with
        format_html: rendering the form widget's template for each of the 50 rows cost a tenth of the page."""
        label = format_html(gettext(DJANGO_ACTION_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            admin.helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_fieldsets(self, request, obj=None):
        header = [
            SHOWN_HEADER_FIELDS.get(f) or _header_field(request.user, f) for f in HEADER_FIELDS if hasattr(Dossier, f)
        ]
        return [
            (None, {"fields": header}),
            (_("Content of the dossier"), {"fields": content_fields(Dossier)}),
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only: decisions and notes go through their own forms and services

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("applications.decide_dossier")

    # --- related header fields as text, for users who cannot open the related admin pages ---
    campaign_text = _plain_text("campaign")
    wave_text = _plain_text("wave")
    region_text = _plain_text("region")
    commune_text = _plain_text("commune")
    epci_text = _plain_text("epci")
    owner_text = _plain_text("owner")

    # --- columns (from prefetched rows only) ---

    @admin.display(description=_("applicant"))
    def applicant(self, obj):
        return obj.applicant_name

    @admin.display(description=Dossier._meta.get_field("wave").verbose_name, ordering="wave__closes_at")
    def wave_short(self, obj):
        if obj.wave is None:
            return "—"
        return format_html('<abbr title="{}">{}</abbr>', obj.wave, _("W%(number)s") % {"number": obj.wave.number})

    def get_list_display(self, request):
        # Score columns depend on who looks: a reviewer sees colleagues' scores only after completing their own
        # review (selectors.reviews_visible_to), so they are built for this request's user.
        return (*self.list_display, *_score_columns(request.user))

    @admin.display(description=Dossier._meta.get_field("status").verbose_name, ordering="shown_status")
    def shown_status_label(self, obj):
        return str(obj.get_shown_status_display())  # translated once, not at each test the list makes of the value

    @admin.display(description=Dossier._meta.get_field("decided_at").verbose_name)
    def shown_decided_at_label(self, obj):
        return date_format(timezone.localtime(obj.shown_decided_at), "DATETIME_FORMAT") if obj.shown_decided_at else "—"

    # --- pages ---

    def get_urls(self):
        own = [
            path(
                "dashboard/", self.admin_site.admin_view(admin_views.dashboard), name="applications_dossier_dashboard"
            ),
            path(
                "my-reviews/",
                self.admin_site.admin_view(admin_views.my_reviews),
                name="applications_dossier_my_reviews",
            ),
            path("rankings/", self.admin_site.admin_view(admin_views.rankings), name="applications_dossier_rankings"),
            path(
                "rankings/<int:wave_id>/",
                self.admin_site.admin_view(admin_views.ranking),
                name="applications_dossier_ranking",
            ),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(admin_views.start_review),
                name="applications_dossier_review",
            ),
            path(
                "<int:pk>/conflict/",
                self.admin_site.admin_view(admin_views.declare_conflict),
                name="applications_dossier_conflict",
            ),
            path("<int:pk>/note/", self.admin_site.admin_view(admin_views.add_note), name="applications_dossier_note"),
            path(
                "<int:pk>/discussion/",
                self.admin_site.admin_view(admin_views.post_discussion),
                name="applications_dossier_discussion",
            ),
            path(
                "<int:pk>/decide/", self.admin_site.admin_view(admin_views.decide), name="applications_dossier_decide"
            ),
            # Holders and mandate verification (applications/admin/holders.py): drafts included, région-scoped.
            path("holders/", self.admin_site.admin_view(admin_holders.mandates), name="applications_dossier_mandates"),
            path(
                "<int:pk>/holders/",
                self.admin_site.admin_view(admin_holders.holders_page),
                name="applications_dossier_holders",
            ),
            path(
                "<int:pk>/holders/documents/<int:attachment_pk>/",
                self.admin_site.admin_view(admin_holders.mandate_document),
                name="applications_dossier_mandate_document",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        dossier = self.get_object(request, object_id)
        if not self.has_view_permission(request, dossier):
            raise PermissionDenied
        extra = {**admin_views.dossier_panels(request, dossier), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    # --- actions ---

    @admin.action(description=_("Record the committee's decision for the selected dossiers"), permissions=["decide"])
    def record_decision(self, request, queryset):
        applying = "apply" in request.POST
        form = DecisionForm(request.POST if applying else None)
        if applying and form.is_valid():
            try:
                decisions = services.record_decisions(
                    dossiers=list(queryset),
                    outcome=form.cleaned_data["outcome"],
                    justification=form.cleaned_data["justification"],
                    by=request.user,
                )
            except services.ReviewRefused as refused:
                form.add_error(None, refused.messages[0])
            else:
                self.message_user(request, _("Decision recorded for %(count)s dossiers.") % {"count": len(decisions)})
                return None
        return self._action_form(request, queryset, form, "record_decision", _("Record the committee's decision"))

    @admin.action(description=_("Assign reviewers to the selected dossiers"), permissions=["decide"])
    def assign_reviewers(self, request, queryset):
        created = services.assign_reviewers(dossiers=list(queryset), by=request.user)
        self.message_user(request, _("%(count)s assignments created.") % {"count": len(created)})

    @admin.action(description=_("Reopen the selected dossiers for corrections"), permissions=["decide"])
    def reopen_for_corrections(self, request, queryset):
        applying = "apply" in request.POST
        form = ReopenForm(request.POST if applying else None)
        if applying and form.is_valid():
            try:
                count = services.reopen_for_corrections(
                    dossiers=list(queryset), by=request.user, message=form.cleaned_data["message"]
                )
            except services.ReviewRefused as refused:
                form.add_error(None, refused.messages[0])
            else:
                self.message_user(request, _("%(count)s dossiers reopened for corrections.") % {"count": count})
                return None
        return self._action_form(request, queryset, form, "reopen_for_corrections", _("Reopen for corrections"))

    @admin.action(description=_("Export the selected dossiers (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="dossiers.csv"'
        response.write("\ufeff")  # so that spreadsheet software reads the accents right
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            safe_row(
                str(h)
                for h in (
                    _("dossier number"),
                    _("applicant"),
                    _("région"),
                    _("wave"),
                    _("status"),
                    _("programmes"),
                    _("score /20"),
                    _("spread"),
                    _("completed reviews"),
                )
            )
        )
        for d in queryset.with_programmes():
            score = selectors.score_for(user=request.user, dossier=d)
            writer.writerow(
                safe_row(
                    [
                        d.reference,
                        d.applicant_name,
                        d.region.name if d.region_id else "",
                        d.wave or "",
                        d.get_shown_status_display(),
                        " ".join(d.programme_codes).upper(),
                        score.mean if score.mean is not None else "",
                        score.spread if score.spread is not None else "",
                        score.completed,
                    ]
                )
            )
        return response

    def _action_form(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "dossiers": queryset,
            "action": action,
            "opts": self.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "reviews/admin/action_form.html", context)
