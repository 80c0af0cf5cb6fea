"""Admin pages on dossier holders, mounted by the dossier admin (reviews/admin/dossier.py) under ``admin_view``.

Regional staff verify the holder's mandate (or revoke the verification), transfer the dossier to another official,
remove a holder, and answer requests to join. Thin: the dossier comes from ``selectors.dossiers_for_holder_staff``
(drafts included: a mandate is verified before submission), anyone outside it gets a 404; each form calls one
service of ``applications.domain.holders``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from applications.domain import holders
from applications.models import AttachmentKind, Dossier, DossierJoinRequest, JoinRequestStatus
from applications.queries.dossiers import dossiers_for_holder_staff

# The documents a mandate is verified from; staff may open them even on a draft.
MANDATE_DOCUMENTS = (AttachmentKind.COMMITMENT_LETTER, AttachmentKind.COUNCIL_DELIBERATION)


class VerifyMandateForm(forms.Form):
    basis = forms.CharField(
        label=gettext_lazy("Basis of the verification"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("E.g. “Letter of commitment signed by the mayor on 3 March, checked”."),
    )


class RevokeMandateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )


class TransferForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the new holder's account"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )
    keep_previous = forms.BooleanField(label=gettext_lazy("Keep the previous holder as co-editor"), required=False)

    def clean_email(self):
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has this e-mail address: the official must sign up first.")
            )
        return user


class RemoveHolderForm(forms.Form):
    person = forms.TypedChoiceField(label=gettext_lazy("Person to remove"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        people = ([dossier.owner] if dossier.owner_id else []) + [
            m.user for m in dossier.members.select_related("user")
        ]
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [
            (p.pk, f"{p} <{p.email}>" + (f" — {_('holder')}" if p.pk == dossier.owner_id else "")) for p in people
        ]

    def clean_person(self):
        return self.people[self.cleaned_data["person"]]


class JoinAnswerForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for refusing (optional, sent to the requester)"), max_length=2000, required=False
    )


FORMS = {
    "verify": VerifyMandateForm,
    "revoke": RevokeMandateForm,
    "transfer": TransferForm,
    "remove": RemoveHolderForm,
}


def _dossier(request, pk: int) -> Dossier:
    if not request.user.has_perm("applications.manage_dossier_holders"):
        raise PermissionDenied
    queryset = dossiers_for_holder_staff(request.user).select_related("campaign", "commune", "epci", "owner", "region")
    return get_object_or_404(queryset, pk=pk)


def _page_url(dossier: Dossier) -> str:
    return reverse("admin:applications_dossier_holders", args=[dossier.pk])


def mandates(request):
    """Dossiers of the user's régions whose holder's mandate awaits verification (drafts first), or all of them."""
    if not request.user.has_perm("applications.manage_dossier_holders"):
        raise PermissionDenied
    show_all = request.GET.get("all") == "1"
    queryset = dossiers_for_holder_staff(request.user).select_related("campaign", "commune", "epci", "owner", "region")
    if not show_all:
        queryset = queryset.awaiting_mandate_verification()
    rows = list(queryset.order_by("status", "created_at")[:500])
    context = {
        **admin.site.each_context(request),
        "opts": Dossier._meta,
        "title": _("Holders' mandates"),
        "dossiers": rows,
        "show_all": show_all,
    }
    return TemplateResponse(request, "admin/applications/dossier/mandates.html", context)


def holders_page(request, pk: int):
    """The holder, the co-editors, the mandate documents, the holder log, and the forms that change them."""
    dossier = _dossier(request, pk)
    action = request.POST.get("holder_action") if request.method == "POST" else None
    bound = {}
    if action in FORMS:
        form = _form(action, dossier, request.POST)
        if form.is_valid() and _apply(request, dossier, action, form):
            return redirect(_page_url(dossier))
        bound[action] = form
    elif action == "answer":
        _answer(request, dossier)
        return redirect(_page_url(dossier))
    return TemplateResponse(
        request,
        "admin/applications/dossier/holders.html",
        _context(request, dossier, bound),
        status=400 if bound else 200,
    )


def _form(action, dossier, data=None):
    if action == "remove":
        return RemoveHolderForm(data, dossier=dossier, prefix=action)
    return FORMS[action](data, prefix=action)


def _apply(request, dossier, action, form) -> bool:
    data, by = form.cleaned_data, request.user
    try:
        if action == "verify":
            holders.verify_mandate(dossier=dossier, by=by, basis=data["basis"])
            done = _("The holder's mandate is verified; the holder has been e-mailed.")
        elif action == "revoke":
            holders.revoke_mandate(dossier=dossier, by=by, reason=data["reason"])
            done = _("The verification of the mandate has been revoked; the holder has been e-mailed.")
        elif action == "transfer":
            holders.transfer_dossier(
                dossier=dossier,
                to=data["email"],
                by=by,
                reason=data["reason"],
                keep_previous_as_co_editor=data["keep_previous"],
            )
            done = _("The dossier has been transferred; its mandate must now be verified for the new holder.")
        else:
            holders.remove_holder(dossier=dossier, person=data["person"], by=by, reason=data["reason"])
            done = _("%(name)s no longer has access to the dossier.") % {"name": data["person"]}
    except holders.HolderChangeRefused as refusal:
        form.add_error(None, refusal.message)
        return False
    messages.success(request, done)
    return True


def _answer(request, dossier) -> None:
    join_request = get_object_or_404(
        DossierJoinRequest, dossier=dossier, pk=request.POST.get("join_request"), status=JoinRequestStatus.PENDING
    )
    form = JoinAnswerForm(request.POST, prefix=f"answer-{join_request.pk}")
    accept = "accept" in request.POST
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        holders.answer_join_request(
            join_request=join_request, by=request.user, accept=accept, reason="" if accept else reason
        )
    except holders.HolderChangeRefused as refusal:
        messages.error(request, refusal.message)
        return
    messages.success(request, _("The answer has been e-mailed to %(name)s.") % {"name": join_request.requester})


def _context(request, dossier, bound: dict) -> dict:
    forms_ = {action: bound.get(action) or _form(action, dossier) for action in FORMS}
    documents = dossier.attachments.filter(kind__in=MANDATE_DOCUMENTS).order_by("kind", "uploaded_at")
    join_requests = [
        (join_request, JoinAnswerForm(prefix=f"answer-{join_request.pk}"))
        for join_request in holders.pending_join_requests(dossier)
    ]
    return {
        **admin.site.each_context(request),
        "opts": Dossier._meta,
        "dossier": dossier,
        "title": _("Holders and mandate of dossier %(reference)s") % {"reference": dossier.reference},
        "profile": getattr(dossier.owner, "official_profile", None) if dossier.owner_id else None,
        "members": dossier.members.select_related("user").order_by("added_at"),
        "documents": documents,
        "join_requests": join_requests,
        "forms": forms_,
        "log": dossier.holder_log.select_related("by", "concerning", "previous_owner").order_by("-at", "-pk"),
    }


@require_GET
def mandate_document(request, pk: int, attachment_pk: int):
    """The letter of commitment or council deliberation of a dossier in the user's scope (drafts included)."""
    dossier = _dossier(request, pk)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk, kind__in=MANDATE_DOCUMENTS)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
