"""Thin views of the dossier: the official's home, creation, sections (with autosave), co-editors.

Dossiers are looked up through ``Dossier.objects.editable_by`` / ``visible_to``: anyone else gets a 404.
Every page works without JavaScript; htmx only adds the autosave of long text fields.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import rules as dossier_rules
from applications.domain import coediting, dossiers, holders, invitations
from applications.domain.sections import SECTIONS, get_section, next_section
from applications.forms.sections import InvitationForm, PartnerFormSetHelper, StartDossierForm
from applications.models import (
    Dossier,
    DossierInvitation,
    DossierJoinRequest,
    DossierMember,
    InvitationState,
    JoinRequestStatus,
)
from applications.queries import completeness
from applications.queries import home as home_queries

TEMPLATES = "applications/"


def _editable(request, pk) -> Dossier:
    queryset = Dossier.objects.editable_by(request.user).select_related("campaign", "wave", "commune", "epci", "owner")
    return get_object_or_404(queryset, pk=pk)


def _visible(request, pk) -> Dossier:
    """The dossier if ``request.user`` may see it, with the status they may see (``shown_status``), its partners
    loaded once (its contents, completeness and progress all read them)."""
    queryset = (
        Dossier.objects.visible_to(request.user)
        .select_related("campaign", "wave", "decision_wave", "commune", "epci", "owner")
        .prefetch_related("partners")
    )
    return get_object_or_404(queryset, pk=pk).set_shown_status(user=request.user, now=timezone.now())


# --- home and creation ---------------------------------------------------------------------------------------


@login_required
def home(request):
    now = timezone.now()
    context = home_queries.home_context(request.user, now=now)
    return render(request, TEMPLATES + "home.html", context)


def _start_options(request, slug):
    campaign = get_object_or_404(home_queries.startable_campaigns(timezone.now()), slug=slug)
    territories = home_queries.official_territories(request.user)
    if not territories:
        raise Http404
    return campaign, territories


def _chosen_territory(form, territories):
    key = form.cleaned_data["applicant"]
    territory = next(t for k, _label, t in territories if k == key)
    return {"commune": territory} if key.startswith("commune") else {"epci": territory}


@login_required
@require_http_methods(["GET", "POST"])
def start(request, slug):
    campaign, territories = _start_options(request, slug)
    form = StartDossierForm(request.POST or None, territories=territories)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = dossiers.create_dossier(
                campaign=campaign, by=request.user, **_chosen_territory(form, territories)
            )
        except dossiers.DossierAlreadyExists as held:
            return _already_held(request, campaign, held, form.cleaned_data["applicant"])
        messages.success(request, _("Dossier %(reference)s created.") % {"reference": dossier.reference})
        return redirect("applications:section", pk=dossier.pk, key=SECTIONS[0].key)
    return render(request, TEMPLATES + "start.html", {"campaign": campaign, "form": form})


def _already_held(request, campaign, held, applicant_key):
    if Dossier.objects.editable_by(request.user).filter(pk=held.dossier.pk).exists():
        return redirect("applications:dossier", pk=held.dossier.pk)
    context = {
        "campaign": campaign,
        "held": held,
        "applicant_key": applicant_key,
        "applicant_name": held.dossier.applicant_name,
    }
    return render(request, TEMPLATES + "already_held.html", context, status=409)


@login_required
@require_POST
def join_request(request, slug):
    campaign, territories = _start_options(request, slug)
    form = StartDossierForm(request.POST, territories=territories)
    if not form.is_valid():
        return redirect("applications:home")
    held = dossiers.existing_dossier(campaign=campaign, **_chosen_territory(form, territories))
    if held is None:
        return redirect("applications:start", slug=slug)
    if holders.request_to_join(dossier=held, by=request.user) is None:
        return redirect("applications:dossier", pk=held.pk)
    messages.success(
        request,
        _("Your request to join has been sent to the holder of the dossier. You will be told the answer by e-mail."),
    )
    return redirect("applications:home")


# --- the dossier and its sections ------------------------------------------------------------------------------


@login_required
def dossier_detail(request, pk):
    dossier = _visible(request, pk)
    context = {
        "dossier": dossier,
        "progress": completeness.dossier_progress(dossier, with_changes=True),
        "percent": completeness.progress_percent(dossier),
        "is_owner": dossier_rules.is_dossier_owner(request.user, dossier),
        "is_editor": dossier_rules.is_dossier_editor(request.user, dossier),
        "contents": home_queries.section_contents(dossier),
        "memberships": home_queries.programme_memberships(dossier),
    }
    return render(request, TEMPLATES + "dossier_detail.html", context)


def _autosave_url(dossier, key):
    def url(field):
        return reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": key, "field": field})

    return url


def _section_form(spec, dossier, data=None, *, initial=None):
    if spec.formset_class is not None:
        return spec.formset_class(data, instance=dossier, prefix="partners")
    return spec.form_class(data, instance=dossier, initial=initial, autosave_url=_autosave_url(dossier, spec.key))


def _render_section(request, dossier, spec, form, *, base=None, conflicts=(), status=200):
    if base is None and spec.formset_class is None:
        base = coediting.EditBase.of(dossier, spec.fields)
    context = {
        "dossier": dossier,
        "spec": spec,
        "form": form,
        "sections": SECTIONS,
        "base_fields": base.as_hidden_fields() if base else [],
        "conflicts": conflicts,
        "progress": completeness.dossier_progress(dossier),
        "percent": completeness.progress_percent(dossier),
        "last_change": completeness.last_changes(dossier).get(spec.key),
        "next_spec": next_section(spec),
        "formset_helper": PartnerFormSetHelper(),
        "memberships": home_queries.programme_memberships(dossier) if spec.number == 1 else None,
    }
    return render(request, TEMPLATES + "section.html", context, status=status)


def _save(request, dossier, spec, form) -> list:
    """Save the section; returns the conflicts with co-editors' changes (fields left unsaved)."""
    if spec.formset_class is not None:
        dossiers.save_partners(dossier=dossier, formset=form, by=request.user)
        return []
    keep_theirs = frozenset(
        name for name in spec.fields if request.POST.get(coediting.RESOLVE_PREFIX + name) == coediting.KEEP_THEIRS
    )
    result = dossiers.save_section(
        dossier=dossier,
        section=spec.key,
        data=form.cleaned_data,
        by=request.user,
        base=coediting.EditBase.from_post(request.POST, spec.fields),
        keep_theirs=keep_theirs,
    )
    return result.conflicts


