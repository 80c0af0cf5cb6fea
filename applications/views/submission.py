"""Thin views: attachments (private), the submission checklist and confirmation, receipts, withdrawal.

Every dossier is looked up through ``Dossier.objects.visible_to`` / ``editable_by``: anything else is a 404.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications import rules as dossier_rules
from applications.domain import attachments as attachment_services
from applications.domain import submission as submission_services
from applications.domain.receipts import receipt_context, render_receipt_pdf, submitted_at_display
from applications.forms.submission import AttachmentUploadForm, SubmitConfirmForm, WithdrawForm
from applications.models import REQUIRED_ATTACHMENT_KINDS, Attachment, Dossier
from applications.states import DossierStatus

TEMPLATES = "applications/submission/"


def _visible(request, pk) -> Dossier:
    return get_object_or_404(Dossier.objects.visible_to(request.user).select_related("campaign", "wave"), pk=pk)


def _editable(request, pk) -> Dossier:
    """The dossier if ``request.user`` holds or co-edits it, else 404. The predicate rather than
    ``Dossier.objects.editable_by``: the same rule, free for the holder (the deadline rush's submits, issue 13)."""
    dossier = get_object_or_404(Dossier.objects.select_related("campaign", "wave"), pk=pk)
    if not dossier_rules.is_dossier_editor(request.user, dossier):
        raise Http404
    return dossier


def _editor_or_404(request, pk) -> Dossier:
    """The dossier, with only its holder read, if ``request.user`` holds or co-edits it, else 404: all a submit needs
    before the service reads the dossier again under its lock (issue 13, the deadline rush)."""
    dossier = get_object_or_404(Dossier.objects.only("owner_id"), pk=pk)
    if not dossier_rules.is_dossier_editor(request.user, dossier):
        raise Http404
    return dossier


# --- attachments ---------------------------------------------------------------------------------------------


def _attachments_page(request, dossier, form, *, status=200):
    rows = list(dossier.attachments.select_related("uploaded_by"))
    present = {row.kind for row in rows}
    context = {
        "dossier": dossier,
        "attachments": rows,
        "form": form,
        "can_edit": dossier_rules.can_edit_dossier(request.user, dossier),
        "required": [(kind, kind.label, kind in present) for kind in REQUIRED_ATTACHMENT_KINDS],
        "accepted": [
            (label, attachment_services.accepted_types_label(kind))
            for kind, label in attachment_services.AttachmentKind.choices
        ],
        "file_max": settings.ATTACHMENT_MAX_FILE_SIZE,
        "dossier_max": settings.ATTACHMENT_MAX_DOSSIER_SIZE,
    }
    return render(request, TEMPLATES + "attachments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request, pk):
    dossier = _visible(request, pk)
    if request.method == "GET":
        return _attachments_page(request, dossier, AttachmentUploadForm())
    dossier = _editable(request, pk)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not dossier_rules.can_edit_dossier(request.user, dossier):
        form.is_valid()
        form.add_error(None, _("This dossier has been submitted: it can no longer be modified."))
        return _attachments_page(request, dossier, form, status=403)
    if not form.is_valid():
        return _attachments_page(request, dossier, form, status=400)
    try:
        added = attachment_services.add_attachment(
            dossier=dossier, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
        )
    except attachment_services.AttachmentRejected as error:
        form.add_error("file", error.messages[0])
        return _attachments_page(request, dossier, form, status=400)
    messages.success(request, _("“%(name)s” has been added.") % {"name": added.original_name})
    return redirect("applications:attachments", pk=dossier.pk)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    dossier = _visible(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, dossier=dossier)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = attachment_services.download_name(original_name=attachment.original_name, extension=attachment.extension)
    # A PDF asked ``?inline=1`` is shown in the page that frames it (the admin's review page): same origin only.
    inline = request.GET.get("inline") == "1" and attachment.content_type == "application/pdf"
    # FileResponse writes Content-Disposition with content_disposition_header (RFC 6266 filename*).
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        # The browser's PDF viewer is a plugin (object-src); only this response may be framed, by our pages.
        response._csp_replace = {"frame-ancestors": ["'self'"], "object-src": ["'self'"]}
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    """GET asks for confirmation (naming the file); POST deletes."""
    dossier = _editable(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, dossier=dossier)
    if request.method == "GET":
        if not dossier_rules.can_edit_dossier(request.user, dossier):
            messages.error(request, _("This dossier has been submitted: it can no longer be modified."))
            return redirect("applications:attachments", pk=dossier.pk)
        return render(request, TEMPLATES + "attachment_delete.html", {"dossier": dossier, "attachment": attachment})
    try:
        attachment_services.delete_attachment(attachment=attachment, by=request.user)
    except attachment_services.AttachmentRejected as error:
        messages.error(request, error.messages[0])
        return redirect("applications:attachments", pk=dossier.pk)
    messages.success(request, _("“%(name)s” has been deleted.") % {"name": attachment.original_name})
    return redirect("applications:attachments", pk=dossier.pk)


# --- submission ----------------------------------------------------------------------------------------------


def _confirm_page(request, dossier, wave, *, status=200):
    form = SubmitConfirmForm(initial={"wave": wave.pk, "token": uuid.uuid4()})
    context = {"dossier": dossier, "wave": wave, "form": form, "wave_is_open": wave.is_open_at(timezone.now())}
    return render(request, TEMPLATES + "confirm.html", context, status=status)


def _refused_page(request, dossier, message, *, status=200):
    return render(request, TEMPLATES + "refused.html", {"dossier": dossier, "message": message}, status=status)


def _submit_get(request, dossier):
    if dossier.status != DossierStatus.DRAFT:
        if dossier.submissions.exists():
            messages.info(request, _("This dossier has already been submitted."))
            return redirect("applications:receipt_latest", pk=dossier.pk)
        return _refused_page(request, dossier, _("This dossier can no longer be submitted."))
    missing = submission_services.submission_checklist(dossier)
    # An editor waiting for the mandate's verification sees the checklist with it (and what else is missing).
    awaiting_mandate = not dossier_rules.is_holder_mandate_verified(request.user, dossier)
    if awaiting_mandate and dossier_rules.is_dossier_editor(request.user, dossier):
        return render(request, TEMPLATES + "checklist.html", {"dossier": dossier, "missing": missing})
    refusal = dossier_rules.submission_refusal(request.user, dossier)
    if refusal:
        return _refused_page(request, dossier, refusal)
    if missing:
        return render(request, TEMPLATES + "checklist.html", {"dossier": dossier, "missing": missing})
    wave = dossier.campaign.target_wave_at(timezone.now())
    if wave is None:
        return _refused_page(
            request,
            dossier,
            _("Submissions are closed: the last wave of this call ended and no other wave is planned."),
        )
    return _confirm_page(request, dossier, wave)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk):
    if request.method == "GET":
        return _submit_get(request, _editable(request, pk))
    form = SubmitConfirmForm(request.POST)
    if not form.is_valid():
        return _submit_get(request, _editable(request, pk))
    dossier = _editor_or_404(request, pk)
    # A second click carrying the same token is the same intention: show its outcome, do not submit twice.
    if not cache.add(f"submit-token:{form.cleaned_data['token']}", dossier.pk, timeout=3600):
        return redirect("applications:receipt_latest", pk=dossier.pk)
    try:
        # Judged at the request's arrival, not at the moment it is processed (ami_portal/arrival.py). The wave the
        # page showed is compared with the one the submission would go to (another wave, or a forged id: the
        # confirmation page of the right wave, 409).
        submission = submission_services.submit_dossier(
            dossier,
            by=request.user,
            arrived_at=getattr(request, "arrived_at", None),
            expected_wave_id=form.cleaned_data["wave"],
        )
    except submission_services.WaveChanged as change:
        messages.warning(request, change.message)
        return _confirm_page(request, _editable(request, pk), change.wave, status=409)
    except submission_services.SubmissionRefused as refusal:
        return _refused_page(request, _editable(request, pk), refusal.message, status=409)
    messages.success(
        request,
        _("Your dossier has been submitted to wave %(number)s. A receipt has been sent by e-mail.")
        % {"number": submission.wave.number},
    )
    return redirect("applications:receipt", pk=dossier.pk, submission_pk=submission.pk)


# --- receipts ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def receipt_latest(request, pk):
    dossier = _visible(request, pk)
    latest = dossier.submissions.order_by("-submitted_at", "-pk").first()
    if latest is None:
        return redirect("applications:submit", pk=dossier.pk)
    return redirect("applications:receipt", pk=dossier.pk, submission_pk=latest.pk)


def _submission(request, pk, submission_pk):
    dossier = _visible(request, pk)
    return get_object_or_404(
        dossier.submissions.select_related("wave", "submitted_by", "dossier__campaign"), pk=submission_pk
    )


@login_required
@require_GET
def receipt(request, pk, submission_pk):
    submission = _submission(request, pk, submission_pk)
    dossier = submission.dossier
    # Withdrawal and reopening clear the dossier's submitted_at; a new submission replaces it.
    superseded = dossier.submitted_at != submission.submitted_at
    context = {
        **receipt_context(submission),
        "submission": submission,
        "dossier": dossier,
        "submitted_at_display": submitted_at_display(submission),
        "superseded": superseded,
        "can_withdraw": not superseded and dossier_rules.can_withdraw_submission(request.user, dossier),
    }
    return render(request, TEMPLATES + "receipt.html", context)


@login_required
@require_GET
def receipt_pdf(request, pk, submission_pk):
    submission = _submission(request, pk, submission_pk)
    response = HttpResponse(render_receipt_pdf(submission), content_type="application/pdf")
    filename = f"accuse-reception-{submission.dossier.reference}-{submission.pk}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- withdrawal ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    dossier = _editable(request, pk)
    if not dossier_rules.is_dossier_owner(request.user, dossier):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.withdraw_submission(dossier, by=request.user, reason=form.cleaned_data["reason"])
        except submission_services.SubmissionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The submission has been withdrawn: the dossier is a draft again."))
            return redirect("applications:dossier", pk=dossier.pk)
    status = 400 if form.errors else 200
    return render(request, TEMPLATES + "withdraw.html", {"dossier": dossier, "form": form}, status=status)
