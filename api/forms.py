from django import forms
from django.utils.translation import gettext_lazy as _

from .tokens import VALIDITY_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What it is for, so you recognise it later, e.g. « tableau de bord régional »."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[(days, _("%(days)s days") % {"days": days}) for days in VALIDITY_DAYS],
    )
