"""Admin of the review workflow: scoring grids, reviews, assignments, conflicts and decisions.

The dossier admin itself (applications.Dossier) is registered by ``reviews.admin.dossier``; the package's
``__init__`` imports both modules so that the admin's autodiscovery registers them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect, JsonResponse
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ami_portal.read_only_admin import ReadOnlyAdminMixin
from applications.models import Dossier
from applications.rules import sees_all_dossiers
from reviews import queue, selectors, services
from reviews.admin import views as admin_views
from reviews.admin.mixins import RulesAdminMixin, has_rule
from reviews.models import (
    GRID_LOCKED_MESSAGE,
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    Review,
    ReviewDeadline,
    ReviewStatus,
    Score,
    ScoringGrid,
)

AUTOSAVE_HEADER = "X-Review-Autosave"

# Reviewers land on their queue: the admin index starts with "My reviews" (reviews/admin/index.html).
admin.site.index_template = "reviews/admin/index.html"


def _visible_dossiers(request):
    return Dossier.objects.visible_to(request.user).values("pk")


# --- Scoring grid ----------------------------------------------------------------------------------------------


class CriterionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        grid = self.instance
        touched = any(form.has_changed() for form in self.forms) or bool(self.deleted_forms)
        if grid.pk and touched and grid.is_locked:
            raise ValidationError(GRID_LOCKED_MESSAGE)


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    fields = ("position", "label", "description", "weight", "max_points")
    extra = 0


@admin.register(ScoringGrid)
class ScoringGridAdmin(admin.ModelAdmin):
    list_display = ("campaign", "criteria_count", "locked")
    list_select_related = ("campaign",)
    inlines = [CriterionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_criteria=Count("criteria"))

    def get_readonly_fields(self, request, obj=None):
        return ("campaign",) if obj is not None and obj.is_locked else ()

    @admin.display(description=_("criteria"), ordering="_criteria")
    def criteria_count(self, obj):
        return obj._criteria

    @admin.display(description=_("locked by existing reviews"), boolean=True)
    def locked(self, obj):
        return obj.is_locked

    def change_view(self, request, object_id, form_url="", extra_context=None):
        grid = self.get_object(request, object_id)
        if grid is not None and grid.is_locked and request.method == "GET":
            messages.warning(request, GRID_LOCKED_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)


# --- Reviews ---------------------------------------------------------------------------------------------------


class ScoreForm(forms.ModelForm):
    """The points and comment of one criterion, each input named for its criterion (a table cell has no label)."""

    class Meta:
        model = Score
        fields = ("points", "comment")
        widgets = {"comment": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criterion = self.instance.criterion if self.instance.criterion_id else None
        if criterion is None:
            return
        names = {"label": criterion.label, "max": criterion.max_points}
        if "points" in self.fields:
            self.fields["points"].widget.attrs.update(
                {"aria-label": _("Points for “%(label)s” (out of %(max)s)") % names, "max": criterion.max_points}
            )
        if "comment" in self.fields:
            self.fields["comment"].widget.attrs["aria-label"] = _("Comment on “%(label)s”") % names


class ScoreInline(admin.TabularInline):
    model = Score
    form = ScoreForm
    fields = ("criterion_details", "points", "comment")
    readonly_fields = ("criterion_details",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # ``obj`` is the review: its scores are editable only while it is the user's own draft.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or has_rule(request, "reviews.edit_own_review", obj))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    @admin.display(description=_("criterion"))
    def criterion_details(self, obj):
        # floatformat: "3" rather than "3.00", and a French decimal comma when there are decimals.
        return _("%(label)s (weight %(weight)s, out of %(max)s)") % {
            "label": obj.criterion.label,
            "weight": floatformat(obj.criterion.weight, -2),
            "max": obj.criterion.max_points,
        }


class ReviewChangeList(ChangeList):
    """The review list loads each row's scores for its score column (the review page reads them in its inline)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = self.result_list.prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )


