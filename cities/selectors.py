"""Read queries on territorial data."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from .text import normalize_search_text


def search_communes(query: str, *, queryset=None, limit: int | None = 20):
    """Communes matching a name, postal code or INSEE code, exact matches and populous ones first."""
    from .models import Commune

    qs = queryset if queryset is not None else Commune.objects.all()
    query = (query or "").strip()
    if not query:
        return qs.none()
    if query[:2].isdigit() or query[:2].upper() in {"2A", "2B"}:
        code = query.upper().replace(" ", "")
        qs = qs.filter(Q(insee_code__startswith=code) | Q(postal_codes_text__contains=code)).annotate(
            rank=Case(
                When(insee_code=code, then=Value(0)),
                When(postal_codes_text__contains=code, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    else:
        needle = normalize_search_text(query)
        if not needle:
            return qs.none()
        qs = qs.filter(search_name__contains=needle).annotate(
            rank=Case(
                When(search_name=needle, then=Value(0)),
                When(search_name__startswith=needle, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    qs = qs.select_related("departement", "region").order_by("rank", Coalesce("population", 0).desc(), "name")
    return qs[:limit] if limit else qs
