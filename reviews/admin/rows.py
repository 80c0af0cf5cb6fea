"""The dossier list's rows, as django.contrib.admin draws them (``admin_list.items_for_result``), for less.

Django works out, for every cell of every row, what kind of column it is (model field, admin method, callable),
its CSS classes, its empty value and whether it links to the object: a third of a 50-row page. Here that is
worked out once per column, then each row only reads its values. The markup is Django's, byte for byte
(tests/reviews/test_dossier_list_rows.py compares both on the same rows), so the admin's script, its styles and
the accessibility tests see the same table. Lists that edit rows in place, popups and ``to_field`` links keep
Django's own code.
"""

import datetime
from dataclasses import dataclass

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


@dataclass
class _Column:
    name: object  # as in list_display: a name or a callable
    classes: list  # the cell's CSS classes before its value is known
    link: bool  # the column that links to the object's page
    empty: str  # what an empty value shows
    field: object = None  # the model field, for a field column
    read: object = None  # obj -> value, for an admin method or a callable (else Django's lookup_field per row)
    attr: object = None  # lookup_field's ``attr`` for that column


def _columns(cl) -> list[_Column]:
    """What items_for_result finds out on every cell, found once per column."""
    model_admin = cl.model_admin
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        if link:
            first = False
        column = _Column(
            name, [f"field-{_coerce_field_name(name, index)}"], link, model_admin.get_empty_value_display()
        )
        try:
            column.field = _get_non_gfk_field(cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                column.read = column.attr = name
            elif hasattr(model_admin, name) and name != "__str__":
                column.read = column.attr = getattr(model_admin, name)
        columns.append(column)
    return columns


def _lookup(column: _Column, result, model_admin):
    """(field, attr, value) as admin.utils.lookup_field returns them."""
    if column.field is not None:
        return column.field, None, getattr(result, column.name)
    if column.read is not None:
        return None, column.attr, column.read(result)
    return lookup_field(column.name, result, model_admin)


def _cell(cl, column: _Column, result, first: bool) -> str:
    """One cell, as items_for_result writes it (same branches, same order)."""
    empty_value_display = column.empty
    row_classes = list(column.classes)
    try:
        f, attr, value = _lookup(column, result, cl.model_admin)
    except ObjectDoesNotExist:
        result_repr = empty_value_display
    else:
        empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if f is None or f.auto_created:
            if column.name == "action_checkbox":
                row_classes = ["action-checkbox"]
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            result_repr = display_for_value(value, empty_value_display, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                row_classes.append("nowrap")
        else:
            if isinstance(f.remote_field, models.ManyToOneRel):
                field_val = getattr(result, f.name)
                result_repr = empty_value_display if field_val is None else field_val
            else:
                result_repr = display_for_field(value, f, empty_value_display, avoid_link=column.link)
            if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                row_classes.append("nowrap")
    # format_html("<td{}>{}</td>", …) without its generic machinery: the class is ours, the value escaped as there.
    row_class = f' class="{" ".join(row_classes)}"'
    if not column.link:
        return f"<td{row_class}>{conditional_escape(result_repr)}</td>"
    table_tag = "th" if first else "td"
    try:
        url = cl.url_for_result(result)
    except NoReverseMatch:
        link_or_text = conditional_escape(result_repr)
    else:
        url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        link_or_text = f'<a href="{conditional_escape(url)}">{conditional_escape(result_repr)}</a>'
    return f"<{table_tag}{row_class}>{link_or_text}</{table_tag}>"


def _fast_enough(cl) -> bool:
    """The lists drawn here: no rows edited in place, no popup, links by primary key."""
    return not cl.formset and not cl.is_popup and not cl.to_field


def rows(cl) -> list[ResultList]:
    """The rows of ``cl`` for admin/change_list_results.html: each one item, its cells joined (the template joins
    a row's items with nothing between them, so the page is the same)."""
    if not _fast_enough(cl):
        return [ResultList(None, items_for_result(cl, result, None)) for result in cl.result_list]
    columns = _columns(cl)
    drawn = []
    for result in cl.result_list:
        cells, first = [], True
        for column in columns:
            cells.append(_cell(cl, column, result, first))
            if column.link:
                first = False
        drawn.append(ResultList(None, [SafeString("".join(cells))]))
    return drawn


def result_list(cl) -> dict:
    """admin_list.result_list with the rows drawn by ``rows``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }
