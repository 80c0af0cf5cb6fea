"""Amounts in euros as people type them in France: « 80 000,50 », « 80000,50 » or « 80000.50 » are all
80 000,50 €. Anything ambiguous (« 80.000,50 », « 1,000,000 ») is refused with the expected format, never read
with a silent factor of 100 or 1,000."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Spaces people and browsers put between thousands: plain, no-break, narrow no-break, thin.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009]")
_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str) -> Decimal | None:
    """The amount written in ``text`` (None for an empty text); ValidationError if it cannot be read safely."""
    compact = _GROUPING.sub("", text or "").removesuffix("€")
    if not compact:
        return None
    if not _AMOUNT.match(compact):
        raise ValidationError(
            _(
                "Write the amount in euros with a comma for the cents, e.g. 80 000,50 (at most two decimals, no dot "
                "between thousands)."
            ),
            code="invalid_amount",
        )
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValidationError(_("This amount cannot be read."), code="invalid_amount") from None


class AmountInput(forms.TextInput):
    """A text box (not type=number, whose reading of « 80000,50 » depends on the browser's language), shown in
    the local format with grouping: 80 000,50."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2, force_grouping=True)
        return super().format_value(value)


class AmountField(forms.Field):
    widget = AmountInput
    default_error_messages = {"negative": _("An amount cannot be negative.")}

    def __init__(self, *, max_digits=12, decimal_places=2, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        kwargs["help_text"] = kwargs.get("help_text") or _("In euros, e.g. 80 000,50.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Decimal) or value is None:
            return value
        text = str(value).strip()
        if text.startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        amount = parse_amount(text)
        if amount is not None and len(str(int(amount))) > self.max_digits - self.decimal_places:
            raise ValidationError(_("This amount is too large."), code="too_large")
        return amount