def _render_conflicts(request, dossier, spec, conflicts):
    """The section again: stored values, this person's text in the conflicting fields, both versions shown."""
    mine = {conflict.field: conflict.mine for conflict in conflicts}
    form = _section_form(spec, dossier, initial=mine)
    messages.warning(
        request,
        _(
            "Someone else changed this section while you were editing it: compare the versions "
            "below and choose. Your other changes are saved."
        ),
    )
    return _render_section(request, dossier, spec, form, conflicts=conflicts, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def section(request, pk, key):
    dossier = _editable(request, pk)
    spec = get_section(key)
    if spec is None:
        raise Http404
    if not dossier_rules.can_edit_dossier(request.user, dossier):
        messages.info(request, _("This dossier is no longer a draft: it can be read but not edited."))
        return redirect("applications:dossier", pk=dossier.pk)
    if request.method == "GET":
        return _render_section(request, dossier, spec, _section_form(spec, dossier))
    form = _section_form(spec, dossier, request.POST)
    if not form.is_valid():
        # Everything typed is kept: the bound form is shown again with its errors.
        messages.error(request, _("The section was not saved: please correct the errors below."))
        # Validation copied the typed values onto the instance; the progress shown must be the stored one.
        dossier.refresh_from_db()
        return _render_section(request, dossier, spec, form, status=400)
    conflicts = _save(request, dossier, spec, form)
    if conflicts:
        return _render_conflicts(request, dossier, spec, conflicts)
    messages.success(request, _("Section “%(title)s” saved.") % {"title": spec.title})
    # Saved on the way out of the page (the unsaved-changes dialog): go on to the link that was followed.
    leaving_to = request.POST.get("next", "")
    if leaving_to and url_has_allowed_host_and_scheme(leaving_to, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(leaving_to)
    following = next_section(spec)
    if "save_next" in request.POST and following:
        return redirect("applications:section", pk=dossier.pk, key=following.key)
    if "save_next" in request.POST:
        return redirect("applications:dossier", pk=dossier.pk)
    return redirect("applications:section", pk=dossier.pk, key=spec.key)


@login_required
@require_POST
def autosave(request, pk, key, field):
    dossier = _editable(request, pk)
    if not dossier_rules.can_edit_dossier(request.user, dossier):
        raise Http404
    context = {"field": field}
    raw_value = request.POST.get(field, "")
    try:
        dossiers.autosave_field(
            dossier=dossier,
            section=key,
            field=field,
            raw_value=raw_value,
            by=request.user,
            base_fingerprint=request.POST.get(coediting.BASE_PREFIX + field),
        )
    except ValueError:
        raise Http404 from None
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, TEMPLATES + "_autosave_status.html", context, status=400)
    except dossiers.StaleAutosave as stale:
        context["stale"] = stale.change or True
        return render(request, TEMPLATES + "_autosave_status.html", context, status=409)
    # The page's base for this field moves on, so the next autosave or save starts from what is stored now.
    context["base_id"], context["base_name"] = f"base-{field}", coediting.BASE_PREFIX + field
    context["base_value"] = coediting.fingerprint(getattr(dossier, field))
    context["saved_at"] = timezone.localtime()
    return render(request, TEMPLATES + "_autosave_status.html", context)


# --- co-editors ------------------------------------------------------------------------------------------------


def _render_team(request, dossier, form, *, status=200):
    now = timezone.now()
    invitations = list(dossier.invitations.filter(accepted_at=None, revoked_at=None))
    for pending in invitations:
        pending.expired = not pending.is_valid_at(now)
    context = {
        "dossier": dossier,
        "form": form,
        "members": dossier.members.select_related("user").order_by("added_at"),
        "invitations": invitations,
        "join_requests": holders.pending_join_requests(dossier),
        "can_manage": dossier_rules.can_manage_co_editors(request.user, dossier),
        "is_owner": dossier_rules.is_dossier_owner(request.user, dossier),
    }
    return render(request, TEMPLATES + "team.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def team(request, pk):
    dossier = _editable(request, pk)
    if request.method == "GET":
        return _render_team(request, dossier, InvitationForm())
    if not dossier_rules.can_manage_co_editors(request.user, dossier):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitations.invite_co_editor(dossier=dossier, email=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            form.add_error("email", error)
    if not form.is_valid():
        return _render_team(request, dossier, form, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("applications:team", pk=dossier.pk)


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    dossier = _editable(request, pk)
    member = get_object_or_404(DossierMember.objects.select_related("user"), dossier=dossier, pk=member_pk)
    if not dossier_rules.is_dossier_owner(request.user, dossier):
        raise PermissionDenied
    invitations.remove_co_editor(dossier=dossier, member=member, by=request.user)
    messages.success(request, _("%(name)s can no longer edit the dossier.") % {"name": member.user})
    return redirect("applications:team", pk=dossier.pk)


@login_required
@require_POST
def answer_join_request(request, pk, request_pk):
    dossier = _editable(request, pk)
    if not dossier_rules.is_dossier_owner(request.user, dossier):
        raise PermissionDenied
    join_request = get_object_or_404(
        DossierJoinRequest, dossier=dossier, pk=request_pk, status=JoinRequestStatus.PENDING
    )
    accept = "accept" in request.POST
    try:
        holders.answer_join_request(
            join_request=join_request,
            by=request.user,
            accept=accept,
            reason="" if accept else request.POST.get("reason", "")[:2000],
        )
    except holders.HolderChangeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your answer has been sent to %(name)s.") % {"name": join_request.requester})
    return redirect("applications:team", pk=dossier.pk)


@login_required
@require_POST
def revoke_invitation(request, pk, invitation_pk):
    dossier = _editable(request, pk)
    invitation = get_object_or_404(DossierInvitation, dossier=dossier, pk=invitation_pk)
    if not dossier_rules.is_dossier_owner(request.user, dossier):
        raise PermissionDenied
    invitations.revoke_invitation(dossier=dossier, invitation=invitation, by=request.user)
    messages.success(request, _("Invitation cancelled."))
    return redirect("applications:team", pk=dossier.pk)


def _login_or_signup(request, invitation):
    """Anonymous visitors log in, or sign up first when the invited address has no account yet."""
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    target = resolve_url("accounts:login" if has_account else "accounts:signup")
    query = {"next": request.get_full_path()}
    if not has_account:
        query["email"] = invitation.email
    return HttpResponseRedirect(f"{target}?{urlencode(query)}")


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = get_object_or_404(
        DossierInvitation.objects.select_related(
            "dossier__campaign", "dossier__commune", "dossier__epci", "invited_by"
        ),
        token=token,
    )
    state = invitation.state_at(timezone.now())
    if state != InvitationState.VALID:
        # A used, revoked or expired link: say so plainly, whoever follows it, and offer to ask for a new one.
        return _invalid_invitation(request, invitation, state)
    if not request.user.is_authenticated:
        return _login_or_signup(request, invitation)
    error = None
    if request.method == "POST":
        try:
            invitations.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, _("You can now edit dossier %(reference)s.") % {"reference": invitation.dossier.reference}
            )
            return redirect("applications:dossier", pk=invitation.dossier_id)
    context = {"invitation": invitation, "error": error}
    return render(request, TEMPLATES + "invitation.html", context, status=400 if error else 200)


def _invalid_invitation(request, invitation, state, *, status=410):
    editor = Dossier.objects.editable_by(request.user).filter(pk=invitation.dossier_id).exists()
    context = {
        "invitation": invitation,
        "state": state,
        "reason": invitations.invitation_refusal(state),
        "is_editor": editor,
        "validity_days": settings.INVITATION_VALIDITY_DAYS,
        "can_ask": not editor and invitation.renewal_requested_at is None and invitation.dossier.owner_id is not None,
    }
    if request.method == "POST" and not editor:
        return _ask_new_invitation(request, invitation, context)
    return render(request, TEMPLATES + "invitation_invalid.html", context, status=status)


def _ask_new_invitation(request, invitation, context):
    if "ask_new_link" not in request.POST:
        context["error"] = context["reason"]
        return render(request, TEMPLATES + "invitation_invalid.html", context, status=400)
    holders.request_new_invitation(invitation=invitation)
    context["can_ask"], context["asked"] = False, True
    return render(request, TEMPLATES + "invitation_invalid.html", context, status=410)
