from django import forms
from django.utils.translation import gettext_lazy as _

from applications.states import DECISION_CHOICES


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Committee's decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Justification"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Kept in the dossier's history; the applicants are told the decision when the wave's results are published."
        ),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not review this dossier?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: you are linked to the city or to one of its partners."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    message = forms.CharField(
        label=_("What must the applicants correct?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the applicants by e-mail and kept in the dossier's history."),
    )


class DiscussionForm(forms.Form):
    text = forms.CharField(
        label=_("Your message to the other reviewers and the committee"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
