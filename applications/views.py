"""Thin views of the dossier: the official's home, creation, sections (with autosave), co-editors.

Dossiers are looked up through ``Dossier.objects.editable_by`` / ``visible_to``: anyone else gets a 404.
Every page works without JavaScript; htmx only adds the autosave of long text fields.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import home as home_queries
from . import rules as dossier_rules
from . import services
from .forms import InvitationForm, PartnerFormSetHelper, StartDossierForm
from .models import Dossier, DossierInvitation, DossierMember
from .sections import SECTIONS, get_section, next_section

TEMPLATES = "applications/"


def _editable(request, pk) -> Dossier:
    queryset = Dossier.objects.editable_by(request.user).select_related("campaign", "wave", "commune", "epci", "owner")
    return get_object_or_404(queryset, pk=pk)


def _visible(request, pk) -> Dossier:
    """The dossier if ``request.user`` may see it, with the status they may see (``shown_status``)."""
    queryset = (
        Dossier.objects.visible_to(request.user)
        .with_shown_status(user=request.user, now=timezone.now())
        .select_related("campaign", "wave", "commune", "epci", "owner")
    )
    return get_object_or_404(queryset, pk=pk)


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
            dossier = services.create_dossier(campaign=campaign, by=request.user, **_chosen_territory(form, territories))
        except services.DossierAlreadyExists as held:
            return _already_held(request, campaign, held, form.cleaned_data["applicant"])
        messages.success(request, _("Dossier %(reference)s created.") % {"reference": dossier.reference})
        return redirect("applications:section", pk=dossier.pk, key=SECTIONS[0].key)
    return render(request, TEMPLATES + "start.html", {"campaign": campaign, "form": form})


def _already_held(request, campaign, held, applicant_key):
    if Dossier.objects.editable_by(request.user).filter(pk=held.dossier.pk).exists():
        return redirect("applications:dossier", pk=held.dossier.pk)
    context = {"campaign": campaign, "held": held, "applicant_key": applicant_key,
               "applicant_name": held.dossier.applicant_name}
    return render(request, TEMPLATES + "already_held.html", context, status=409)


@login_required
@require_POST
def join_request(request, slug):
    campaign, territories = _start_options(request, slug)
    form = StartDossierForm(request.POST, territories=territories)
    if not form.is_valid():
        return redirect("applications:home")
    held = services.existing_dossier(campaign=campaign, **_chosen_territory(form, territories))
    if held is None:
        return redirect("applications:start", slug=slug)
    services.request_to_join(dossier=held, by=request.user)
    messages.success(request, _("Your request has been e-mailed to the owner of the dossier. They will invite you."))
    return redirect("applications:home")


# --- the dossier and its sections ------------------------------------------------------------------------------


@login_required
def dossier_detail(request, pk):
    dossier = _visible(request, pk)
    context = {
        "dossier": dossier,
        "progress": services.dossier_progress(dossier, with_changes=True),
        "percent": services.progress_percent(dossier),
        "is_owner": dossier_rules.is_dossier_owner(request.user, dossier),
        "contents": home_queries.section_contents(dossier),
        "memberships": home_queries.programme_memberships(dossier),
    }
    return render(request, TEMPLATES + "dossier_detail.html", context)


def _autosave_url(dossier, key):
    def url(field):
        return reverse("applications:autosave", kwargs={"pk": dossier.pk, "key": key, "field": field})

    return url


def _section_form(spec, dossier, data=None):
    if spec.formset_class is not None:
        return spec.formset_class(data, instance=dossier, prefix="partners")
    return spec.form_class(data, instance=dossier, autosave_url=_autosave_url(dossier, spec.key))


def _render_section(request, dossier, spec, form, *, status=200):
    context = {
        "dossier": dossier, "spec": spec, "form": form, "sections": SECTIONS,
        "progress": services.dossier_progress(dossier),
        "percent": services.progress_percent(dossier),
        "last_change": services.last_changes(dossier).get(spec.key),
        "next_spec": next_section(spec),
        "formset_helper": PartnerFormSetHelper(),
        "memberships": home_queries.programme_memberships(dossier) if spec.number == 1 else None,
    }
    return render(request, TEMPLATES + "section.html", context, status=status)


def _save(request, dossier, spec, form) -> None:
    if spec.formset_class is not None:
        services.save_partners(dossier=dossier, formset=form, by=request.user)
    else:
        services.save_section(dossier=dossier, section=spec.key, data=form.cleaned_data, by=request.user)


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
    _save(request, dossier, spec, form)
    messages.success(request, _("Section “%(title)s” saved.") % {"title": spec.title})
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
    try:
        services.autosave_field(
            dossier=dossier, section=key, field=field, raw_value=request.POST.get(field, ""), by=request.user
        )
    except ValueError:
        raise Http404 from None
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, TEMPLATES + "_autosave_status.html", context, status=400)
    context["saved_at"] = timezone.localtime()
    return render(request, TEMPLATES + "_autosave_status.html", context)


# --- co-editors ------------------------------------------------------------------------------------------------


def _render_team(request, dossier, form, *, status=200):
    context = {
        "dossier": dossier, "form": form,
        "members": dossier.members.select_related("user").order_by("added_at"),
        "invitations": dossier.invitations.filter(accepted_at=None, revoked_at=None),
        "can_manage": dossier_rules.can_manage_co_editors(request.user, dossier),
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
            services.invite_co_editor(dossier=dossier, email=form.cleaned_data["email"], by=request.user)
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
    services.remove_co_editor(dossier=dossier, member=member, by=request.user)
    messages.success(request, _("%(name)s can no longer edit the dossier.") % {"name": member.user})
    return redirect("applications:team", pk=dossier.pk)


@login_required
@require_POST
def revoke_invitation(request, pk, invitation_pk):
    dossier = _editable(request, pk)
    invitation = get_object_or_404(DossierInvitation, dossier=dossier, pk=invitation_pk)
    if not dossier_rules.is_dossier_owner(request.user, dossier):
        raise PermissionDenied
    services.revoke_invitation(dossier=dossier, invitation=invitation, by=request.user)
    messages.success(request, _("Invitation cancelled."))
    return redirect("applications:team", pk=dossier.pk)


def _login_or_signup(request, invitation):
    """Anonymous visitors log in, or sign up first when the invited address has no account yet."""
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    target = resolve_url("accounts:login")
    if not has_account:
        try:
            target = reverse("accounts:signup")
        except NoReverseMatch:
            pass
    query = {"next": request.get_full_path()}
    if not has_account:
        query["email"] = invitation.email
    return HttpResponseRedirect(f"{target}?{urlencode(query)}")


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = get_object_or_404(
        DossierInvitation.objects.select_related("dossier__campaign", "dossier__commune", "dossier__epci", "invited_by"),
        token=token,
    )
    if not request.user.is_authenticated:
        return _login_or_signup(request, invitation)
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("You can now edit dossier %(reference)s.")
                             % {"reference": invitation.dossier.reference})
            return redirect("applications:dossier", pk=invitation.dossier_id)
    context = {"invitation": invitation, "error": error}
    return render(request, TEMPLATES + "invitation.html", context, status=400 if error else 200)
