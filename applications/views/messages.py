"""The message thread of a dossier: officials (its editors) and the instructing staff read and write it."""

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from applications import rules as dossier_rules
from applications.domain import messaging
from applications.domain.attachments import download_name
from applications.models import Dossier, DossierMessageFile


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=messaging.MAX_BODY
    )
    requests_document = forms.BooleanField(
        label=gettext_lazy("This message asks the applicants for a document"), required=False
    )
    document = forms.FileField(label=gettext_lazy("Document (optional)"), required=False)


def _dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("campaign", "wave", "commune", "epci"), pk=pk)
    if not dossier_rules.can_take_part_in_thread(request.user, dossier):
        raise Http404
    return dossier


def _page(request, dossier, form, *, status=200):
    context = {
        "dossier": dossier,
        "form": form,
        "thread": messaging.thread(dossier),
        "is_staff_side": dossier_rules.is_instructing_staff(request.user, dossier),
    }
    return render(request, "applications/messages/thread.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    dossier = _dossier(request, pk)
    if request.method == "GET":
        return _page(request, dossier, MessageForm())
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            messaging.post_message(
                dossier=dossier,
                by=request.user,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["document"],
                requests_document=form.cleaned_data["requests_document"],
            )
        except ValidationError as refused:
            form.add_error("document" if request.FILES else "body", refused)
    if not form.is_valid():
        return _page(request, dossier, form, status=400)  # what was typed is shown again
    flash.success(request, _("Message sent."))
    return redirect("applications:messages", pk=dossier.pk)


@login_required
@require_GET
def message_file(request, pk, file_pk):
    dossier = _dossier(request, pk)
    document = get_object_or_404(DossierMessageFile, pk=file_pk, message__dossier=dossier)
    name = download_name(original_name=document.original_name, extension=document.extension)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type=document.content_type)
