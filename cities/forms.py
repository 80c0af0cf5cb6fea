"""Form fields for picking a commune (or an EPCI) among all of France, with or without JavaScript.

The widget is a text input. With htmx, typing fetches matching places from the search view and shows them as
radio buttons named ``<field>_choice``; a checked radio wins over the typed text. Without JavaScript the
typed text is resolved on submit: an INSEE code (SIREN for an EPCI), an exact name, or the label
"Name (département code)" that the field itself displays.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Commune, Epci
from .text import normalize_search_text

_INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_SIREN = re.compile(r"^\d{9}$")
_LABEL = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[\dAB]{2,3})\)$", re.IGNORECASE)


class PlaceSearchWidget(forms.TextInput):
    """Text input plus an htmx-filled list of choices; see the module docstring."""

    template_name = "cities/widgets/place_search.html"
    search_url_name = "cities:commune_search"
    help_text = _(
        "Type a name, a postal code or an INSEE code and pick the commune in the list. "
        "Without JavaScript, type the INSEE code or the exact name."
    )

    def __init__(self, attrs=None):
        super().__init__({"class": "form-control", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        described_by = context["widget"]["attrs"].get("aria-describedby", "")
        context["widget"]["attrs"].update(
            {
                "hx-get": f"{reverse(self.search_url_name)}?field={name}",
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": f"#{widget_id}-results",
                "hx-sync": "this:replace",
                "aria-controls": f"{widget_id}-results",
                "aria-describedby": f"{described_by} {widget_id}-help".strip(),
            }
        )
        context["widget"].update({"widget_id": widget_id, "help_text": self.help_text})
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(f"{name}_choice") or data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_choice" not in data and name not in data


class EpciSearchWidget(PlaceSearchWidget):
    search_url_name = "cities:epci_search"
    help_text = _(
        "Type a name or a SIREN number and pick the intercommunality in the list. "
        "Without JavaScript, type the SIREN number or the exact name."
    )


class CommuneChoiceField(forms.ModelChoiceField):
    """A commune chosen by INSEE code (or pk), exact name, or "Name (département)"; French errors otherwise."""

    widget = PlaceSearchWidget
    code_pattern = _INSEE_CODE
    code_field = "insee_code"
    default_error_messages = {
        "invalid_choice": _("No commune matches “%(value)s”. Type its INSEE code or pick it in the list."),
        "ambiguous": _(
            "Several communes are named “%(value)s” (%(choices)s). Pick one in the list, or type its INSEE code "
            "or its name followed by the département code, e.g. “%(example)s”."
        ),
    }

    def __init__(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.default_queryset()
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, to_field_name=self.code_field, **kwargs)

    def default_queryset(self):
        return Commune.objects.select_related("departement")

    @staticmethod
    def label_of(obj) -> str:
        return f"{obj.name} ({obj.departement.code})"

    def _by_label(self, text: str):
        match = _LABEL.match(text)
        if match:
            return self.queryset.filter(
                departement__code=match["code"].upper(), search_name=normalize_search_text(match["name"])
            )
        return None

    def _candidates(self, text: str):
        code = text.upper().replace(" ", "")
        if self.code_pattern.match(code):
            return self.queryset.filter(**{self.code_field: code})
        by_label = self._by_label(text)
        if by_label is not None and by_label.exists():
            return by_label
        return self.queryset.filter(search_name=normalize_search_text(text))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        text = str(value).strip()
        matches = list(self._candidates(text)[:10])
        if not matches:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})
        if len(matches) > 1:
            labels = [self.label_of(m) for m in matches]
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": text, "choices": ", ".join(labels), "example": labels[0]},
            )
        return matches[0]

    def prepare_value(self, value):
        """Show a chosen place as its label; leave unresolved text as the user typed it."""
        if isinstance(value, self.queryset.model):
            return self.label_of(value)
        if isinstance(value, int) or (isinstance(value, str) and self.code_pattern.match(value)):
            lookup = {"pk": value} if isinstance(value, int) else {self.code_field: value}
            obj = self.queryset.filter(**lookup).first()
            return self.label_of(obj) if obj else value
        return value

    def has_changed(self, initial, data):
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        if initial in self.empty_values:
            return chosen is not None
        initial_pk = initial.pk if isinstance(initial, self.queryset.model) else initial
        return chosen is None or str(chosen.pk) != str(initial_pk)


class EpciChoiceField(CommuneChoiceField):
    """An EPCI chosen by SIREN (or pk) or exact name; same behaviour as ``CommuneChoiceField``."""

    widget = EpciSearchWidget
    code_pattern = _SIREN
    code_field = "siren"
    default_error_messages = {
        "invalid_choice": _("No intercommunality matches “%(value)s”. Type its SIREN number or pick it in the list."),
        "ambiguous": _("Several intercommunalities are named “%(value)s” (%(choices)s). Type the SIREN number."),
    }

    def default_queryset(self):
        return Epci.objects.all()

    @staticmethod
    def label_of(obj) -> str:
        return f"{obj.name} ({obj.siren})"

    def _by_label(self, text: str):
        match = re.match(r"^.*\((?P<siren>\d{9})\)$", text)
        return self.queryset.filter(siren=match["siren"]) if match else None
