"""Read queries on territorial data: search, programme membership."""

import operator
import re
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .models import Commune, Epci, Programme, ProgrammeMembership
from .text import normalize_search_text

SEARCH_LIMIT = 20
_CODE_QUERY = re.compile(r"^(\d{2,5}|2[AB]\d{0,3})$")
# "Chalon-sur-Saône (71)", the label the commune field shows, narrows the search to a département.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LABEL_QUERY = re.compile(r"^(?P<name>.*\S)\s*\((?P<dep>\d[\dAB]{1,2})\)$", re.IGNORECASE)


def _by_code(qs: QuerySet, code: str) -> QuerySet:
    postal_word = Q(postal_codes_text__startswith=code) | Q(postal_codes_text__contains=f" {code}")
    return qs.filter(Q(insee_code__startswith=code) | postal_word).annotate(
        rank=Case(
            # A five-digit query may be an INSEE code or a postal code: both exact matches rank first.
            When(
                Q(insee_code=code)
                | Q(postal_codes_text=code)
                | Q(postal_codes_text__startswith=f"{code} ")
                | Q(postal_codes_text__contains=f" {code} ")
                | Q(postal_codes_text__endswith=f" {code}"),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def _by_name(qs: QuerySet, needle: str, field: str = "search_name") -> QuerySet:
    for word in needle.split():
        qs = qs.filter(**{f"{field}__contains": word})
    return qs.annotate(
        rank=Case(
            When(**{field: needle}, then=Value(0)),
            When(**{f"{field}__startswith": needle}, then=Value(1)),
            When(**{f"{field}__contains": f" {needle}"}, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


def search_communes(query: str, *, queryset: QuerySet | None = None, limit: int | None = SEARCH_LIMIT) -> QuerySet:
    """Communes matching a name (accent-, case- and punctuation-insensitive, every word must appear), a postal
    code or an INSEE code (or their first digits). Exact matches first, then the most populous.

    ``limit=None`` returns an unsliced queryset (the admin filters and paginates it further).
    """
    qs = queryset if queryset is not None else Commune.objects.all()
    query = (query or "").strip()
    label = _LABEL_QUERY.match(query)
    if label:
        qs, query = qs.filter(departement__code=label["dep"].upper()), label["name"]
    code = query.upper().replace(" ", "")
    if _CODE_QUERY.match(code):
        qs = _by_code(qs, code)
    else:
        needle = " ".join(_ABBREVIATIONS.get(word, word) for word in normalize_search_text(query).split())
        if not needle:
            return qs.none()
        qs = _by_name(qs, needle)
    qs = qs.select_related("departement", "region").order_by("rank", Coalesce("population", 0).desc(), "name")
    return qs[:limit] if limit else qs


# The register names EPCI by their short legal form ("CA Bergeracoise"); people write either form.
_EPCI_LEGAL_FORMS = (
    ("CA", ("communaute d agglomeration", "ca")),
    ("CC", ("communaute de communes", "cc")),
    ("CU", ("communaute urbaine", "cu")),
)
_EPCI_NAME_STOPWORDS = {"de", "du", "des", "la", "le", "les", "l", "d"}


def _epci_name_query(query: str) -> tuple[str, str | None]:
    """(name words to find, legal form) of an EPCI query: "Communauté d'agglomération de Bergerac" and
    "CA Bergerac" both give ("bergerac", "CA"). Articles are dropped: the register often omits them."""
    text = f" {normalize_search_text(query)} "
    kind = None
    for code, forms in _EPCI_LEGAL_FORMS:
        form = next((form for form in forms if f" {form} " in text), None)
        if form:
            text, kind = text.replace(f" {form} ", " ", 1), code
            break
    words = text.split()
    meaningful = [word for word in words if word not in _EPCI_NAME_STOPWORDS]
    return " ".join(meaningful or words), kind


def search_epcis(query: str, *, queryset: QuerySet | None = None, limit: int | None = SEARCH_LIMIT) -> QuerySet:
    """EPCI matching a name (accent- and case-insensitive, long or short legal form: "Communauté de communes" or
    "CC") or a SIREN (or its first digits), exact ones first."""
    qs = queryset if queryset is not None else Epci.objects.all()
    query = (query or "").strip()
    digits = query.replace(" ", "")
    if digits.isdigit():
        qs = qs.filter(siren__startswith=digits).annotate(
            rank=Case(When(siren=digits, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    else:
        needle, kind = _epci_name_query(query)
        if not needle and not kind:
            return qs.none()
        if kind:
            qs = qs.filter(kind=kind)
        qs = _by_name(qs, needle) if needle else qs.annotate(rank=Value(0, output_field=IntegerField()))
    qs = qs.select_related("region").order_by("rank", "name")
    return qs[:limit] if limit else qs


def applicant_memberships(*, commune=None, epci=None) -> QuerySet:
    """The memberships that put an applicant in a programme: a commune's own; for an intercommunality (EPCI), those
    of any of its communes. The one statement of that rule: every list, count, filter and export builds on it.

    ``commune`` and ``epci`` are ids or ``OuterRef`` expressions; leave out the kind of applicant that does not apply.
    """
    condition = Q(pk__in=[])
    if commune is not None:
        condition |= Q(commune_id=commune)
    if epci is not None:
        condition |= Q(commune__epci_id=epci)
    return ProgrammeMembership.objects.filter(condition)


def programme_flag(code: str) -> str:
    """The name of the boolean ``with_programmes`` annotates for programme ``code`` (``is_acv``, ``is_ti``)."""
    return f"is_{code}"


def with_programmes(queryset: QuerySet, *, commune_field: str | None = None, epci_field: str | None = None) -> QuerySet:
    """Annotate one boolean per programme (``is_acv``, ``is_ti``) in the same query, for lists without N+1.

    ``queryset`` is of communes, or of any model pointing to its applicant through ``commune_field`` and/or
    ``epci_field`` (``Dossier.objects.with_programmes()``); membership follows ``applicant_memberships``.
    """
    if commune_field is None and epci_field is None:
        commune_ref, epci_ref = OuterRef("pk"), None
    else:
        commune_ref = OuterRef(f"{commune_field}_id") if commune_field else None
        epci_ref = OuterRef(f"{epci_field}_id") if epci_field else None
    return queryset.annotate(
        **{programme_flag(code): _is_member(code, commune=commune_ref, epci=epci_ref) for code in Programme.values}
    )


def programmes_of_applicants(rows) -> dict[int, list[str]]:
    """The programme codes of each row's applicant (objects with ``pk``, ``commune_id`` and ``epci_id``, e.g. one
    page of dossiers), by row id, in Programme order: the rule of ``applicant_memberships`` (a commune's own
    memberships; an EPCI's, those of any of its communes) in one query for the page. ``with_programmes``' EXISTS per
    row lets PostgreSQL hash every commune of France once per query (~17 ms) to answer 50 rows."""
    rows = list(rows)
    commune_ids = {row.commune_id for row in rows if row.commune_id}
    epci_ids = {row.epci_id for row in rows if row.epci_id}
    by_commune: dict[int, set] = {}
    by_epci: dict[int, set] = {}
    if commune_ids or epci_ids:
        memberships = (
            ProgrammeMembership.objects.filter(Q(commune_id__in=commune_ids) | Q(commune__epci_id__in=epci_ids))
            .order_by()  # the default ordering joins every commune's name: not needed for a set
            .values_list("commune_id", "commune__epci_id", "programme")
            .distinct()
        )
        for commune_id, epci_id, code in memberships:
            by_commune.setdefault(commune_id, set()).add(code)
            if epci_id is not None:
                by_epci.setdefault(epci_id, set()).add(code)
    found = {}
    for row in rows:
        codes = by_commune.get(row.commune_id, set()) | by_epci.get(row.epci_id, set())
        found[row.pk] = [code for code in Programme.values if code in codes]
    return found


def _is_member(code: str, *, commune, epci) -> ExpressionWrapper:
    """Whether the applicant has a membership of programme ``code`` (``applicant_memberships``), as one EXISTS per
    kind of applicant joined by OR: a single EXISTS over "commune = x OR commune's EPCI = y" cannot use an index, and
    PostgreSQL then read every membership for every row (3 s for 150 laureates); each half is an index lookup."""
    halves = [
        Exists(applicant_memberships(**{kind: ref}).filter(programme=code))
        for kind, ref in (("commune", commune), ("epci", epci))
        if ref is not None
    ]
    return ExpressionWrapper(reduce(operator.or_, halves), output_field=BooleanField())
