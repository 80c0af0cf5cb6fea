"""Page-number pagination with the total and the links to the next and previous pages."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class NumberedPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Numéro de page, à partir de 1.")
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Lignes par page (200 au plus).")

    class Output(Schema):
        count: int = Field(description="Nombre de lignes sur l'ensemble des pages.")
        next: str | None = Field(description="Adresse de la page suivante, ou null.")
        previous: str | None = Field(description="Adresse de la page précédente, ou null.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        count = self._items_count(queryset)
        start = (pagination.page - 1) * pagination.page_size
        items = list(queryset[start : start + pagination.page_size])
        has_next = start + pagination.page_size < count
        return {
            "count": count,
            "next": _page_url(request, pagination.page + 1) if has_next else None,
            "previous": _page_url(request, pagination.page - 1) if pagination.page > 1 else None,
            "items": items,
        }


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
