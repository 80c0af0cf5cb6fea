"""Admin pages of the review workflow (mounted by DossierAdmin.get_urls, wrapped in ``admin_view``).

Thin: each checks a rules permission on the object it loads from the user's visible dossiers (404 otherwise),
then calls one service or selector.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ami_portal import charts
from applications.models import Dossier, Wave
from reviews import calibration, discussion, dossier_display, queue, selectors, services
from reviews.forms import ConflictForm, DecisionForm, DiscussionForm, NoteForm
from reviews.models import InternalNote, Review, ReviewStatus
from reviews.scoring import dossier_score


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Dossier._meta, **extra}


def _require_dossier_access(request) -> None:
    """The model permission first (403), as the admin's own pages do; then the row's visibility (404)."""
    if not request.user.has_perm("applications.view_dossier"):
        raise PermissionDenied


def _visible_dossier(request, pk: int) -> Dossier:
    _require_dossier_access(request)
    return get_object_or_404(selectors.dossiers_for_staff(request.user), pk=pk)


def _change_url(dossier) -> str:
    return reverse("admin:applications_dossier_change", args=[dossier.pk])


def dossier_panels(request, dossier: Dossier) -> dict:
    """Everything the dossier's admin page shows under its fields."""
    user = request.user
    transitions, decisions = selectors.status_history(user=user, dossier=dossier)
    all_reviews = list(
        Review.objects.filter(dossier=dossier)
        .exclude(status=ReviewStatus.WITHDRAWN)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )
    reviews = selectors.reviews_visible_to(user=user, reviews=all_reviews)
    score = dossier_score(reviews)
    return {
        "related_sections": dossier_display.related_sections(dossier),
        "attachments": dossier_display.attachment_rows(dossier),
        "reviews": reviews,
        "others_reviews_hidden": len(reviews) < len(all_reviews),
        "score": score,
        # From the reviews the user may read only: a reviewer learns of no disagreement before scoring.
        "disagreement": calibration.is_disagreement(score.spread),
        "disagreement_spread": calibration.disagreement_spread(),
        "own_review": next((r for r in reviews if r.reviewer_id == user.pk), None),
        "transitions": transitions,
        "wave_moves": dossier.wave_moves.select_related("from_wave__campaign", "to_wave__campaign"),
        "decisions": decisions,
        "notes": InternalNote.objects.filter(dossier=dossier).select_related("author"),
        "assignments": dossier.assignments.filter(released_at__isnull=True).select_related("reviewer"),
        "note_form": NoteForm(),
        "can_score": user.has_perm("reviews.score_dossier", dossier),
        "can_declare_conflict": user.has_perm("reviews.declare_conflict", dossier),
        "can_decide": user.has_perm("reviews.record_decision", dossier),
        "can_write_note": user.has_perm("reviews.write_note", dossier),
        "can_discuss": discussion.may_discuss(user=user, dossier=dossier),
        "discussion": discussion.thread(user=user, dossier=dossier),
        "discussion_form": DiscussionForm(),
    }


def _review_url(review) -> str:
    return reverse("admin:reviews_review_change", args=[review.pk])


def review_workspace(request, review: Review) -> dict:
    """What the review page shows beside the scoring grid: the dossier (content, partners and other sections,
    territory and programmes, attachments with a preview of the PDFs). The admin's queryset already joined the
    dossier's commune and EPCI."""
    dossier = review.dossier
    return {
        "dossier": dossier,
        "dossier_fields": dossier_display.content_rows(dossier),
        "related_sections": dossier_display.related_sections(dossier, hidden=dossier_display.LOG_RELATIONS),
        "attachments": dossier_display.attachment_rows(dossier),
    }


@staff_member_required
def my_reviews(request):
    """The reviewer's queue: to do / in progress / done per wave, with the review due date and the next dossier."""
    _require_dossier_access(request)
    waves = queue.queue_by_wave(user=request.user)
    rows = [row for wave in waves for row in wave.rows]
    context = _context(
        request,
        _("My reviews"),
        waves=waves,
        next_row=queue.next_row(rows),
        counts={state: sum(1 for r in rows if r.state == state) for state in queue.QueueState.LABELS},
        states=queue.QueueState,
    )
    return TemplateResponse(request, "reviews/admin/my_reviews.html", context)


@staff_member_required
def start_review(request, pk):
    dossier = _visible_dossier(request, pk)
    if not request.user.has_perm("reviews.score_dossier", dossier):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(_change_url(dossier))
    try:
        review = services.start_review(dossier=dossier, reviewer=request.user)
    except services.ReviewRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect(_change_url(dossier))
    return redirect("admin:reviews_review_change", review.pk)


