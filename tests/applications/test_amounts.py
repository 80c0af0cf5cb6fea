"""Amounts typed the French way are read exactly; ambiguous ones are refused with the format, never scaled."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.forms.amounts import AmountField, parse_amount
from applications.forms.sections import BudgetForm
from tests.factories import DossierFactory


@pytest.mark.parametrize(
    "typed", ["80 000,50", "80000,50", "80000.50", "80\u202f000,50", "80\u00a0000,5", "80 000,50 €"]
)
def test_french_and_plain_amounts_read_as_the_same_value(typed):
    assert parse_amount(typed) == Decimal("80000.50")


@pytest.mark.parametrize("typed", ["80.000,50", "1,000,000", "80000,505", "quatre-vingt", "80,000.50", "1.000.000"])
def test_ambiguous_amounts_are_refused_with_the_expected_format(typed):
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed)
    assert refused.value.code == "invalid_amount"


def test_empty_amount_is_no_amount():
    assert parse_amount("  ") is None


def test_negative_amount_is_refused_in_french():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        AmountField().clean("-5")
    assert refused.value.messages == ["Un montant ne peut pas être négatif."]


@pytest.mark.django_db
def test_budget_form_shows_the_stored_amount_in_french_with_its_format():
    from django.utils import translation

    dossier = DossierFactory(budget_total=Decimal("80000.50"))
    with translation.override("fr"):
        html = str(BudgetForm(instance=dossier)["budget_total"])
        help_text = str(BudgetForm(instance=dossier).fields["budget_total"].help_text)
    assert 'value="80\u202f000,50"' in html or 'value="80\u00a0000,50"' in html
    assert 'inputmode="decimal"' in html and 'type="text"' in html
    assert help_text == "En euros, par exemple 80 000,50."


@pytest.mark.django_db
def test_budget_form_saves_a_french_amount_exactly():
    dossier = DossierFactory()
    form = BudgetForm({"budget_total": "80 000,50", "cofinancing_territory": "1000"}, instance=dossier)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget_total"] == Decimal("80000.50")
