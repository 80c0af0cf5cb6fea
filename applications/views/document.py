"""The whole dossier as a document: print view and PDF (whoever may read the dossier), ZIP bundle (staff)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from applications.models import Dossier
from applications.queries.dossier_document import dossier_bundle, dossier_document, render_dossier_pdf


def _readable(request, pk) -> Dossier:
    queryset = Dossier.objects.visible_to(request.user).select_related("campaign", "wave", "commune", "epci")
    return get_object_or_404(queryset.prefetch_related("partners", "transitions"), pk=pk)


@login_required
@require_GET
def dossier_print(request, pk):
    document = dossier_document(_readable(request, pk), user=request.user, now=timezone.now())
    return render(request, "applications/document/print.html", {"document": document, "dossier": document.dossier})


@login_required
@require_GET
def dossier_pdf(request, pk):
    document = dossier_document(_readable(request, pk), user=request.user, now=timezone.now())
    response = HttpResponse(render_dossier_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{document.dossier.reference}.pdf")
    return response


@login_required
@require_GET
def dossier_zip(request, pk):
    """Staff who may read the dossier get it with its attachments; officials download files one by one."""
    dossier = _readable(request, pk)
    if not request.user.is_staff:
        raise PermissionDenied
    document = dossier_document(dossier, user=request.user, now=timezone.now())
    return FileResponse(
        dossier_bundle(document),
        as_attachment=True,
        filename=f"{dossier.reference}.zip",
        content_type="application/zip",
    )