@staff_member_required
def declare_conflict(request, pk):
    dossier = _visible_dossier(request, pk)
    if not request.user.has_perm("reviews.declare_conflict", dossier):
        raise PermissionDenied
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.declare_conflict(dossier=dossier, reviewer=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Your conflict of interest has been recorded; the dossier has been reassigned."))
        return redirect("admin:reviews_conflictofinterest_changelist")
    title = _("Declare a conflict of interest on %(reference)s") % {"reference": dossier.reference}
    return TemplateResponse(
        request, "reviews/admin/form_page.html", _context(request, title, form=form, dossier=dossier)
    )


@staff_member_required
@require_POST
def add_note(request, pk):
    dossier = _visible_dossier(request, pk)
    if not request.user.has_perm("reviews.write_note", dossier):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(dossier=dossier, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been added."))
    else:
        messages.error(request, _("The note is empty or too long (5,000 characters at most)."))
    return redirect(_change_url(dossier) + "#notes")


@staff_member_required
@require_POST
def post_discussion(request, pk):
    """Post to the dossier's staff discussion: 404 outside the user's dossiers (another région, a declared
    conflict), 403 for those who see the dossier but may not take part."""
    dossier = _visible_dossier(request, pk)
    if not discussion.may_discuss(user=request.user, dossier=dossier):
        raise PermissionDenied
    form = DiscussionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is empty or too long (5,000 characters at most)."))
        return redirect(_change_url(dossier) + "#discussion")
    try:
        discussion.post_message(dossier=dossier, author=request.user, text=form.cleaned_data["text"])
    except discussion.DiscussionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your message has been posted; the other participants are told by e-mail."))
    return redirect(_change_url(dossier) + "#discussion")


@staff_member_required
def decide(request, pk):
    dossier = _visible_dossier(request, pk)
    if not request.user.has_perm("reviews.record_decision", dossier):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(
                dossier=dossier,
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
                by=request.user,
            )
        except services.ReviewRefused as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(_change_url(dossier))
    title = _("Committee's decision on %(reference)s") % {"reference": dossier.reference}
    context = _context(request, title, form=form, dossier=dossier, score=selectors.score_of(dossier))
    return TemplateResponse(request, "reviews/admin/form_page.html", context)


def _require_rankings(request):
    if not request.user.has_perm("reviews.see_rankings"):
        raise PermissionDenied


@staff_member_required
def rankings(request):
    _require_rankings(request)
    waves = Wave.objects.select_related("campaign").order_by("-closes_at")
    return TemplateResponse(request, "reviews/admin/rankings.html", _context(request, _("Rankings"), waves=waves))


@staff_member_required
def ranking(request, wave_id):
    _require_rankings(request)
    wave = get_object_or_404(Wave.objects.select_related("campaign"), pk=wave_id)
    regions = selectors.regions_of_wave(request.user, wave)
    region = regions.filter(pk=request.GET.get("region")).first() if request.GET.get("region", "").isdigit() else None
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.RANKING_SORTS else "mean"
    page = selectors.ranking_page(user=request.user, wave=wave, region=region, page=request.GET.get("page"), sort=sort)
    title = _("Ranking — %(wave)s") % {"wave": wave}
    context = _context(
        request,
        title,
        wave=wave,
        rows=page.object_list,
        page=page,
        regions=regions,
        region=region,
        sort=sort,
        keep=urlencode({k: v for k, v in (("region", region and region.pk), ("sort", sort)) if v and v != "mean"}),
        calibration=page.calibration,
        min_reviews=calibration.minimum_reviews(),
        disagreement_spread=calibration.disagreement_spread(),
        can_decide=request.user.has_perm("applications.decide_dossier"),
    )
    return TemplateResponse(request, "reviews/admin/ranking.html", context)


@staff_member_required
def dashboard(request):
    _require_dossier_access(request)
    figures = selectors.dashboard(user=request.user)
    progress = selectors.reviewer_progress(user=request.user)
    context = _context(
        request,
        _("Review dashboard"),
        figures=figures,
        progress=progress,
        disagreements=selectors.disagreements(user=request.user),
        disagreement_spread=calibration.disagreement_spread(),
        status_chart=charts.bar_chart(
            title=_("Dossiers by status"),
            description=_("Number of dossiers in each status."),
            data=figures["by_status"],
        ),
        region_chart=charts.bar_chart(
            title=_("Dossiers by région"),
            description=_("Number of dossiers of each région."),
            data=figures["by_region"],
        ),
        progress_chart=charts.bar_chart(
            title=_("Completed reviews by reviewer"),
            description=_("Completed reviews of each reviewer, out of their assignments."),
            data=[(str(p["reviewer"]), p["completed"]) for p in progress],
        ),
    )
    return TemplateResponse(request, "reviews/admin/dashboard.html", context)
