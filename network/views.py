"""Pages of the network: the public network (overall and per campaign), the officials' yearly report page, and the
signed agreement's download (private file, permission-checked)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.models import Campaign
from public.page_cache import cached_public_page
from public.selectors import campaigns_with_published_results

from . import maps, selectors, services
from .forms import ReportForm
from .models import Antenna
from .status import map_kind


def _network_map(summary, *, title: str) -> dict:
    status = {row.dossier.pk: row.status for row in summary.rows}
    france_map, _elsewhere = maps.laureates_map(
        [row.dossier for row in summary.rows], title=title, kind_of=lambda dossier: map_kind(status[dossier.pk])
    )
    return france_map


@cached_public_page
def network(request, slug=None):
    """The public network: antennas open and being opened, counts per région and campaign, map, list.
    Only published laureates (public.selectors), statuses derived at today's date in Paris."""
    now = timezone.now()
    campaign = get_object_or_404(Campaign, slug=slug) if slug else None
    summary = selectors.public_network(now=now, today=timezone.localdate(now), campaign=campaign)
    if campaign is not None and not summary.rows:
        raise Http404
    title = (
        _("The Cnam's territorial network — %(campaign)s") % {"campaign": campaign.name}
        if campaign
        else _("The Cnam's territorial network")
    )
    context = {
        "campaign": campaign,
        "summary": summary,
        "title": title,
        "campaigns": campaigns_with_published_results(now=now) if campaign is None else None,
        "france_map": _network_map(summary, title=_("Map of France with the antennas of the laureate cities")),
    }
    return render(request, "network/network.html", context)


def _official_antenna(request, pk) -> Antenna:
    antenna = get_object_or_404(
        Antenna.objects.select_related("dossier__campaign", "dossier__commune", "dossier__epci"), pk=pk
    )
    if not request.user.has_perm("network.report_figures", antenna):
        raise Http404  # another city's antenna does not exist for this person
    return antenna


@login_required
@require_http_methods(["GET", "POST"])
def reports(request, pk):
    """The laureate's officials report their antenna's yearly figures; validated years are frozen."""
    antenna = _official_antenna(request, pk)
    today = timezone.localdate()
    form = ReportForm(request.POST or None, antenna=antenna) if antenna.opened_on else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.report_submit(antenna=antenna, by=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The figures of %(year)s have been recorded. The Cnam will validate them.")
                % {"year": form.cleaned_data["year"]},
            )
            return redirect("network:reports", pk=antenna.pk)
    context = {
        "antenna": antenna,
        "status": antenna.status_on(today),
        "form": form,
        "reports": antenna.reports.order_by("-year"),
    }
    return render(request, "network/reports.html", context)


@login_required
def convention(request, pk):
    """The signed agreement (private media): the antenna's staff and the laureate's officials only."""
    antenna = get_object_or_404(Antenna.objects.select_related("dossier"), pk=pk)
    user = request.user
    if not (user.has_perm("network.manage_antenna", antenna) or user.has_perm("network.report_figures", antenna)):
        raise Http404
    if not antenna.convention_pdf:
        raise Http404
    try:
        handle = antenna.convention_pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"convention-{dossier_code_safe(antenna)}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def dossier_code_safe(antenna) -> str:
    return antenna.dossier.reference.replace("/", "-")
