"""The press area (/presse/): decided laureates before publication, exports under embargo, export jobs.

Only the press, coordinators and superusers get in (anonymous: login; others: 403). Every response is
``Cache-Control: private, no-store`` (``never_cache`` here, and ami_portal.middleware for everything under
/presse/) so no shared cache keeps an embargoed list.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from applications.models import Campaign, Wave
from public import exports, selectors, services
from public.forms import ExportForm
from public.models import ExportJob
from public.selectors import LaureateFilters


def press_required(view):
    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("public.use_press_area"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@press_required
def press_home(request):
    waves = selectors.waves_with_decided_laureate_counts()
    return render(request, "public/press/home.html", {"waves": waves, "now": timezone.now()})


@press_required
def press_wave(request, slug, number):
    campaign = get_object_or_404(Campaign, slug=slug)
    wave = get_object_or_404(Wave.objects.select_related("publication_settings"), campaign=campaign, number=number)
    laureates = list(selectors.decided_laureates(filters=LaureateFilters(wave=wave)))
    context = {
        "campaign": campaign,
        "wave": wave,
        "laureates": laureates,
        "published": wave.is_published_at(timezone.now()),
        "not_retained": selectors.not_retained_count(wave=wave),
        "by_region": selectors.counts_by_region(selectors.decided_laureates(filters=LaureateFilters(wave=wave))),
    }
    return render(request, "public/press/wave.html", context)


def export_response(request, form: ExportForm, *, press: bool = True):
    """Stream CSV/JSON; return small XLSX/ODS at once; hand larger ones to an ExportJob (redirect to its page)."""
    fmt = form.cleaned_data["format"]
    queryset, meta = services.export_prepare(filters=form.filters(), press=press, now=timezone.now())
    if fmt in exports.STREAMABLE:
        rows = services.iter_rows(queryset)
        content = exports.iter_json(rows, meta=meta) if fmt == "json" else exports.iter_csv(rows, meta=meta, fmt=fmt)
        response = StreamingHttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    elif queryset.count() <= services.sync_max_rows():
        content = exports.render_bytes(services.iter_rows(queryset), meta=meta, fmt=fmt)
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    else:
        job = services.export_job_create(user=request.user, params=form.params(), fmt=fmt)
        return redirect("press-job", pk=job.pk)
    response["Content-Disposition"] = content_disposition_header(True, meta.filename(fmt))
    return response


@press_required
@require_http_methods(["GET", "POST"])
def press_export(request):
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            return export_response(request, form)
    else:
        form = ExportForm(initial=request.GET.dict())
    return render(request, "public/press/export.html", {"form": form})


def _job_for(request, pk) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk).select_related("requested_by").first()
    if job is None or not request.user.has_perm("public.download_export", job):
        raise Http404
    return job


@press_required
def press_job(request, pk):
    job = _job_for(request, pk)
    template = "public/press/_job_status.html" if request.htmx else "public/press/job.html"
    return render(request, template, {"job": job})


@press_required
def press_job_download(request, pk):
    job = _job_for(request, pk)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=exports.CONTENT_TYPES.get(job.format),
    )
