"""The API's pages on the site: the documentation (vendored Swagger UI) and the staff member's tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .rules import may_use_staff_api
from .tokens import issue_token, revoke_token, tokens_of


def docs(request):
    return render(
        request,
        "api/docs.html",
        {"schema_url": reverse("api-v1:openapi-json"), "rates": settings.API_RATE_LIMITS},
    )


def _staff_only(request):
    if not may_use_staff_api(request.user):
        raise PermissionDenied


@login_required
def tokens(request):
    """List the user's tokens and create one; the new token is shown on this answer only (never stored)."""
    _staff_only(request)
    now = timezone.now()
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = issue_token(
                user=request.user, name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"], now=now
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    rows = [(token, token.get_state_display_at(now)) for token in tokens_of(request.user)]
    return render(request, "api/tokens.html", {"form": form, "rows": rows, "new_key": new_key})


@login_required
@require_POST
def revoke(request, pk):
    _staff_only(request)
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    revoke_token(token=token, by=request.user, now=timezone.now())
    messages.success(
        request, _("The token « %(name)s » is revoked: it no longer opens the API.") % {"name": token.name}
    )
    return redirect("api_tokens:list")