@admin.register(Review)
class ReviewAdmin(RulesAdminMixin, admin.ModelAdmin):
    view_rule = "reviews.read_review"
    change_rule = "reviews.edit_own_review"
    list_display = ("dossier", "reviewer", "status", "score_out_of_20", "updated_at")
    list_filter = ("status",)
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    # reviewer_name, not reviewer: the admin would link the user's account page, which reviewers cannot open.
    fields = ("dossier", "reviewer_name", "status", "comment", "completed_at")
    readonly_fields = ("dossier", "reviewer_name", "status", "completed_at")
    inlines = [ScoreInline]
    change_form_template = "reviews/admin/review_change_form.html"

    def visible_queryset(self, request):
        reviews = Review.objects.filter(dossier__in=_visible_dossiers(request)).select_related(
            "dossier__commune", "dossier__epci", "reviewer"
        )
        # Reviewers: their own reviews, and colleagues' once their own review of that dossier is completed.
        return selectors.reviews_queryset_visible_to(request.user, reviews)

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def has_add_permission(self, request):
        return False  # started from the dossier's page ("Score this dossier")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A draft has no completion date: one line less between the dossier and the grid.
        return [f for f in fields if f != "completed_at"] if obj is not None and not obj.is_completed else fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "comment":  # a short box: the grid and its buttons stay in view beside the dossier
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("score /20"))
    def score_out_of_20(self, obj):
        return obj.score_out_of_20 if obj.score_out_of_20 is not None else "—"

    @admin.display(description=_("reviewer"))
    def reviewer_name(self, obj):
        return obj.reviewer

    def response_change(self, request, obj):
        if request.headers.get(AUTOSAVE_HEADER):
            # The page's autosave (reviews/static/reviews/review_autosave.js): saved, nothing to show or redirect.
            return JsonResponse({"saved": True})
        if "_complete" not in request.POST and "_complete_next" not in request.POST:
            return super().response_change(request, obj)
        try:
            services.complete_review(review=obj, by=request.user)
        except services.ReviewRefused as refused:
            messages.error(request, refused.messages[0])
            return HttpResponseRedirect(request.path)
        messages.success(request, _("Your review is completed and now counts in the dossier's score."))
        if "_complete_next" in request.POST:
            return self._open_next(request, obj)
        return HttpResponseRedirect(reverse("admin:applications_dossier_change", args=[obj.dossier_id]))

    def _open_next(self, request, obj):
        """The review page of the next dossier of the reviewer's queue (its draft started), or the queue when
        every review is done."""
        following = queue.next_in_queue(user=request.user, after_dossier_id=obj.dossier_id)
        if following is None:
            messages.info(request, _("Your queue is empty: every review assigned to you is completed."))
            return HttpResponseRedirect(reverse("admin:applications_dossier_my_reviews"))
        try:
            review = services.start_review(dossier=following.dossier, reviewer=request.user)
        except services.ReviewRefused as refused:
            messages.error(request, refused.messages[0])
            return HttpResponseRedirect(reverse("admin:applications_dossier_my_reviews"))
        return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[review.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_complete"] = (
            obj is not None and obj.status == ReviewStatus.DRAFT and self.has_change_permission(request, obj)
        )
        if obj is not None:
            context.update(admin_views.review_workspace(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- Assignments, conflicts, decisions -------------------------------------------------------------------------


@admin.register(Assignment)
class AssignmentAdmin(RulesAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "reviewer", "assigned_at", "released_at")
    list_filter = ("released_at",)
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER

    def visible_queryset(self, request):
        assignments = Assignment.objects.select_related("dossier__commune", "dossier__epci", "reviewer")
        if sees_all_dossiers(request.user):
            return assignments.filter(dossier__in=_visible_dossiers(request))
        return assignments.filter(reviewer=request.user, dossier__in=_visible_dossiers(request))


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(RulesAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A reviewer sees here the note of the conflicts they declared, though the dossiers are hidden from them."""

    list_display = ("dossier_reference", "reviewer", "declared_at")
    fields = ("dossier_reference", "reviewer_name", "reason", "declared_at")
    readonly_fields = fields
    list_per_page = 50

    def visible_queryset(self, request):
        conflicts = ConflictOfInterest.objects.select_related("dossier", "reviewer")
        if sees_all_dossiers(request.user):
            return conflicts
        return conflicts.filter(reviewer=request.user)

    @admin.display(description=_("dossier"), ordering="dossier__reference")
    def dossier_reference(self, obj):
        return obj.dossier.reference

    @admin.display(description=_("reviewer"))
    def reviewer_name(self, obj):
        return obj.reviewer


@admin.register(Decision)
class DecisionAdmin(RulesAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "outcome", "wave", "decided_by", "decided_at")
    list_filter = ("outcome",)
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER

    def visible_queryset(self, request):
        return Decision.objects.filter(dossier__in=_visible_dossiers(request)).select_related(
            "dossier__commune", "dossier__epci", "wave__campaign", "decided_by"
        )


@admin.register(ReviewDeadline)
class ReviewDeadlineAdmin(admin.ModelAdmin):
    """The review due date of each wave (shown in the reviewers' queue; reminders 3 days and 1 day before)."""

    list_display = ("wave", "due_at")
    list_select_related = ("wave__campaign",)
    ordering = ("due_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("wave__campaign")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "wave":
            from applications.models import Wave

            kwargs["queryset"] = Wave.objects.select_related("campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
